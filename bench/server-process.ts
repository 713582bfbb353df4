/**
 * The web server a benchmark measures: a build of the current app/ (staged in a temp dir when build/ is older
 * than the sources, so a bench never measures stale code), started as `node server.js` and stopped cleanly.
 * Shared by bench/run.ts and bench/uploads.ts.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
