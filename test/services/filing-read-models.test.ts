// A filing writes its case, the case's search words, its clock row and its audit entry in one turn (decision 032).
// The words and the row are read models of the case: whatever a crash or a failed write leaves out, the worker's
// new-case sweep writes from the case, so a filed case is always found again and clocked.
import type { Collection } from "mongodb";
import mongoose from "mongoose";
import { describe, expect, it, vi } from "vitest";
import type { Actor } from "~/core/actor";
import { auditStore } from "~/models/audit-entry.server";
import { findApiClientByKeyHash } from "~/models/api-client.server";
import { getCaseClock } from "~/models/case-clock.server";
import { caseSearchTermIds, searchCaseIds } from "~/models/case-search.server";
import { getCase } from "~/models/case.server";
import { lastAuditEntry } from "~/services/audit/append-audit-entry.server";
import { NEW_CASE_GRACE_MS, repairNewCaseReadModels } from "~/services/cases/repair-new-cases.server";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { hashApiKey } from "~/utils/passwords.server";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";
import { HEALTH_HAZARD_SLUG } from "../support/journeys";

withTestDatabase();

async function apiKey(): Promise<Actor> {
  const client = await findApiClientByKeyHash(hashApiKey(DEMO_API_KEY));
  return { kind: "api", id: String(client!._id), name: client!.name, agencyId: client!.agencyId, roles: client!.roles };
}

const collectionOf = (model: string) => mongoose.model(model).collection;

/** Inserts into `model`'s collection fail as a lost connection fails them (nothing stored) until restored. */
function failInserts(model: string) {
  const spy = vi.spyOn(collectionOf(model), "insertMany").mockRejectedValue(new Error("connection closed (injected)"));
  return () => spy.mockRestore();
}

/** Runs `body` with console.error collected instead of failing the test; resolves to what was logged. */
async function withLoggedErrors(body: () => Promise<void>): Promise<string[]> {
  const spy = vi.mocked(console.error);
  const failOnError = spy.getMockImplementation();
  const logged: string[] = [];
  spy.mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  try {
    await body();
  } finally {
    spy.mockImplementation(failOnError!);
  }
  return logged;
}

/** Resolves once an insert into `model`'s collection is stored (the call passes through). */
function insertStored(model: string) {
  const collection = collectionOf(model);
  const original = collection.insertMany.bind(collection);
  let stored!: () => void;
  const done = new Promise<void>((resolve) => (stored = resolve));
  const spy = vi.spyOn(collection, "insertMany").mockImplementation((async (...args: Parameters<typeof original>) => {
    const result = await original(...args);
    stored();
    return result;
  }) as never);
  return { done, restore: () => spy.mockRestore() };
}

const afterGrace = () => new Date(Date.now() + NEW_CASE_GRACE_MS + 2_000);

