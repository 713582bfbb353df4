/**
 * Rate limits on the embedded database: what one consume costs, and whether the count is exact under
 * concurrency — our claim store (app/services/security/rate-limiter-store.server.ts) beside the library's own
 * Mongo store, which FerretDB's non-atomic `$inc` lets overshoot.
 *
 *   npx tsx bench/rate-limits.ts        → prints a table and writes bench/results/rate-limits.md
 *
 * Knobs (env): BENCH_CONSUMES (2000 per scenario), BENCH_CONCURRENCY (8).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import mongoose from "mongoose";
import { RateLimiterMongo, RateLimiterRes } from "rate-limiter-flexible";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { RateLimiterClaimStore } from "~/services/security/rate-limiter-store.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONSUMES = Number(process.env.BENCH_CONSUMES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

type Row = { what: string; n: number; throughput: string; p50: string; p95: string };
const rows: Row[] = [];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Runs `n` operations, `concurrency` at a time; records latency percentiles and throughput. */
async function measure(what: string, n: number, concurrency: number, op: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await op(i).catch((error: unknown) => {
          if (!(error instanceof RateLimiterRes)) throw error;
        });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const row = { what, n, throughput: `${Math.round(n / seconds)} consumes/s`, p50: `${percentile(latencies, 50).toFixed(2)} ms`, p95: `${percentile(latencies, 95).toFixed(2)} ms` };
  rows.push(row);
  log(row);
}

/** How many of `attempts` simultaneous consumes of a limit of `points` a pair of limiters lets through. */
async function exactness(make: () => { consume: (key: string) => Promise<unknown> }, points: number, attempts: number, trials: number) {
  const allowed: number[] = [];
  for (let t = 0; t < trials; t++) {
    const [a, b] = [make(), make()];
    const key = `exact-${t}-${Math.random().toString(36).slice(2)}`;
    const settled = await Promise.allSettled(Array.from({ length: attempts }, (_, i) => (i % 2 ? a : b).consume(key)));
    allowed.push(settled.filter((s) => s.status === "fulfilled").length);
  }
  return allowed;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-rate-bench-"));
const ferret = await startFerretDb({ port: await freePort(), dataDir, log });
try {
  const uri = `${ferret.uri}borikan-rate-limit-bench`;
  process.env.MONGODB_URI = uri;
  await connectDb(uri);
  const store = (points: number, options: { resettable?: boolean; blockDuration?: number } = {}) =>
    new RateLimiterClaimStore({ keyPrefix: "bench", points, duration: 3_600, ...options });

  // Warm up: collection and index creation, connection pool.
  await measure("warm-up", 200, 4, (i) => store(1e9).consume(`warm-${i}`));
  rows.pop();

  const open = store(1e9);
  await measure("one key, one process, under the limit (one `_id` insert)", CONSUMES, 1, () => open.consume("one-key"));
  await measure("a new key each time (first request of an address)", CONSUMES, 1, (i) => open.consume(`new-${i}`));
  const [p1, p2] = [store(1e9), store(1e9)];
  await measure("one key, two processes taking turns (the other's slots found by `_id` reads)", CONSUMES, 1, (i) => (i % 2 ? p1 : p2).consume("turns"));
  await measure(`one key, ${CONCURRENCY} at once in one process (contention)`, CONSUMES, CONCURRENCY, () => open.consume("contended"));
  await measure(`distinct keys, ${CONCURRENCY} at once`, CONSUMES, CONCURRENCY, (i) => open.consume(`parallel-${i}`));
  const small = store(10);
  await measure("over the limit (answered from memory after the first refusal)", CONSUMES, 1, () => small.consume("over"));
  const signIn = store(9, { resettable: true, blockDuration: 900 });
  await measure("sign-in style: lock check (get) + failure (consume), resettable", Math.min(CONSUMES, 500), 1, async (i) => {
    const key = `account-${i % 50}`;
    await signIn.get(key);
    await signIn.consume(key);
  });

  const ours = await exactness(() => store(10), 10, 50, 5);
  log("claim store: allowed of 50 concurrent, limit 10:", ours);
  const client = mongoose.connection.getClient();
  // The unique index the library would make, had FerretDB not refused the TTL index it creates first.
  await client.db("borikan-rate-limit-bench").collection("library_limits").createIndex({ key: 1 }, { unique: true });
  const library = await exactness(() => new RateLimiterMongo({ storeClient: client, dbName: "borikan-rate-limit-bench", tableName: "library_limits", points: 10, duration: 3_600, disableIndexesCreation: true }), 10, 50, 5);
  log("library RateLimiterMongo: allowed of 50 concurrent, limit 10:", library);

  const table = [
    "| what | n | throughput | p50 | p95 |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.what} | ${r.n} | **${r.throughput}** | ${r.p50} | ${r.p95} |`),
  ].join("\n");
  const report = `# Rate limits: cost of a consume, and exactness (${new Date().toISOString().slice(0, 10)})

Embedded FerretDB v1.24.2 (SQLite), ${os.cpus().length} cores (shared with other work), Node ${process.version}. \`npx tsx bench/rate-limits.ts\`.
Store: \`RateLimiterClaimStore\` (slot claims by \`_id\` insert), limits of one hour.

${table}

## Exactness: 50 simultaneous consumes of a limit of 10, from two limiters (two processes' memories), 5 trials
| store | allowed in each trial |
|---|---|
| \`RateLimiterClaimStore\` (ours) | ${ours.join(", ")} |
| the library's \`RateLimiterMongo\` (\`$inc\` upsert) on FerretDB | ${library.join(", ")} |

The library's store relies on \`findOneAndUpdate\` with \`$inc\` being atomic, which FerretDB v1 does not
guarantee (it applies the update in Go and writes the whole document back). Its unique index on \`key\` was
created by hand here: the library creates it after a TTL index, which FerretDB refuses ("expireAfterSeconds
is not implemented yet"), so without it concurrent first consumes even insert separate counters.
`;
  writeFileSync(path.join(ROOT, "bench/results/rate-limits.md"), report);
  console.log(report);
} finally {
  await disconnectDb();
  await ferret.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
