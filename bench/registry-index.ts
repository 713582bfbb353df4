/**
 * The registry index alone, in one process (no database): builds N generated permits in memory (or loads the
 * image cached in BENCH_CACHE_DIR from an earlier run of the same code) and times bench/registry.ts's six kinds
 * of query on it. Prints p50 / p95 per kind and a digest of every answer (numbers and totals), so two versions
 * of the index can be checked to answer identically.
 *
 *   npx tsx bench/registry-index.ts --sizes 100000,1000000
 *
 * Knobs (env): BENCH_QUERIES (300 per kind), BENCH_CACHE_DIR (unset: no cache), BENCH_INDEX_MODULE (see below).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StoredPermit } from "~/core/permits/types";
import { hash53, PermitSearchIndex as CurrentIndex } from "~/core/registry/permit-search-index";
import { loadThaiAddressBook } from "~/core/thai/address";
import { createPermitGenerator } from "../test/support/permits";
import { registryQueryKinds } from "./lib/registry-queries";

/** BENCH_INDEX_MODULE=<file>: another version of the index module (e.g. main's, copied aside), for side-by-side runs. */
const PermitSearchIndex: typeof CurrentIndex = process.env.BENCH_INDEX_MODULE
  ? ((await import(path.resolve(process.env.BENCH_INDEX_MODULE))) as { PermitSearchIndex: typeof CurrentIndex }).PermitSearchIndex
  : CurrentIndex;
type PermitSearchIndex = CurrentIndex;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const CACHE = process.env.BENCH_CACHE_DIR;
const TODAY = "2026-11-25";
const SAMPLES = 4_000;
const arg = process.argv.indexOf("--sizes");
const sizes = (arg > 0 ? process.argv[arg + 1] : "100000,1000000").split(",").map(Number);
const log = (...args: unknown[]) => console.error(`[registry-index ${new Date().toISOString().slice(11, 19)}]`, ...args);

type Sample = Pick<StoredPermit, "number" | "holderName" | "agencyId"> & { province: string };


async function build(size: number): Promise<{ index: PermitSearchIndex; samples: Sample[] }> {
  const file = CACHE && path.join(CACHE, `index-${size}`);
  if (file && existsSync(`${file}.brix`)) {
    const index = PermitSearchIndex.fromSnapshot(new Uint8Array(readFileSync(`${file}.brix`)));
    return { index, samples: JSON.parse(readFileSync(`${file}.json`, "utf8")) as Sample[] };
  }
  const generator = createPermitGenerator(await loadThaiAddressBook());
  const index = new PermitSearchIndex();
  const samples: Sample[] = [];
  const every = Math.max(1, Math.floor(size / SAMPLES));
  for (let done = 0; done < size; ) {
    const batch: StoredPermit[] = [];
    for (let i = 0; i < 2_000 && done < size; i++, done++) {
      const p = generator.next();
      if (done % every === 0) samples.push({ number: p.number, holderName: p.holderName, agencyId: p.agencyId, province: p.address.province ?? "" });
      batch.push(p);
    }
    index.upsert(batch);
  }
  index.prepare();
  if (file) {
    writeFileSync(`${file}.brix`, index.toSnapshot());
    writeFileSync(`${file}.json`, JSON.stringify(samples));
  }
  return { index, samples };
}

const ms = (x: number) => x.toFixed(1);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

for (const size of sizes) {
  const started = performance.now();
  const { index, samples } = await build(size);
  log(`${size}: index of ${index.size} ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const all: number[] = [];
  for (const kind of registryQueryKinds(samples, (s) => s.province, QUERIES)) {
    for (const query of kind.queries.slice(0, 30)) index.search(query, TODAY);
    const times: number[] = [];
    let digest = 0;
    let hits = 0;
    for (const query of kind.queries) {
      const t = performance.now();
      const result = index.search(query, TODAY);
      times.push(performance.now() - t);
      hits += result.total;
      digest = hash53(`${digest}|${result.total}|${result.numbers.join(",")}`);
    }
    all.push(...times);
    times.sort((a, b) => a - b);
    console.log(`${size}\t${kind.name}\tp50 ${ms(quantile(times, 0.5))}\tp95 ${ms(quantile(times, 0.95))}\tmean hits ${Math.round(hits / times.length)}\tdigest ${digest}`);
  }
  all.sort((a, b) => a - b);
  console.log(`${size}\tall kinds\tp50 ${ms(quantile(all, 0.5))}\tp95 ${ms(quantile(all, 0.95))}`);
}
