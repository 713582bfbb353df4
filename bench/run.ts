/**
 * `npm run bench`: every hot path of issue 12 on the embedded database (FerretDB v1 on SQLite), each figure with
 * its ceiling and ratio where one exists, at 10,000 and 100,000 cases; writes bench/results/latest.md and
 * latest.json (the previous run is kept in bench/results/history/ and shown beside each figure).
 *
 *   npm run bench                       # 10,000 and 100,000
 *   npm run bench -- --small            # 1,000 rows, few runs (CI runs this so the bench cannot rot)
 *   npm run bench -- --sizes 10000      # chosen sizes
 *   npm run bench -- --out DIR          # write the results elsewhere (the CI check does)
 *   npm run bench -- --million          # the registry at 1,000,000 permits too (about 30 minutes more)
 *
 * The registry (start to first served search, RSS, search latency) is measured by bench/registry-start.ts at
 * the same sizes as permits (not with --small: it needs 2,000 permits at least).
 *
 * For each size, in a fresh database: the demo seed; `size` cases in the demo agency across its services and
 * steps, `size` more among 20 other agencies, `size` citizen accounts, 50 cases of the demo citizen. Then:
 * service-level queries (inbox per filter, My requests, sign-in look-up), the real server over HTTP (inbox,
 * My requests, sign-in), filing against a bare-driver ceiling (bench/ceilings/bare-filing-server.ts) at
 * concurrency 8, 32 and 64 with CPU per filing, and transitions against a raw revision-guarded update.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Types } from "mongoose";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { RATE_LIMITS } from "~/core/security/limits";
import { CaseModel, getCase, listCasesOfApplicant, listInbox, listInboxAmong, type CaseDoc, type InboxFilter } from "~/models/case.server";
import { searchCaseIds } from "~/models/case-search.server";
import { findUserByEmail } from "~/models/user.server";
import { drainEffectRunner, settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { DEMO_API_KEY, DEMO_PASSWORD, seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { approver, citizen, HEALTH_HAZARD_SLUG, officer } from "../test/support/journeys";
import { sessionCookieOf } from "../test/support/sessions";
import { benchUserEmail, insertCases, insertUsers, OTHER_AGENCIES, stepsOf } from "./lib/data-path";
import { cpuMsOf, loadAverage, log, machine, ms, runPool, timeRuns, type Stats } from "./lib/measure";
import { BENCH_KEY_SECRET, prepareBuild, startBenchServer, stopChild } from "./server-process";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const SMALL = flag("--small");
const SIZES = (option("--sizes") ?? (SMALL ? "1000" : "10000,100000")).split(",").map(Number);
const OUT = path.resolve(option("--out") ?? path.join(ROOT, "bench/results"));
const RUNS = SMALL ? 5 : 30;
const HTTP_RUNS = SMALL ? 5 : 20;
// A rendered page takes 3–20 ms; the p50 of 30 moved a ratio by ±0.05 between runs.
const SSR_RUNS = SMALL ? 5 : 200;
// A round of 300 filings lasted under a second at 400 per s, so one busy moment moved "holds from 10,000 to
// 100,000" by ±15 % between runs; 1,000 per round.
const FILINGS = SMALL ? 40 : 1000;
const CONCURRENCIES = SMALL ? [8, 32] : [8, 32, 64];
const TRANSITIONS = SMALL ? 16 : 120;
const AGENCY = "sukjai";
const OFFICER = "officer@sukjai.demo.borikan.local";
const CITIZEN = "citizen@demo.borikan.local";

type Row = {
  size: number;
  path: string;
  /** The figure's value in its unit (ms for latencies, per second for throughput). */
  value: number;
  figure: string;
  ceiling?: string;
  ratio?: number;
  target: string;
  met?: boolean;
};
const rows: Row[] = [];
const add = (row: Row) => {
  rows.push(row);
  log(`${row.size} · ${row.path}: ${row.figure}${row.ratio !== undefined ? ` (ratio ${row.ratio.toFixed(2)})` : ""}${row.met === false ? "  ✗" : ""}`);
};
const latencyTarget = (size: number) => (size >= 100_000 ? 400 : 150);
const p95Row = (size: number, pathName: string, s: Stats, targetMs: number, note = "") =>
  add({ size, path: pathName, value: s.p95, figure: `p95 ${ms(s.p95)} (p50 ${ms(s.p50)}, ${s.n} runs${note})`, target: `p95 ≤ ${targetMs} ms`, met: s.p95 <= targetMs });

