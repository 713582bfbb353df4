/**
 * The worker's effects sweep after transitions whose effects the web process already ran (decision 034): what the
 * sweep costs per transition when it only tidies up — on main, dropping the pending entries the runner left; with
 * the open-effects mark, reading the marked cases and taking the marks off. CPU of this process and of the database.
 *
 *   npx tsx bench/effects-sweep-cost.ts     (BENCH_CASES=300; run from another build's directory to measure that build)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { cpuMsOf, runPool } from "./lib/measure";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { forgetKnownDoneEffects, sweepPendingEffects } from "~/services/effects/run-effects.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../test/support/journeys";

const CASES = Number(process.env.BENCH_CASES ?? 300);
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-effects-sweep-"));
const db = await startFerretDb({ port: await freePort(), dataDir, log: () => {} });
const uri = `${db.uri}borikan_effects_sweep`;
process.env.MONGODB_URI = uri;
try {
  await connectDb(uri);
  await seedDemo({ log: () => undefined });
  const [applicant, staff] = [await citizen(), await officer()];
  const ids: string[] = [];
  for (let i = 0; i < CASES; i++) ids.push((await submitApplication(applicant, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 700 + i), "web")).id);
  await drainEffectRunner();
  await sweepPendingEffects();
  // The transitions, their effects run by this process's runner (as in a web process).
  await runPool(CASES, 8, async (i) => void (await fireCaseEvent(staff, ids[i]!, { type: "ACCEPT" })));
  await drainEffectRunner();
  // The worker is another process: it knows nothing done yet.
  forgetKnownDoneEffects();
  const web0 = process.cpuUsage();
  const db0 = cpuMsOf(db.process.pid!);
  const started = performance.now();
  const ran = await sweepPendingEffects();
  const ms = performance.now() - started;
  const web = process.cpuUsage(web0);
  const dbMs = cpuMsOf(db.process.pid!) - db0;
  console.log(
    `${process.cwd()}: sweep after ${CASES} transitions: ${ms.toFixed(0)} ms, ran ${ran}; per transition web ${((web.user + web.system) / 1000 / CASES).toFixed(3)} ms, db ${(dbMs / CASES).toFixed(3)} ms (load ${loadavg()})`,
  );
} finally {
  await disconnectDb().catch(() => undefined);
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