describe("a new case's read models", () => {
  it("stores the case while its search words are still being written (one turn, not words first)", async () => {
    const key = await apiKey();
    // Hold the words' insert until the case is stored.
    const terms = collectionOf("CaseSearchTerm");
    const insertTerms = terms.insertMany.bind(terms);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const held = vi.spyOn(terms, "insertMany").mockImplementation(((...args: Parameters<typeof insertTerms>) => gate.then(() => insertTerms(...args))) as never);
    const caseStored = insertStored("Case");
    try {
      const filing = submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 11), "api");
      await caseStored.done;
      open();
      const filed = await filing;
      expect((await searchCaseIds("sukjai", filed.trackingNumber)).ids).toEqual([filed.id]);
    } finally {
      held.mockRestore();
      caseStored.restore();
    }
  });

  it("finds and clocks a case whose words and clock row were lost, once the new-case sweep has run", async () => {
    const key = await apiKey();
    // A normal filing first: its row is what the sweep must rebuild for the other.
    const normal = await submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 21), "api");
    let filed!: Awaited<ReturnType<typeof submitApplication>>;
    const restores = [failInserts("CaseSearchTerm"), failInserts("CaseClock")];
    const logged = await withLoggedErrors(async () => {
      try {
        filed = await submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 22), "api");
      } finally {
        restores.forEach((restore) => restore());
      }
    });
    expect(logged.join("\n")).toMatch(/search words of case .* not written/);
    expect(logged.join("\n")).toMatch(/case clock of .* not written/);
    // The case is stored and answered, but neither found nor clocked yet.
    expect((await getCase(filed.id))?.trackingNumber).toBe(filed.trackingNumber);
    expect((await searchCaseIds("sukjai", filed.trackingNumber)).ids).toEqual([]);
    expect(await getCaseClock(filed.id)).toBeNull();

    // A filing under way is left to write its own read models: the sweep looks only past the grace period.
    await repairNewCaseReadModels({ now: new Date(Date.now() + NEW_CASE_GRACE_MS - 5_000) });
    expect(await getCaseClock(filed.id)).toBeNull();

    const repaired = await repairNewCaseReadModels({ now: afterGrace() });
    expect(repaired.clocks).toBe(1);
    expect(repaired.words).toBeGreaterThan(0);
    expect((await searchCaseIds("sukjai", filed.trackingNumber)).ids).toEqual([filed.id]);
    const stored = await getCase(filed.id);
    expect((await searchCaseIds("sukjai", stored!.summary.applicantName)).ids).toContain(filed.id);
    const [row, normalRow] = [await getCaseClock(filed.id), await getCaseClock(normal.id)];
    expect(row).toMatchObject({ agencyId: "sukjai", decided: false, noticesSent: 0 });
    // The same statutory clock as the filing writes (both filed on the same day)
    expect(row!.nextNoticeAt?.getTime()).toBe(normalRow!.nextNoticeAt?.getTime());

    // Nothing left to do: the checkpoint has moved past these cases.
    expect(await repairNewCaseReadModels({ now: afterGrace() })).toEqual({ cases: 0, words: 0, clocks: 0 });
  });

  it("writes the words a crash left out halfway through a case's terms", async () => {
    const key = await apiKey();
    const filed = await submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 31), "api");
    const stored = await getCase(filed.id);
    // The insert of its terms was cut short after the first two: the rest, the whole tracking number's last, are gone.
    const terms = caseSearchTermIds(stored!);
    expect(terms.at(-1)).toBe(`sukjai|${filed.trackingNumber.toLowerCase()}|${filed.id}`);
    const lost = terms.slice(2);
    const dropped = await (collectionOf("CaseSearchTerm") as unknown as Collection<{ _id: string }>).deleteMany({ _id: { $in: lost } });
    expect(dropped.deletedCount).toBe(lost.length);
    const word = stored!.summary.applicantName.split(/\s+/).at(-1)!;
    const foundBefore = (await searchCaseIds("sukjai", word)).ids.includes(filed.id);
    const repaired = await repairNewCaseReadModels({ now: afterGrace() });
    expect(foundBefore).toBe(false);
    expect(repaired.words).toBe(1);
    expect((await searchCaseIds("sukjai", word)).ids).toContain(filed.id);
    expect((await searchCaseIds("sukjai", filed.trackingNumber)).ids).toEqual([filed.id]);
  });

  it("keeps its checkpoint before a page it could not repair, and repairs it on the next run, page by page", async () => {
    const key = await apiKey();
    const filed: string[] = [];
    const restores = [failInserts("CaseSearchTerm"), failInserts("CaseClock")];
    await withLoggedErrors(async () => {
      try {
        for (const n of [51, 52, 53]) filed.push((await submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, n), "api")).id);
      } finally {
        restores.forEach((restore) => restore());
      }
    });
    // The database refuses the sweep's clock rows: the run fails and its checkpoint stays before these cases.
    const refused = failInserts("CaseClock");
    try {
      await expect(repairNewCaseReadModels({ now: afterGrace(), pageSize: 1 })).rejects.toThrow(/injected/);
    } finally {
      refused();
    }
    const repaired = await repairNewCaseReadModels({ now: afterGrace(), pageSize: 1 });
    expect(repaired.clocks).toBe(3);
    for (const id of filed) expect((await getCaseClock(id))?.agencyId).toBe("sukjai");
  });

  it("fails a filing whose case is not stored, and its audit entry is followed by one saying so", async () => {
    const key = await apiKey();
    const before = (await lastAuditEntry("sukjai"))?.seq ?? 0;
    const restore = failInserts("Case");
    try {
      await expect(submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 41), "api")).rejects.toThrow(/injected/);
    } finally {
      restore();
    }
    const entries = await auditStore().findEntries("sukjai", before + 1, before + 10);
    expect(entries.map((e) => e.action)).toEqual(["case.file", "case.file-failed"]);
    expect(entries[1]!.target.id).toBe(entries[0]!.target.id);
    expect(await getCase(entries[0]!.target.id)).toBeNull();
  });
});
