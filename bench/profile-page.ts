/**
 * Where a page's server time goes: seeds the demo plus `--cases N` cases, starts the built server with
 * `--cpu-prof`, requests `--path` (as the demo officer, or `--as citizen`) `--runs` times and prints the
 * functions with the most self time, and the wall time per request.
 *
 *   npx tsx bench/profile-page.ts --path /inbox --cases 1000 --runs 60
 *   npx tsx bench/profile-page.ts --filing --runs 300     (filings through the API at concurrency 8 instead)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { getCase } from "~/models/case.server";
import { findUserByEmail } from "~/models/user.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { citizen, HEALTH_HAZARD_SLUG } from "../test/support/journeys";
import { sessionCookieOf } from "../test/support/sessions";
import { insertCases, stepsOf } from "./lib/data-path";
import { log, ms, runPool, timeRuns } from "./lib/measure";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { BENCH_KEY_SECRET, prepareBuild, startBenchServer, stopChild } from "./server-process";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const PAGE = option("--path", "/inbox");
const CASES = Number(option("--cases", "1000"));
const RUNS = Number(option("--runs", "60"));
const FILING = args.includes("--filing");
const AS = option("--as", "officer") === "citizen" ? "citizen@demo.borikan.local" : "officer@sukjai.demo.borikan.local";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };

const tmp: string[] = [];
const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-profile-"));
const profDir = mkdtempSync(path.join(os.tmpdir(), "borikan-cpuprof-"));
tmp.push(dataDir, profDir);
const database = await startFerretDb({ port: await freePort(), dataDir, log });
const uri = `${database.uri}borikan_profile`;
process.env.MONGODB_URI = uri;
process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
try {
  await connectDb(uri);
  await seedDemo({ log: () => undefined });
  const me = (await findUserByEmail("citizen@demo.borikan.local"))!;
  const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "web");
  await insertCases({ template: (await getCase(filed.id))!, n: CASES, agencies: ["sukjai"], steps: await stepsOf("sukjai"), applicant: { id: String(me._id), name: me.name, cases: 49 }, prefix: "BK-P", seed: 1 });
  const cookie = await sessionCookieOf(AS);
  const { serverDir } = prepareBuild(tmp);
  const { server, base } = await startBenchServer({ serverDir, mongoUri: uri, nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profDir}`] });
  const bodies = FILING ? await Promise.all(Array.from({ length: RUNS }, async (_, i) => JSON.stringify({ data: await healthHazardApplication({}, 300_000 + i) }))) : [];
  const s = FILING
    ? await runPool(RUNS, 8, async (i) => {
        const res = await fetch(`${base}/api/v1/services/${HEALTH_HAZARD_SLUG}/applications`, {
          method: "POST",
          headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json" },
          body: bodies[i],
        });
        await res.text();
        if (res.status !== 201) throw new Error(`filing: ${res.status}`);
      })
    : await timeRuns(RUNS, async () => {
        const res = await fetch(`${base}${PAGE}`, { headers: { Cookie: cookie }, redirect: "manual" });
        await res.text();
        if (res.status !== 200) throw new Error(`${PAGE}: ${res.status}`);
      });
  await stopChild(server);
  log(`${FILING ? "filing" : `GET ${PAGE}`} ×${s.n}: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`);
  const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"))!;
  const profile = JSON.parse(readFileSync(path.join(profDir, file), "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(build|app)\//, "$1/")}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`self time, ms per request (of ${(total / (s.n + 1)).toFixed(1)} ms CPU per request incl. idle):`);
  for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(t / (s.n + 1)).toFixed(2).padStart(8)}  ${key}`);
} finally {
  await disconnectDb();
  await database.stop();
  for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
}
