/**
 * Filing at concurrency 8 on one stored data set with the engine started under different SQLite settings,
 * alternated (each round restarts the engine and the web server on the same files), so a busy spell on the
 * shared machine falls on every setting. Measures what issue 12's "filing holds from 10,000 to 100,000 stored
 * cases" depends on: the engine's page cache and memory-mapped reads once the indexes outgrow the default cache.
 *
 *   npx tsx bench/engine-settings.ts [--size 100000] [--rounds 3] [--filings 300] [--data DIR] [--settings default,…]
 *
 * `--data DIR` keeps the seeded files (seeded on first use) for another run. Settings: see SETTINGS below.
 */
import { mkdtempSync, existsSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { RATE_LIMITS } from "~/core/security/limits";
import { getCase } from "~/models/case.server";
import { DEMO_API_KEY, seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { citizen, HEALTH_HAZARD_SLUG } from "../test/support/journeys";
import { insertCases, OTHER_AGENCIES, stepsOf } from "./lib/data-path";
import { cpuMsOf, loadAverage, log, runPool } from "./lib/measure";
import { BENCH_KEY_SECRET, prepareBuild, startBenchServer, stopChild } from "./server-process";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const SIZE = Number(option("--size") ?? 100_000);
const ROUNDS = Number(option("--rounds") ?? 3);
const FILINGS = Number(option("--filings") ?? 300);
const SETTINGS: Record<string, string[]> = {
  default: [],
  "cache 32 MiB": ["cache_size(-32768)"],
  "cache 32 MiB + mmap 256 MiB": ["cache_size(-32768)", "mmap_size(268435456)"],
};

async function main() {
  const tmpDirs: string[] = [];
  const dataDir = option("--data") ?? mkdtempSync(path.join(os.tmpdir(), "borikan-engine-settings-"));
  if (!option("--data")) tmpDirs.push(dataDir);
  const seeded = existsSync(path.join(dataDir, "seeded"));
  process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
  const { serverDir } = prepareBuild(tmpDirs);
  try {
    if (!seeded) {
      const database = await startFerretDb({ port: await freePort(), dataDir, log });
      process.env.MONGODB_URI = `${database.uri}borikan_bench`;
      await connectDb(process.env.MONGODB_URI);
      await seedDemo({ log: () => undefined });
      const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "web");
      const template = (await getCase(filed.id))!;
      const steps = await stepsOf("sukjai");
      const started = performance.now();
      await insertCases({ template, n: SIZE, agencies: ["sukjai"], steps, prefix: "BK-A", seed: 1 });
      await insertCases({ template, n: SIZE, agencies: OTHER_AGENCIES, steps, prefix: "BK-O", seed: 2 });
      log(`seeded ${2 * SIZE} cases in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      await disconnectDb();
      await database.stop();
      (await import("node:fs")).writeFileSync(path.join(dataDir, "seeded"), "");
    }
    const bodies = await Promise.all(Array.from({ length: FILINGS }, async (_, i) => JSON.stringify({ data: await healthHazardApplication({}, 300_000 + i) })));
    const results: Record<string, { perSecond: number; cpu: number; engineCpu: number }[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const chosen = option("--settings")?.split(",") ?? Object.keys(SETTINGS);
      for (const [name, pragmas] of Object.entries(SETTINGS).filter(([n]) => chosen.includes(n))) {
        const database = await startFerretDb({ port: await freePort(), dataDir, log, extraPragmas: pragmas });
        const { server, base } = await startBenchServer({
          serverDir,
          mongoUri: `${database.uri}borikan_bench`,
          // Filing's own limits would stop the bench, not the engine (as in bench/run.ts).
          env: Object.fromEntries(Object.values(RATE_LIMITS).map((spec) => [spec.setting, "1000000/minute"])),
        });
        try {
          const file = async (i: number) => {
            const res = await fetch(`${base}/api/v1/services/${HEALTH_HAZARD_SLUG}/applications`, {
              method: "POST",
              headers: { "Content-Type": "application/json", Authorization: `Bearer ${DEMO_API_KEY}` },
              body: bodies[i % bodies.length],
            });
            const text = await res.text();
            if (res.status !== 201) throw new Error(`${res.status} ${text.slice(0, 200)}`);
          };
          await runPool(60, 8, file); // warm-up: route modules, caches, the engine's pages
          const before = { web: cpuMsOf(server.pid!), engine: cpuMsOf(database.process.pid!) };
          const run = await runPool(FILINGS, 8, file);
          const engineCpu = (cpuMsOf(database.process.pid!) - before.engine) / FILINGS;
          const cpu = (cpuMsOf(server.pid!) - before.web) / FILINGS + engineCpu;
          (results[name] ??= []).push({ perSecond: run.perSecond, cpu, engineCpu });
          log(`round ${round + 1} · ${name}: ${run.perSecond.toFixed(1)}/s, ${cpu.toFixed(2)} ms CPU per filing (engine ${engineCpu.toFixed(2)}) · load ${loadAverage()}`);
        } finally {
          await stopChild(server);
          await database.stop();
        }
      }
    }
    console.log(`\n| setting (size ${SIZE.toLocaleString("en")}, concurrency 8, ${FILINGS} filings × ${ROUNDS} rounds) | filings/s (each round) | CPU per filing, ms (engine) |`);
    console.log("|---|---|---|");
    for (const [name, list] of Object.entries(results)) {
      console.log(`| ${name} | ${list.map((r) => r.perSecond.toFixed(0)).join(" / ")} | ${list.map((r) => `${r.cpu.toFixed(1)} (${r.engineCpu.toFixed(1)})`).join(" / ")} |`);
    }
  } finally {
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
