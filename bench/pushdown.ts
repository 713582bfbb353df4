/**
 * FerretDB pushdown patch (scripts/ferretdb-patches/0002) at the inbox's scale: 100,000 case-shaped documents
 * (~5 KB each, 21 agencies) and 100,000 users, with the app's indexes; p50/p95 of the inbox page, its count,
 * "my requests" and sign-in by e-mail, with pushdown and with `--test-disable-pushdown`, on the same data files (the server is restarted).
 *
 *   npx tsx bench/pushdown.ts            # BENCH_DOCS=100000 BENCH_RUNS=30 BENCH_RUNS_DISABLED=5
 *
 * Not a timed test: prints a Markdown table (also for bench/results/pushdown.md).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient, ObjectId, type Document } from "mongodb";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { seededRandom } from "../scripts/seeded-random";

const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const RUNS_DISABLED = Number(process.env.BENCH_RUNS_DISABLED ?? 5);
const log = (...args: unknown[]) => console.error(`[pushdown ${new Date().toISOString().slice(11, 19)}]`, ...args);

const rnd = seededRandom(42);
const AGENCIES = Array.from(
  { length: 21 },
  (_, i) => new ObjectId(`66a0000000000000000000${String(i).padStart(2, "0")}`)
);
const SERVICES = Array.from(
  { length: 40 },
  (_, i) => new ObjectId(`66b0000000000000000000${String(i).padStart(2, "0")}`)
);
const STATES = ["submitted", "in_review", "needs_info", "approved", "rejected"];
const APPLICANTS = 20_000;
const applicantId = (i: number) => new ObjectId(`66c0000000000000${String(i).padStart(8, "0")}`);
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const email = (i: number) => `user${i}+test@example.go.th`;
const FILLER = "ข้อมูลคำขอ ".repeat(13);

function makeCase(i: number): Document {
  const data: Document = {};
  for (let f = 0; f < 12; f++) data[`field${f}`] = `${FILLER}${i}-${f}`;
  return {
    _id: new ObjectId(),
    number: `C-${String(i).padStart(7, "0")}`,
    agencyId: AGENCIES[Math.floor(rnd() * AGENCIES.length)],
    serviceId: SERVICES[Math.floor(rnd() * SERVICES.length)],
    state: STATES[Math.floor(rnd() * STATES.length)],
    applicantId: applicantId(Math.floor(rnd() * APPLICANTS)),
    createdAt: new Date(Date.UTC(2022, 0, 1) + Math.floor(rnd() * 3 * 365 * 86_400_000)),
    rev: 1,
    data,
  };
}

function percentiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: at(50), p95: at(95) };
}

async function time(runs: number, fn: (i: number) => Promise<unknown>, warmUp = true) {
  if (warmUp) await fn(0);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    ms.push(performance.now() - start);
  }
  return percentiles(ms);
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-pushdown-"));
  const results: Record<string, Record<string, { p50: number; p95: number }>> = {};
  try {
    for (const mode of ["pushdown", "disabled"] as const) {
      const server = await startFerretDb({
        port: await freePort(),
        dataDir,
        extraArgs: mode === "disabled" ? ["--test-disable-pushdown"] : [],
      });
      const client = new MongoClient(server.uri, { directConnection: true });
      try {
        const cases = client.db("bench").collection("cases");
        if (mode === "pushdown") {
          await cases.createIndexes([
            { key: { agencyId: 1, createdAt: -1 } },
            { key: { applicantId: 1 } },
            { key: { agencyId: 1, state: 1, createdAt: -1 } },
          ]);
          log(`inserting ${DOCS} documents...`);
          const started = performance.now();
          for (let i = 0; i < DOCS; i += 1000) {
            await cases.insertMany(Array.from({ length: Math.min(1000, DOCS - i) }, (_, j) => makeCase(i + j)));
          }
          log(`inserted in ${((performance.now() - started) / 1000).toFixed(0)} s`);
          const users = client.db("bench").collection("users");
          await users.createIndex({ email: 1 }, { unique: true });
          for (let i = 0; i < USERS; i += 1000) {
            await users.insertMany(
              Array.from({ length: Math.min(1000, USERS - i) }, (_, j) => ({
                email: email(i + j),
                name: `ผู้ใช้ ${i + j}`,
                roles: ["applicant"],
                passwordHash: FILLER.slice(0, 60),
              }))
            );
          }
        }
        const runs = mode === "pushdown" ? RUNS : RUNS_DISABLED;
        // a disabled-pushdown query reads the whole collection (tens of seconds): no warm-up run there
        const warm = mode === "pushdown";
        const agency = (i: number) => AGENCIES[(i + 21) % AGENCIES.length];
        log(`${mode}: measuring (${runs} runs each)`);
        results[mode] = {
          "inbox page: find({agencyId}).sort({createdAt:-1}).skip(380).limit(20)": await time(
            runs,
            (i) =>
              cases
                .find({ agencyId: agency(i) })
                .sort({ createdAt: -1 })
                .skip(380)
                .limit(20)
                .toArray(),
            warm
          ),
          "inbox + state: find({agencyId, state}).sort({createdAt:-1}).limit(20)": await time(
            runs,
            (i) =>
              cases
                .find({ agencyId: agency(i), state: "in_review" })
                .sort({ createdAt: -1 })
                .limit(20)
                .toArray(),
            warm
          ),
          "inbox total: count({agencyId}) (count command)": await time(
            runs,
            (i) => client.db("bench").command({ count: "cases", query: { agencyId: agency(i) } }),
            warm
          ),
          "sign-in: findOne({email}) among users": await time(
            runs,
            (i) =>
              client
                .db("bench")
                .collection("users")
                .findOne({ email: email((i * 7919 + 3) % USERS) }),
            warm
          ),
          "my requests: find({applicantId})": await time(
            runs,
            (i) =>
              cases
                .find({
                  applicantId: applicantId((i * 7919 + 11) % APPLICANTS),
                })
                .toArray(),
            warm
          ),
        };
        if (mode === "pushdown") {
          const explain = await cases
            .find({ agencyId: agency(0) })
            .sort({ createdAt: -1 })
            .limit(400)
            .explain();
          log(
            "explain:",
            JSON.stringify((explain.queryPlanner as Document).Plan),
            explain.filterPushdown,
            explain.sortPushdown
          );
        }
      } finally {
        await client.close();
        await server.stop();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  log(`done; pushdown runs ${RUNS}, disabled runs ${RUNS_DISABLED}`);
  console.log(`FerretDB ${DOCS} cases (~5 KB), p50 / p95 in ms\n`);
  console.log("| query | pushdown p50 | pushdown p95 | disabled p50 | disabled p95 |");
  console.log("|---|---:|---:|---:|---:|");
  for (const query of Object.keys(results.pushdown)) {
    const a = results.pushdown[query];
    const b = results.disabled[query];
    console.log(`| ${query} | ${a.p50.toFixed(1)} | ${a.p95.toFixed(1)} | ${b.p50.toFixed(0)} | ${b.p95.toFixed(0)} |`);
  }
}

await main();
