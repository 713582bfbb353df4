/**
 * The engine's CPU for a case's first clock row written as an upsert by `_id` (bulkWrite, what setCaseClockFromCase
 * sends) against a plain insert of the same row (insertMany, what insertNewCaseClock sends), 4 rows per command as
 * group commit sends them at 8 filings at once (decision 029). Alternated, two rounds each:
 *   npx tsx bench/upsert-vs-insert.ts
 */
import { readFileSync, mkdtempSync } from "node:fs";
import os from "node:os"; import path from "node:path";
import { MongoClient, ObjectId } from "mongodb";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" "); return (Number(f[11]) + Number(f[12])) / 100; };
const ferret = await startFerretDb({ port: await freePort(), dataDir: mkdtempSync(path.join(os.tmpdir(), "fc-ups-")), log: () => {} });
const client = await new MongoClient(ferret.uri).connect();
const col = client.db("x").collection("case_clocks");
await col.insertOne({ _id: "warm" as never });
const N = 2000, B = 4;
const row = () => ({ agencyId: "sukjai", nextNoticeAt: new Date(), decided: false, decidedAt: null, checkAt: new Date(), updatedAt: new Date() });
for (let round = 0; round < 2; round++) for (const mode of ["upsert", "insert"]) {
  const c0 = cpu(ferret.process.pid!); const t0 = performance.now();
  for (let i = 0; i < N / B; i++) {
    const ids = Array.from({ length: B }, () => String(new ObjectId()));
    if (mode === "upsert") await col.bulkWrite(ids.map((_id) => ({ updateOne: { filter: { _id: _id as never }, update: { $set: row(), $setOnInsert: { noticesSent: 0, lastNoticeAt: null, decisionNotifiedAt: null } }, upsert: true } })), { ordered: false });
    else await col.insertMany(ids.map((_id) => ({ _id: _id as never, ...row(), noticesSent: 0, lastNoticeAt: null, decisionNotifiedAt: null })), { ordered: false });
  }
  console.log(mode, "db CPU ms per row", ((cpu(ferret.process.pid!) - c0) * 1000 / N).toFixed(3), "wall ms per batch", ((performance.now() - t0) / (N / B)).toFixed(2), "load", os.loadavg()[0].toFixed(2));
}
await client.close(); ferret.process.kill(); process.exit(0);