async function main() {
  const started = Date.now();
  const loads: string[] = [`start: ${loadAverage()}`];
  const tmpDirs: string[] = [];
  const { serverDir, buildNote } = prepareBuild(tmpDirs);
  log(`server build: ${buildNote}`);
  try {
    for (const size of SIZES) {
      await benchSize(size, serverDir, tmpDirs);
      loads.push(`after ${size.toLocaleString("en")}: ${loadAverage()}`);
    }
    addHoldRows();
    if (!SMALL) await measureRegistry([...SIZES, ...(flag("--million") ? [1_000_000] : [])]);
    if (!SMALL) await measurePermits();
  } finally {
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  }
  report(loads, buildNote, (Date.now() - started) / 1000);
}

async function benchSize(size: number, serverDir: string, tmpDirs: string[]) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-"));
  tmpDirs.push(dataDir);
  const database = await startFerretDb({ port: await freePort(), dataDir, log });
  const uri = `${database.uri}borikan_bench`;
  process.env.MONGODB_URI = uri;
  // The seed signs the demo permits: it must use the key secret the server will use.
  process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
  let server: ChildProcess | undefined;
  let ceiling: ChildProcess | undefined;
  try {
    await connectDb(uri);
    await seedDemo({ log: () => undefined });
    const me = (await findUserByEmail(CITIZEN))!;
    const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "web");
    const template = (await getCase(filed.id))!;
    const steps = await stepsOf(AGENCY);
    const seedStart = performance.now();
    await insertCases({ template, n: size, agencies: [AGENCY], steps, applicant: { id: String(me._id), name: me.name, cases: 49 }, prefix: "BK-A", seed: 1 });
    await insertCases({ template, n: size, agencies: OTHER_AGENCIES, steps, prefix: "BK-O", seed: 2 });
    await insertUsers(size, DEMO_PASSWORD);
    log(`${size}: seeded ${2 * size} cases and ${size} accounts in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`);

    await measureQueries(size, String(me._id));
    const started = await startBenchServer({
      serverDir,
      mongoUri: uri,
      // Limits stay on, high enough not to refuse the bench's own traffic.
      env: Object.fromEntries(Object.values(RATE_LIMITS).map((spec) => [spec.setting, "1000000/minute"])),
    });
    server = started.server;
    await measureHttp(size, started.base).catch((error: unknown) => {
      throw new Error(`${String(error)}\nserver output:\n${started.output().slice(-3000)}`);
    });
    const ceilingPort = await freePort();
    ceiling = spawn(process.execPath, ["--import", "tsx", "bench/ceilings/bare-filing-server.ts"], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: uri, SERVICE_SLUG: HEALTH_HAZARD_SLUG, PORT: String(ceilingPort) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await waitForReady(ceiling);
    await measureFiling(size, started.base, `http://127.0.0.1:${ceilingPort}`, server.pid!, database.process.pid!, ceiling.pid!);
    await stopChild(server);
    server = undefined;
    await measureSsr(size, serverDir);
    await measureTransitions(size, template, steps);
  } finally {
    await stopChild(server).catch(() => undefined);
    await stopChild(ceiling).catch(() => undefined);
    await drainEffectRunner().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await database.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => String(chunk).includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`ceiling server exited (${code})`)));
  });
}

