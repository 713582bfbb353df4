// New cases go to the driver as plain objects, grouped across concurrent filings: stored exactly as mongoose
// stored them, and a duplicate fails only its own filing.
import { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { isDuplicateKey } from "~/models/claim.server";
import { CaseModel, getCase, insertCase, STORED_CASE_PATHS, type CaseDoc, type NewCase } from "~/models/case.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

const at = new Date("2026-03-02T03:04:05.678Z");
const later = new Date("2026-03-09T03:04:05.678Z");
const citizen = { kind: "citizen" as const, id: "u-1", name: "สมชาย ใจดี" };

/** A case with every optional part filled, and (with `bare`) one with none of them. */
function newCase(trackingNumber: string, bare = false): NewCase {
  return {
    _id: new Types.ObjectId(),
    trackingNumber,
    serviceSlug: "sukjai-health-hazard-licence",
    serviceVersionId: "svc-v1",
    agencyId: "sukjai",
    // an extra property of the caller's object: mongoose's strict schema drops it, and so must the new path
    applicant: { ...citizen, roles: ["citizen"] } as unknown as NewCase["applicant"],
    channel: bare ? "api" : "web",
    ...(bare ? {} : { onBehalfOf: { kind: "juristic", juristicId: "0105551234567", name: "บริษัท ก จำกัด", declared: true } }),
    summary: bare ? { applicantName: "A", subject: "", email: undefined } : { applicantName: "สมชาย", subject: "ร้าน", email: "a@example.test" },
    dataJson: '{"a":1}',
    snapshotJson: '{"value":"submitted"}',
    stateValue: "submitted",
    status: "active",
    ...(bare ? {} : { outcome: "approved" }),
    rev: 1,
    history: [
      { at, actor: citizen, role: "applicant", event: "SUBMIT", from: null, to: "submitted" },
      ...(bare
        ? []
        : [{ at: later, actor: citizen, role: "system" as const, event: "REFER", from: "submitted", to: "referred", comment: "เหตุผล", link: { caseId: "c-2", trackingNumber: "X-1", agencyName: { th: "ทต.", en: "TM" } } }]),
    ],
    receipt: { number: trackingNumber, receivedAt: at, countedFrom: at, dueAt: later },
    sla: bare ? { paused: false, pausedAt: null, statutoryDueAt: later } : { stateDueAt: later, paused: true, pausedAt: at, statutoryDueAt: later },
    missingItems: bare ? null : { fields: ["/a", "/b"], note: "ขาด", requestedAt: at, requestedBy: "o-1" },
    effects: bare ? [] : [{ id: "e-1", type: "sendReceipt", paramsJson: "{}", status: "pending", createdAt: at }],
    ...(bare ? {} : { consent: { noticeVersion: "2026-01", at } }),
  } as NewCase;
}

/** A stored case without what differs between two stores of the same input (its id, number and timestamps). */
function comparable(c: CaseDoc | null) {
  expect(c).not.toBeNull();
  const { _id, trackingNumber, receipt, createdAt, updatedAt, ...rest } = c!;
  expect(createdAt).toBeInstanceOf(Date);
  expect(updatedAt).toEqual(createdAt);
  return { ...rest, receipt: { ...receipt, number: "-" }, idType: _id.constructor.name, trackingNumber: typeof trackingNumber };
}

describe("a new case stored through the driver", () => {
  for (const bare of [false, true]) {
    it(`reads back as the mongoose-created case does (${bare ? "no optional parts" : "every optional part"})`, async () => {
      const old = newCase(`OLD-${bare}`, bare);
      await CaseModel.create(old);
      const fresh = newCase(`NEW-${bare}`, bare);
      const returned = await insertCase(fresh);
      const [viaMongoose, viaDriver] = [await getCase(String(old._id)), await getCase(String(fresh._id))];
      expect(comparable(viaDriver)).toEqual(comparable(viaMongoose));
      // the same keys, nulls and absences at every level (toEqual alone treats undefined as absent)
      expect(JSON.stringify(Object.entries(comparable(viaDriver)).sort())).toBe(JSON.stringify(Object.entries(comparable(viaMongoose)).sort()));
      // what the caller gets back is what was stored
      expect(comparable(returned)).toEqual(comparable(viaDriver));
      expect(viaDriver!.trackingNumber).toBe(`NEW-${bare}`);
      if (bare) expect("stateDueAt" in viaDriver!.sla).toBe(false);
    });
  }

  it("writes every field of the schema (a field added to the schema must be added to the driver path)", () => {
    const top = new Set(Object.keys(CaseModel.schema.paths).map((p) => p.split(".")[0]));
    expect([...top].sort()).toEqual([...STORED_CASE_PATHS].sort());
  });

  it("stores concurrent filings together and fails only the one whose tracking number is taken", async () => {
    await insertCase(newCase("DUP-1"));
    const numbers = ["C-1", "C-2", "DUP-1", "C-3", "C-4", "C-5"];
    const outcomes = await Promise.allSettled(numbers.map((n) => insertCase(newCase(n))));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(isDuplicateKey((outcomes[2] as PromiseRejectedResult).reason)).toBe(true);
    for (const n of ["C-1", "C-2", "C-3", "C-4", "C-5"]) expect(await CaseModel.countDocuments({ trackingNumber: n })).toBe(1);
    expect(await CaseModel.countDocuments({ trackingNumber: "DUP-1" })).toBe(1);
  });
});
