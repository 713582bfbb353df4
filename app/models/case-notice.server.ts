import mongoose, { Schema } from "mongoose";
import type { LocalizedText } from "~/core/text";
import { isDuplicateKey } from "./claim.server";

/**
 * Notices given to applicants under the Licensing Facilitation Act: delay notices (`delay:<caseId>:<n>`) and
 * the decision notice (`decision:<caseId>`). OPDC's list and dashboard read this collection only (by `kind`
 * and `agencyId`): each row carries what they show.
 */
export type CaseNoticeKind = "delay" | "decision";
export type CaseNoticeChannel = "email" | "case-page" | "api";
export type CaseNotice = {
  _id: string;
  caseId: string;
  agencyId: string;
  kind: CaseNoticeKind;
  /** The delay notice's number (1, 2, …); 0 for the decision notice. */
  n: number;
  sentAt: Date;
  reason: LocalizedText;
  channel: CaseNoticeChannel;
  trackingNumber: string;
  serviceSlug: string;
  /** The statutory limit the case passed (delay notices). */
  dueAt?: Date | null;
  /** Set once every step of sending (history, e-mail, audit) is done; a row without it is resumed by the sweep. */
  completedAt?: Date | null;
};

const CaseNoticeSchema = new Schema<CaseNotice>(
  {
    _id: String,
    caseId: { type: String, required: true },
    agencyId: { type: String, required: true },
    kind: { type: String, required: true },
    n: { type: Number, required: true },
    sentAt: { type: Date, required: true },
    reason: { th: String, en: String },
    channel: { type: String, required: true },
    trackingNumber: String,
    serviceSlug: String,
    dueAt: { type: Date, default: null },
    completedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: "case_notices" },
);
// OPDC's copies: newest first, all agencies or one.
CaseNoticeSchema.index({ kind: 1, sentAt: -1, _id: 1 });
CaseNoticeSchema.index({ kind: 1, agencyId: 1, sentAt: -1, _id: 1 });

export const CaseNoticeModel =
  (mongoose.models.CaseNotice as mongoose.Model<CaseNotice>) ?? mongoose.model<CaseNotice>("CaseNotice", CaseNoticeSchema);

export const delayNoticeId = (caseId: string, n: number) => `delay:${caseId}:${n}`;
export const decisionNoticeId = (caseId: string) => `decision:${caseId}`;

/** Inserts the notice once; a second insert of the same id returns the first one, unchanged. */
export async function insertCaseNotice(notice: CaseNotice): Promise<CaseNotice> {
  try {
    return (await CaseNoticeModel.create(notice)).toObject() as CaseNotice;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await CaseNoticeModel.findById(notice._id).lean<CaseNotice>();
    if (!existing) throw error;
    return existing;
  }
}

export async function getCaseNotice(id: string): Promise<CaseNotice | null> {
  return CaseNoticeModel.findById(id).lean<CaseNotice>();
}

export async function markCaseNoticeCompleted(id: string, at: Date, channel: CaseNoticeChannel): Promise<void> {
  await CaseNoticeModel.updateOne({ _id: id }, { $set: { completedAt: at, channel } }).exec();
}

/** The notices with these ids (`_id` look-ups only), in the order given. */
export async function getCaseNotices(ids: string[]): Promise<CaseNotice[]> {
  if (ids.length === 0) return [];
  const found = new Map((await CaseNoticeModel.find({ _id: { $in: ids } }).lean<CaseNotice[]>()).map((n) => [n._id, n]));
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

/** Copies of notices of one kind, newest first, optionally of one agency. */
export async function listCaseNotices(
  filter: { kind: CaseNoticeKind; agencyId?: string },
  page: number,
  pageSize: number,
): Promise<{ rows: CaseNotice[]; total: number }> {
  const query: Record<string, unknown> = { kind: filter.kind, ...(filter.agencyId ? { agencyId: filter.agencyId } : {}) };
  const [rows, total] = await Promise.all([
    CaseNoticeModel.find(query).sort({ sentAt: -1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean<CaseNotice[]>(),
    CaseNoticeModel.countDocuments(query),
  ]);
  return { rows, total };
}

/** Delay notices sent, by agency id (a scan of the collection: the worker's figures only, never a request). */
export async function countDelayNoticesByAgency(): Promise<Record<string, number>> {
  const counts = Object.create(null) as Record<string, number>;
  const rows = await CaseNoticeModel.find({ kind: "delay" }).select("agencyId").lean<Pick<CaseNotice, "agencyId">[]>();
  for (const row of rows) counts[row.agencyId] = (counts[row.agencyId] ?? 0) + 1;
  return counts;
}
