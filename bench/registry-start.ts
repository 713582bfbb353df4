/**
 * Registry start-up bench: how soon a freshly started web process serves registry searches, its RSS and
 * its search latency, with the index shared as a snapshot (app/models/registry-snapshot.server.ts).
 *
 *   npx tsx bench/registry-start.ts [--sizes 100000,1000000] [--json FILE]
 *
 * `--json FILE` also writes the headline figures per size (bench/run.ts reads them into latest.md).
 *
 * For each size, on a fresh FerretDB in a temp dir:
 * 1. seeds N generated permits (as bench/registry.ts: upsertImportedPermits × 2,000, plain inserts once
 *    the `_id` pre-check gets slow);
 * 2. the first process ever: no snapshot exists, so it builds the index from the store and writes the
 *    snapshot (once per deployment; the worker keeps it fresh afterwards);
 * 3. changes after the snapshot (an import of 1,000 new permits and 10 status changes), so a new process
 *    has the change log to catch up, as it would between two worker snapshots;
 * 4. starts a new process (bench/registry-start-child.ts) and measures the time from its start to its
 *    first served search, its RSS, and search latency through the service for six kinds of query.
 * Appends a section to bench/results/registry.md, with the load average.
 *
 * Knobs (env): BENCH_QUERIES (200 per kind); BENCH_DATA_DIR: keep the database in that directory instead of a temp
 * one, and reuse it when it was already seeded with the same size (step 1 is then only the generator, not the
 * inserts: seeding 1,000,000 takes 10-20 min). `--seed-only` stops after step 1 (seed now, measure later).
 * BENCH_BUILD=generated: step 2 indexes the same generated permits in this process and writes the snapshot
 * (covering the change log up to now) instead of reading them back from the store, which took 8 min at
 * 100,000 on a machine at load 16; what a new process does (step 4) is unchanged.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import mongoose from "mongoose";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { WEB_ENV, WEB_NODE_OPTIONS } from "../scripts/web-node-options.mjs";
import type { StoredPermit } from "~/core/permits/types";
import { loadThaiAddressBook } from "~/core/thai/address";
import { changePermitStatus, getPermit, latestChange, recordChange, upsertImportedPermits } from "~/models/permit.server";
import { registrySnapshotInfo, writeRegistrySnapshot } from "~/models/registry-snapshot.server";
import { PermitSearchIndex } from "~/core/registry/permit-search-index";
import { registryIndexStatus, resetRegistryIndexForTests, warmRegistryIndex } from "~/services/registry.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { createPermitGenerator, samePermitContent } from "../test/support/permits";
import { registryQueryKinds } from "./lib/registry-queries";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const SLOW_LOOKUP_MS = 25;
const BATCH = 2_000;
const SAMPLES = 4_000;
const TODAY = "2026-11-25";
const NOW = new Date(`${TODAY}T05:00:00Z`);

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const log = (...args: unknown[]) => console.error(`[registry-start ${new Date().toISOString().slice(11, 19)}]`, ...args);

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const ms = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : "n/a");
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const int = (n: number) => n.toLocaleString("en-US");
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
function latency(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `${ms(pct(s, 50))} / ${ms(pct(s, 95))} / ${ms(pct(s, 99))} / ${ms(s[s.length - 1])}`;
}

function sizesFromArgs(): number[] {
  const at = process.argv.indexOf("--sizes");
  const raw = at >= 0 ? process.argv[at + 1] : "100000";
  const sizes = (raw ?? "").split(",").map((s) => Number(s.replace(/_/g, "")));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < BATCH)) throw new Error(`--sizes: whole numbers ≥ ${BATCH}, got "${raw}"`);
  return sizes;
}


type ChildReport = {
  importMs: number;
  connectMs: number;
  firstQueryMs: number;
  warmMs: number;
  firstPageMs: number;
  lookups: number[];
  inQuery: number[];
  firstSearchMs: number;
  firstTotal: number;
  lastBuild?: { from: string; localCopy?: boolean; readMs: number; indexMs: number; totalMs: number; snapshotBytes?: number; permits: number };
  rssAfterStart: number;
  heapAfterStart: number;
  arrayBuffersAfterStart: number;
  rssAfterQueries: number;
  /** RSS right after the last search (no forced gc), and the peak RSS over the searches (VmHWM reset after start). */
  rssBeforeGc: number;
  peakRss: number;
  heapAfterQueries: number;
  arrayBuffersAfterQueries: number;
  heapTotalAfterQueries: number;
  results: { name: string; samples: number[]; hits: number }[];
};

