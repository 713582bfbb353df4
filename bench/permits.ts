/**
 * Permit issuing and verification on the embedded database (FerretDB v1 on SQLite).
 *
 *   npx tsx bench/permits.ts
 *
 * 1. starts its own FerretDB in a temp dir and seeds the demo data (with the imported paper-era permits);
 * 2. issuing: BENCH_ISSUE cases are taken to "awaiting fee", then FEE_PAID is fired for all of them at
 *    BENCH_CONCURRENCY — each issues a signed permit and renders and stores its PDF (and the approval
 *    letter before it); reports permits/s and the latency of one FEE_PAID;
 * 3. verification: `verifyPermitNumber` (what GET /api/v1/permits/:number/verify runs) at BENCH_CONCURRENCY,
 *    then again after BENCH_EXTRA_PERMITS more permits are bulk-loaded, to show how it grows with the store;
 *    and over HTTP against the built server (`node server.js`) when build/index.js exists;
 * 4. writes bench/results/permits.md — or, with BENCH_PERMITS_JSON=FILE (bench/run.ts sets it), only the issuing
 *    figures as JSON to FILE.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { runPool, stats } from "./lib/measure";
import type { StoredPermit } from "~/core/permits/types";
import { countPermits, upsertImportedPermits } from "~/models/permit.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { caseDocuments } from "~/services/case-documents.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { seedDemo } from "~/services/seed-demo.server";
import { verifyPermitNumber } from "~/services/verify-permit.server";
import { getCase } from "~/models/case.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { caseAwaitingFee, demoActor, officer } from "../test/support/journeys";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ISSUE = Number(process.env.BENCH_ISSUE ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const VERIFY_RUNS = Number(process.env.BENCH_VERIFY_RUNS ?? 2000);
const EXTRA_PERMITS = Number(process.env.BENCH_EXTRA_PERMITS ?? 100_000);

const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Runs `task(i)` for i < n with `concurrency` in flight; returns per-task latencies and the wall time. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>) {
  const run = await runPool(n, concurrency, task);
  return { latencies: run.latencies, wallMs: run.seconds * 1000 };
}

function fakePermit(i: number, base: StoredPermit): StoredPermit {
  const number = `BNC-HH-2568-${String(i).padStart(7, "0")}`;
  return { ...base, number, holderName: `ผู้ประกอบการทดสอบ ${i}`, businessName: `ร้านทดสอบที่ ${i}`, source: "import", caseId: undefined, effectId: undefined };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-permits-"));
const db = await startFerretDb({ port: await freePort(), dataDir });
const uri = `${db.uri}borikan_bench_permits`;
process.env.MONGODB_URI = uri;
const rows: string[] = [];
const loads: string[] = [];
try {
  await connectDb(uri);
  await seedDemo({ log: () => undefined });

  log(`preparing ${ISSUE} cases awaiting the fee…`);
  const ids: string[] = [];
  for (let i = 0; i < ISSUE; i++) ids.push(await caseAwaitingFee(1000 + i));
  const staff = await officer();
  log(`issuing ${ISSUE} permits at concurrency ${CONCURRENCY}…`);
  // CPU time per permit, this process (PDF worker threads included) and the database, which the load of
  // other work on the machine changes far less than the throughput.
  const cpuMs = (pid: number) => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100); // utime + stime, in clock ticks of 10 ms
  };
  const dbPid = (db as unknown as { process: { pid: number } }).process.pid;
  const cpuBefore = { node: cpuMs(process.pid), db: cpuMs(dbPid) };
  loads.push(readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "));
  const issued = await pool(ids.length, CONCURRENCY, async (i) => {
    // End to end: the transition returns before the permit exists; settling waits for it.
    await fireCaseEvent(staff, ids[i]!, { type: "FEE_PAID" });
    await settleCaseEffects(ids[i]!);
  });
  const numbers: string[] = [];
  for (const id of ids) {
    const permit = (await caseDocuments((await getCase(id))!)).issued.find((d) => d.kind === "permit");
    if (permit?.kind === "permit") numbers.push(permit.number);
  }
  if (numbers.length !== ISSUE) throw new Error(`expected ${ISSUE} permits, found ${numbers.length}`);
  loads.push(readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "));
  const cpu = { node: (cpuMs(process.pid) - cpuBefore.node) / ISSUE, db: (cpuMs(dbPid) - cpuBefore.db) / ISSUE };
  const issue = stats(issued.latencies);
  const perSecond = ISSUE / (issued.wallMs / 1000);
  rows.push(`| issue permits (FEE_PAID → number, signed permit, stored PDF, notice), concurrency ${CONCURRENCY}, PDF_WORKERS=${process.env.PDF_WORKERS ?? 1} | ${ISSUE} | **${perSecond.toFixed(1)} permits/s** | ${ms(issue.p50)} | ${ms(issue.p95)} |`);
  rows.push(`| CPU per permit issued: Node (serving thread + PDF threads) / FerretDB | | ${cpu.node.toFixed(0)} ms / ${cpu.db.toFixed(0)} ms | | |`);
  log(`issued ${perSecond.toFixed(1)} permits/s, p50 ${ms(issue.p50)}`);
  if (process.env.BENCH_PERMITS_JSON) {
    writeFileSync(process.env.BENCH_PERMITS_JSON, JSON.stringify({ perSecond, p50: issue.p50, p95: issue.p95, cpuNodeMs: cpu.node, cpuDbMs: cpu.db, loads }));
  }

  const verifyAt = async (label: string) => {
    const total = await countPermits();
    const run = await pool(VERIFY_RUNS, 8, async (i) => {
      const result = await verifyPermitNumber(numbers[i % numbers.length]!);
      if (!result?.signature.valid) throw new Error("verification failed");
    });
    const s = stats(run.latencies);
    rows.push(`| verify (service), ${label}: ${total.toLocaleString("en")} permits in store, concurrency 8 | ${s.n} | **${(s.n / (run.wallMs / 1000)).toFixed(0)} verifications/s** | ${ms(s.p50)} | ${ms(s.p95)} |`);
    log(`verify at ${total} permits: ${(s.n / (run.wallMs / 1000)).toFixed(0)}/s p50 ${ms(s.p50)}`);
  };
  await verifyAt("after issuing");

  if (EXTRA_PERMITS > 0) {
    log(`bulk-loading ${EXTRA_PERMITS} more permits…`);
    const { getPermit } = await import("~/models/permit.server");
    const base = (await getPermit(numbers[0]!))!;
    for (let i = 0; i < EXTRA_PERMITS; i += 2000) {
      const batch = Array.from({ length: Math.min(2000, EXTRA_PERMITS - i) }, (_, k) => fakePermit(i + k, base));
      await upsertImportedPermits(batch, () => true);
    }
    await verifyAt("after bulk load");

    // A revision-guarded status change ({ _id, rev } update) on a store of this size.
    const { changeStatus } = await import("~/services/permit-lifecycle.server");
    const boss = await demoActor("approver@sukjai.demo.borikan.local");
    const changes = await pool(Math.min(40, numbers.length), 1, async (i) => {
      await changeStatus(boss, numbers[i]!, { to: "suspended", reason: "ตรวจพบข้อบกพร่อง (bench)" });
    });
    const c = stats(changes.latencies);
    rows.push(`| suspend a permit (revision-guarded write + change log), ${(await countPermits()).toLocaleString("en")} permits | ${c.n} | ${(c.n / (changes.wallMs / 1000)).toFixed(0)} changes/s | ${ms(c.p50)} | ${ms(c.p95)} |`);
  }

  const build = path.join(ROOT, "build/index.js");
  if (existsSync(build)) {
    const port = await freePort();
    const server = spawn("node", ["server.js"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production", RATE_LIMIT_PERMIT_VERIFY: "1000000/minute", MONGODB_URI: uri, PORT: String(port), SESSION_SECRET: "bench-secret-0123456789", KEY_ENCRYPTION_SECRET: "bench-key-secret-0123456789" },
      stdio: "ignore",
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      // Measure once the server has built its registry index at start-up, not while it reads the store.
      const ready = () =>
        fetch(`${base}/healthz`)
          .then((r) => r.json() as Promise<{ registryIndex?: { ready: boolean } }>)
          .then((h) => h.registryIndex?.ready === true)
          .catch(() => false);
      const started = performance.now();
      while (!(await ready())) {
        if (performance.now() - started > 600_000) throw new Error("the server did not get ready within 10 minutes");
        await new Promise((r) => setTimeout(r, 500));
      }
      rows.push(`| web process start-up until the registry index is ready (${(await countPermits()).toLocaleString("en")} permits) | 1 | ${((performance.now() - started) / 1000).toFixed(1)} s | | |`);
      const run = await pool(VERIFY_RUNS, 8, async (i) => {
        const response = await fetch(`${base}/api/v1/permits/${numbers[i % numbers.length]}/verify`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        await response.arrayBuffer();
      });
      const s = stats(run.latencies);
      rows.push(`| GET /api/v1/permits/:number/verify over HTTP, concurrency 8 | ${s.n} | **${(s.n / (run.wallMs / 1000)).toFixed(0)} requests/s** | ${ms(s.p50)} | ${ms(s.p95)} |`);
    } finally {
      // also when a run fails: a server left behind would keep running with nobody to stop it
      server.kill("SIGTERM");
    }
  } else log("build/index.js missing: skipping the HTTP run (npm run build first)");
} finally {
  await disconnectDb().catch(() => undefined);
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const report = [
  `# Permits: issuing and verification (${new Date().toISOString().slice(0, 10)})`,
  "",
  `Embedded FerretDB v1.24.2 (SQLite), ${os.cpus().length} cores, Node ${process.version}. \`npx tsx bench/permits.ts\`.`,
  `Load average (1/5/15 min) when issuing started / ended: ${loads.join(" / ")}.`,
  "",
  "| what | n | throughput | p50 | p95 |",
  "|---|---|---|---|---|",
  ...rows,
  "",
].join("\n");
// The previous runs stay below, for comparison.
const resultsFile = path.join(ROOT, "bench/results/permits.md");
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, "utf8") : "";
if (!process.env.BENCH_PERMITS_JSON) writeFileSync(resultsFile, previous ? `${report}\n${previous}` : report);
console.log(report);
