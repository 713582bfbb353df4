/**
 * CPU per transition (decision 028): web-process CPU (this process) and database CPU (the FerretDB process) per
 * ACCEPT / APPROVE at concurrency 8 with the effect runner held (the transition alone), beside the raw ceiling
 * (read the revision + one revision-guarded findOneAndUpdate) on the same cases' twins. Rounds alternate the rows.
 *
 *   npx tsx bench/transition-cpu.ts     (BENCH_CASES=120 BENCH_CONCURRENCY=8 BENCH_ROUNDS=2; BENCH_PROFILE=dir: a CPU
 *                                        profile of this thread per ACCEPT row, sampled every 100 µs)
 *
 * Another build's app code: run from its directory (`cd /work/wt/baseline && npx tsx <this file>`): `~/` resolves
 * through the working directory's tsconfig. Compare the per-transition CPU and the ratios, not the rates.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { cpuMsOf, runPool } from "./lib/measure";
import { CaseModel } from "~/models/case.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { approver, citizen, HEALTH_HAZARD_SLUG, officer } from "../test/support/journeys";

const CASES = Number(process.env.BENCH_CASES ?? 120);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PROFILE = process.env.BENCH_PROFILE;
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const log = (...args: unknown[]) => console.error(`[transition-cpu ${new Date().toISOString().slice(11, 19)}]`, ...args);

log(`app code of ${process.cwd()} (driver-shaped case update: ${"storedCaseUpdateOf" in (await import("~/models/case.server"))})`);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-transition-cpu-"));
const db = await startFerretDb({ port: await freePort(), dataDir, log: () => {} });
const dbPid = db.process.pid!;
const uri = `${db.uri}borikan_transition_cpu`;
process.env.MONGODB_URI = uri;
try {
  await connectDb(uri);
  await seedDemo({ log: () => undefined });
  const [applicant, staff, boss] = [await citizen(), await officer(), await approver()];
  let serial = 500;
  const file = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await submitApplication(applicant, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, serial++), "web")).id);
    return ids;
  };
  const warm = await file(4);
  for (const id of warm) {
    await fireCaseEvent(staff, id, { type: "ACCEPT" });
    await fireCaseEvent(staff, id, { type: "RECORD_INSPECTION", comment: "ผ่าน" });
    await fireCaseEvent(boss, id, { type: "APPROVE" });
    await settleCaseEffects(id);
  }
  const measure = async (name: string, task: (i: number) => Promise<void>, profileName?: string) => {
    const profiler = PROFILE && profileName && !process.env.BENCH_DB_PROFILE ? new (await import("node:inspector/promises")).Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.setSamplingInterval", { interval: 100 });
      await profiler.post("Profiler.start");
    }
    // BENCH_DB_PROFILE=dir with FERRETDB_DEBUG_ADDR=127.0.0.1:port: a Go CPU profile of the database, 2 s into the row.
    const dbProfile =
      process.env.BENCH_DB_PROFILE && process.env.FERRETDB_DEBUG_ADDR && profileName
        ? fetch(`http://${process.env.FERRETDB_DEBUG_ADDR}/debug/pprof/profile?seconds=2`).then(async (r) =>
            writeFileSync(path.join(process.env.BENCH_DB_PROFILE!, `${profileName}.pprof`), Buffer.from(await r.arrayBuffer())),
          )
        : null;
    const web0 = process.cpuUsage();
    const db0 = cpuMsOf(dbPid);
    const run = await runPool(CASES, CONCURRENCY, task);
    const web = process.cpuUsage(web0);
    const dbMs = cpuMsOf(dbPid) - db0;
    await dbProfile;
    if (profiler) writeFileSync(path.join(PROFILE!, `${profileName}.cpuprofile`), JSON.stringify((await profiler.post("Profiler.stop")).profile));
    const line = `${name.padEnd(10)} ${run.perSecond.toFixed(1).padStart(7)}/s  web ${((web.user + web.system) / 1000 / CASES).toFixed(2)} ms  db ${(dbMs / CASES).toFixed(2)} ms  per op  (load ${loadavg()})`;
    console.log(line);
    return run.perSecond;
  };
  process.env.BORIKAN_HOLD_EFFECTS = "1";
  for (let round = 1; round <= ROUNDS; round++) {
    const ids = await file(2 * CASES);
    const [a, b] = [ids.slice(0, CASES), ids.slice(CASES)];
    await Promise.all(ids.map((id) => settleCaseEffects(id)));
    const raw = await measure("raw", async (i) => {
      const doc = await CaseModel.findById(b[i]).select("rev").lean<{ rev: number }>();
      const updated = await CaseModel.findOneAndUpdate({ _id: b[i], rev: doc!.rev }, { $set: { updatedAt: new Date() }, $inc: { rev: 1 } }, { returnDocument: "after" }).lean();
      if (!updated) throw new Error("raw update lost");
    });
    const accept = await measure("ACCEPT", async (i) => void (await fireCaseEvent(staff, a[i]!, { type: "ACCEPT" })), `accept-${round}`);
    for (const id of a) await fireCaseEvent(staff, id, { type: "RECORD_INSPECTION", comment: "ผ่าน" });
    const approve = await measure("APPROVE", async (i) => void (await fireCaseEvent(boss, a[i]!, { type: "APPROVE" })), `approve-${round}`);
    console.log(`round ${round}: ACCEPT ${(accept / raw).toFixed(2)} APPROVE ${(approve / raw).toFixed(2)} of raw`);
  }
  delete process.env.BORIKAN_HOLD_EFFECTS;
} finally {
  await disconnectDb().catch(() => undefined);
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