/** Starts a new process on the database; resolves with its report and the wall time from spawn to its first search. */
function startProcess(uri: string, queriesFile: string, cacheDir: string, perKind: number): Promise<{ report: ChildReport; wallFirstMs: number }> {
  const spawnedAt = performance.now();
  let wallFirstMs = NaN;
  const child = spawn("npx", ["tsx", "bench/registry-start-child.ts", queriesFile, NOW.toISOString(), String(perKind)], {
    cwd: ROOT,
    // The web process's node options, as scripts/start.mjs gives server.js (through npx and tsx to the child).
    env: { ...process.env, ...WEB_ENV, MONGODB_URI: uri, REGISTRY_CACHE_DIR: cacheDir, NODE_OPTIONS: [process.env.NODE_OPTIONS ?? "", ...WEB_NODE_OPTIONS].join(" ").trim() },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (c: string) => (out += c));
  child.stderr.on("data", (c: string) => {
    err += c;
    if (Number.isNaN(wallFirstMs) && err.includes("first-search")) wallFirstMs = performance.now() - spawnedAt;
  });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve({ report: JSON.parse(out) as ChildReport, wallFirstMs }) : reject(new Error(`child exited ${code}: ${err}`)))),
  );
}

async function benchSize(size: number): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  const keep = process.env.BENCH_DATA_DIR ? path.resolve(process.env.BENCH_DATA_DIR, String(size)) : undefined;
  if (keep) mkdirSync(keep, { recursive: true });
  const dataDir = keep ?? mkdtempSync(path.join(os.tmpdir(), "borikan-registry-start-"));
  const seededMark = path.join(dataDir, "seeded.json");
  const reuse = keep !== undefined && existsSync(seededMark);
  let ferret: { uri: string; stop(): Promise<void> } | undefined;
  try {
    ferret = await startFerretDb({ port: await freePort(), dataDir, log });
    const uri = `${ferret.uri}borikan-registry-start`;
    process.env.MONGODB_URI = uri;
    // The first process's copy of the snapshot stays out of the new processes' way (their own dir).
    process.env.REGISTRY_CACHE_DIR = path.join(dataDir, "cache-first");
    await connectDb(uri);
    resetRegistryIndexForTests();

    // 1. Seed.
    const generator = createPermitGenerator(await loadThaiAddressBook());
    const every = Math.max(1, Math.floor(size / SAMPLES));
    const samples: StoredPermit[] = [];
    const generatedBuild = process.env.BENCH_BUILD === "generated" ? new PermitSearchIndex() : undefined;
    const Permit = mongoose.model("Permit");
    const seedStart = performance.now();
    let generated = 0;
    let plain = false;
    while (generated < size) {
      const count = Math.min(BATCH, size - generated);
      const batch = Array.from({ length: count }, () => generator.next());
      batch.forEach((p, i) => (generated + i) % every === 0 && samples.push(p));
      generatedBuild?.upsert(batch);
      generated += count;
      if (reuse) continue;
      if (!plain) {
        await upsertImportedPermits(batch, samePermitContent);
        const start = performance.now();
        await getPermit(`NO-SUCH-${Math.random()}`);
        plain = performance.now() - start > SLOW_LOOKUP_MS;
      } else {
        await recordChange(batch.map((p) => p.number));
        await Permit.insertMany(
          batch.map(({ number, ...rest }) => ({ _id: number, ...rest })),
          { ordered: false, lean: true },
        );
      }
      if (generated % 100_000 === 0 || generated === size) log(`seeded ${int(generated)} in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`);
    }
    const seededRow = reuse
      ? (JSON.parse(readFileSync(seededMark, "utf8")) as { row: string }).row + " (an earlier run's database, BENCH_DATA_DIR)"
      : `${int(size)} permits in ${((performance.now() - seedStart) / 1000).toFixed(0)} s (load ${load()})`;
    if (!reuse && keep) writeFileSync(seededMark, JSON.stringify({ row: seededRow }));
    rows.push(["Seeded", seededRow]);
    if (process.argv.includes("--seed-only")) return rows;

    // Past the 30 s in which a change counts as recent, so the first build below measures the build and not
    // also the re-read of the permits imported at the end of seeding (ADR 002's build figure included it).
    await new Promise((resolve) => setTimeout(resolve, 31_000));

    // 2. The first process ever: builds from the store and writes the first snapshot.
    const buildStart = performance.now();
    if (generatedBuild) await writeRegistrySnapshot(generatedBuild.toSnapshot(), await latestChange(), new Date());
    else await warmRegistryIndex();
    const buildMs = performance.now() - buildStart;
    const built = registryIndexStatus().lastBuild ?? { readMs: 0, indexMs: 0, totalMs: 0 };
    const snapshot = (await registrySnapshotInfo())!;
    gc();
    rows.push(
      [
        generatedBuild ? "First snapshot (BENCH_BUILD=generated: the generated permits indexed in the bench process, not read back from the store) + write" : "First start ever (no snapshot): build from the store + write the snapshot",
        `${(buildMs / 1000).toFixed(1)} s: reading the store ${(built.readMs / 1000).toFixed(1)} s, indexing ${(built.indexMs / 1000).toFixed(1)} s, ` +
          `then the first sync and writing the snapshot (${mib(snapshot.bytes)}, deflated ${mib(snapshot.stored)} in ${snapshot.chunks} chunks) ${((buildMs - built.totalMs) / 1000).toFixed(1)} s (load ${load()})`,
      ],
      ["RSS of that process after the build (lean index, no entries)", `${mib(process.memoryUsage().rss)}; heap ${mib(process.memoryUsage().heapUsed)}`],
    );
    log(`built in ${(buildMs / 1000).toFixed(1)} s, snapshot ${mib(snapshot.bytes)}`);

    // 3. Changes after the snapshot, for the new process to catch up.
    const extra = Array.from({ length: 1_000 }, () => generator.next());
    await upsertImportedPermits(extra, samePermitContent);
    let changed = 0;
    for (const permit of samples.filter((p) => p.status === "valid").slice(0, 10)) {
      const stored = await getPermit(permit.number);
      if (stored && (await changePermitStatus(permit.number, stored.rev, { to: "suspended", reason: "bench", by: "bench", at: new Date() }, "valid"))) changed += 1;
    }
    await disconnectDb();

    // 4. A new web process.
    const queriesFile = path.join(dataDir, "queries.json");
    writeFileSync(queriesFile, JSON.stringify(registryQueryKinds(samples, (p) => p.address.province, QUERIES + 20)));
    const loadBefore = load();
    const hostCache = path.join(dataDir, "cache-host");
    const { report, wallFirstMs } = await startProcess(uri, queriesFile, hostCache, QUERIES);
    // A second web process on the same host: the first left its copy of the snapshot there.
    const second = await startProcess(uri, queriesFile, hostCache, 0);
    const startRow = (label: string, r: ChildReport, wall: number): [string, string] => {
      const lb = r.lastBuild;
      return [
        label,
        `${(r.firstSearchMs / 1000).toFixed(2)} s from node's start (${(wall / 1000).toFixed(2)} s from spawning \`npx tsx\`), of which: modules loaded ${(r.importMs / 1000).toFixed(2)} s, ` +
          `connect ${ms(r.connectMs)}, first query ${ms(r.firstQueryMs)}, snapshot load + catch-up ${ms(r.warmMs)}, first page ${ms(r.firstPageMs)}; ` +
          (lb ? `index from the ${lb.from}${lb.from === "snapshot" ? (lb.localCopy ? " (this host's copy)" : " (database)") : ""}: read ${(lb.readMs / 1000).toFixed(2)} s, decoded ${(lb.indexMs / 1000).toFixed(2)} s; ` : "") +
          `RSS after start ${mib(r.rssAfterStart)}; first page of ${int(r.firstTotal)}`,
      ];
    };
    rows.push(
      ["Changes after the snapshot, caught up by each new process", `1 import of 1,000 permits + ${changed} status changes (load before ${loadBefore})`],
      startRow("New web process (snapshot from the database): time from start to first served search", report, wallFirstMs),
      startRow("Second new web process on that host (its copy of the snapshot): time from start to first served search", second.report, second.wallFirstMs),
      ["New web process: RSS after start (after gc)", `${mib(report.rssAfterStart)} (heap ${mib(report.heapAfterStart)}, array buffers ${mib(report.arrayBuffersAfterStart)}); after the queries ${mib(report.rssAfterQueries)}, before that gc ${mib(report.rssBeforeGc)}, peak during them ${mib(report.peakRss)} (heap ${mib(report.heapAfterQueries)} used of ${mib(report.heapTotalAfterQueries)}, array buffers ${mib(report.arrayBuffersAfterQueries)})`],
    );
    const all: number[] = [];
    for (const result of report.results) {
      all.push(...result.samples);
      rows.push([
        `New web process, service (sync + page read by \`_id\`): ${result.name} ×${result.samples.length}: p50 / p95 / p99 / max`,
        `${latency(result.samples)} (mean ${int(Math.round(result.hits / result.samples.length))} hits)`,
      ]);
    }
    rows.push([`One page's 20 permits: 20 \`_id\` lookups at once / one \`$in\` query ×20: p50 / p95 / p99 / max`, `${latency(report.lookups)} / ${latency(report.inQuery)}`]);
    rows.push([`New web process, all ${all.length} searches: p50 / p95 / p99 / max`, `${latency(all)} (load after ${load()})`]);
    const sorted = [...all].sort((a, b) => a - b);
    headlines.push({ size, firstSearchMs: report.firstSearchMs, rssMiB: report.rssAfterStart / 2 ** 20, rssAfterQueriesMiB: report.rssAfterQueries / 2 ** 20, peakRssMiB: report.peakRss / 2 ** 20, searchP50Ms: pct(sorted, 50), searchP95Ms: pct(sorted, 95) });
    return rows;
  } finally {
    resetRegistryIndexForTests();
    await disconnectDb().catch(() => {});
    await ferret?.stop().catch(() => {});
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Per size: start to first served search, RSS after start, search latency over every kind. */
const headlines: { size: number; firstSearchMs: number; rssMiB: number; rssAfterQueriesMiB: number; peakRssMiB: number; searchP50Ms: number; searchP95Ms: number }[] = [];

async function main() {
  const t0 = Date.now();
  const sections: string[] = [];
  const table = (title: string, body: [string, string][]) =>
    [`| ${title} | |`, "|---|---|", ...body.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`)].join("\n");
  for (const size of sizesFromArgs()) {
    log(`--- ${int(size)} permits ---`);
    sections.push(`### ${int(size)} permits\n\n${table("Measure", await benchSize(size))}\n`);
  }
  if (process.argv.includes("--seed-only")) return void log(`seeded: ${sections.join(" ")}`);
  const cpus = os.cpus();
  const machine: [string, string][] = [
    ["Node", process.version],
    ["CPUs", `${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}`],
    ["Database", "FerretDB v1.24.2, SQLite backend (embedded), fresh temp dir per size"],
    ["Queries", `${QUERIES} per kind after 20 warm-up, today = ${TODAY}; latencies p50 / p95 / p99 / max`],
    ["Bench wall time", `${((Date.now() - t0) / 1000).toFixed(0)} s`],
  ];
  const md = [`## Registry start-up bench (shared snapshot) — ${new Date().toISOString()}`, "", ...sections, table("Machine", machine), "", ""].join("\n");
  console.log(md);
  appendFileSync(path.join(ROOT, "bench/results/registry.md"), md);
  log("appended to bench/results/registry.md");
  const jsonAt = process.argv.indexOf("--json");
  if (jsonAt >= 0) writeFileSync(process.argv[jsonAt + 1]!, JSON.stringify(headlines));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