async function measureQueries(size: number, citizenId: string) {
  const target = latencyTarget(size);
  const filters: [string, InboxFilter, number][] = [
    ["inbox: in progress, page 1", { agencyId: AGENCY, status: "active" }, 1],
    ["inbox: in progress, page 20", { agencyId: AGENCY, status: "active" }, 20],
    ["inbox: done, page 1", { agencyId: AGENCY, status: "done" }, 1],
    ["inbox: one service", { agencyId: AGENCY, status: "active", serviceSlug: HEALTH_HAZARD_SLUG }, 1],
    ["inbox: one step of one service", { agencyId: AGENCY, status: "active", serviceSlug: HEALTH_HAZARD_SLUG, stateValue: "inspection" }, 1],
    ["inbox: overdue", { agencyId: AGENCY, status: "overdue" }, 1],
  ];
  for (const [name, filter, page] of filters) {
    let total = 0;
    const s = await timeRuns(RUNS, async () => void (total = (await listInbox(filter, page, 50)).total));
    p95Row(size, `${name} (with its total count)`, s, target, `, total ${total}`);
  }
  // The inbox's search: a word index read as `_id` ranges, then the found cases by `_id`.
  const searches: [string, string][] = [
    ["inbox search: a tracking number", `BK-A-${String(Math.floor(size / 2)).padStart(7, "0")}`],
    ["inbox search: a word in one case's name", String(Math.floor(size / 3))],
    ["inbox search: a word in every name (capped at 500)", "ผู้ยื่น"],
  ];
  for (const [name, q] of searches) {
    let found = 0;
    const s = await timeRuns(RUNS, async () => {
      const { ids } = await searchCaseIds(AGENCY, q);
      found = (await listInboxAmong(ids, { agencyId: AGENCY, status: "active" }, 1, 50)).total;
    });
    p95Row(size, name, s, target, `, ${found} in progress found`);
  }
  let mine = 0;
  p95Row(size, "My requests (citizen with 50 cases)", await timeRuns(RUNS, async () => void (mine = (await listCasesOfApplicant(citizenId)).length)), target, `, ${mine} cases`);
  p95Row(size, "sign-in look-up by e-mail", await timeRuns(RUNS, (i) => findUserByEmail(benchUserEmail(Math.abs(i * 7919) % size))), target);
}

async function measureHttp(size: number, base: string) {
  const officerCookie = await sessionCookieOf(OFFICER);
  const citizenCookie = await sessionCookieOf(CITIZEN);
  const get = (url: string, cookie: string) => async () => {
    const res = await fetch(`${base}${url}`, { headers: { Cookie: cookie }, redirect: "manual" });
    await res.text();
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  };
  p95Row(size, "GET /inbox (officer)", await timeRuns(HTTP_RUNS, get("/inbox", officerCookie)), 250);
  p95Row(size, "GET /inbox?page=20", await timeRuns(HTTP_RUNS, get("/inbox?status=active&page=20", officerCookie)), 250);
  p95Row(size, "GET /my/requests (citizen)", await timeRuns(HTTP_RUNS, get("/my/requests", citizenCookie)), 250);
  // A full sign-in: the form (its token and cookie), then the password (argon2id by design takes tens of ms).
  const signIn = async (i: number) => {
    const form = await fetch(`${base}/login`);
    const html = await form.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const cookie = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, Origin: base },
      body: new URLSearchParams({ email: benchUserEmail(Math.abs(i * 7919) % size), password: DEMO_PASSWORD, _csrf: csrf }).toString(),
      redirect: "manual",
    });
    await res.text();
    if (res.status !== 302) throw new Error(`sign-in: ${res.status}`);
  };
  p95Row(size, `sign-in over HTTP among ${size.toLocaleString("en")} accounts (form + password)`, await timeRuns(HTTP_RUNS, signIn), 250);
}

/** bench/registry-start.ts in its own process, its headline figures read back. */
async function measureRegistry(sizes: number[]) {
  const jsonFile = path.join(mkdtempSync(path.join(os.tmpdir(), "borikan-registry-bench-")), "registry.json");
  const child = spawn(process.execPath, ["--import", "tsx", "bench/registry-start.ts", "--sizes", sizes.join(","), "--json", jsonFile], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`bench/registry-start.ts failed (${code})`);
  const results = JSON.parse(readFileSync(jsonFile, "utf8")) as { size: number; firstSearchMs: number; rssMiB: number; rssAfterQueriesMiB: number; peakRssMiB?: number; searchP50Ms: number; searchP95Ms: number }[];
  for (const r of results) {
    add({ size: r.size, path: "registry: new web process, start to first served search", value: r.firstSearchMs, figure: `${(r.firstSearchMs / 1000).toFixed(1)} s (permits)`, target: "≤ 10 s at 1,000,000", met: r.size < 1_000_000 ? undefined : r.firstSearchMs <= 10_000 });
    // Judged on the larger of the two (after start, and after its 1,200 searches and a gc): what a serving process holds.
    // The peak while searching too (ADR 027): the figure after a forced gc hides what the process carries between GCs.
    const rss = Math.max(r.rssMiB, r.rssAfterQueriesMiB, r.peakRssMiB ?? 0);
    add({ size: r.size, path: "registry: RSS of a web process after start", value: rss, figure: `${r.rssMiB.toFixed(0)} MiB after start, ${r.rssAfterQueriesMiB.toFixed(0)} MiB after its searches${r.peakRssMiB ? `, peak ${r.peakRssMiB.toFixed(0)} MiB during them` : ""}`, target: "≤ 400 MB at 1,000,000", met: r.size < 1_000_000 ? undefined : rss * 2 ** 20 <= 400e6 });
    add({ size: r.size, path: "registry: search (six kinds of query)", value: r.searchP95Ms, figure: `p95 ${ms(r.searchP95Ms)} (p50 ${ms(r.searchP50Ms)})`, target: "p95 at 1,000,000 ≤ 1.5 × p95 at 100,000" });
  }
  const [at100k, at1m] = [results.find((r) => r.size === 100_000), results.find((r) => r.size === 1_000_000)];
  if (at100k && at1m) {
    const ratio = at1m.searchP95Ms / at100k.searchP95Ms;
    add({ size: 1_000_000, path: "registry: search p95 at 1,000,000 over 100,000", value: ratio, figure: `×${ratio.toFixed(2)}`, target: "≤ 1.5", met: ratio <= 1.5 });
  }
}

