/**
 * Resumable uploads (tus 1.0 at /uploads) bench, against the real server (`node server.js`).
 *
 *   npx tsx bench/uploads.ts        (or: npm run bench:uploads)
 *
 * 1. starts its own FerretDB in a temp dir, seeds the demo data, builds the app if build/index.js is missing
 *    (or older than app/, in a staging copy as bench/run.ts does) and starts the server with UPLOAD_DIR in the
 *    same temp dir, so the source files, the copies and the uploads share one disk;
 * 2. writes the source files once: a PDF header then random bytes (1 GiB, 256 MiB, 10 × 100 MiB), streamed to
 *    disk, never held in memory, and their SHA-256 (streamed);
 * 3. 1 GiB in one PATCH over loopback, 3 runs, against copying the same file on the same disk (fs.copyFile and
 *    createReadStream → createWriteStream); the figure is median upload MiB/s ÷ median streamed-copy MiB/s.
 *    The copies and the PATCH requests run in a fresh `node` child (see CLIENT_JS), not in this process;
 * 4. the server's RSS (/proc/<pid>/status VmRSS every 100 ms, and VmHWM reset before each upload) before,
 *    during and after each upload, and the same for one 256 MiB upload, to show it does not grow with size;
 * 5. 10 concurrent 100 MiB uploads: total MiB/s, p50/p95 per upload, server peak RSS;
 * 6. checks every upload's Upload-Checksum-Sha256 against the source file's SHA-256, and the stored size;
 * 7. prints a markdown table and writes bench/results/uploads.md.
 *
 * Page cache: both sides of the ratio read a source that is in memory and write into the page cache (the
 * kernel flushes later), so they compare memory-to-memory paths, not the disk. Dropping caches
 * (/proc/sys/vm/drop_caches) needs root and empties the whole machine's cache, shared with whatever else runs
 * here, so the bench does not. Instead each source is read with `cat` just before its step (this VM pages out
 * memory left untouched for about a minute), the disk reads during each step are recorded (/proc/vmstat
 * pgpgin) to show the cache was warm, and `sync` runs before every timed step so one step's dirty pages are not
 * written back during the next. The CPU columns show what else ran meanwhile: a busy machine (the e2e tests
 * with Chromium) cut the upload figure by half or more in trial runs.
 *
 * Knobs (env): BENCH_UPLOAD_BIG_MIB (1024), BENCH_UPLOAD_MID_MIB (256), BENCH_UPLOAD_SMALL_MIB (100),
 * BENCH_UPLOAD_CONCURRENCY (10), BENCH_UPLOAD_RUNS (3), BENCH_UPLOAD_CPU_PROF=1 (profile the server's main
 * thread with --cpu-prof, add its top functions by self time to the report and copy the .cpuprofile to
 * $TMPDIR for DevTools; it does not see the kernel, the libuv threads or V8's helper threads: use
 * `perf record -g -p <server pid>` for those).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { DEMO_PASSWORD, seedDemo } from "~/services/seed-demo.server";
import { BENCH_KEY_SECRET, prepareBuild, startBenchServer, stopChild } from "./server-process";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const BIG = Number(process.env.BENCH_UPLOAD_BIG_MIB ?? 1024) * MiB;
const MID = Number(process.env.BENCH_UPLOAD_MID_MIB ?? 256) * MiB;
const SMALL = Number(process.env.BENCH_UPLOAD_SMALL_MIB ?? 100) * MiB;
const CONCURRENCY = Number(process.env.BENCH_UPLOAD_CONCURRENCY ?? 10);
const RUNS = Number(process.env.BENCH_UPLOAD_RUNS ?? 3);
const CPU_PROF = process.env.BENCH_UPLOAD_CPU_PROF === "1";
const CITIZEN = "citizen@demo.borikan.local";
const METADATA = { service: "sukjai-health-hazard-licence", field: "/documents/siteMap", filetype: "application/pdf" };
const SAMPLE_MS = 100;

const log = (...args: unknown[]) => console.error(`[uploads-bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

// ---------------------------------------------------------------------------------------------- small helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const mibps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
const fmtRate = (x: number) => `${x.toFixed(0)} MiB/s`;
const fmtMib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sizeName = (bytes: number) => (bytes >= GiB && bytes % GiB === 0 ? `${bytes / GiB} GiB` : `${bytes / MiB} MiB`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Flushes dirty pages so the previous step's writes are not written back during the next timed step. */
const syncDisk = () => spawnSync("sync", { stdio: "ignore" });

