// A transition's case update goes to the driver already shaped (storedCaseUpdateOf, decision 028): stored exactly
// as mongoose's cast `updateOne` stored the same update, for every kind of field a transition sets.
import { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { applyCaseUpdate, CaseModel, getCase, insertCase, storedCaseUpdateOf, type CaseDoc, type CaseEffect, type HistoryEntry, type NewCase } from "~/models/case.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

const at = new Date("2026-03-02T03:04:05.678Z");
const later = new Date("2026-03-09T03:04:05.678Z");
const officer = { kind: "staff" as const, id: "o-1", name: "เจ้าหน้าที่ ก" };

function newCase(trackingNumber: string): NewCase {
  return {
    _id: new Types.ObjectId(),
    trackingNumber,
    serviceSlug: "sukjai-health-hazard-licence",
    serviceVersionId: "svc-v1",
    agencyId: "sukjai",
    applicant: { kind: "citizen", id: "u-1", name: "สมชาย" },
    channel: "web",
    summary: { applicantName: "สมชาย", subject: "ร้าน" },
    dataJson: '{"a":1}',
    snapshotJson: '{"value":"submitted"}',
    stateValue: "submitted",
    status: "active",
    rev: 1,
    history: [{ at, actor: officer, role: "applicant", event: "SUBMIT", from: null, to: "submitted" }],
    receipt: { number: trackingNumber, receivedAt: at, countedFrom: at, dueAt: later },
    sla: { stateDueAt: later, paused: false, pausedAt: null, statutoryDueAt: later },
    missingItems: null,
    effects: [],
  } as NewCase;
}

const effect = (id: string): CaseEffect => ({ id, type: "notifyApplicant", paramsJson: '{"message":{"th":"ครบ"}}', status: "pending", createdAt: at });
const entry = (extra: Partial<HistoryEntry> = {}): HistoryEntry => ({ at, actor: { ...officer, roles: ["officer"] } as HistoryEntry["actor"], role: "officer", event: "ACCEPT", from: "submitted", to: "inspection", ...extra });

/** The updates transitions send: a plain move, a final one, missing items asked and answered, a referral's history link. */
const UPDATES: [string, { set: Partial<CaseDoc>; history: HistoryEntry; effects: CaseEffect[] }][] = [
  ["a plain move", { set: { snapshotJson: '{"value":"inspection"}', stateValue: "inspection", status: "active", sla: { stateDueAt: later, paused: false, pausedAt: null, statutoryDueAt: later } }, history: entry(), effects: [effect("e-1")] }],
  [
    "a final move (no outcome, no due date)",
    { set: { stateValue: "done", status: "done", outcome: undefined, closedAt: later, sla: { paused: false, pausedAt: null, statutoryDueAt: later } }, history: entry({ comment: "อนุมัติ" }), effects: [effect("e-2"), effect("e-3")] },
  ],
  ["an outcome", { set: { stateValue: "approved", status: "done", outcome: "approved", closedAt: later }, history: entry(), effects: [] }],
  [
    "missing items asked",
    { set: { missingItems: { fields: ["/a", "/b"], note: "ขาด", requestedAt: at, requestedBy: "เจ้าหน้าที่" }, sla: { stateDueAt: later, paused: true, pausedAt: at, statutoryDueAt: later } }, history: entry({ comment: "ขาดแผนที่" }), effects: [] },
  ],
  ["missing items answered", { set: { dataJson: '{"a":2}', missingItems: null }, history: entry(), effects: [] }],
  [
    "a referral's history link (nothing set)",
    { set: {}, history: entry({ role: "system", link: { caseId: "c-2", trackingNumber: "X-1", agencyName: { th: "ทต.", en: "TM" } } }), effects: [] },
  ],
];

/** A stored case without what differs between two cases updated the same way (ids, numbers, write times, writer). */
function comparable(c: CaseDoc | null) {
  expect(c).not.toBeNull();
  const { _id: _ignoredId, trackingNumber: _ignoredNumber, receipt, createdAt, updatedAt, revWriter: _ignoredWriter, ...rest } = c!;
  expect(updatedAt.getTime()).toBeGreaterThanOrEqual(createdAt.getTime());
  return { ...rest, receipt: { ...receipt, number: "-" } };
}

describe("a transition's case update sent through the driver", () => {
  for (const [name, update] of UPDATES) {
    it(`stores what mongoose's updateOne stored (${name})`, async () => {
      const [viaMongoose, viaDriver] = [await insertCase(newCase(`M-${name}`), at), await insertCase(newCase(`D-${name}`), at)];
      // how applyCaseUpdate wrote before decision 028
      await CaseModel.updateOne(
        { _id: viaMongoose._id, rev: 1 },
        { $set: { ...update.set, rev: 2 }, $push: { history: update.history, effects: { $each: update.effects } } },
      );
      expect(await applyCaseUpdate(viaDriver._id, 1, update)).toBe(true);
      const [old, fresh] = [await getCase(String(viaMongoose._id)), await getCase(String(viaDriver._id))];
      expect(comparable(fresh)).toEqual(comparable(old));
      // the same keys, nulls and absences at every level (toEqual alone treats undefined as absent)
      expect(JSON.stringify(comparable(fresh))).toBe(JSON.stringify(comparable(old)));
      expect(fresh!.updatedAt).toBeInstanceOf(Date);
      expect(fresh!.updatedAt.getTime()).toBeGreaterThan(at.getTime());
    });
  }

  it("refuses a field it does not know how to store, rather than storing it uncast", () => {
    expect(() => storedCaseUpdateOf(1, { set: { receipt: { number: "x" } } as Partial<CaseDoc>, history: entry(), effects: [] }, at)).toThrow(/SET_SHAPES/);
  });
});
