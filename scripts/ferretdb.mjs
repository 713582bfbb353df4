// Builds (once) and runs the embedded MongoDB-compatible server: FerretDB v1.24.2 on SQLite.
// Loopback only, no telemetry, no debug listener.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnBoundToParent } from "./supervised.mjs";

export const FERRETDB_VERSION = "v1.24.2";

/** Local patches to FerretDB, unified diffs applied in name order with `git apply` (see the README there). */
export const FERRETDB_PATCH_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "ferretdb-patches");

function patchFiles() {
  return readdirSync(FERRETDB_PATCH_DIR)
    .filter((name) => name.endsWith(".patch"))
    .sort()
    .map((name) => path.join(FERRETDB_PATCH_DIR, name));
}

/**
 * A short hash of the patch files' names and contents: any change to a patch gives a new binary path,
 * so a cached binary built from other patches is never used.
 */
export function localPatchId() {
  const hash = createHash("sha256");
  for (const file of patchFiles()) hash.update(`${path.basename(file)}\0`).update(readFileSync(file)).update("\0");
  return hash.digest("hex").slice(0, 12);
}

function hasGo() {
  return !spawnSync("go", ["version"], { encoding: "utf8" }).error;
}

/** Where the built binary is kept, shared by every checkout of the project on this machine. */
export function ferretDbBinaryPath() {
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cacheRoot, "borikan", `ferretdb-${FERRETDB_VERSION}-${localPatchId()}`);
}

/**
 * Applies the local patches to a FerretDB source tree, in order; throws (naming the patch and quoting
 * git's complaint) when one no longer applies. `git apply` is all-or-nothing per patch and works outside
 * a repository; GIT_CEILING_DIRECTORIES keeps it from finding one above the scratch directory.
 *
 * 0001 (docs/decisions/001): `_id` lookups use the `_id` index's own expression, also with other conditions.
 * 0002: exact pushdown of filter, sort, limit and count on verified indexed fields (kinds tracked per index key).
 * 0003: skip pushed down with the exact limit. 0004: an inclusion projection's needed top-level keys are read
 * from SQLite, not whole documents (docs/decisions/023). 0005: update, findAndModify and delete are atomic per
 * document, as on MongoDB (docs/decisions/031); `--test-disable-atomic-updates` turns that off for tests.
 * 0006: a filter with an `_id` equality or `$in` is answered from the `_id` index, never by walking another
 * index's range (docs/decisions/036).
 */
export function applyFerretDbPatches(sourceDir) {
  for (const file of patchFiles()) {
    const res = spawnSync("git", ["apply", "--whitespace=nowarn", file], {
      cwd: sourceDir,
      encoding: "utf8",
      env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(sourceDir) },
    });
    if (res.error) throw new Error(`git is needed to patch FerretDB: ${res.error.message}`);
    if (res.status !== 0) {
      throw new Error(`FerretDB ${FERRETDB_VERSION}: patch ${path.basename(file)} no longer applies:\n${res.stderr}`);
    }
  }
}

/**
 * Copies FerretDB's module source to a new scratch directory, stamps its version file and applies the
 * local patches. A plain `go install …/cmd/ferretdb@v1.24.2` binary panics at start because the module zip
 * lacks build/version/version.txt (FerretDB's own build writes it). The caller removes the directory.
 */