/**
 * Issuing permits (FEE_PAID → receipt, signed permit and its PDF, notice; end to end, at concurrency 4 with the
 * default PDF thread): bench/permits.ts in its own process, three times on a fresh database each, the median
 * judged (a busy spell on the shared machine moves one run).
 */
async function measurePermits() {
  const runs: { perSecond: number; p95: number; cpuNodeMs: number; cpuDbMs: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const jsonFile = path.join(os.tmpdir(), `borikan-bench-permits-${process.pid}-${i}.json`);
    const child = spawn(process.execPath, ["--import", "tsx", "bench/permits.ts"], {
      cwd: ROOT,
      env: { ...process.env, BENCH_PERMITS_JSON: jsonFile, BENCH_EXTRA_PERMITS: "0", BENCH_VERIFY_RUNS: "200", BENCH_CONCURRENCY: "4" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`bench/permits.ts failed (${code})`);
    runs.push(JSON.parse(readFileSync(jsonFile, "utf8")));
    rmSync(jsonFile, { force: true });
  }
  const median = [...runs].sort((a, b) => a.perSecond - b.perSecond)[1]!;
  add({
    size: SIZES.at(-1)!,
    path: "issuing permits (FEE_PAID end to end, concurrency 4, 60 per run)",
    value: median.perSecond,
    figure: `median ${median.perSecond.toFixed(1)}/s (runs ${runs.map((r) => r.perSecond.toFixed(1)).join(", ")}), p95 ${ms(median.p95)}, CPU per permit ${median.cpuNodeMs.toFixed(0)} ms Node + ${median.cpuDbMs.toFixed(0)} ms database`,
    target: "≥ 30 per s",
    met: median.perSecond >= 30,
  });
}

type FilingRound = { perSecond: number; cpuMsPerFiling: number; p95: number; failures: number };
const filingAtC8: { size: number; borikan: FilingRound }[] = [];

async function measureFiling(size: number, base: string, ceilingBase: string, serverPid: number, databasePid: number, ceilingPid: number) {
  const bodies = await Promise.all(Array.from({ length: FILINGS }, async (_, i) => JSON.stringify({ data: await healthHazardApplication({}, 200_000 + i) })));
  const file = (url: string, headers: Record<string, string>) => async (i: number) => {
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: bodies[i % bodies.length] });
    if (res.status === 201) await res.text();
    if (res.status !== 201) throw new Error(`${url}: ${res.status} ${(await res.text().catch(() => "")).slice(0, 300)}`);
  };
  const systems = {
    borikan: { run: file(`${base}/api/v1/services/${HEALTH_HAZARD_SLUG}/applications`, { Authorization: `Bearer ${DEMO_API_KEY}` }), pid: serverPid },
    ceiling: { run: file(`${ceilingBase}/`, {}), pid: ceilingPid },
  };
  const round = async (system: keyof typeof systems, concurrency: number): Promise<FilingRound> => {
    const { run, pid } = systems[system];
    const cpuBefore = cpuMsOf(pid) + cpuMsOf(databasePid);
    let failures = 0;
    const s = await runPool(FILINGS, concurrency, (i) =>
      run(i).catch((error: unknown) => {
        if (failures++ === 0) log(`${system} filing failed: ${String(error)}`);
      }),
    );
    const cpu = cpuMsOf(pid) + cpuMsOf(databasePid) - cpuBefore;
    return { perSecond: (FILINGS - failures) / s.seconds, cpuMsPerFiling: cpu / FILINGS, p95: s.p95, failures };
  };
  await round("borikan", 8); // warm-up of both (route modules, definitions, connections)
  await round("ceiling", 8);
  for (const concurrency of CONCURRENCIES) {
    // Alternated, two rounds each: a busy spell on the shared machine falls on both.
    const results = { borikan: [] as FilingRound[], ceiling: [] as FilingRound[] };
    for (let r = 0; r < 2; r++) for (const system of ["borikan", "ceiling"] as const) results[system].push(await round(system, concurrency));
    const best = (list: FilingRound[]) => list.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const b = best(results.borikan);
    const c = best(results.ceiling);
    const ratio = b.perSecond / c.perSecond;
    const failures = results.borikan.reduce((n, x) => n + x.failures, 0);
    const ceilingFailures = results.ceiling.reduce((n, x) => n + x.failures, 0);
    add({
      size,
      path: `filing through the API, concurrency ${concurrency}`,
      value: b.perSecond,
      figure: `${b.perSecond.toFixed(1)}/s, p95 ${ms(b.p95)}, ${b.cpuMsPerFiling.toFixed(1)} ms CPU per filing (web + database)${failures ? `, ${failures} failed` : ""}`,
      ceiling: `${c.perSecond.toFixed(1)}/s, ${c.cpuMsPerFiling.toFixed(1)} ms CPU${ceilingFailures ? `, ${ceilingFailures} failed` : ""}`,
      ratio,
      target: "≥ 50 % of the ceiling",
      met: ratio >= 0.5 && failures === 0 && ceilingFailures === 0,
    });
    if (concurrency === 8) filingAtC8.push({ size, borikan: b });
    if (concurrency === CONCURRENCIES.at(-1)) holdRows.push({ size, concurrency, round: b });
  }
}

