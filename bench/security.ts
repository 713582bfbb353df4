/**
 * What the site's defences cost: filing through the API and registry search, with every protection on
 * (origin checks, server-side sessions, rate limits with their shared counters, headers and CSP, declared-data
 * checks, four eyes, the audit chain), as a ratio of the same requests against the code before them.
 *
 *   npx tsx bench/security.ts
 *
 * 1. builds the baseline commit (BENCH_BASELINE, default 2e0b90d: main before the defences) from `git archive`
 *    in a temp dir, and the current app/ (bench/server-process.ts);
 * 2. one FerretDB, two databases seeded with the demo data, one server each (production mode);
 * 3. after one warm-up round each, rounds alternate the two systems so drift on a shared 2-core machine hits both alike: each round files
 *    BENCH_FILINGS applications at concurrency BENCH_CONCURRENCY with the demo API key, then runs
 *    BENCH_SEARCHES registry searches at concurrency 4;
 * 4. prints the medians per system and the ratio (goal ≥ 0.9) and writes bench/results/security.md.
 *
 * Rate limits stay ON in the measured server, set high enough not to refuse (the cost measured is the counting).
 */
import { execSync, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { DEMO_API_KEY, seedDemo } from "~/services/seed-demo.server";
import { healthHazardApplication } from "../test/support/factories";
import { BENCH_KEY_SECRET, prepareBuild, startBenchServer, stopChild } from "./server-process";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASELINE = process.env.BENCH_BASELINE ?? "2e0b90d";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FILINGS = Number(process.env.BENCH_FILINGS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 300);
const SLUG = "sukjai-health-hazard-licence";
const SEARCH_TERMS = ["ร้าน", "สุขใจ", "อาหาร", "นนทบุรี", "เสริมสวย", "SKJ"];
/** Limits high enough never to refuse here; their counters still run on every request. */
const GENEROUS_LIMITS: Record<string, string> = Object.fromEntries(
  (process.env.BENCH_LIMIT_SETTINGS ?? "RATE_LIMIT_REGISTRY_SEARCH,RATE_LIMIT_FILINGS_PER_API_KEY").split(",").filter(Boolean).map((name) => [name, "1000000/minute"]),
);

const log = (...args: unknown[]) => console.error(`[security-bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function buildBaseline(tmpDirs: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-baseline-"));
  tmpDirs.push(dir);
  execSync(`git archive ${BASELINE} | tar -x -C ${dir}`, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const build = spawnSync("npx", ["remix", "build"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error(`remix build of ${BASELINE} failed`);
  return dir;
}

type System = { name: string; base: string; server: ChildProcess; filingsPerSecond: number[]; searchesPerSecond: number[]; errors: string[] };

async function runConcurrently(count: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await one(next++);
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

async function fileRound(system: System, payloads: string[]) {
  const rate = await runConcurrently(payloads.length, CONCURRENCY, async (i) => {
    const res = await fetch(`${system.base}/api/v1/services/${SLUG}/applications`, {
      method: "POST",
      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json", Connection: "close" },
      body: payloads[i],
    });
    const text = await res.text();
    if (res.status !== 201 && system.errors.length < 3) system.errors.push(`filing ${res.status} ${text.slice(0, 200)}`);
  });
  system.filingsPerSecond.push(rate);
}

async function searchRound(system: System) {
  const rate = await runConcurrently(SEARCHES, 4, async (i) => {
    const q = encodeURIComponent(SEARCH_TERMS[i % SEARCH_TERMS.length]);
    const res = await fetch(`${system.base}/api/v1/registry/permits?q=${q}&page=${1 + (i % 3)}`, { headers: { Connection: "close" } });
    await res.arrayBuffer();
    if (res.status !== 200 && system.errors.length < 3) system.errors.push(`search ${res.status}`);
  });
  system.searchesPerSecond.push(rate);
}

async function waitForRegistry(base: string) {
  for (let i = 0; i < 600; i++) {
    const health = (await (await fetch(`${base}/healthz`)).json()) as { registryIndex?: { ready: boolean } };
    if (health.registryIndex?.ready) return;
    // The index builds in the background after start-up; a search also triggers it.
    await fetch(`${base}/api/v1/registry/permits?q=x`).then((r) => r.arrayBuffer());
  }
}

async function main() {
  const tmpDirs: string[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-sec-db-"));
  tmpDirs.push(dataDir);
  const ferret = await startFerretDb({ port: await freePort(), dataDir, log });
  const systems: System[] = [];
  try {
    process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
    const baselineDir = buildBaseline(tmpDirs);
    const { serverDir, buildNote } = prepareBuild(tmpDirs);
    log(`current build: ${buildNote}`);
    for (const [name, dir, env] of [
      [`baseline ${BASELINE}`, baselineDir, {}],
      ["with defences", serverDir, GENEROUS_LIMITS],
    ] as const) {
      const uri = `${ferret.uri}bench_${systems.length}`;
      process.env.MONGODB_URI = uri;
      await connectDb(uri);
      await seedDemo({ log: () => {} });
      await disconnectDb();
      const started = await startBenchServer({ serverDir: dir, mongoUri: uri, env });
      await waitForRegistry(started.base);
      systems.push({ name, base: started.base, server: started.server, filingsPerSecond: [], searchesPerSecond: [], errors: [] });
    }
    let n = 200_000;
    // A warm-up round each (not counted): the first searches build the registry index, the first filings
    // compile the form's validator.
    for (const system of systems) {
      const payloads = await Promise.all(Array.from({ length: 50 }, async () => JSON.stringify({ data: await healthHazardApplication({}, n++) })));
      await fileRound(system, payloads);
      await searchRound(system);
      system.filingsPerSecond.pop();
      system.searchesPerSecond.pop();
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate who goes first so neither always runs on a warmer or busier machine.
      const order = round % 2 === 0 ? systems : [...systems].reverse();
      for (const system of order) {
        const payloads = await Promise.all(Array.from({ length: FILINGS }, async () => JSON.stringify({ data: await healthHazardApplication({}, n++) })));
        await fileRound(system, payloads);
        await searchRound(system);
        log(`round ${round + 1} ${system.name}: ${system.filingsPerSecond.at(-1)!.toFixed(1)} filings/s, ${system.searchesPerSecond.at(-1)!.toFixed(1)} searches/s`);
      }
    }
    const [base, secure] = systems;
    const filingRatio = median(secure.filingsPerSecond) / median(base.filingsPerSecond);
    const searchRatio = median(secure.searchesPerSecond) / median(base.searchesPerSecond);
    const rows = [
      `| system | filings/s (median of ${ROUNDS}, each ${FILINGS} at concurrency ${CONCURRENCY}) | registry searches/s (median, ${SEARCHES} at concurrency 4) |`,
      "|---|---|---|",
      ...systems.map((s) => `| ${s.name} | ${median(s.filingsPerSecond).toFixed(1)} (${s.filingsPerSecond.map((x) => x.toFixed(1)).join(", ")}) | ${median(s.searchesPerSecond).toFixed(1)} (${s.searchesPerSecond.map((x) => x.toFixed(1)).join(", ")}) |`),
      `| **ratio** (goal ≥ 0.9) | **${filingRatio.toFixed(2)}** | **${searchRatio.toFixed(2)}** |`,
    ];
    const errors = systems.flatMap((s) => s.errors.map((e) => `- ${s.name}: ${e}`));
    const report = [
      `# Security bench — ${new Date().toISOString().slice(0, 16)}Z`,
      "",
      `Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} at the end. Embedded FerretDB v1.24.2 on SQLite.`,
      "",
      ...rows,
      "",
      errors.length ? `Errors:\n${errors.join("\n")}` : "No refused requests.",
      "",
    ].join("\n");
    console.log(report);
    writeFileSync(path.join(ROOT, "bench/results/security.md"), report);
  } finally {
    for (const s of systems) await stopChild(s.server);
    await ferret.stop();
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