function preparePatchedSource() {
  if (!hasGo()) {
    throw new Error(
      "Go is not installed (the `go` command was not found). Install Go >= 1.22 to build the embedded " +
        "database, or set MONGODB_URI to use an existing MongoDB.",
    );
  }
  const modulePath = `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`;
  const download = spawnSync("go", ["mod", "download", "-json", modulePath], { encoding: "utf8", cwd: os.tmpdir() });
  if (download.status !== 0) throw new Error(`go mod download ${modulePath} failed: ${download.stderr}`);
  const moduleDir = JSON.parse(download.stdout).Dir;
  const scratch = mkdtempSync(path.join(os.tmpdir(), "borikan-ferretdb-"));
  try {
    cpSync(moduleDir, scratch, { recursive: true });
    spawnSync("chmod", ["-R", "u+w", scratch]);
    writeFileSync(path.join(scratch, "build/version/version.txt"), `${FERRETDB_VERSION}\n`);
    applyFerretDbPatches(scratch);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return scratch;
}

/** Returns the path of the ferretdb binary, building it (patched) when missing. */
export function ensureFerretDb({ log = console.log } = {}) {
  if (process.env.FERRETDB_BIN && existsSync(process.env.FERRETDB_BIN)) return process.env.FERRETDB_BIN;
  const bin = ferretDbBinaryPath();
  if (existsSync(bin)) return bin;
  log(`Building FerretDB ${FERRETDB_VERSION} with local patches ${localPatchId()} (first run only, about a minute)...`);
  const scratch = preparePatchedSource();
  try {
    mkdirSync(path.dirname(bin), { recursive: true });
    const build = spawnSync("go", ["build", "-trimpath", "-o", `${bin}.partial`, "./cmd/ferretdb"], {
      cwd: scratch,
      stdio: "inherit",
    });
    if (build.status !== 0) throw new Error(`go build of FerretDB ${FERRETDB_VERSION} failed (exit ${build.status})`);
    renameSync(`${bin}.partial`, bin);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return bin;
}

/**
 * Runs the Go tests of the packages the local patches touch (the translator, kind tracking and SQLite
 * behaviour they rely on) in a freshly patched tree. No Docker, no network beyond the Go module proxy.
 * Returns the exit status.
 */
export function runFerretDbTests({ log = console.log } = {}) {
  const scratch = preparePatchedSource();
  try {
    // FerretDB's test helpers locate the source root by its .git directory.
    const init = spawnSync("git", ["init", "-q"], { cwd: scratch, encoding: "utf8" });
    if (init.status !== 0) throw new Error(`git init in ${scratch} failed: ${init.stderr}`);
    // ./internal/handler/ holds 0005's concurrency tests (atomic update, findAndModify, delete, upsert).
    const packages = ["./internal/backends/sqlite/...", "./internal/handler/common/", "./internal/handler/"];
    log(`go test ${packages.join(" ")} (FerretDB ${FERRETDB_VERSION} + patches ${localPatchId()})`);
    const res = spawnSync("go", ["test", "-count=1", ...packages], { cwd: scratch, stdio: "inherit" });
    return res.status ?? 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** @param {number | string} where a loopback port, or the path of a Unix socket */
function canConnect(where) {
  return new Promise((resolve) => {
    const socket = typeof where === "number" ? net.connect({ host: "127.0.0.1", port: where }) : net.connect({ path: where });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * SQLite settings added to FerretDB's own (WAL, busy timeout), measured with the engine's CPU profile under
 * filing load (docs/decisions/020):
 * - temp_store(memory) keeps each statement's journal in small in-memory chunks. By default SQLite gives it
 *   64 KiB chunks (one mmap and munmap per write statement in this allocator) and spills it to a temp file past
 *   that: 19 % of the engine's CPU.
 * - synchronous(normal) is SQLite's advised setting with WAL: no fsync per commit (8 % of the engine's CPU, and
 *   a wait inside the one write lock every writer queues for). Nothing is lost when a process dies; an OS crash
 *   or power cut may lose the last commits but never corrupts the file.
 */
const SQLITE_PRAGMAS = ["temp_store(memory)", "synchronous(normal)"].map((p) => `_pragma=${encodeURIComponent(p)}`).join("&");

/** Longest path a Unix socket may have on Linux (108 bytes with the terminating zero), with a margin. */
const MAX_SOCKET_PATH = 100;

/**
 * Starts FerretDB on 127.0.0.1:port, and on a Unix socket in dataDir, with its SQLite files under dataDir.
 * Resolves when both accept connections; `stop()` ends the process.
 * `uri` names the Unix socket: our own processes use it, because each command written to the loopback TCP
 * socket costs the writer about a third more CPU (docs/decisions/020). `tcpUri` is the port, for tools and
 * for anything that must count or proxy the wire. When dataDir's path is too long for a socket, both are TCP.
 * `extraArgs` are added to the command line (tests pass `--test-disable-pushdown` for a reference server);
 * `extraPragmas` (e.g. `cache_size(-16000)`) are added to SQLITE_PRAGMAS, for benches that compare settings.
 * @param {{ port: number, dataDir: string, quiet?: boolean, log?: (...args: unknown[]) => void, extraArgs?: string[], extraPragmas?: string[] }} options
 */
export async function startFerretDb({ port, dataDir, quiet = true, log = console.log, extraArgs = [], extraPragmas = [] }) {
  const bin = ensureFerretDb({ log });
  const dbDir = path.join(dataDir, "db");
  const stateDir = path.join(dataDir, "state");
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const socketPath = path.join(dataDir, "ferretdb.sock");
  const useSocket = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH;
  // A socket file left by a process killed outright would make the listener fail.
  if (useSocket) rmSync(socketPath, { force: true });
  // Bound to this process: a test runner or `npm start` killed outright leaves no database running.
  const child = spawnBoundToParent(
    bin,
    [
      "--handler=sqlite",
      `--sqlite-url=file:${dbDir}/?${[SQLITE_PRAGMAS, ...extraPragmas.map((p) => `_pragma=${encodeURIComponent(p)}`)].join("&")}`,
      `--state-dir=${stateDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      ...(useSocket ? [`--listen-unix=${socketPath}`] : []),
      "--telemetry=disable",
      // FERRETDB_DEBUG_ADDR=127.0.0.1:<port> serves Go's pprof there, for profiling the engine in a bench.
      `--debug-addr=${process.env.FERRETDB_DEBUG_ADDR || "-"}`,
      "--log-level=warn",
      ...extraArgs,
    ],
    { stdio: quiet ? ["ignore", "ignore", "pipe"] : "inherit" },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port)) || (useSocket && !(await canConnect(socketPath)))) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited at start (code ${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`FerretDB did not accept connections on port ${port} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    uri: useSocket ? `mongodb://${encodeURIComponent(socketPath)}/` : `mongodb://127.0.0.1:${port}/`,
    tcpUri: `mongodb://127.0.0.1:${port}/`,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// `node scripts/ferretdb.mjs test` runs the patches' Go tests; `node scripts/ferretdb.mjs build` builds.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === "test") process.exit(runFerretDbTests());
  else if (command === "build") console.log(ensureFerretDb());
  else {
    console.error("usage: node scripts/ferretdb.mjs test|build");
    process.exit(2);
  }
}
