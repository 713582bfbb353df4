/**
 * What the worker's new-case sweep (repairNewCaseReadModels, decision 032) costs per case it looks at: files
 * BENCH_SWEEP_CASES cases in this process (8 at once, read models written), then times one sweep over all of them
 * (nothing missing: the steady state) and one after the words and clock rows of a tenth were deleted (a crash).
 * CPU of this process and of the database process per case swept.
 *   npx tsx bench/new-case-sweep.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import type { Actor } from "~/core/actor";
import { findApiClientByKeyHash } from "~/models/api-client.server";
import { NEW_CASE_GRACE_MS, repairNewCaseReadModels } from "~/services/cases/repair-new-cases.server";
import { DEMO_API_KEY, seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { hashApiKey } from "~/utils/passwords.server";
import { healthHazardApplication } from "../test/support/factories";
import { BENCH_KEY_SECRET } from "./server-process";

const CASES = Number(process.env.BENCH_SWEEP_CASES ?? 2000);
const SLUG = "sukjai-health-hazard-licence";

const cpuOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-sweep-"));
  const ferret = await startFerretDb({ port: await freePort(), dataDir, log: () => {} });
  try {
    process.env.MONGODB_URI = `${ferret.uri}sweep`;
    process.env.KEY_ENCRYPTION_SECRET ??= BENCH_KEY_SECRET;
    await connectDb(process.env.MONGODB_URI);
    await seedDemo({ log: () => {} });
    const client = await findApiClientByKeyHash(hashApiKey(DEMO_API_KEY));
    const key: Actor = { kind: "api", id: String(client!._id), name: client!.name, agencyId: client!.agencyId, roles: client!.roles };
    const forms = await Promise.all(Array.from({ length: CASES }, (_, i) => healthHazardApplication({}, 1_000 + i)));
    const ids: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < CASES) ids.push((await submitApplication(key, SLUG, forms[next++]!, "api")).id);
    }));
    const later = () => new Date(Date.now() + NEW_CASE_GRACE_MS + 5_000);
    const measure = async (label: string) => {
      // The checkpoint is forgotten so that the sweep looks at every case again.
      await mongoose.connection.collection("sweepcheckpoints").deleteMany({});
      const [web, db, t] = [process.cpuUsage(), cpuOf(ferret.process.pid!), performance.now()];
      const done = await repairNewCaseReadModels({ now: later() });
      const ms = performance.now() - t;
      const webMs = (process.cpuUsage(web).user + process.cpuUsage(web).system) / 1000;
      const dbMs = (cpuOf(ferret.process.pid!) - db) * 1000;
      console.log(
        `${label}: ${done.cases} cases, words of ${done.words} and ${done.clocks} rows written; ${ms.toFixed(0)} ms; per case ${(webMs / done.cases).toFixed(3)} ms client CPU, ${(dbMs / done.cases).toFixed(3)} ms database CPU (load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")})`,
      );
    };
    if (process.env.BENCH_SWEEP_PARTS === "1") {
      const { listCaseKeysByIdRange, getNewCaseRefs } = await import("~/models/case.server");
      const { caseClockIdsAmong } = await import("~/models/case-clock.server");
      const { casesMissingSearchWords } = await import("~/models/case-search.server");
      const before = mongoose.Types.ObjectId.createFromTime(Math.floor(Date.now() / 1000) + 10);
      const part = async (label: string, run: () => Promise<unknown>) => {
        const [db, t] = [cpuOf(ferret.process.pid!), performance.now()];
        await run();
        console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms, database ${((cpuOf(ferret.process.pid!) - db) * 1000).toFixed(0)} ms CPU`);
      };
      const page = await listCaseKeysByIdRange(null, before, 200);
      await part("case keys by _id range, 200", () => listCaseKeysByIdRange(null, before, 200));
      await part("case keys after the 100th, 200", () => listCaseKeysByIdRange(page[99]!._id, before, 200));
      await part("clock ids $in, 200", () => caseClockIdsAmong(page.map((c) => String(c._id))));
      await part("whole-number terms $in, 200", () => casesMissingSearchWords(page));
      await part("case refs $in, 20", () => getNewCaseRefs(page.slice(0, 20).map((c) => c._id)));
    }
    await measure("nothing missing");
    await measure("nothing missing (again)");
    const lost = ids.filter((_, i) => i % 10 === 0);
    await mongoose.connection.collection("case_clocks").deleteMany({ _id: { $in: lost } as never });
    for (const id of lost) await mongoose.connection.collection("casesearchterms").deleteMany({ _id: { $regex: `\\|${id}$` } as never });
    await measure("a tenth lost");
    await disconnectDb();
  } finally {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