// -------------------------------------------------------------------------------------------- the test files

/** A PDF header, `size - header - trailer` random bytes, a trailer: written in 4 MiB pieces, never held whole. */
async function writeRandomPdf(file: string, size: number): Promise<void> {
  const head = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1");
  const tail = Buffer.from("\n%%EOF\n");
  const fh = await open(file, "w");
  try {
    await fh.write(head);
    let left = size - head.length - tail.length;
    while (left > 0) {
      const n = Math.min(left, 4 * MiB);
      await fh.write(randomBytes(n));
      left -= n;
    }
    await fh.write(tail);
  } finally {
    await fh.close();
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

// ----------------------------------------------------------------------------------- watching the server process

type ProcStatus = { rss: number; hwm: number };

function procStatus(pid: number): ProcStatus {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** Resets VmHWM (the kernel's own peak RSS) so it covers only what follows; false where that is not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
/** user + system CPU time of a process (all its threads), in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Whole-machine CPU from /proc/stat, in ms summed over cores: busy (user+nice+system+irq+softirq) and steal. */
function machineCpu(): { busy: number; steal: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return { busy: ((user + nice + system + irq + softirq) * 1000) / CLK_TCK, steal: ((steal ?? 0) * 1000) / CLK_TCK };
}

/** Bytes the kernel read from / wrote to block devices so far (/proc/vmstat pgpgin/pgpgout, in KiB). */
function diskIo(): { read: number; written: number } {
  const text = readFileSync("/proc/vmstat", "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key} (\\d+)$`, "m").exec(text)?.[1] ?? NaN) * 1024;
  return { read: kib("pgpgin"), written: kib("pgpgout") };
}

type RssWatch = {
  before: number;
  peakSampled: number;
  hwm: number | null;
  after: number;
  samples: number;
  wallMs: number;
  serverCpuMs: number;
  /** The client process sending the bytes (its work only). */
  clientCpuMs: number;
  /** Busy CPU of everything else on the machine meanwhile: other processes, the kernel's writeback. */
  otherCpuMs: number;
  /** Time the hypervisor ran something else on our vCPUs. */
  stealMs: number;
  /** Read from disk meanwhile: above zero, the source was not (all) in the page cache. */
  diskRead: number;
};

/**
 * Samples VmRSS every 100 ms from before `work` to one second after it, and reads VmHWM (reset just before)
 * to catch a spike between two samples.
 */
async function watchRss<T extends { client: ClientResult }>(pid: number, work: () => Promise<T>): Promise<{ result: T; rss: RssWatch }> {
  const hwmOk = resetPeak(pid);
  const before = procStatus(pid).rss;
  const cpu0 = cpuMs(pid);
  const self0 = process.cpuUsage();
  const machine0 = machineCpu();
  const io0 = diskIo();
  const start = performance.now();
  let peak = before;
  let samples = 1;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, procStatus(pid).rss);
      samples++;
    } catch {
      /* the process is gone: the work will fail and say why */
    }
  }, SAMPLE_MS);
  try {
    const result = await work();
    const wallMs = performance.now() - start;
    const serverCpuMs = cpuMs(pid) - cpu0;
    const self = process.cpuUsage(self0);
    const clientCpuMs = result.client.cpuMs;
    const machine1 = machineCpu();
    const otherCpuMs = Math.max(0, machine1.busy - machine0.busy - serverCpuMs - clientCpuMs - (self.user + self.system) / 1000);
    const stealMs = machine1.steal - machine0.steal;
    const diskRead = diskIo().read - io0.read;
    await sleep(1000);
    const end = procStatus(pid);
    peak = Math.max(peak, end.rss);
    return {
      result,
      rss: { before, peakSampled: peak, hwm: hwmOk ? end.hwm : null, after: end.rss, samples, wallMs, serverCpuMs, clientCpuMs, otherCpuMs, stealMs, diskRead },
    };
  } finally {
    clearInterval(timer);
  }
}

// ------------------------------------------------------------------------------------------------- tus client

type Auth = Record<string, string>;

async function signIn(base: string): Promise<Auth> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: CITIZEN, password: DEMO_PASSWORD, next: "/" }).toString(),
    redirect: "manual",
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter(Boolean)
    .join("; ");
  if (res.status !== 302 || !cookie) throw new Error(`citizen login failed: ${res.status} ${await res.text()}`);
  return { Cookie: cookie };
}