const holdRows: { size: number; concurrency: number; round: FilingRound }[] = [];

/**
 * Throughput and CPU per filing hold from concurrency 8 to the highest, and from the smallest size to the largest:
 * neither worse by more than 10 % (issue 12's "hold … ± 10 %" is about falling off — the 5 % at 32 it was filed
 * for; a filing that gets cheaper as more arrive at once, because they share writes, holds).
 */
const holds = (throughput: number, cpu: number) => throughput >= 0.9 && cpu <= 1.1;
function addHoldRows() {
  for (const { size, concurrency, round } of holdRows) {
    const base = filingAtC8.find((f) => f.size === size)?.borikan;
    if (!base) continue;
    const throughput = round.perSecond / base.perSecond;
    const cpu = round.cpuMsPerFiling / base.cpuMsPerFiling;
    add({
      size,
      path: `filing holds from concurrency 8 to ${concurrency}`,
      value: throughput,
      figure: `throughput ×${throughput.toFixed(2)}, CPU per filing ×${cpu.toFixed(2)}`,
      target: "throughput ≥ ×0.9 and CPU per filing ≤ ×1.1",
      met: holds(throughput, cpu),
    });
  }
  const [first, last] = [filingAtC8[0], filingAtC8.at(-1)];
  if (first && last && first !== last) {
    const throughput = last.borikan.perSecond / first.borikan.perSecond;
    const cpu = last.borikan.cpuMsPerFiling / first.borikan.cpuMsPerFiling;
    add({
      size: last.size,
      path: `filing holds from ${first.size.toLocaleString("en")} to ${last.size.toLocaleString("en")} stored cases (concurrency 8)`,
      value: throughput,
      figure: `throughput ×${throughput.toFixed(2)}, CPU per filing ×${cpu.toFixed(2)}`,
      target: "throughput ≥ ×0.9 and CPU per filing ≤ ×1.1",
      met: holds(throughput, cpu),
    });
  }
}

/**
 * Server rendering of the apply page and the inbox: bench/lib/ssr-child.ts in a process of its own with
 * NODE_ENV=production (React's production build, as the web server runs it).
 */
