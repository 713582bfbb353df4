/**
 * Borikan bench on the embedded database (FerretDB v1 on SQLite).
 *
 *   npx tsx bench/run.ts        (or: npm run bench)
 *
 * 1. starts its own FerretDB in a temp dir, seeds the demo data;
 * 2. builds the app if build/index.js is missing and starts the real server (`node server.js`);
 * 3. filing throughput through the JSON API (POST /api/v1/services/:slug/applications);
 * 4. inbox latency with 10,000 cases in the sukjai agency (listInbox directly and GET /inbox over HTTP);
 * 5. prints a markdown table and writes bench/results/latest.md.
 *
 * Knobs (env): BENCH_FILINGS (300), BENCH_CONCURRENCY (8), BENCH_CASES (10000), BENCH_LIST_RUNS (50),
 * BENCH_HTTP_RUNS (20), BENCH_PHASE_BUDGET_MS (180000: a latency loop stops early past this budget and
 * reports how many runs it made).
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Types } from "mongoose";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { DEMO_API_KEY, DEMO_PASSWORD, seedDemo } from "~/services/seed-demo.server";
import { CaseModel, listInbox, type CaseDoc } from "~/models/case.server";
import { healthHazardApplication } from "../test/support/factories";
import { BENCH_KEY_SECRET, prepareBuild, startBenchServer, stopChild } from "./server-process";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SLUG = "sukjai-health-hazard-licence";
const AGENCY = "sukjai";
const OFFICER = "officer@sukjai.demo.borikan.local";

const FILINGS = Number(process.env.BENCH_FILINGS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TARGET_CASES = Number(process.env.BENCH_CASES ?? 10_000);
const LIST_RUNS = Number(process.env.BENCH_LIST_RUNS ?? 50);
const HTTP_RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 20);
const PHASE_BUDGET_MS = Number(process.env.BENCH_PHASE_BUDGET_MS ?? 180_000);
const BATCH = 500;

// Workflow states of health-hazard-licence and whether they are final (status "done").
const STATES: { id: string; done: boolean }[] = [
  { id: "completenessCheck", done: false },
  { id: "awaitingApplicant", done: false },
  { id: "inspection", done: false },
  { id: "decision", done: false },
  { id: "awaitingFee", done: false },
  { id: "permitIssued", done: true },
  { id: "rejected", done: true },
  { id: "withdrawn", done: true },
];

const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), max: s[s.length - 1] ?? NaN };
}
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : "n/a");

async function main() {
  const t0 = Date.now();
  const rows: [string, string][] = [];
  let ferret: { uri: string; stop(): Promise<void> } | undefined;
  let server: ChildProcess | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-"));
  const tmpDirs = [dataDir];
  try {
    // 1. Database.
    ferret = await startFerretDb({ port: await freePort(), dataDir, log });
    const uri = `${ferret.uri}borikan-bench`;
    process.env.MONGODB_URI = uri;
  // The seed signs the demo permits: it must use the key secret the server will use.
  process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
    // The seed signs the demo permits: it must use the key secret the server will use.
    process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
    await connectDb(uri);
    await seedDemo({ log: () => {} });
    log(`FerretDB up at ${uri}, demo seeded`);

    // 2. Server. A missing build is made in place; a build older than the sources is rebuilt in a temp
    // staging copy (symlinks to the checkout), so the bench measures the current code without touching build/.
    const { serverDir, buildNote } = prepareBuild(tmpDirs);
    rows.push(["Server build", buildNote]);
    log(`server build: ${buildNote}`);
    const started = await startBenchServer({ serverDir, mongoUri: uri });
    server = started.server;
    const base = started.base;
    log(`server up at ${base}`);

    // 3. Filing throughput.
    const payloads = await Promise.all(
      Array.from({ length: FILINGS }, async (_, i) => JSON.stringify({ data: await healthHazardApplication({}, 100_000 + i) })),
    );
    const fileOne = async (body: string) => {
      const start = performance.now();
      const res = await fetch(`${base}/api/v1/services/${SLUG}/applications`, {
        method: "POST",
        headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json" },
        body,
      });
      const text = await res.text();
      return { ms: performance.now() - start, status: res.status, text };
    };
    // Warm-up (not counted): first request compiles routes, loads definitions.
    const warm = await fileOne(payloads[0]);
    if (warm.status !== 201) throw new Error(`warm-up filing failed: ${warm.status} ${warm.text.slice(0, 500)}`);
    const filingLatencies: number[] = [];
    const statusCounts = new Map<number, number>();
    let firstError = "";
    let next = 1;
    const filingStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < payloads.length) {
          const body = payloads[next++];
          try {
            const r = await fileOne(body);
            filingLatencies.push(r.ms);
            statusCounts.set(r.status, (statusCounts.get(r.status) ?? 0) + 1);
            if (r.status !== 201 && !firstError) firstError = `${r.status} ${r.text.slice(0, 300)}`;
          } catch (error) {
            statusCounts.set(0, (statusCounts.get(0) ?? 0) + 1);
            if (!firstError) firstError = String(error);
          }
        }
      }),
    );
    const filingSeconds = (performance.now() - filingStart) / 1000;
    const fs = stats(filingLatencies);
    const non201 = [...statusCounts].filter(([s]) => s !== 201).reduce((a, [, c]) => a + c, 0);
    const ok201 = statusCounts.get(201) ?? 0;
    rows.push(
      ["Filing: requests (after 1 warm-up)", `${fs.n} at concurrency ${CONCURRENCY}`],
      ["Filing: throughput", `${(ok201 / filingSeconds).toFixed(1)} applications/s (${filingSeconds.toFixed(1)} s wall)`],
      ["Filing: latency p50 / p95 / max", `${ms(fs.p50)} / ${ms(fs.p95)} / ${ms(fs.max)}`],
      ["Filing: non-201 responses", non201 === 0 ? "0" : `${non201} (${[...statusCounts].map(([s, c]) => `${s}×${c}`).join(", ")}; first: ${firstError})`],
    );
    log(`filing done: ${ok201} x 201, ${non201} other, ${filingSeconds.toFixed(1)} s`);
    if (non201 > 0) log(`server output (tail):\n${started.output().slice(-3000)}`);

    // 4. Inbox latency with TARGET_CASES cases.
    const template = await CaseModel.findOne({ agencyId: AGENCY, serviceSlug: SLUG }).lean<CaseDoc>();
    if (!template) throw new Error("no case filed in step 3 to clone");
    const docBytes = Buffer.byteLength(JSON.stringify(template));
    let existing = await CaseModel.countDocuments({ agencyId: AGENCY });
    const toInsert = Math.max(0, TARGET_CASES - existing);
    const insertStart = performance.now();
    const now = Date.now();
    const runId = Date.now().toString(36).toUpperCase();
    for (let offset = 0; offset < toInsert; offset += BATCH) {
      const docs = [];
      for (let i = offset; i < Math.min(toInsert, offset + BATCH); i++) {
        const st = STATES[i % STATES.length];
        const { _id: _drop, ...rest } = template;
        void _drop;
        docs.push({
          ...rest,
          _id: new Types.ObjectId(),
          trackingNumber: `BENCH-${runId}-${String(i).padStart(6, "0")}`,
          stateValue: st.id,
          status: st.done ? "done" : "active",
          outcome: st.done ? st.id : undefined,
          // Due dates spread from 30 days ago to 60 days ahead; finished cases have none.
          sla: { ...template.sla, stateDueAt: st.done ? null : new Date(now + (((i * 7919) % 90) - 30) * 86_400_000 + i * 1000) },
        });
      }
      await CaseModel.insertMany(docs, { lean: true, ordered: false });
    }
    const insertSeconds = (performance.now() - insertStart) / 1000;
    existing = await CaseModel.countDocuments({ agencyId: AGENCY });
    const active = await CaseModel.countDocuments({ agencyId: AGENCY, status: "active" });
    rows.push(
      ["Inbox: cases in agency sukjai (active)", `${existing} (${active})`],
      ["Inbox: one case document (JSON)", `${(docBytes / 1024).toFixed(1)} KiB`],
      ["Inbox: bulk insert", `${toInsert} cases in ${insertSeconds.toFixed(1)} s (${(toInsert / Math.max(insertSeconds, 1e-9)).toFixed(0)}/s, insertMany × ${BATCH})`],
    );
    log(`inserted ${toInsert} cases in ${insertSeconds.toFixed(1)} s; sukjai has ${existing} (${active} active)`);

    const listSamples: number[] = [];
    let listRows = 0;
    let listTotal = 0;
    await listInbox({ agencyId: AGENCY, status: "active" }, 1, 50); // warm-up
    const listBudgetEnd = Date.now() + PHASE_BUDGET_MS;
    for (let i = 0; i < LIST_RUNS && Date.now() < listBudgetEnd; i++) {
      const start = performance.now();
      const r = await listInbox({ agencyId: AGENCY, status: "active" }, 1, 50);
      listSamples.push(performance.now() - start);
      listRows = r.rows.length;
      listTotal = r.total;
    }
    const ls = stats(listSamples);
    rows.push([
      `Inbox: listInbox(active, page 1 of 50) ×${ls.n}${ls.n < LIST_RUNS ? ` (of ${LIST_RUNS}, budget hit)` : ""} p50 / p95 / max`,
      `${ms(ls.p50)} / ${ms(ls.p95)} / ${ms(ls.max)} (${listRows} rows, total ${listTotal})`,
    ]);
    log(`listInbox: p50 ${ms(ls.p50)}`);

    // Officer login, then GET /inbox.
    const loginRes = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: OFFICER, password: DEMO_PASSWORD }).toString(),
      redirect: "manual",
    });
    const setCookie = loginRes.headers.getSetCookie?.() ?? [loginRes.headers.get("set-cookie") ?? ""];
    const cookie = setCookie.map((c) => c.split(";")[0]).filter(Boolean).join("; ");
    if (loginRes.status !== 302 || !cookie) throw new Error(`officer login failed: ${loginRes.status} ${await loginRes.text()}`);
    const getInbox = async () => {
      const start = performance.now();
      const res = await fetch(`${base}/inbox`, { headers: { Cookie: cookie }, redirect: "manual" });
      const html = await res.text();
      return { ms: performance.now() - start, status: res.status, bytes: Buffer.byteLength(html) };
    };
    const warmInbox = await getInbox();
    if (warmInbox.status !== 200) throw new Error(`GET /inbox returned ${warmInbox.status}`);
    const httpSamples: number[] = [];
    let httpNon200 = 0;
    let httpBytes = warmInbox.bytes;
    const httpBudgetEnd = Date.now() + PHASE_BUDGET_MS;
    for (let i = 0; i < HTTP_RUNS && Date.now() < httpBudgetEnd; i++) {
      const r = await getInbox();
      httpSamples.push(r.ms);
      if (r.status !== 200) httpNon200++;
      httpBytes = r.bytes;
    }
    const hs = stats(httpSamples);
    rows.push([
      `Inbox: HTTP GET /inbox as officer ×${hs.n}${hs.n < HTTP_RUNS ? ` (of ${HTTP_RUNS}, budget hit)` : ""} p50 / p95 / max`,
      `${ms(hs.p50)} / ${ms(hs.p95)} / ${ms(hs.max)} (${(httpBytes / 1024).toFixed(0)} KiB HTML, ${httpNon200} non-200)`,
    ]);
    log(`GET /inbox: p50 ${ms(hs.p50)}`);

    // 5. Report.
    const cpus = os.cpus();
    const machine: [string, string][] = [
      ["Node", process.version],
      ["CPUs", `${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}`],
      ["Memory", `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
      ["Platform", `${os.platform()} ${os.release()} ${os.arch()}`],
      ["Database", "FerretDB v1.24.2, SQLite backend (embedded), fresh temp dir"],
      ["Bench wall time", `${((Date.now() - t0) / 1000).toFixed(1)} s`],
    ];
    const table = (title: string, body: [string, string][]) =>
      [`| ${title} | |`, "|---|---|", ...body.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`)].join("\n");
    const md = [
      `# Borikan bench — ${new Date().toISOString()}`,
      "",
      table("Measure", rows),
      "",
      table("Machine", machine),
      "",
    ].join("\n");
    console.log(md);
    mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
    writeFileSync(path.join(ROOT, "bench/results/latest.md"), md);
    log("wrote bench/results/latest.md");
  } finally {
    await stopChild(server).catch(() => {});
    await disconnectDb().catch(() => {});
    await ferret?.stop().catch(() => {});
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