const encodeMetadata = (metadata: Record<string, string>) =>
  Object.entries(metadata)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");

async function createUpload(base: string, auth: Auth, size: number, filename: string): Promise<string> {
  const res = await fetch(`${base}/uploads`, {
    method: "POST",
    headers: { ...auth, "Tus-Resumable": "1.0.0", "Upload-Length": String(size), "Upload-Metadata": encodeMetadata({ ...METADATA, filename }) },
  });
  const location = res.headers.get("location") ?? "";
  if (res.status !== 201 || !location) throw new Error(`POST /uploads: ${res.status} ${await res.text()}`);
  return location.split("/").filter(Boolean).at(-1)!;
}

/**
 * The client side runs in a fresh `node` with nothing else loaded: the copies and the PATCH requests. In this
 * process (tsx, mongoose, the seeded app modules) every 64 KiB buffer adds external memory that sets off full
 * V8 collections of a much larger heap, which halved the streamed copy and doubled the client's CPU when it ran
 * here; on 2 cores that CPU is taken from the server.
 */
const CLIENT_JS = `
import http from "node:http";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
const job = JSON.parse(process.argv[1]);
function patch({ url, headers, file, size }) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(url, { method: "PATCH", agent: false, headers: { ...headers, "Content-Length": String(size) } });
    req.on("error", reject);
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode, ms: performance.now() - start, offset: res.headers["upload-offset"] ?? null, checksum: res.headers["upload-checksum-sha256"] ?? null, body }));
    });
    const source = createReadStream(file);
    source.on("error", (error) => req.destroy(error));
    source.pipe(req);
  });
}
const cpu0 = process.cpuUsage();
const start = performance.now();
let patches = [];
if (job.kind === "copyFile") await Promise.all(job.pairs.map(([from, to]) => copyFile(from, to)));
else if (job.kind === "stream") await Promise.all(job.pairs.map(([from, to]) => pipeline(createReadStream(from), createWriteStream(to))));
else patches = await Promise.all(job.uploads.map(patch));
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, patches }));
`;

type Patched = { status: number; ms: number; offset: string | null; checksum: string | null; body: string };
type ClientJob =
  | { kind: "copyFile" | "stream"; pairs: [string, string][] }
  | { kind: "patch"; uploads: { url: string; headers: Record<string, string>; file: string; size: number }[] };
/** `ms` and `cpuMs` cover the work only, not the child's start. */
type ClientResult = { ms: number; cpuMs: number; patches: Patched[] };