async function measureSsr(size: number, serverDir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lib/ssr-child.ts", serverDir, String(SSR_RUNS), HEALTH_HAZARD_SLUG], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", SESSION_SECRET: "bench-secret-0123456789", BORIKAN_DEMO: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`bench/lib/ssr-child.ts failed (${code})`);
  // Only the JSON lines (a library may print its own banner).
  for (const line of out.split("\n").filter((l) => l.startsWith("{"))) {
    const r = JSON.parse(line) as { name: string; url: string; remix: Stats; plain: Stats; rendering: Stats };
    // Judged: Remix's rendering of the tree (route matching, calling the loaders, serialising their data into the
    // document, entry.server's streamed render) with the data already read, against renderToString of the same
    // tree. The whole request (session, the loaders' database reads, render) is shown beside it, not judged:
    // reading the page's data is the inbox queries' target, not rendering's (see docs/decisions/030).
    const ratio = r.plain.p50 / r.rendering.p50;
    add({
      size,
      path: `server rendering of the ${r.name} (${r.url}), data already read`,
      value: r.rendering.p50,
      figure: `p50 ${ms(r.rendering.p50)}, p95 ${ms(r.rendering.p95)} (Remix's request handler, loaders answering from memory)`,
      ceiling: `renderToString of the same tree: p50 ${ms(r.plain.p50)}`,
      ratio,
      target: "≥ 70 % of plain renderToString",
      met: ratio >= 0.7,
    });
    add({
      size,
      path: `server rendering of the ${r.name} (${r.url})`,
      value: r.remix.p50,
      figure: `p50 ${ms(r.remix.p50)}, p95 ${ms(r.remix.p95)} (session, loaders, render)`,
      ceiling: `renderToString of the same tree: p50 ${ms(r.plain.p50)}`,
      ratio: r.plain.p50 / r.remix.p50,
      target: "the whole request, for comparison (its reads are judged by the inbox rows)",
    });
  }
}

async function measureTransitions(size: number, template: CaseDoc, steps: Awaited<ReturnType<typeof stepsOf>>) {
  const stepOf = (state: string) => steps.filter((s) => s.service === HEALTH_HAZARD_SLUG && s.state === state);
  const me = (await findUserByEmail(CITIZEN))!;
  const fresh = async (state: string, prefix: string) => {
    await insertCases({ template, n: TRANSITIONS, agencies: [AGENCY], steps: stepOf(state), applicant: { id: String(me._id), name: me.name, cases: TRANSITIONS }, prefix, seed: 3 });
    return (await CaseModel.find({ trackingNumber: { $gte: `${prefix}-`, $lt: `${prefix}.` } }).select("_id").lean()).map((c) => String(c._id));
  };
  const [accept, approve, raw] = [await fresh("completenessCheck", "BK-TA"), await fresh("decision", "BK-TB"), await fresh("completenessCheck", "BK-TR")];
  const [acceptHeld, approveHeld] = [await fresh("completenessCheck", "BK-TC"), await fresh("decision", "BK-TD")];
  const staff = await officer();
  const boss = await approver();
  // The ceiling, run again around each measured pair (the same cases: each round reads the revision it updates),
  // and the best round taken: a busy spell on the shared machine cannot make the ratio look better.
  const rawRound = () =>
    runPool(raw.length, 8, async (i) => {
      const id = raw[i]!;
      const current = await CaseModel.findById(id).select("rev").lean<{ rev: number }>();
      const updated = await CaseModel.collection.findOneAndUpdate(
        { _id: new Types.ObjectId(id), rev: current!.rev },
        { $set: { stateValue: "inspection", rev: current!.rev + 1, updatedAt: new Date() }, $push: { history: { at: new Date(), event: "ACCEPT", from: "completenessCheck", to: "inspection" } } as never },
      );
      if (!updated) throw new Error("raw update lost");
    });
  let lastRaw = await rawRound();
  // Issue 12: "a persisted transition ≥ 60 % of the ceiling, with or without documents: documents are produced
  // off the request path". Measured both ways: with this process's effect runner producing the documents in the
  // same two cores while the transitions are timed (the web process's default), and with the documents left
  // pending while they are timed — as when the worker produces them — and then produced, timed on their own.
  for (const [name, ids, held, actor, event] of [
    ["transition without documents (ACCEPT)", accept, acceptHeld, staff, "ACCEPT"],
    ["transition issuing a letter (APPROVE)", approve, approveHeld, boss, "APPROVE"],
  ] as const) {
    const run = await runPool(ids.length, 8, async (i) => void (await fireCaseEvent(actor, ids[i]!, { type: event })));
    await drainEffectRunner();
    process.env.BORIKAN_HOLD_EFFECTS = "1";
    let persisted: Awaited<ReturnType<typeof runPool>>;
    try {
      persisted = await runPool(held.length, 8, async (i) => void (await fireCaseEvent(actor, held[i]!, { type: event })));
    } finally {
      delete process.env.BORIKAN_HOLD_EFFECTS;
    }
    const produced = performance.now();
    await Promise.all(held.map((id) => settleCaseEffects(id)));
    const documentsPerSecond = held.length / ((performance.now() - produced) / 1000);
    const nextRaw = await rawRound();
    const best = Math.max(lastRaw.perSecond, nextRaw.perSecond);
    lastRaw = nextRaw;
    const ceiling = `${best.toFixed(1)}/s (read revision + revision-guarded findOneAndUpdate; best of the rounds before and after)`;
    const ratio = run.perSecond / best;
    add({ size, path: `${name}, effects run alongside in this process`, value: run.perSecond, figure: `${run.perSecond.toFixed(1)}/s, p95 ${ms(run.p95)}`, ceiling, ratio, target: "≥ 60 % of the ceiling", met: ratio >= 0.6 });
    const heldRatio = persisted.perSecond / best;
    add({
      size,
      path: `${name}, persisted; its effects produced afterwards`,
      value: persisted.perSecond,
      figure: `${persisted.perSecond.toFixed(1)}/s, p95 ${ms(persisted.p95)}; then its effects ${documentsPerSecond.toFixed(1)} cases/s`,
      ceiling,
      ratio: heldRatio,
      target: "≥ 60 % of the ceiling",
      met: heldRatio >= 0.6,
    });
  }
}

