// Builds (once) and runs the S3-compatible server for development and tests: our small Go program in
// tools/s3server serving gofakes3 v1.2.0 with its directory backend. Loopback only.
// Why this server and what it cannot do: docs/decisions/003-s3-test-server.md.
/* global AbortSignal */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const GOFAKES3_VERSION = "v1.2.0";
const SOURCE_DIR = path.join(import.meta.dirname, "..", "tools", "s3server");

/** Fixed development credentials: the server only listens on 127.0.0.1 and does not check signatures. */
export const S3_DEV_CREDENTIALS = Object.freeze({ accessKeyId: "borikan-dev", secretAccessKey: "borikan-dev-secret" });
export const S3_DEV_BUCKET = "borikan-dev";
export const S3_DEV_REGION = "us-east-1";

/**
 * Where the built binary is kept, shared by every checkout on this machine. The name carries a hash of
 * our sources (main.go, go.mod, go.sum), so editing them builds a new binary instead of reusing a stale one.
 */
export function s3ServerBinaryPath() {
  const hash = createHash("sha256");
  for (const file of ["main.go", "go.mod", "go.sum"]) hash.update(readFileSync(path.join(SOURCE_DIR, file)));
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cacheRoot, "borikan", `s3server-gofakes3-${GOFAKES3_VERSION}-${hash.digest("hex").slice(0, 12)}`);
}

/** Returns the path of the s3server binary, building it when missing (a few seconds with a warm Go cache). */
export function ensureS3Server({ log = console.log } = {}) {
  if (process.env.S3SERVER_BIN && existsSync(process.env.S3SERVER_BIN)) return process.env.S3SERVER_BIN;
  const bin = s3ServerBinaryPath();
  if (existsSync(bin)) return bin;
  if (spawnSync("go", ["version"], { encoding: "utf8" }).error) {
    throw new Error("Go is not installed (the `go` command was not found). Install Go >= 1.24 to build the S3 test server.");
  }
  log(`Building the S3 test server (gofakes3 ${GOFAKES3_VERSION}, first run only)...`);
  mkdirSync(path.dirname(bin), { recursive: true });
  // -buildvcs=false: the sources sit inside the project's repository; stamping VCS data would run git.
  // A per-process partial file, renamed into place: test workers building at once do not collide.
  const partial = `${bin}.${process.pid}.partial`;
  const build = spawnSync("go", ["build", "-buildvcs=false", "-trimpath", "-mod=readonly", "-o", partial, "."], {
    cwd: SOURCE_DIR,
    stdio: "inherit",
  });
  if (build.status !== 0) {
    rmSync(partial, { force: true });
    throw new Error(`go build of tools/s3server failed (exit ${build.status})`);
  }
  renameSync(partial, bin);
  return bin;
}

async function answers(endpoint, bucket) {
  try {
    const response = await fetch(`${endpoint}/${bucket}`, { method: "HEAD", signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts the server on 127.0.0.1 with its objects under dataDir (a temporary directory, removed by
 * `stop()`, when none is given). `port` defaults to a free one chosen by the server itself, so parallel
 * test workers cannot race for the same port. Resolves once the bucket answers a HEAD request.
 * The server exits by itself when this process goes away (it watches its stdin).
 * @param {{ dataDir?: string, port?: number, bucket?: string, quiet?: boolean, log?: (message: string) => void }} [options]
 */
export async function startS3Server({ dataDir, port = 0, bucket = S3_DEV_BUCKET, quiet = true, log = console.log } = {}) {
  const bin = ensureS3Server({ log });
  const ownsDataDir = !dataDir;
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), "borikan-s3-"));
  mkdirSync(dir, { recursive: true });
  const child = spawn(bin, [`-port=${port}`, `-data=${dir}`, `-bucket=${bucket}`, "-exit-on-stdin-eof"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
    if (!quiet) process.stderr.write(chunk);
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end();
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (ownsDataDir) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const endpoint = await new Promise((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => reject(new Error(`the S3 server did not start within 30 s: ${stderr}`)), 30_000);
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        const ready = /^s3server ready (http:\/\/127\.0\.0\.1:\d+) /m.exec(stdout);
        if (ready) {
          clearTimeout(timer);
          child.stdout.resume(); // keep draining, so the server never blocks on a full pipe
          resolve(ready[1]);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the S3 server exited at start (code ${code}): ${stderr}`));
      });
    });
    const deadline = Date.now() + 10_000;
    while (!(await answers(endpoint, bucket))) {
      if (Date.now() > deadline) throw new Error(`the S3 server at ${endpoint} does not answer for bucket ${bucket}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { endpoint, bucket, region: S3_DEV_REGION, ...S3_DEV_CREDENTIALS, dataDir: dir, process: child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
