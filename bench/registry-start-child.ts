/**
 * One freshly started web process for bench/registry-start.ts: connects, serves its first registry search
 * (timed from the process's own start, `performance.now()`), then measures RSS and search latency
 * through the service (change-log sync + the page's permits read by `_id`). Prints JSON on stdout.
 *
 *   npx tsx bench/registry-start-child.ts <queries.json> <now ISO> <per kind>
 */
import { readFileSync, writeFileSync } from "node:fs";
import v8 from "node:v8";
import vm from "node:vm";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { registrySnapshotInfo } from "~/models/registry-snapshot.server";
import { getPermit } from "~/models/permit.server";
import mongoose from "mongoose";
import { registryIndexStatus, searchRegistry, warmRegistryIndex } from "~/services/registry.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const [file, nowIso, perKindRaw] = process.argv.slice(2);
const kinds = JSON.parse(readFileSync(file!, "utf8")) as { name: string; queries: RegistryQuery[] }[];
const now = new Date(nowIso!);
const perKind = Number(perKindRaw ?? 200);

const importedAt = performance.now();
await connectDb();
const connectedAt = performance.now();
await registrySnapshotInfo();
const firstQueryAt = performance.now();
await warmRegistryIndex();
const warmAt = performance.now();
const first = await searchRegistry({ q: "", page: 1, pageSize: 20 }, now);
const firstSearchMs = performance.now();
process.stderr.write("first-search\n");
const status = registryIndexStatus();
gc();
gc();
const rssAfterStart = process.memoryUsage().rss;
const { heapUsed: heapAfterStart, arrayBuffers: arrayBuffersAfterStart } = process.memoryUsage();
// The peak RSS while serving (VmHWM), counted from here: a figure after a forced gc alone hid the garbage a
// process really carries between its own major GCs (ADR 027). "5" resets the peak to the current RSS.
const peakKiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? NaN);
try {
  writeFileSync("/proc/self/clear_refs", "5");
} catch {
  // not Linux, or not allowed: the peak then includes the start
}

const results: { name: string; samples: number[]; hits: number }[] = [];
for (const kind of kinds) {
  for (const query of kind.queries.slice(0, 20)) await searchRegistry(query, now); // warm-up
  const samples: number[] = [];
  let hits = 0;
  for (const query of kind.queries.slice(0, perKind)) {
    const start = performance.now();
    const result = await searchRegistry(query, now);
    samples.push(performance.now() - start);
    hits += result.total;
  }
  results.push({ name: kind.name, samples, hits });
}
const rssBeforeGc = process.memoryUsage().rss;
const peakRss = peakKiB() * 1024;
gc();
const { rss: rssAfterQueries, heapUsed: heapAfterQueries, arrayBuffers: arrayBuffersAfterQueries, heapTotal: heapTotalAfterQueries } = process.memoryUsage();
// One page's permits: 20 `_id` lookups at once vs one `$in` query.
const lookups: number[] = [];
const inQuery: number[] = [];
const pageNumbers = first.items.map((i) => i.number);
for (let i = 0; i < 20; i++) {
  let start = performance.now();
  await Promise.all(pageNumbers.map((n) => getPermit(n))); // one `_id` lookup each (getPermits now uses `$in`)
  lookups.push(performance.now() - start);
  start = performance.now();
  await mongoose.model("Permit").find({ _id: { $in: pageNumbers } }).lean();
  inQuery.push(performance.now() - start);
}
process.stdout.write(
  JSON.stringify({
    importMs: importedAt,
    firstSearchMs,
    connectMs: connectedAt - importedAt,
    firstQueryMs: firstQueryAt - connectedAt,
    warmMs: warmAt - firstQueryAt,
    firstPageMs: firstSearchMs - warmAt,
    lookups,
    inQuery,
    firstTotal: first.total,
    lastBuild: status.lastBuild,
    seen: status.seen,
    rssAfterStart,
    heapAfterStart,
    arrayBuffersAfterStart,
    rssAfterQueries,
    rssBeforeGc,
    peakRss,
    heapAfterQueries,
    arrayBuffersAfterQueries,
    heapTotalAfterQueries,
    results,
  }),
);
await disconnectDb();
process.exit(0);
