/**
 * What storing a generated PDF in the database costs, against a small insert: CPU of this process and of
 * FerretDB per insert, for documents with a 28 KiB binary (a permit's PDF) and with none. Answers whether
 * moving generated files out of the engine (ADR 019, "Still open" 2) would pay.
 *
 *   npx tsx bench/stored-file-cost.ts          (BENCH_COUNT inserts of each kind, 300 by default)
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-file-cost-"));
const db = await startFerretDb({ port: await freePort(), dataDir, log: () => {} });
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const client = await MongoClient.connect(db.uri);
try {
  const files = client.db("borikan_file_cost").collection<{ _id: string; data?: Buffer; bytes: number }>("storedfiles");
  const dbPid = (db as unknown as { process: { pid: number } }).process.pid;
  // A PDF's streams are deflated: random bytes stand in for them (neither side can compress them further).
  const pdf = randomBytes(28 * 1024);
  const kinds = { "28 KiB file": (i: number) => ({ _id: `f/${i}`, data: pdf, bytes: pdf.length }), "no file": (i: number) => ({ _id: `s/${i}`, bytes: pdf.length }) };
  for (let i = 0; i < 20; i++) await files.insertOne(kinds["28 KiB file"](-1 - i)); // warm up
  for (const round of [1, 2]) {
    for (const [kind, make] of Object.entries(kinds)) {
      const before = { node: cpuMs(process.pid), db: cpuMs(dbPid) };
      for (let i = 0; i < COUNT; i++) await files.insertOne(make(round * 100_000 + i));
      const node = (cpuMs(process.pid) - before.node) / COUNT;
      const engine = (cpuMs(dbPid) - before.db) / COUNT;
      console.log(`round ${round}, ${kind.padEnd(12)}: Node ${node.toFixed(2)} ms, FerretDB ${engine.toFixed(2)} ms per insert`);
    }
  }
  console.log(`load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
} finally {
  await client.close();
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
