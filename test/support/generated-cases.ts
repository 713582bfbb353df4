/**
 * Cases written straight into the database as filing and the workflow leave them (received, due, decided or
 * open, maybe waiting on the applicant), at chosen instants: the raw material of OPDC's figures.
 */
import { Types } from "mongoose";
import { insertCase, type CaseDoc } from "~/models/case.server";

let serial = 0;

export type GeneratedCase = {
  agencyId: string;
  /** Default: the agency's clone of the health-hazard licence. */
  serviceSlug?: string;
  receivedAt: Date;
  dueAt: Date;
  decidedAt?: Date;
  /** The statutory due date moved on by the days spent waiting on the applicant. */
  movedDueAt?: Date;
  pausedAt?: Date;
};

export async function insertGeneratedCase(c: GeneratedCase): Promise<void> {
  serial++;
  const slug = c.serviceSlug ?? `${c.agencyId}-health-hazard-licence`;
  const tag = `${c.agencyId}-${serial}-${Math.random().toString(36).slice(2, 6)}`;
  const doc: Omit<CaseDoc, "_id" | "createdAt" | "updatedAt"> & { _id: Types.ObjectId } = {
    _id: new Types.ObjectId(),
    trackingNumber: `GEN-${tag}`,
    serviceSlug: slug,
    serviceVersionId: `${slug}@1`,
    agencyId: c.agencyId,
    applicant: { kind: "citizen", id: `generated-${tag}`, name: `ผู้ขอ ${serial}` },
    channel: "web",
    summary: { applicantName: `ผู้ขอ ${serial}`, subject: "ร้านทดสอบ" },
    dataJson: "{}",
    snapshotJson: "{}",
    stateValue: c.decidedAt ? "approved" : "review",
    status: c.decidedAt ? "done" : "active",
    rev: 1,
    history: [],
    receipt: { number: `GEN-${tag}`, receivedAt: c.receivedAt, countedFrom: c.receivedAt, dueAt: c.dueAt },
    sla: { paused: Boolean(c.pausedAt), pausedAt: c.pausedAt ?? null, statutoryDueAt: c.movedDueAt ?? c.dueAt },
    missingItems: null,
    effects: [],
    closedAt: c.decidedAt ?? null,
  };
  await insertCase(doc);
}
