import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredPermit } from "~/core/permits/types";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { claim, releaseClaim } from "~/models/claim.server";
import { changePermitStatus, getPermit, getPermits, upsertImportedPermits } from "~/models/permit.server";
import { env } from "~/utils/env.server";
import { readRegistrySnapshot, registrySnapshotInfo, writeRegistrySnapshot } from "~/models/registry-snapshot.server";
import { SNAPSHOT_VERSION } from "~/core/registry/permit-search-index";
import { publishRegistrySnapshot, registryIndexStatus, resetRegistryIndexForTests, searchRegistry } from "~/services/registry.server";
import * as csvRoute from "~/routes/api.v1.registry.permits[.csv]";
import * as registryApiRoute from "~/routes/api.v1.registry.permits";
import * as registryPageRoute from "~/routes/registry";
import { withTestDatabase } from "../support/db";
import { permitFixture, samePermitContent } from "../support/permits";

withTestDatabase({ seed: false });

// Two hosts' local copies of the snapshot.
const hostA = mkdtempSync(path.join(os.tmpdir(), "borikan-registry-host-a-"));
const hostB = mkdtempSync(path.join(os.tmpdir(), "borikan-registry-host-b-"));
afterAll(() => {
  for (const dir of [hostA, hostB]) rmSync(dir, { recursive: true, force: true });
});

const NOW = new Date("2026-11-25T05:00:00Z");
const query = (q: Partial<RegistryQuery> = {}): RegistryQuery => ({ q: "", page: 1, pageSize: 20, ...q });
const QUERIES: RegistryQuery[] = [
  query(),
  query({ page: 3 }),
  query({ q: "ใจดี", pageSize: 50 }),
  query({ q: "ร้านอาหาร" }),
  query({ q: "นภา" }),
  query({ q: "SNP-HH-2569-00007" }),
  query({ status: "suspended" }),
  query({ status: "valid", q: "ตามส", pageSize: 100 }),
];

type ChildAnswer = { from: "store" | "snapshot" | undefined; localCopy?: boolean; answers: Awaited<ReturnType<typeof searchRegistry>>[] };

/** A new process on the same database: what a web process started now would answer. */
function freshProcess(cacheDir: string): Promise<ChildAnswer> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/children/registry-search.ts", JSON.stringify(QUERIES), NOW.toISOString()], {
    env: { ...process.env, REGISTRY_CACHE_DIR: cacheDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (out += chunk));
  child.stderr.on("data", (chunk) => (err += chunk));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as ChildAnswer) : reject(new Error(`child exited ${code}: ${err}`)))),
  );
}

function permits(count: number, from = 0): StoredPermit[] {
  return Array.from({ length: count }, (_, i) =>
    permitFixture({
      number: `SNP-HH-2569-${String(from + i).padStart(5, "0")}`,
      agencyId: "sukjai",
      holderName: i % 4 === 0 ? "นางสาวนภา ใจดี" : "นายสมชาย ใจดี",
      businessName: i % 2 === 0 ? "ร้านอาหารตามสั่ง" : "ร้านค้าปลีก",
      issuedOn: `2026-0${1 + (i % 9)}-${String(1 + (i % 27)).padStart(2, "0")}`,
    }),
  );
}

