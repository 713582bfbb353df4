// Data stored before the hot-query indexes (null due dates and null attachments, older indexes) is upgraded
// once, and afterwards the inbox and the upload sweep are pushed down to their indexes on the embedded engine.
import mongoose, { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { CaseModel, inboxQuery, INBOX_ORDER, listInbox } from "~/models/case.server";
import { searchCaseIds } from "~/models/case-search.server";
import { findExpiredUploads, UploadModel } from "~/models/upload.server";
import { runDataUpgrades } from "~/services/data-upgrades.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

const NOW = new Date();
const day = 86_400_000;

function oldCase(i: number, stateDueAt: Date | null, status: "active" | "done") {
  return {
    _id: new Types.ObjectId(),
    trackingNumber: `BK-OLD-${i}`,
    serviceSlug: "svc",
    serviceVersionId: "v1",
    agencyId: "agency-old",
    applicant: { kind: "citizen", id: "c1", name: "x" },
    summary: { applicantName: "x", subject: "y" },
    stateValue: status === "done" ? "approved" : "review",
    status,
    rev: 1,
    sla: { stateDueAt, paused: false, pausedAt: null, statutoryDueAt: NOW },
    createdAt: new Date(NOW.getTime() - i * day),
  };
}

async function explainFind(collection: string, filter: object, sort: object, limit: number) {
  return mongoose.connection.db!.command({ explain: { find: collection, filter, sort, limit } });
}

describe("data upgrades", () => {
  it("turn null due dates and attachments into absent ones, rebuild the indexes, and run once", async () => {
    const cases = mongoose.connection.db!.collection("cases");
    const uploads = mongoose.connection.db!.collection("uploads");
    // As an older version stored them, with an index of that version.
    await cases.createIndex({ agencyId: 1, stateValue: 1, "sla.stateDueAt": 1 });
    await cases.createIndex({ agencyId: 1, status: 1, stateValue: 1, "sla.stateDueAt": 1, _id: 1 });
    await cases.insertMany([oldCase(1, null, "done"), oldCase(2, new Date(NOW.getTime() - day), "active"), oldCase(3, null, "active")]);
    const upload = (id: string, attachedTo: string | null, status: string, expiresAt: Date) => ({
      _id: id as never,
      owner: { kind: "citizen", id: "c1" },
      status,
      attachedTo,
      createdAt: NOW,
      expiresAt,
    });
    await uploads.insertMany([
      upload("old-unattached-expired", null, "complete", new Date(NOW.getTime() - day)),
      upload("old-unattached-fresh", null, "complete", new Date(NOW.getTime() + day)),
      upload("old-refused", null, "refused", new Date(NOW.getTime() + day)),
      upload("old-attached", "some-case", "complete", new Date(NOW.getTime() - day)),
    ]);
    // Mongoose builds the current indexes while the nulls are there: they remember the null kind.
    await CaseModel.init();
    await UploadModel.init();
    const before = await explainFind("cases", inboxQuery({ agencyId: "agency-old", status: "active" }, NOW), INBOX_ORDER, 50);
    expect(before.sortPushdown).toBe(false);

    expect(await runDataUpgrades(() => undefined)).toEqual([
      "2026-12-case-query-indexes",
      "2026-12-upload-query-indexes",
      "2026-12-inbox-step-per-service",
      "2026-12-case-search-terms",
      "2026-12-case-clocks",
    ]);
    // The step filter's index is per service now; the one on the step alone is gone.
    expect((await cases.indexes()).map((i) => i.name)).not.toContain("agencyId_1_status_1_stateValue_1_sla.stateDueAt_1__id_1");
    // Cases stored before the inbox's search are found by it.
    const found = await searchCaseIds("agency-old", "bk-old-2");
    expect(found.ids).toHaveLength(1);
    expect((await searchCaseIds("agency-old", "x")).ids).toHaveLength(3);

    expect(await cases.countDocuments({ "sla.stateDueAt": null })).toBe(2); // the two without a due date, now absent
    expect(await cases.countDocuments({ "sla.stateDueAt": { $type: "null" } })).toBe(0);
    expect((await cases.indexes()).map((i) => i.name)).not.toContain("agencyId_1_stateValue_1_sla.stateDueAt_1");
    const after = await explainFind("cases", inboxQuery({ agencyId: "agency-old", status: "active" }, NOW), INBOX_ORDER, 50);
    expect({ filter: after.filterPushdown, sort: after.sortPushdown, limit: after.limitPushdown }).toEqual({ filter: true, sort: true, limit: true });
    const { rows } = await listInbox({ agencyId: "agency-old", status: "active" }, 1, 50, NOW);
    expect(rows.map((r) => r.trackingNumber)).toEqual(["BK-OLD-3", "BK-OLD-2"]);

    expect(await uploads.countDocuments({ attachedTo: { $type: "null" } })).toBe(0);
    // The refused one is due at once, the expired one by its expiry; the fresh and the attached ones are not.
    const expired = await findExpiredUploads(new Date(Date.now() + 1000));
    expect(expired.map((u) => u._id).sort()).toEqual(["old-refused", "old-unattached-expired"]);
    const sweep = await explainFind("uploads", { sweepAfter: { $lte: NOW } }, { sweepAfter: 1 }, 500);
    expect(sweep.filterPushdown).toBe(true);

    expect(await runDataUpgrades(() => undefined)).toEqual([]);
  });
});
