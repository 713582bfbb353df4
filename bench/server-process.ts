/**
 * The web server a benchmark measures: a build of the current app/ (staged in a temp dir when build/ is older
 * than the sources, so a bench never measures stale code), started as `node server.js` and stopped cleanly.
 * Shared by bench/run.ts and bench/uploads.ts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { WEB_ENV, WEB_NODE_OPTIONS } from "../scripts/web-node-options.mjs";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/ferretdb.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

export async function waitForHealthz(base: string, server: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited (code ${server.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer /healthz within ${timeoutMs / 1000} s:\n${output()}`);
}

export async function stopChild(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function newestMtime(dir: string): { mtime: number; file: string } {
  let best = { mtime: 0, file: "" };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const found = entry.isDirectory() ? newestMtime(full) : { mtime: statSync(full).mtimeMs, file: full };
    if (found.mtime > best.mtime) best = found;
  }
  return best;
}

function remixBuild(cwd: string) {
  const started = Date.now();
  const build = spawnSync("npx", ["remix", "build"], { cwd, stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error(`remix build in ${cwd} failed (exit ${build.status})`);
  // The PDF worker threads' bundle beside it (the staged copy's own build/).
  const worker = spawnSync("node", [path.join(ROOT, "scripts/build-pdf-worker.mjs"), path.join(cwd, "build/pdf-worker.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
  if (worker.status !== 0) throw new Error(`the PDF worker build for ${cwd} failed (exit ${worker.status})`);
  return ((Date.now() - started) / 1000).toFixed(1);
}

/** Where to run `node server.js` from, building first when needed. */
export function prepareBuild(tmpDirs: string[]): { serverDir: string; buildNote: string } {
  const built = path.join(ROOT, "build/index.js");
  if (!existsSync(built)) {
    log("build/index.js missing: running `npx remix build`");
    return { serverDir: ROOT, buildNote: `built in place (was missing), ${remixBuild(ROOT)} s` };
  }
  const newest = newestMtime(path.join(ROOT, "app"));
  const builtAt = statSync(built).mtimeMs;
  if (process.env.BENCH_USE_EXISTING_BUILD === "1" || newest.mtime <= builtAt) {
    return { serverDir: ROOT, buildNote: "existing build/ (up to date with app/)" };
  }
  const stage = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-build-"));
  tmpDirs.push(stage);
  // Sources the compiler reads are copied (Remix strips *.server modules only under its real app dir);
  // node_modules, workflows, config… are linked.
  const COPY = ["app", "remix.config.js", "tsconfig.json", "remix.env.d.ts", "package.json", "server.js"];
  for (const name of readdirSync(ROOT)) {
    if (["build", "public", ".git", ".cache"].includes(name)) continue;
    if (COPY.includes(name)) cpSync(path.join(ROOT, name), path.join(stage, name), { recursive: true });
    else symlinkSync(path.join(ROOT, name), path.join(stage, name));
  }
  mkdirSync(path.join(stage, "public"));
  for (const name of readdirSync(path.join(ROOT, "public"))) {
    if (name !== "build") symlinkSync(path.join(ROOT, "public", name), path.join(stage, "public", name));
  }
  log(`build/ is older than ${path.relative(ROOT, newest.file)}: building a fresh copy in ${stage}`);
  const secs = remixBuild(stage);
  return { serverDir: stage, buildNote: `fresh staged build in a temp dir (build/ older than ${path.relative(ROOT, newest.file)}), ${secs} s` };
}

/** The secrets a bench's seed and server share (the seed signs demo permits with the key secret). */
export const BENCH_KEY_SECRET = "bench-key-secret-0123456789";

/**
 * Starts `node server.js` from `serverDir` on a free loopback port against `mongoUri`, with the bench's secrets
 * and any extra `env`, and waits until /healthz answers. The last 8 kB of its output explain a failed start.
 */
export async function startBenchServer(options: { serverDir: string; mongoUri: string; nodeArgs?: string[]; env?: Record<string, string> }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  // Started as scripts/start.mjs starts the product's web process.
  const server = spawn(process.execPath, [...WEB_NODE_OPTIONS, ...(options.nodeArgs ?? []), "server.js"], {
    cwd: options.serverDir,
    env: {
      ...process.env,
      ...WEB_ENV,
      NODE_ENV: "production",
      BORIKAN_DEMO: "1",
      MONGODB_URI: options.mongoUri,
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: base,
      SESSION_SECRET: "bench-secret-0123456789",
      KEY_ENCRYPTION_SECRET: BENCH_KEY_SECRET,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  server.stdout!.on("data", keep);
  server.stderr!.on("data", keep);
  await waitForHealthz(base, server, () => output);
  return { server, base, output: () => output };
}