function report(loads: string[], buildNote: string, seconds: number) {
  mkdirSync(path.join(OUT, "history"), { recursive: true });
  const latestJson = path.join(OUT, "latest.json");
  const previous: { at?: string; rows?: Row[] } = existsSync(latestJson) ? JSON.parse(readFileSync(latestJson, "utf8")) : {};
  const before = new Map((previous.rows ?? []).map((r) => [`${r.size}|${r.path}`, r]));
  if (existsSync(path.join(OUT, "latest.md"))) {
    // Kept for comparison; a run of an older bench has a Markdown report only, stamped with its own heading.
    const heading = /— (\S+)/.exec(readFileSync(path.join(OUT, "latest.md"), "utf8"))?.[1];
    const stamp = (previous.at ?? heading ?? new Date(0).toISOString()).replace(/[:.]/g, "-");
    renameSync(path.join(OUT, "latest.md"), path.join(OUT, "history", `${stamp}.md`));
    if (existsSync(latestJson)) renameSync(latestJson, path.join(OUT, "history", `${stamp}.json`));
  }
  const at = new Date().toISOString();
  const cell = (text: string | undefined) => (text ?? "").replace(/\|/g, "\\|");
  const lines = [
    `# Borikan bench — ${at}`,
    "",
    `\`npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}\` · ${seconds.toFixed(0)} s · load average (1/5/15 min) ${loads.join("; ")} · server: ${buildNote}`,
    previous.at ? `Previous run: ${previous.at} (bench/results/history/).` : "",
    "",
  ];
  for (const size of [...new Set(rows.map((r) => r.size))]) {
    lines.push(`## ${size.toLocaleString("en")} cases in the agency (+ ${size.toLocaleString("en")} in 20 other agencies, ${size.toLocaleString("en")} accounts)`, "");
    lines.push("| path | figure | ceiling | ratio | target | met | previous |", "|---|---|---|---:|---|:---:|---|");
    for (const r of rows.filter((x) => x.size === size)) {
      const was = before.get(`${r.size}|${r.path}`);
      lines.push(`| ${cell(r.path)} | ${cell(r.figure)} | ${cell(r.ceiling ?? "—")} | ${r.ratio !== undefined ? r.ratio.toFixed(2) : "—"} | ${cell(r.target)} | ${r.met === undefined ? "" : r.met ? "✓" : "✗"} | ${cell(was ? (was.ratio !== undefined ? `${was.figure} (ratio ${was.ratio.toFixed(2)})` : was.figure) : "—")} |`);
    }
    lines.push("");
  }
  lines.push("| Machine | |", "|---|---|", ...machine().map(([k, v]) => `| ${k} | ${v} |`), "");
  const md = lines.join("\n");
  writeFileSync(path.join(OUT, "latest.md"), md);
  writeFileSync(latestJson, `${JSON.stringify({ at, args, loads, rows }, null, 2)}\n`);
  console.log(md);
  log(`wrote ${path.relative(ROOT, path.join(OUT, "latest.md"))}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
