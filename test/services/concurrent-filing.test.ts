// Filings at once, in this process and in another: their writes are group-committed (one insert of claims, of
// search words, of cases, of clock rows and of audit entries per batch), and each filing is still whole —
// numbered gap-free and uniquely, findable, clocked and audited — with nothing of one filing lost to another.
import mongoose from "mongoose";
import { describe, expect, it, vi } from "vitest";
import type { Actor } from "~/core/actor";
import { verifyChainSegment } from "~/core/audit/verify";
import { auditStore } from "~/models/audit-entry.server";
import { findApiClientByKeyHash } from "~/models/api-client.server";
import { getCaseClock } from "~/models/case-clock.server";
import { searchCaseIds } from "~/models/case-search.server";
import { getCase } from "~/models/case.server";
import { sequenceHint } from "~/models/counter.server";
import { trackingSequenceName } from "~/core/numbering/document-numbers";
import { lastAuditEntry } from "~/services/audit/append-audit-entry.server";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { hashApiKey } from "~/utils/passwords.server";
import { startReadyChild } from "../support/child-process";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";
import { HEALTH_HAZARD_SLUG } from "../support/journeys";

withTestDatabase();

const seqOf = (trackingNumber: string) => Number(trackingNumber.split("-").at(-1));

async function apiKey(): Promise<Actor> {
  const client = await findApiClientByKeyHash(hashApiKey(DEMO_API_KEY));
  return { kind: "api", id: String(client!._id), name: client!.name, agencyId: client!.agencyId, roles: client!.roles };
}

describe("concurrent filings", () => {
  it("files 2 × 48 applications at 16 at once from two processes: every case whole, numbered 1..N once, audited once on one chain", async () => {
    const key = await apiKey();
    const before = (await lastAuditEntry("sukjai"))?.seq ?? 0;
    const first = await submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "api");
    const start = seqOf(first.trackingNumber);

    const child = startReadyChild<{ id: string; trackingNumber: string }[]>("test/support/children/file-applications.ts", [HEALTH_HAZARD_SLUG, "48", "16", "500"]);
    const forms = await Promise.all(Array.from({ length: 48 }, (_, i) => healthHazardApplication({}, 100 + i)));
    await child.ready;
    const mine: { id: string; trackingNumber: string }[] = [];
    for (let done = 0; done < 48; done += 16) mine.push(...(await Promise.all(forms.slice(done, done + 16).map((data) => submitApplication(key, HEALTH_HAZARD_SLUG, data, "api")))));
    const { code, answer: theirs, stderr } = await child.finished();
    expect(code, stderr).toBe(0);
    const all = [first, ...mine, ...theirs!];

    // numbered gap-free and uniquely across both processes
    expect(all.map((f) => seqOf(f.trackingNumber)).sort((a, b) => a - b)).toEqual(Array.from({ length: 97 }, (_, i) => start + i));
    for (const filed of all) {
      const stored = await getCase(filed.id);
      expect(stored?.trackingNumber).toBe(filed.trackingNumber);
      expect(stored?.createdAt).toBeInstanceOf(Date);
      // the inbox finds it by its number, and the notice sweep has its clock row
      expect((await searchCaseIds("sukjai", filed.trackingNumber)).ids).toEqual([filed.id]);
      expect((await getCaseClock(filed.id))?.agencyId).toBe("sukjai");
    }
    // one "case.file" entry per filing on one unforked chain
    const entries = await auditStore().findEntries("sukjai", before + 1, before + 200);
    expect(entries).toHaveLength(97);
    expect(entries.map((e) => e.target.id).sort()).toEqual(all.map((f) => f.id).sort());
    expect(verifyChainSegment({ agencyId: "sukjai", from: before + 1, to: before + 97, entries })).toEqual([]);
  });

  it("writes a filing's case while its number's sequence hint is being raised, and answers only once the hint covers the number", async () => {
    const key = await apiKey();
    const now = new Date();
    // A first filing sets up this process's audit chain (its head is raised once, after the entry).
    await submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 899), "api", now);
    // Hold the hint's raise (an update of counters) until the case is stored.
    // The hint is raised with the driver's updateOne on the model's collection (decision 038).
    const counters = mongoose.model("Counter").collection;
    const updateOne = counters.updateOne.bind(counters);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const spy = vi.spyOn(counters, "updateOne").mockImplementation(((...args: Parameters<typeof updateOne>) => gate.then(() => updateOne(...args))) as never);
    // Resolves once a write of `method` to `collection` (the case, the audit entry, the clock row) is stored.
    const storedIn = (collection: mongoose.Collection, method: "insertMany" | "bulkWrite") => {
      const original = (collection[method] as (...args: unknown[]) => Promise<unknown>).bind(collection);
      let stored!: () => void;
      const done = new Promise<void>((resolve) => (stored = resolve));
      const watch = vi.spyOn(collection, method).mockImplementation((async (...args: unknown[]) => {
        const result = await original(...args);
        stored();
        return result;
      }) as never);
      return { done, restore: () => watch.mockRestore() };
    };
    const caseStored = storedIn(mongoose.model("Case").collection, "insertMany");
    auditStore(); // registers the AuditEntry model on this connection
    const auditStored = storedIn(mongoose.model("AuditEntry").collection, "insertMany");
    const clockStored = storedIn(mongoose.model("CaseClock").collection, "insertMany");
    try {
      let answered = false;
      const filing = submitApplication(key, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 900), "api", now).then((r) => ((answered = true), r));
      // The case, its clock row and its audit entry are written with the raise still held (sooner than before) …
      await Promise.all([caseStored.done, clockStored.done, auditStored.done]);
      await new Promise((resolve) => setImmediate(resolve));
      // … but the filing does not answer until the hint covers its number.
      expect(answered).toBe(false);
      open();
      const filed = await filing;
      expect(await sequenceHint(trackingSequenceName(key.kind === "api" ? key.agencyId : "", now))).toBe(seqOf(filed.trackingNumber));
    } finally {
      spy.mockRestore();
      caseStored.restore();
      auditStored.restore();
      clockStored.restore();
    }
  });
});
