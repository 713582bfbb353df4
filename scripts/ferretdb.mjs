// Builds (once) and runs the embedded MongoDB-compatible server: FerretDB v1.24.2 on SQLite.
// Loopback only, no telemetry, no debug listener.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";

export const FERRETDB_VERSION = "v1.24.2";
/** Bumped whenever the local patch below changes, so a cached binary of an older patch is rebuilt. */
const LOCAL_PATCH = "borikan2";

function hasGo() {
  return !spawnSync("go", ["version"], { encoding: "utf8" }).error;
}

/** Where the built binary is kept, shared by every checkout of the project on this machine. */
export function ferretDbBinaryPath() {
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cacheRoot, "borikan", `ferretdb-${FERRETDB_VERSION}-${LOCAL_PATCH}`);
}

/**
 * Returns the path of the ferretdb binary, building it when missing.
 * A plain `go install …/cmd/ferretdb@v1.24.2` binary panics at start because the module zip lacks
 * build/version/version.txt (FerretDB's own build writes it), so we fetch the same module with the
 * Go toolchain, stamp the version file in a scratch copy and `go build` its cmd/ferretdb there.
 *
 * One local patch (see docs/decisions/001): the SQLite backend pushes `{ _id: value }` filters down as
 * `_ferretdb_sjson->'$._id' = ?`, but creates the unique `_id` index on `_ferretdb_sjson->"_id"`; SQLite
 * only uses an expression index for the identical expression, so every `_id` lookup scanned the table
 * (30 ms at 20,000 documents, growing linearly). Writing the filter with the index's expression makes it
 * an index lookup (0.5 ms at any size). Same JSON path, same results.
 * Second, the `_id` condition is pushed down also when the filter has other conditions besides it (such
 * as `{ _id, rev }` revision guards): the handler filters every row it gets again in Go, so pushing a
 * part of the filter down only narrows what SQLite reads.
 */
function patchIdLookups(sourceDir) {
  const replaceIn = (relative, from, to, count) => {
    const file = path.join(sourceDir, relative);
    const source = readFileSync(file, "utf8");
    if (source.split(from).length - 1 !== count) throw new Error(`FerretDB ${FERRETDB_VERSION}: the _id lookup patch no longer applies to ${file}`);
    writeFileSync(file, source.replaceAll(from, to));
  };
  replaceIn("internal/backends/sqlite/metadata/metadata.go", `IDColumn = DefaultColumn + "->'$._id'"`, 'IDColumn = DefaultColumn + `->"_id"`', 1);
  replaceIn("internal/backends/sqlite/collection.go", "if params.Filter.Len() == 1 {", "if params.Filter.Len() >= 1 {", 2);
}
export function ensureFerretDb({ log = console.log } = {}) {
  if (process.env.FERRETDB_BIN && existsSync(process.env.FERRETDB_BIN)) return process.env.FERRETDB_BIN;
  const bin = ferretDbBinaryPath();
  if (existsSync(bin)) return bin;
  if (!hasGo()) {
    throw new Error(
      "Go is not installed (the `go` command was not found). Install Go >= 1.22 to build the embedded " +
        "database, or set MONGODB_URI to use an existing MongoDB.",
    );
  }
  log(`Building FerretDB ${FERRETDB_VERSION} (first run only, about a minute)...`);
  const modulePath = `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`;
  const download = spawnSync("go", ["mod", "download", "-json", modulePath], { encoding: "utf8", cwd: os.tmpdir() });
  if (download.status !== 0) throw new Error(`go mod download ${modulePath} failed: ${download.stderr}`);
  const moduleDir = JSON.parse(download.stdout).Dir;
  const scratch = mkdtempSync(path.join(os.tmpdir(), "borikan-ferretdb-"));
  try {
    cpSync(moduleDir, scratch, { recursive: true });
    spawnSync("chmod", ["-R", "u+w", scratch]);
    writeFileSync(path.join(scratch, "build/version/version.txt"), `${FERRETDB_VERSION}\n`);
    patchIdLookups(scratch);
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

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts FerretDB on 127.0.0.1:port with its SQLite files under dataDir.
 * Resolves when the port accepts connections; `stop()` ends the process.
 */
export async function startFerretDb({ port, dataDir, quiet = true, log = console.log }) {
  const bin = ensureFerretDb({ log });
  const dbDir = path.join(dataDir, "db");
  const stateDir = path.join(dataDir, "state");
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const child = spawn(
    bin,
    [
      "--handler=sqlite",
      `--sqlite-url=file:${dbDir}/`,
      `--state-dir=${stateDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      "--telemetry=disable",
      "--debug-addr=-",
      "--log-level=warn",
    ],
    { stdio: quiet ? ["ignore", "ignore", "pipe"] : "inherit" },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited at start (code ${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`FerretDB did not accept connections on port ${port} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
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
