/**
 * Registry search bench on the embedded database (FerretDB v1 on SQLite).
 *
 *   npx tsx bench/registry.ts [--sizes 100000,1000000]
 *
 * For each size, on a fresh FerretDB in a temp dir:
 * 1. seeds N generated permits (test/support/permits.ts: 77 provinces, Bangkok and Nonthaburi weighted)
 *    through upsertImportedPermits in batches of 2,000, as a paper-registry import would. Each batch
 *    first looks its 2,000 numbers up by `_id`; on the stock embedded FerretDB such a lookup scans the
 *    collection (see the note in bench/results/registry.md), so once one costs more than 25 ms the bench
 *    switches to the same writes without the look-up (recordChange + insertMany) and says so;
 * 2. builds the registry index from the store (warmRegistryIndex) and measures time, heap and RSS;
 * 3. search latency on the index itself for six kinds of query (≥ 500 each, after a warm-up);
 * 4. the same through searchRegistry (the service: change-log sync before every search), the sync cost
 *    when nothing changed, after one status change and after an import batch;
 * 5. appends a dated section to bench/results/registry.md.
 *
 * Knobs (env): BENCH_QUERIES (500 per kind), BENCH_PHASE_BUDGET_MS (120000: a loop stops early past
 * it and reports how many runs it made), FERRETDB_BIN (another ferretdb binary, see scripts/ferretdb.mjs).
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import mongoose from "mongoose";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import type { StoredPermit } from "~/core/permits/types";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { loadThaiAddressBook } from "~/core/thai/address";
import { changePermitStatus, getPermit, recordChange, upsertImportedPermits } from "~/models/permit.server";
import {
  currentRegistryIndex,
  exportRegistry,
  registryIndexStatus,
  resetRegistryIndexForTests,
  searchRegistry,
  warmRegistryIndex,
} from "~/services/registry.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { createPermitGenerator, samePermitContent } from "../test/support/permits";
import { registryQueryKinds, type RegistryQueryKind } from "./lib/registry-queries";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const PHASE_BUDGET_MS = Number(process.env.BENCH_PHASE_BUDGET_MS ?? 120_000);
/** Above this, a batch's 2,000 `_id` pre-checks cost more than a minute: seeding switches to plain inserts. */
const SLOW_LOOKUP_MS = 25;
const BATCH = 2_000;
const SAMPLES = 4_000;
const TODAY = "2026-11-25";
const NOW = new Date(`${TODAY}T05:00:00Z`);

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const log = (...args: unknown[]) => console.error(`[registry-bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const ms = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : "n/a");
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const int = (n: number) => n.toLocaleString("en-US");

function latency(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `${ms(pct(s, 50))} / ${ms(pct(s, 95))} / ${ms(pct(s, 99))} / ${ms(s[s.length - 1])}`;
}

function memory(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

function sizesFromArgs(): number[] {
  const at = process.argv.indexOf("--sizes");
  const raw = at >= 0 ? process.argv[at + 1] : "100000";
  const sizes = (raw ?? "").split(",").map((s) => Number(s.replace(/_/g, "")));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < BATCH)) throw new Error(`--sizes: whole numbers ≥ ${BATCH}, got "${raw}"`);
  return sizes;
}


type Kind = RegistryQueryKind;


async function measureKinds(kinds: Kind[], run: (query: RegistryQuery) => Promise<{ total: number }> | { total: number }): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  for (const kind of kinds) {
    for (const query of kind.queries.slice(0, 50)) await run(query); // warm-up
    const samples: number[] = [];
    let hits = 0;
    let empty = 0;
    const budgetEnd = Date.now() + PHASE_BUDGET_MS;
    for (const query of kind.queries) {
      if (Date.now() > budgetEnd) break;
      const start = performance.now();
      const result = await run(query);
      samples.push(performance.now() - start);
      hits += result.total;
      if (result.total === 0) empty++;
    }
    const short = samples.length < kind.queries.length ? ` (of ${kind.queries.length}, budget hit)` : "";
    rows.push([`${kind.name} ×${samples.length}${short}: p50 / p95 / p99 / max`, `${latency(samples)} (mean ${int(Math.round(hits / samples.length))} hits, ${empty} empty)`]);
    log(`${kind.name}: ${latency(samples)}`);
  }
  return rows;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** What upsertImportedPermits pays per new number before inserting it. */
function missingLookupMs(): Promise<number> {
  return timed(() => getPermit(`NO-SUCH-PERMIT-${Math.random().toString(36).slice(2)}`));
}

async function benchSize(size: number): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-registry-bench-"));
  let ferret: { uri: string; stop(): Promise<void> } | undefined;
  try {
    ferret = await startFerretDb({ port: await freePort(), dataDir, log });
    const uri = `${ferret.uri}borikan-registry-bench`;
    process.env.MONGODB_URI = uri;
    await connectDb(uri);
    resetRegistryIndexForTests();

    // 1. Seed.
    const generator = createPermitGenerator(await loadThaiAddressBook());
    const every = Math.max(1, Math.floor(size / SAMPLES));
    const samples: StoredPermit[] = [];
    let generated = 0;
    const nextBatch = (): StoredPermit[] => {
      const count = Math.min(BATCH, size - generated);
      const batch = Array.from({ length: count }, () => generator.next());
      batch.forEach((p, i) => (generated + i) % every === 0 && samples.push(p));
      generated += count;
      return batch;
    };
    const Permit = mongoose.model("Permit");
    const seedStart = performance.now();
    let viaImport = 0;
    let importSecs = 0;
    let switchNote = "";
    let lastLog = 0;
    let batches = 0;
    while (generated < size) {
      batches += 1;
      const batch = nextBatch();
      const start = performance.now();
      if (!switchNote) {
        const result = await upsertImportedPermits(batch, samePermitContent);
        viaImport += result.inserted.length;
        importSecs += (performance.now() - start) / 1000;
        if (batches % 5 === 0) {
          const lookup = await missingLookupMs();
          if (lookup > SLOW_LOOKUP_MS) switchNote = `after ${int(viaImport)} permits (one \`_id\` lookup of a new number took ${ms(lookup)})`;
        }
      } else {
        // What upsertImportedPermits does for new numbers, without looking each one up first.
        await recordChange(batch.map((p) => p.number));
        await Permit.insertMany(
          batch.map(({ number, ...rest }) => ({ _id: number, ...rest })),
          { ordered: false, lean: true },
        );
      }
      if (generated - lastLog >= 50_000 || generated === size) {
        lastLog = generated;
        const secs = (performance.now() - seedStart) / 1000;
        log(`seeded ${int(generated)} / ${int(size)} in ${secs.toFixed(0)} s (${(generated / secs).toFixed(0)}/s)${switchNote ? ", plain inserts" : ""}`);
      }
    }
    const seedSecs = (performance.now() - seedStart) / 1000;
    const directSecs = seedSecs - importSecs;
    const dbBytes = Number(execFileSync("du", ["-sb", dataDir], { encoding: "utf8" }).split(/\s/)[0]);
    rows.push([
      "Seeding through upsertImportedPermits × 2,000",
      `${int(viaImport)} permits in ${importSecs.toFixed(0)} s: ${(viaImport / importSecs).toFixed(0)} permits/s` +
        (switchNote ? `; then too slow, switched ${switchNote}` : ""),
    ]);
    if (switchNote) {
      rows.push([
        "Seeding the rest: recordChange + insertMany × 2,000",
        `${int(size - viaImport)} permits in ${directSecs.toFixed(0)} s: ${((size - viaImport) / directSecs).toFixed(0)} permits/s, ${(directSecs / ((size - viaImport) / 100_000)).toFixed(0)} s per 100k`,
      ]);
    }
    rows.push(["Database on disk (SQLite)", mib(dbBytes)]);
    const firstLookup = await timed(() => getPermit(samples[0].number));
    const lastLookup = await timed(() => getPermit(samples[samples.length - 1].number));
    const missing = await missingLookupMs();
    rows.push(["One `_id` lookup on permits: first inserted / last inserted / missing", `${ms(firstLookup)} / ${ms(lastLookup)} / ${ms(missing)}`]);

    // 2. Build from the store, as the service does on first use.
    const before = memory();
    const buildStart = performance.now();
    await warmRegistryIndex();
    const buildSecs = (performance.now() - buildStart) / 1000;
    const after = memory();
    const stats = registryIndexStatus().lastBuild;
    const index = await currentRegistryIndex();
    rows.push(
      [
        "Index build from the store (warmRegistryIndex: forEachPermit × 2,000, then the change log)",
        `${buildSecs.toFixed(1)} s for ${int(index.size)} permits` +
          (stats ? `: reading the store ${(stats.readMs / 1000).toFixed(1)} s, indexing ${(stats.indexMs / 1000).toFixed(1)} s` : ""),
      ],
      ["Heap used after build (index alone)", `${mib(after.heap)} (${mib(after.heap - before.heap)}); heap limit ${mib(v8.getHeapStatistics().heap_size_limit)}`],
      ["RSS after build", mib(after.rss)],
    );
    log(`index of ${int(index.size)} built in ${buildSecs.toFixed(1)} s; heap ${mib(after.heap)}`);

    // 3. Index search latency (no sync).
    const kinds = registryQueryKinds(samples, (p) => p.address.province, QUERIES);
    rows.push(...(await measureKinds(kinds, (query) => index.search(query, TODAY))).map(([k, v]): [string, string] => [`Index: ${k}`, v]));

    // 4. Through the service: a sync before every search.
    rows.push(...(await measureKinds(kinds, (query) => searchRegistry(query, NOW))).map(([k, v]): [string, string] => [`Service: ${k}`, v]));

    const exports: [string, RegistryQuery][] = [
      ["every match of ร้าน", { q: "ร้าน", page: 1, pageSize: 20 }],
      ["every permit in นนทบุรี", { q: "", province: "นนทบุรี", page: 1, pageSize: 20 }],
    ];
    for (const [label, q] of exports) {
      const start = performance.now();
      let count = 0;
      for await (const item of exportRegistry(q, NOW)) count += item.number ? 1 : 0;
      rows.push([`Service: exportRegistry, ${label}`, `${int(count)} permits in ${ms(performance.now() - start)}`]);
    }

    const idle: number[] = [];
    for (let i = 0; i < 500; i++) {
      const start = performance.now();
      await warmRegistryIndex();
      idle.push(performance.now() - start);
    }
    rows.push(["Service: sync when nothing changed ×500: p50 / p95 / p99 / max", latency(idle)]);

    const afterStatus: number[] = [];
    const changeMs: number[] = [];
    const targets = samples.filter((p) => p.status === "valid").slice(0, 100);
    const statusBudgetEnd = Date.now() + PHASE_BUDGET_MS;
    for (const permit of targets) {
      if (Date.now() > statusBudgetEnd) break;
      const changeStart = performance.now();
      const stored = await getPermit(permit.number);
      if (!stored) continue;
      await changePermitStatus(permit.number, stored.rev, { to: "suspended", reason: "bench", by: "bench", at: new Date() }, "valid");
      changeMs.push(performance.now() - changeStart);
      const start = performance.now();
      const result = await searchRegistry({ q: permit.number, status: "suspended", page: 1, pageSize: 20 }, NOW);
      afterStatus.push(performance.now() - start);
      if (result.items[0]?.number !== permit.number) throw new Error(`status change of ${permit.number} not seen`);
    }
    rows.push(
      [`Store: getPermit + changePermitStatus ×${changeMs.length}: p50 / p95 / p99 / max`, latency(changeMs)],
      [`Service: search right after a status change ×${afterStatus.length}: p50 / p95 / p99 / max`, latency(afterStatus)],
    );

    const importStart = performance.now();
    const extra = Array.from({ length: 20 }, () => generator.next());
    await upsertImportedPermits(extra, samePermitContent);
    const importMs = performance.now() - importStart;
    const syncStart = performance.now();
    const seen = await searchRegistry({ q: extra[0].number, page: 1, pageSize: 20 }, NOW);
    const syncMs = performance.now() - syncStart;
    if (seen.items[0]?.number !== extra[0].number) throw new Error("imported batch not seen");
    const next: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await warmRegistryIndex();
      next.push(performance.now() - start);
    }
    rows.push(
      ["Service: first search after importing 20 new permits", `${ms(syncMs)} (the import itself ${ms(importMs)})`],
      ["Service: next syncs (settled, nothing new) ×20: p50 / p95 / p99 / max", `${latency(next)}; re-reads pending: ${registryIndexStatus().pendingRereads}`],
    );
    return rows;
  } finally {
    resetRegistryIndexForTests();
    await disconnectDb().catch(() => {});
    await ferret?.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const t0 = Date.now();
  const sections: string[] = [];
  const sizes = sizesFromArgs();
  const table = (title: string, body: [string, string][]) =>
    [`| ${title} | |`, "|---|---|", ...body.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`)].join("\n");
  for (const size of sizes) {
    log(`--- ${int(size)} permits ---`);
    const rows = await benchSize(size);
    sections.push(`### ${int(size)} permits\n\n${table("Measure", rows)}\n`);
  }
  const cpus = os.cpus();
  const machine: [string, string][] = [
    ["Node", `${process.version}, heap limit ${mib(v8.getHeapStatistics().heap_size_limit)}`],
    ["CPUs", `${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}`],
    ["Memory", `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ["Platform", `${os.platform()} ${os.release()} ${os.arch()}`],
    ["Database", `FerretDB v1.24.2, SQLite backend (embedded), fresh temp dir per size; binary ${process.env.FERRETDB_BIN ?? "built by scripts/ferretdb.mjs (with its _id lookup patch)"}`],
    ["Queries", `${QUERIES} per kind after 50 warm-up, today = ${TODAY}; latencies p50 / p95 / p99 / max`],
    ["Bench wall time", `${((Date.now() - t0) / 1000).toFixed(0)} s`],
  ];
  const md = [`## Registry bench — ${new Date().toISOString()}`, "", ...sections, table("Machine", machine), "", ""].join("\n");
  console.log(md);
  const file = path.join(ROOT, "bench/results/registry.md");
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, "# Borikan registry search bench\n\nRun with `npx tsx bench/registry.ts [--sizes 100000,1000000]`; each run appends a section.\n\n");
  appendFileSync(file, md);
  log("appended to bench/results/registry.md");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