describe("registry snapshot shared by processes", () => {
  beforeAll(async () => {
    await upsertImportedPermits(permits(240), samePermitContent);
    resetRegistryIndexForTests();
  });

  it("answers 'being prepared' (503) while another process builds the first snapshot", async () => {
    expect(await registrySnapshotInfo()).toBeNull();
    await claim("registry-snapshot:build");
    await expect(searchRegistry(query(), NOW)).rejects.toMatchObject({ code: "UNAVAILABLE" });
    const args = (path: string) => ({ request: new Request(`http://localhost${path}`), params: {}, context: {} }) as never;
    expect((await registryApiRoute.loader(args("/api/v1/registry/permits?q=x"))).status).toBe(503);
    expect((await csvRoute.loader(args("/api/v1/registry/permits.csv"))).status).toBe(503);
    const page = (await registryPageRoute.loader(args("/registry?q=x"))) as Response;
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("being prepared");
    await releaseClaim("registry-snapshot:build");
    expect((await registryApiRoute.loader(args("/api/v1/registry/permits?q=x"))).status).toBe(200);
    // That built and wrote the first snapshot here: the next test starts again without one.
    await mongoose.connection.db!.collection("registrysnapshots").deleteMany({});
    resetRegistryIndexForTests();
  });

  it("builds the first snapshot from the store, and later processes start from it with the same answers", async () => {
    const first = await freshProcess(hostA);
    expect(first.from).toBe("store");
    expect(await registrySnapshotInfo()).toMatchObject({ seen: expect.any(Number) });
    // Another host reads it from the database; a process on the first host reads that host's copy.
    const otherHost = await freshProcess(hostB);
    expect(otherHost).toMatchObject({ from: "snapshot", localCopy: false });
    expect(otherHost.answers).toEqual(first.answers);
    const sameHost = await freshProcess(hostA);
    expect(sameHost).toMatchObject({ from: "snapshot", localCopy: true });
    expect(sameHost.answers).toEqual(first.answers);
    expect(first.answers[0]).toMatchObject({ total: 240, page: 1, pageSize: 20 });
  });

  it("catches a process started from an older snapshot up with the changes since, the same as a build from the store", async () => {
    // Changes after the snapshot: a status change, new permits, and re-imported ones with other words.
    const target = (await getPermit("SNP-HH-2569-00007"))!;
    expect(await changePermitStatus(target.number, target.rev, { to: "suspended", reason: "ร้องเรียน", by: "officer", at: NOW }, "valid")).toBe(true);
    await upsertImportedPermits(permits(30, 240), samePermitContent);
    await upsertImportedPermits(
      permits(10, 100).map((p) => ({ ...p, holderName: "นางนภา ใหม่ใจดี" })),
      samePermitContent,
    );
    const fromSnapshot = await freshProcess(hostB);
    expect(fromSnapshot.from).toBe("snapshot");
    expect(fromSnapshot.answers[6].items.map((i) => i.number)).toContain(target.number);
    expect(fromSnapshot.answers[5].items[0]).toMatchObject({ number: target.number, status: "suspended", effectiveStatus: "suspended" });

    await mongoose.connection.db!.collection("registrysnapshots").deleteMany({});
    const fromStore = await freshProcess(hostA);
    expect(fromStore.from).toBe("store");
    expect(fromSnapshot.answers).toEqual(fromStore.answers);
  });

  it("publishes a newer snapshot once this process is ahead of the shared one", async () => {
    resetRegistryIndexForTests();
    await searchRegistry(query(), NOW);
    const shared = await registrySnapshotInfo();
    expect(await publishRegistrySnapshot({ minChanges: 1 })).toBeNull();
    await upsertImportedPermits(permits(5, 400), samePermitContent);
    const written = await publishRegistrySnapshot({ minChanges: 1 });
    expect(written?.seen).toBeGreaterThan(shared!.seen);
    expect(await registrySnapshotInfo()).toMatchObject({ snapshot: written!.snapshot });
    resetRegistryIndexForTests();
    expect((await searchRegistry(query(), NOW)).total).toBe(275);
    expect(registryIndexStatus().lastBuild?.from).toBe("snapshot");
  });

  it("does not load a snapshot of an older layout: it rebuilds from the store and publishes one of this layout", async () => {
    // What the previous version wrote: an image whose header says layout 1, under a manifest without `format`.
    const current = await readRegistrySnapshot();
    const old = current!.image.slice();
    new DataView(old.buffer, old.byteOffset).setUint32(4, 1, true);
    const written = await writeRegistrySnapshot(old, current!.info.seen, new Date());
    expect(written.format).toBe(1);
    await mongoose.connection.db!.collection("registrysnapshots").updateOne({ _id: "manifest" as never }, { $unset: { format: "" } });
    expect(await registrySnapshotInfo()).toMatchObject({ snapshot: written.snapshot, format: 1 });

    resetRegistryIndexForTests();
    expect((await searchRegistry(query(), NOW)).total).toBe(275);
    expect(registryIndexStatus().lastBuild?.from).toBe("store");
    const rebuilt = await registrySnapshotInfo();
    expect(rebuilt).toMatchObject({ format: SNAPSHOT_VERSION });
    expect(rebuilt!.snapshot).not.toBe(written.snapshot);
    // A new process (another host) starts from the new one, with the same answers as a build from the store.
    const fromSnapshot = await freshProcess(hostB);
    expect(fromSnapshot).toMatchObject({ from: "snapshot", localCopy: false });
    expect(fromSnapshot.answers[0]).toMatchObject({ total: 275 });
  });
  it("catches a new process up with a batch of more than a thousand changed permits and a long change log, the same as a build from the store", async () => {
    // 1,100 new permits (more than four `$in` batches of 256), 80 status changes (more than one 64-number
    // read of the change log), and permits re-imported with other words: all after the shared snapshot.
    await upsertImportedPermits(permits(1_100, 1_000), samePermitContent);
    for (let i = 0; i < 80; i++) {
      const number = `SNP-HH-2569-${String(1_000 + i * 5).padStart(5, "0")}`;
      const p = (await getPermit(number))!;
      expect(await changePermitStatus(number, p.rev, { to: "suspended", reason: "ร้องเรียน", by: "officer", at: NOW }, "valid")).toBe(true);
    }
    await upsertImportedPermits(
      permits(300, 1_500).map((p) => ({ ...p, holderName: "นางนภา ใหม่ใจดี" })),
      samePermitContent,
    );
    const fromSnapshot = await freshProcess(hostB);
    expect(fromSnapshot.from).toBe("snapshot");
    expect(fromSnapshot.answers[0]).toMatchObject({ total: 275 + 1_100 });
    expect(fromSnapshot.answers[6].total).toBe(80 + 1);

    await mongoose.connection.db!.collection("registrysnapshots").deleteMany({});
    const fromStore = await freshProcess(hostA);
    expect(fromStore.from).toBe("store");
    expect(fromSnapshot.answers).toEqual(fromStore.answers);
  });

  it("reads permits by number in batches: every number found once, in the order asked, missing ones left out", async () => {
    const asked = Array.from({ length: 1_300 }, (_, i) => `SNP-HH-2569-${String(2_099 - i).padStart(5, "0")}`);
    const found = await getPermits([...asked, "SNP-HH-2569-02099", "NO-SUCH-PERMIT"]);
    // 2,099 down to 800: 1,000–2,099 exist (1,100), 800–999 do not.
    expect(found.map((p) => p.number)).toEqual(asked.filter((n) => Number(n.slice(-5)) >= 1_000));
    expect(found[0]).toMatchObject({ number: "SNP-HH-2569-02099", holderName: expect.any(String) });
  });

  it("reads a snapshot of several chunks from the database into the same bytes; a missing or damaged chunk is not loaded", async () => {
    // 10 MiB that do not deflate: three 4 MiB chunks.
    const image = new Uint8Array(randomBytes(10 * 2 ** 20));
    const written = await writeRegistrySnapshot(image, 1, new Date());
    expect(written.chunks).toBe(3);
    const dropLocalCopy = () => rmSync(path.join(env().REGISTRY_CACHE_DIR, `${written.snapshot}.brix`), { force: true });
    dropLocalCopy();
    const read = await readRegistrySnapshot();
    expect(read).toMatchObject({ local: false, info: { snapshot: written.snapshot } });
    expect(Buffer.from(read!.image).equals(Buffer.from(image))).toBe(true);
    // That read left this host's copy, written piece by piece as it inflated: the next read is local, same bytes.
    const again = await readRegistrySnapshot();
    expect(again).toMatchObject({ local: true, info: { snapshot: written.snapshot } });
    expect(Buffer.from(again!.image).equals(Buffer.from(image))).toBe(true);

    const chunks = mongoose.connection.db!.collection<{ _id: string; data: unknown }>("registrysnapshots");
    // A damaged middle chunk: the bytes do not inflate to the manifest's image.
    dropLocalCopy();
    const middle = await chunks.findOne({ _id: `${written.snapshot}:1` });
    await chunks.updateOne({ _id: `${written.snapshot}:1` }, { $set: { data: Buffer.from(randomBytes(1_000)) } });
    expect(await readRegistrySnapshot()).toBeNull();
    // ... and leaves no copy of those bytes, finished or half-written.
    expect(readdirSync(env().REGISTRY_CACHE_DIR).filter((name) => name.startsWith(written.snapshot))).toEqual([]);
    // A missing last chunk (replaced twice while reading).
    await chunks.replaceOne({ _id: `${written.snapshot}:1` }, middle!);
    await chunks.deleteOne({ _id: `${written.snapshot}:2` });
    expect(await readRegistrySnapshot()).toBeNull();
  });
});