function runClient(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CLIENT_JS, JSON.stringify(job)], { stdio: ["ignore", "pipe", "pipe"] });
    cleanup.clients.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      cleanup.clients.delete(child);
      if (code !== 0) return reject(new Error(`client (${job.kind}) exited with ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out) as ClientResult);
      } catch (error) {
        reject(new Error(`client (${job.kind}) printed no result: ${String(error)} ${out.slice(0, 500)} ${err.slice(-1000)}`));
      }
    });
  });
}

type Source = { file: string; size: number; sha256: string };
type UploadResult = { id: string; ms: number; checksumOk: boolean; sizeOk: boolean; checksum: string };

const tusPatchHeaders = (auth: Auth) => ({ ...auth, "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" });

/**
 * Sends each source in one PATCH to an upload created beforehand (creation is not timed), all at once from one
 * client process; checks each response's offset, its Upload-Checksum-Sha256 and the stored size.
 */
async function uploadAll(base: string, auth: Auth, uploadDir: string, jobs: { src: Source; id: string }[]): Promise<{ uploads: UploadResult[]; client: ClientResult }> {
  const client = await runClient({
    kind: "patch",
    uploads: jobs.map(({ src, id }) => ({ url: `${base}/uploads/${id}`, headers: tusPatchHeaders(auth), file: src.file, size: src.size })),
  });
  const uploads = jobs.map(({ src, id }, i) => {
    const r = client.patches[i];
    if (r.status !== 204 || r.offset !== String(src.size)) throw new Error(`PATCH /uploads/${id}: ${r.status} offset ${r.offset} ${r.body.slice(0, 500)}`);
    const stored = path.join(uploadDir, id);
    const storedSize = existsSync(stored) ? statSync(stored).size : -1;
    return { id, ms: r.ms, checksum: r.checksum ?? "", checksumOk: r.checksum === src.sha256, sizeOk: storedSize === src.size };
  });
  return { uploads, client };
}

const createFor = async (base: string, auth: Auth, src: Source) => ({ src, id: await createUpload(base, auth, src.size, path.basename(src.file)) });

/** Reads files once so they are in the page cache (this VM pages out memory left untouched for about a minute). */
const warmCache = (files: string[]) => spawnSync("cat", files, { stdio: ["ignore", "ignore", "inherit"] });

/** The stored bytes are not needed once checked: keep the disk (and the page cache) free for the next step. */
function dropStored(uploadDir: string, id: string) {
  rmSync(path.join(uploadDir, id), { force: true });
  rmSync(path.join(uploadDir, `${id}.json`), { force: true });
}

// -------------------------------------------------------------------------------- server (as bench/run.ts does)

// ------------------------------------------------------------------------------------------------ CPU profile

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const frameName = (frame: CallFrame | undefined) => {
  if (!frame) return "(root)";
  const where = frame.url ? ` ${frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(build|app)\//, "$1/")}:${frame.lineNumber + 1}` : "";
  return `${frame.functionName || "(anonymous)"}${where}`;
};

/**
 * The server's functions by self time (with the caller that spent most of it), from the .cpuprofile that
 * `--cpu-prof` writes at exit; the profile itself is copied next to the temp dirs so it can be opened in DevTools.
 */
function topSelfTime(dir: string, top = 15): [string, string][] {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) return [["(no profile written)", ""]];
  const kept = path.join(os.tmpdir(), `borikan-uploads-server-${Date.now()}.cpuprofile`);
  cpSync(path.join(dir, file), kept);
  log(`server CPU profile kept at ${kept}`);
  const profile = JSON.parse(readFileSync(kept, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const self = new Map<string, { us: number; callers: Map<string, number> }>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    const name = frameName(node?.callFrame);
    if (name === "(idle)") {
      idle += dt;
      return;
    }
    total += dt;
    const caller = frameName(byId.get(parentOf.get(id) ?? -1)?.callFrame);
    const entry = self.get(name) ?? { us: 0, callers: new Map<string, number>() };
    entry.us += dt;
    entry.callers.set(caller, (entry.callers.get(caller) ?? 0) + dt);
    self.set(name, entry);
  });
  const rows: [string, string][] = [["(busy / idle on the main thread)", `${(total / 1000).toFixed(0)} ms / ${(idle / 1000).toFixed(0)} ms`]];
  for (const [name, { us, callers }] of [...self].sort((a, b) => b[1].us - a[1].us).slice(0, top)) {
    const [caller] = [...callers].sort((a, b) => b[1] - a[1])[0];
    rows.push([`\`${name}\` ← \`${caller}\``, `${(us / 1000).toFixed(0)} ms (${((100 * us) / total).toFixed(1)} % of busy)`]);
  }
  return rows;
}

// ------------------------------------------------------------------------------------------------------ main

type Cleanup = { server?: ChildProcess; clients: Set<ChildProcess>; ferret?: { stop(): Promise<void> }; tmpDirs: string[] };
const cleanup: Cleanup = { clients: new Set(), tmpDirs: [] };
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const client of cleanup.clients) client.kill("SIGKILL");
    await stopChild(cleanup.server).catch(() => {});
    await disconnectDb().catch(() => {});
    await cleanup.ferret?.stop().catch(() => {});
    for (const dir of cleanup.tmpDirs) rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main() {
  const t0 = Date.now();
  const load0 = os.loadavg()[0];
  const rows: [string, string][] = [];
  const detail: string[][] = [];
  const problems: string[] = [];
  const workDir = mkdtempSync(path.join(os.tmpdir(), "borikan-uploads-bench-"));
  cleanup.tmpDirs.push(workDir);
  const srcDir = path.join(workDir, "src");
  const copyDir = path.join(workDir, "copies");
  const uploadDir = path.join(workDir, "uploads");
  const profDir = path.join(workDir, "prof");
  for (const dir of [srcDir, copyDir, uploadDir, profDir]) mkdirSync(dir, { recursive: true });

  const need = BIG * 2 + MID + SMALL * CONCURRENCY * 2 + GiB;
  const free = statfsFree(workDir);
  log(`work dir ${workDir} (${(free / GiB).toFixed(1)} GiB free, about ${(need / GiB).toFixed(1)} GiB needed at most)`);
  if (free < need) throw new Error(`not enough room in ${workDir}: ${(free / GiB).toFixed(1)} GiB free, ${(need / GiB).toFixed(1)} GiB needed`);

  // 1. Database, seed, server.
  const ferret = await startFerretDb({ port: await freePort(), dataDir: path.join(workDir, "ferret"), log });
  cleanup.ferret = ferret;
  const uri = `${ferret.uri}borikan-uploads-bench`;
  process.env.MONGODB_URI = uri;
  // The seed signs the demo permits: it must use the key secret the server will use.
  process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
  await connectDb(uri);
  await seedDemo({ log: () => {} });
  await disconnectDb();
  log(`FerretDB up at ${uri}, demo seeded`);

  const { serverDir, buildNote } = prepareBuild(cleanup.tmpDirs);
  const started = startBenchServer({
    serverDir,
    mongoUri: uri,
    nodeArgs: CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [],
    env: { UPLOAD_STORAGE: "file", UPLOAD_DIR: uploadDir, UPLOAD_MAX_BYTES: String(5 * GiB), UPLOAD_APPLICANT_QUOTA_BYTES: String(50 * GiB) },
  });
  const { server, base } = await started;
  cleanup.server = server;
  const pid = server.pid!;
  log(`server up at ${base} (pid ${pid}; ${buildNote})`);
  const auth = await signIn(base);

  // 2. Source files, hashed by streaming (which also leaves them in the page cache, like the copies read them).
  const makeSource = async (name: string, size: number): Promise<Source> => {
    const file = path.join(srcDir, name);
    await writeRandomPdf(file, size);
    return { file, size, sha256: await sha256File(file) };
  };
  const genStart = performance.now();
  const big = await makeSource("big.pdf", BIG);
  const mid = await makeSource("mid.pdf", MID);
  const smalls: Source[] = [];
  for (let i = 0; i < CONCURRENCY; i++) smalls.push(await makeSource(`small-${i}.pdf`, SMALL));
  const warm = await makeSource("warm.pdf", 64 * MiB);
  log(`source files written and hashed in ${fmtS(performance.now() - genStart)}`);

  // Warm-up (not counted): the first upload loads the upload modules, the type sniffer, the DB connection, and
  // grows V8's young generation to its streaming size (about +25 MiB of RSS, once).
  syncDisk();
  const w = (await uploadAll(base, auth, uploadDir, [await createFor(base, auth, warm)])).uploads[0];
  if (!w.checksumOk) problems.push(`warm-up upload: checksum ${w.checksum} ≠ ${warm.sha256}`);
  dropStored(uploadDir, w.id);
  await sleep(1000);
  const idleRss = procStatus(pid).rss;

  // 3. One 256 MiB upload: the RSS of a smaller file, to compare with the 1 GiB peaks.
  warmCache([mid.file]);
  syncDisk();
  const midJob = await createFor(base, auth, mid);
  const midWatch = await watchRss(pid, () => uploadAll(base, auth, uploadDir, [midJob]));
  const midRun = { result: midWatch.result.uploads[0], rss: midWatch.rss };
  dropStored(uploadDir, midRun.result.id);
  if (!midRun.result.checksumOk || !midRun.result.sizeOk) problems.push(`${sizeName(MID)} upload: checksum ok ${midRun.result.checksumOk}, size ok ${midRun.result.sizeOk}`);
  log(`${sizeName(MID)} upload: ${fmtRate(mibps(MID, midRun.result.ms))}, RSS ${fmtMib(midRun.rss.before)} → peak ${fmtMib(midRun.rss.peakSampled)}`);

  // 4. 1 GiB: copyFile, streamed copy, upload; RUNS times.
  type Copy = { ms: number; cpuMs: number; diskRead: number };
  const timedCopy = async (kind: "copyFile" | "stream", pairs: [string, string][]): Promise<Copy> => {
    syncDisk();
    const io0 = diskIo();
    const r = await runClient({ kind, pairs });
    const copy = { ms: r.ms, cpuMs: r.cpuMs, diskRead: diskIo().read - io0.read };
    for (const [, to] of pairs) rmSync(to, { force: true });
    return copy;
  };
  type BigRun = { copyFile: Copy; stream: Copy; upload: UploadResult; rss: RssWatch };
  const bigRuns: BigRun[] = [];
  const bigCopy: [string, string][] = [[big.file, path.join(copyDir, "big-copy.pdf")]];
  for (let run = 1; run <= RUNS; run++) {
    warmCache([big.file]);
    const copied = await timedCopy("copyFile", bigCopy);
    const stream = await timedCopy("stream", bigCopy);
    syncDisk();
    const job = await createFor(base, auth, big);
    const { result, rss } = await watchRss(pid, () => uploadAll(base, auth, uploadDir, [job]));
    const upload = result.uploads[0];
    dropStored(uploadDir, upload.id);
    if (!upload.checksumOk || !upload.sizeOk) problems.push(`${sizeName(BIG)} run ${run}: checksum ok ${upload.checksumOk}, size ok ${upload.sizeOk}`);
    bigRuns.push({ copyFile: copied, stream, upload, rss });
    log(
      `${sizeName(BIG)} run ${run}: copyFile ${fmtRate(mibps(BIG, copied.ms))}, streamed copy ${fmtRate(mibps(BIG, stream.ms))}, ` +
        `upload ${fmtRate(mibps(BIG, upload.ms))} (server CPU ${fmtS(rss.serverCpuMs)}), RSS ${fmtMib(rss.before)} → peak ${fmtMib(rss.peakSampled)} → ${fmtMib(rss.after)}, checksum ${upload.checksumOk ? "ok" : "MISMATCH"}`,
    );
  }

  // 5. CONCURRENCY × SMALL at once (all created first; one client sends the PATCHes together).
  warmCache(smalls.map((s) => s.file));
  const smallCopy = await timedCopy(
    "stream",
    smalls.map((s, i): [string, string] => [s.file, path.join(copyDir, `small-${i}.pdf`)]),
  );
  syncDisk();
  const jobs: { src: Source; id: string }[] = [];
  for (const s of smalls) jobs.push(await createFor(base, auth, s));
  const conc = await watchRss(pid, () => uploadAll(base, auth, uploadDir, jobs));
  const concWall = conc.result.client.ms;
  for (const r of conc.result.uploads) dropStored(uploadDir, r.id);
  const concBad = conc.result.uploads.filter((r) => !r.checksumOk || !r.sizeOk).length;
  if (concBad) problems.push(`${concBad} of ${CONCURRENCY} concurrent uploads had a wrong checksum or size`);
  const concTimes = conc.result.uploads.map((r) => r.ms);
  log(`${CONCURRENCY} × ${sizeName(SMALL)}: ${fmtRate(mibps(SMALL * CONCURRENCY, concWall))} total, peak RSS ${fmtMib(conc.rss.peakSampled)}`);
  rmSync(copyDir, { recursive: true, force: true });

  // 6. Report.
  const upRates = bigRuns.map((r) => mibps(BIG, r.upload.ms));
  const streamRates = bigRuns.map((r) => mibps(BIG, r.stream.ms));
  const copyFileRates = bigRuns.map((r) => mibps(BIG, r.copyFile.ms));
  const upMed = median(upRates);
  const streamMed = median(streamRates);
  const peakBig = Math.max(...bigRuns.map((r) => r.rss.peakSampled));
  const hwmBig = bigRuns.every((r) => r.rss.hwm !== null) ? Math.max(...bigRuns.map((r) => r.rss.hwm!)) : null;
  const growth = (r: RssWatch) => `${r.peakSampled - r.before >= 0 ? "+" : ""}${fmtMib(r.peakSampled - r.before)}`;
  const medBy = <T>(xs: T[], f: (x: T) => number) => median(xs.map(f));
  const serverCpuPerGiB = medBy(bigRuns, (r) => r.rss.serverCpuMs) / (BIG / GiB);
  const clientCpuPerGiB = medBy(bigRuns, (r) => r.rss.clientCpuMs) / (BIG / GiB);
  const streamCpuPerGiB = medBy(bigRuns, (r) => r.stream.cpuMs) / (BIG / GiB);
  const uploadSecsPerGiB = median(bigRuns.map((r) => r.upload.ms)) / (BIG / GiB);

  rows.push(
    [`1. Upload ${sizeName(BIG)}, one PATCH over loopback (median of ${RUNS})`, `${fmtRate(upMed)} (${fmtS(median(bigRuns.map((r) => r.upload.ms)))}; runs: ${upRates.map(fmtRate).join(", ")})`],
    [`1. Streamed copy on the same disk, createReadStream → createWriteStream (median of ${RUNS})`, `${fmtRate(streamMed)} (runs: ${streamRates.map(fmtRate).join(", ")})`],
    [`1. fs.copyFile on the same disk (median of ${RUNS})`, `${fmtRate(median(copyFileRates))} (runs: ${copyFileRates.map(fmtRate).join(", ")}; copy_file_range in the kernel)`],
    ["1. **Ratio upload ÷ streamed copy**", `**${(upMed / streamMed).toFixed(2)}** (per run: ${bigRuns.map((r) => (r.stream.ms / r.upload.ms).toFixed(2)).join(", ")}); ÷ copyFile: ${(upMed / median(copyFileRates)).toFixed(2)}`],
    [
      `1. CPU per GiB: server during the upload / client process sending it / streamed copy (its own process)`,
      `${fmtS(serverCpuPerGiB)} / ${fmtS(clientCpuPerGiB)} / ${fmtS(streamCpuPerGiB)} (upload wall ${fmtS(uploadSecsPerGiB)} per GiB; 2 cores shared by client and server)`,
    ],
    [
      `2. Server RSS, ${sizeName(BIG)} upload: before / peak during / after (run 1)`,
      `${fmtMib(bigRuns[0].rss.before)} / ${fmtMib(bigRuns[0].rss.peakSampled)} / ${fmtMib(bigRuns[0].rss.after)} (peak ${growth(bigRuns[0].rss)})`,
    ],
    [
      `2. Server peak RSS over all ${RUNS} ${sizeName(BIG)} runs: sampled every ${SAMPLE_MS} ms / VmHWM`,
      `${fmtMib(peakBig)} / ${hwmBig === null ? "n/a (clear_refs not writable)" : fmtMib(hwmBig)}; idle after warm-up ${fmtMib(idleRss)}`,
    ],
    [
      `2. Server RSS, ${sizeName(MID)} upload: before / peak during / after`,
      `${fmtMib(midRun.rss.before)} / ${fmtMib(midRun.rss.peakSampled)} / ${fmtMib(midRun.rss.after)} (peak ${growth(midRun.rss)}; VmHWM ${midRun.rss.hwm === null ? "n/a" : fmtMib(midRun.rss.hwm)}; ${fmtRate(mibps(MID, midRun.result.ms))})`,
    ],
    [
      `2. Peak RSS growth ${sizeName(BIG)} vs ${sizeName(MID)} (file ${BIG / MID}× larger)`,
      `${growth(bigRuns[0].rss)} vs ${growth(midRun.rss)}: ${Math.abs(peakBig - midRun.rss.peakSampled) < 64 * MiB ? "flat, does not scale with the file" : "DIFFERS by " + fmtMib(peakBig - midRun.rss.peakSampled)}`,
    ],
    [
      `3. ${CONCURRENCY} concurrent ${sizeName(SMALL)} uploads: total throughput`,
      `${fmtRate(mibps(SMALL * CONCURRENCY, concWall))} (${fmtS(concWall)} for ${fmtMib(SMALL * CONCURRENCY)}); the same files copied concurrently (streamed): ${fmtRate(mibps(SMALL * CONCURRENCY, smallCopy.ms))}`,
    ],
    [`3. Per-upload time p50 / p95 / max (n = ${CONCURRENCY}: p95 is the slowest)`, `${fmtS(pct(concTimes, 50))} / ${fmtS(pct(concTimes, 95))} / ${fmtS(Math.max(...concTimes))}`],
    [
      `3. Server RSS during them: before / peak / after`,
      `${fmtMib(conc.rss.before)} / ${fmtMib(conc.rss.peakSampled)} / ${fmtMib(conc.rss.after)} (peak ${growth(conc.rss)}; VmHWM ${conc.rss.hwm === null ? "n/a" : fmtMib(conc.rss.hwm)}; CPU server / client / others: ${fmtS(conc.rss.serverCpuMs)} / ${fmtS(conc.rss.clientCpuMs)} / ${fmtS(conc.rss.otherCpuMs)})`,
    ],
    [
      `4. Upload-Checksum-Sha256 = SHA-256 of the source (streamed)`,
      `${bigRuns.every((r) => r.upload.checksumOk) ? "yes" : "NO"} for ${sizeName(BIG)} ×${RUNS} (${big.sha256.slice(0, 16)}…); ` +
        `${midRun.result.checksumOk ? "yes" : "NO"} for ${sizeName(MID)}; ${CONCURRENCY - concBad}/${CONCURRENCY} for ${sizeName(SMALL)}; stored sizes ${bigRuns.every((r) => r.upload.sizeOk) && midRun.result.sizeOk && concBad === 0 ? "all equal the source" : "DIFFER"}`,
    ],
  );
  for (const [i, r] of bigRuns.entries()) {
    detail.push([
      String(i + 1),
      fmtRate(mibps(BIG, r.copyFile.ms)),
      fmtRate(mibps(BIG, r.stream.ms)),
      fmtRate(mibps(BIG, r.upload.ms)),
      (r.stream.ms / r.upload.ms).toFixed(2),
      `${fmtS(r.rss.serverCpuMs)} / ${fmtS(r.rss.clientCpuMs)} / ${fmtS(r.rss.otherCpuMs)} / ${fmtS(r.rss.stealMs)}`,
      fmtS(r.stream.cpuMs),
      `${fmtMib(r.copyFile.diskRead)} / ${fmtMib(r.stream.diskRead)} / ${fmtMib(r.rss.diskRead)}`,
      `${fmtMib(r.rss.before)} / ${fmtMib(r.rss.peakSampled)} / ${fmtMib(r.rss.after)}`,
      r.rss.hwm === null ? "n/a" : fmtMib(r.rss.hwm),
      String(r.rss.samples),
      r.upload.checksumOk ? "ok" : "MISMATCH",
    ]);
  }

  await stopChild(server);
  const profileRows = CPU_PROF ? topSelfTime(profDir) : [];

  const cpus = os.cpus();
  const machine: [string, string][] = [
    ["Node", process.version],
    ["CPUs", `${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}`],
    ["Memory", `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ["Platform", `${os.platform()} ${os.release()} ${os.arch()}`],
    ["Disk", `${workDir.split("/").slice(0, 2).join("/")} (${fsTypeOf(workDir)}): sources, copies and UPLOAD_DIR on the same file system`],
    ["Server", `node server.js, NODE_ENV=production, UPLOAD_STORAGE=file, ${buildNote}${CPU_PROF ? "; **profiled with --cpu-prof**" : ""}`],
    [
      "Page cache",
      "warm on both sides: each source is read (`cat`) just before its step and the disk reads during the step are in the runs table; writes go to the page cache and `sync` runs before each timed step. Caches are not dropped: that needs root and empties the whole machine's cache, shared with whatever else runs here",
    ],
    ["Units", "MiB/s = 2^20 bytes per second; 1 GiB = 1024 MiB"],
    [
      "Load average (1 min) at start / end",
      `${load0.toFixed(2)} / ${os.loadavg()[0].toFixed(2)}; "others" in the CPU columns is the machine's busy CPU not used by the server, the client process or this bench (other processes, kernel writeback), "steal" is time the hypervisor took`,
    ],
    ["Bench wall time", `${((Date.now() - t0) / 1000).toFixed(0)} s`],
  ];
  const table = (title: string, body: [string, string][]) => [`| ${title} | |`, "|---|---|", ...body.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`)].join("\n");
  const detailTable = [
    "| run | copyFile | streamed copy | upload | ratio | CPU during the upload: server / client / others / steal | CPU of the streamed copy | read from disk: copyFile / stream / upload | server RSS before / peak / after | VmHWM | RSS samples | checksum |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...detail.map((cells) => `| ${cells.join(" | ")} |`),
  ].join("\n");
  const md = [
    `# Borikan uploads bench — ${new Date().toISOString()}`,
    "",
    "Run with `npx tsx bench/uploads.ts` (or `npm run bench:uploads`); each run rewrites this file.",
    "",
    table("Measure", rows),
    "",
    `### ${sizeName(BIG)} runs`,
    "",
    detailTable,
    "",
    ...(problems.length ? ["### Problems", "", ...problems.map((p) => `- ${p}`), ""] : []),
    ...(CPU_PROF ? [table("Server CPU profile: top functions by self time (whole run)", profileRows), ""] : []),
    table("Machine", machine),
    "",
  ].join("\n");
  console.log(md);
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench/results/uploads.md"), md);
  log("wrote bench/results/uploads.md");
  if (problems.length) throw new Error(`correctness problems:\n${problems.join("\n")}`);
}

function statfsFree(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

function fsTypeOf(dir: string): string {
  return spawnSync("df", ["--output=fstype", dir], { encoding: "utf8" }).stdout.trim().split("\n").at(-1) ?? "?";
}

main()
  .finally(cleanUp)
  .then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
