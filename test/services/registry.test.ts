import mongoose from "mongoose";
import { beforeAll, describe, expect, it } from "vitest";
import type { StoredPermit } from "~/core/permits/types";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { raiseSequenceHint } from "~/models/counter.server";
import { changePermitStatus, getPermit, insertPermit, latestChange, recordChange, upsertImportedPermits } from "~/models/permit.server";
import { exportRegistry, getRegistryEntry, registryIndexStatus, resetRegistryIndexForTests, searchRegistry } from "~/services/registry.server";
import { withTestDatabase } from "../support/db";
import { permitFixture, samePermitContent } from "../support/permits";

withTestDatabase({ seed: false });

const NOW = new Date("2026-11-25T05:00:00Z");
const query = (q: Partial<RegistryQuery> = {}): RegistryQuery => ({ q: "", page: 1, pageSize: 100, ...q });
const search = (q: Partial<RegistryQuery>) => searchRegistry(query(q), NOW);
const numbers = async (q: Partial<RegistryQuery>) => (await search(q)).items.map((i) => i.number).sort();

/** Permits of one test, told apart by an agency of their own. */
function batch(agencyId: string, code: string, count: number, overrides: Partial<StoredPermit> = {}): StoredPermit[] {
  return Array.from({ length: count }, (_, i) =>
    permitFixture({ number: `${code}-HH-2569-${String(i + 1).padStart(5, "0")}`, agencyId, holderName: `นายสมชาย ใจดี`, ...overrides }),
  );
}

describe("registry service", () => {
  beforeAll(async () => {
    // Permits in the store before the first search: the index is built from them.
    await upsertImportedPermits(batch("before", "BFR", 30), samePermitContent);
    resetRegistryIndexForTests();
  });

  it("builds the index from the store on first use", async () => {
    expect((await search({ agency: "before" })).total).toBe(30);
    expect(registryIndexStatus()).toMatchObject({ built: true, size: 30 });
  });

  it("sees permits written straight to the store at once", async () => {
    await search({});
    await insertPermit(permitFixture({ number: "ONE-HH-2569-00001", agencyId: "one", holderName: "นางสาววิไลวรรณ ศรีสุข" }));
    expect(await numbers({ q: "วิไลวรรณ" })).toEqual(["ONE-HH-2569-00001"]);
    await upsertImportedPermits(batch("imported", "IMP", 25), samePermitContent);
    expect((await search({ agency: "imported" })).total).toBe(25);
  });

  it("shows a status change in the status filter at once", async () => {
    const permit = permitFixture({ number: "STS-HH-2569-00001", agencyId: "status", businessName: "ร้านเปลี่ยนสถานะ" });
    await insertPermit(permit);
    expect(await numbers({ agency: "status", status: "valid" })).toEqual([permit.number]);
    const changed = await changePermitStatus(permit.number, permit.rev, { to: "suspended", reason: "ตรวจพบการฝ่าฝืน", by: "officer", at: NOW }, "valid");
    expect(changed).toBe(true);
    expect(await numbers({ agency: "status", status: "valid" })).toEqual([]);
    expect(await numbers({ agency: "status", status: "suspended" })).toEqual([permit.number]);
    const [item] = (await search({ q: "เปลี่ยนสถานะ" })).items;
    expect(item).toMatchObject({ status: "suspended", statusReason: "ตรวจพบการฝ่าฝืน", effectiveStatus: "suspended" });
    expect(item).not.toHaveProperty("history");
  });

  it("does not duplicate results when the same batch is imported twice", async () => {
    const permits = batch("twice", "TWC", 40, { businessName: "ร้านนำเข้าซ้ำ" });
    await upsertImportedPermits(permits, samePermitContent);
    const again = await upsertImportedPermits(permits, samePermitContent);
    expect(again.unchanged).toHaveLength(40);
    expect((await search({ q: "นำเข้าซ้ำ" })).total).toBe(40);
    // A re-import with corrected names replaces the words: no old and new side by side.
    const corrected = permits.map((p) => ({ ...p, businessName: "ร้านแก้ไขชื่อแล้ว" }));
    expect((await upsertImportedPermits(corrected, samePermitContent)).updated).toHaveLength(40);
    expect((await search({ q: "นำเข้าซ้ำ" })).total).toBe(0);
    expect((await search({ q: "แก้ไขชื่อ" })).total).toBe(40);
    expect((await search({ agency: "twice" })).total).toBe(40);
  });

  it("gives every concurrent search the writes that completed before it", async () => {
    await search({});
    await upsertImportedPermits(batch("concurrent", "CON", 10), samePermitContent);
    const results = await Promise.all(Array.from({ length: 8 }, () => search({ agency: "concurrent" })));
    expect(results.map((r) => r.total)).toEqual(Array(8).fill(10));
  });

  it("picks up a write that lands after its announcement was read", async () => {
    const permit = permitFixture({ number: "LTE-HH-2569-00001", agencyId: "late", holderName: "นายมาช้า กว่าประกาศ" });
    await search({});
    await recordChange([permit.number]);
    expect((await search({ agency: "late" })).total).toBe(0);
    const pending = registryIndexStatus().pendingRereads;
    // The write lands now, with no further change recorded (as the slow writer of recordChange's comment).
    const { number, ...rest } = permit;
    await mongoose.model("Permit").create({ _id: number, ...rest });
    expect(await numbers({ agency: "late" })).toEqual([permit.number]);
    // Once it has been seen to land, it is no longer re-read on every search.
    expect(registryIndexStatus().pendingRereads).toBeLessThan(pending);
  });

  it("rebuilds instead of catching up when far behind the change log", async () => {
    await search({});
    const permit = permitFixture({ number: "RBL-HH-2569-00001", agencyId: "rebuild" });
    await insertPermit(permit);
    const hint = (await latestChange()) + 60_000;
    await raiseSequenceHint("permit-changes", hint);
    expect(await numbers({ agency: "rebuild" })).toEqual([permit.number]);
    expect(registryIndexStatus().seen).toBe(hint);
    const after = permitFixture({ number: "RBL-HH-2569-00002", agencyId: "rebuild" });
    await insertPermit(after);
    expect(await numbers({ agency: "rebuild" })).toEqual([permit.number, after.number]);
  });

  it("exports every match in result order", async () => {
    const first = await search({ agency: "imported", pageSize: 10 });
    const exported: string[] = [];
    for await (const item of exportRegistry(query({ agency: "imported", pageSize: 10 }), NOW)) exported.push(item.number);
    expect(exported).toHaveLength(25);
    expect(exported.slice(0, 10)).toEqual(first.items.map((i) => i.number));
  });

  it("reads one permit's public fields from the store", async () => {
    const permit = permitFixture({ number: "ENT-HH-2568-00001", issuedOn: "2025-01-02", validFrom: "2025-01-02", validUntil: "2026-01-01", caseId: "c1" });
    await insertPermit(permit);
    expect(await getPermit(permit.number)).toMatchObject({ caseId: "c1" });
    const entry = await getRegistryEntry("ent-hh-2568-00001", NOW);
    expect(entry).toMatchObject({ number: permit.number, holderName: permit.holderName, status: "valid", effectiveStatus: "expired" });
    for (const key of ["caseId", "signature", "history", "rev", "createdAt"]) expect(entry).not.toHaveProperty(key);
    expect(await getRegistryEntry("ENT-HH-2568-99999", NOW)).toBeNull();
  });
});
