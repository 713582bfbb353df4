import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/ferretdb.mjs";

// `npm start` (scripts/start.mjs) runs the embedded database, the web server, the worker and the demo ThaID
// provider. However it is stopped, none of them may be left running. Uses the suite's build (--no-build) and
// one data directory for all runs, so only the first start seeds.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type Started = { supervisor: ChildProcess; pids: Map<number, string>; output: () => string };

function parentOf(pid: number): number | undefined {
  try {
    // The command name (2nd field) may hold spaces; the fields after its closing ")" are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/** Every living process under `root`, with its command line. */
function descendants(root: number): Map<number, string> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!pid) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found = new Map<number, string>();
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.set(pid, commandOf(pid));
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    // A zombie has exited; only its parent has not collected it yet.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs: number, output: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Output:\n${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const PARTS = { database: /ferretdb/, web: /server\.js/, worker: /scripts\/worker\.ts/, thaid: /demo-oidc-provider\.ts/ };

/** `node scripts/start.mjs`, or with `viaNpm` the way a process manager often runs it: `npm start`. */
async function startProduct(viaNpm = false): Promise<Started> {
  const [port, dbPort, oidcPort] = [await freePort(), await freePort(), await freePort()];
  // As on a fresh machine: the embedded database, demo mode, the default public address.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), FERRETDB_PORT: String(dbPort), DEMO_OIDC_PORT: String(oidcPort), BORIKAN_DATA_DIR: dataDir };
  for (const name of ["MONGODB_URI", "PUBLIC_URL", "BORIKAN_DEMO", "OIDC_PROVIDERS"]) delete env[name];
  const command: [string, string[]] = viaNpm ? ["npm", ["start", "--silent", "--", "--no-build"]] : [process.execPath, ["scripts/start.mjs", "--no-build"]];
  const supervisor = spawn(...command, {
    // Its own process group, as a shell gives a job: Ctrl-C reaches the whole group.
    detached: true,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  supervisor.stdout!.on("data", (c) => (output += c));
  supervisor.stderr!.on("data", (c) => (output += c));
  const read = () => output;
  const deadline = Date.now() + 180_000;
  for (;;) {
    const ok = await fetch(`http://localhost:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (supervisor.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${read().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const pids = await until(
    "every part to be running",
    () => {
      const found = descendants(supervisor.pid!);
      const commands = [...found.values()];
      return Object.values(PARTS).every((p) => commands.some((c) => p.test(c))) && found;
    },
    30_000,
    read,
  );
  return { supervisor, pids, output: read };
}

async function expectAllStopped(started: Started) {
  const { supervisor, pids, output } = started;
  await until("npm start to exit", () => supervisor.exitCode !== null || supervisor.signalCode !== null, 40_000, output);
  const left = await until(
    "every part to stop",
    () => {
      const running = [...pids].filter(([pid]) => alive(pid));
      return running.length === 0 ? [] : false;
    },
    40_000,
    () => `${output()}\nstill running: ${[...pids].filter(([pid]) => alive(pid)).map(([pid, c]) => `${pid} ${c}`).join("; ")}`,
  );
  expect(left).toEqual([]);
}

describe("stopping npm start leaves nothing running", () => {
  const ways: [how: string, stop: (p: ChildProcess) => void, viaNpm?: boolean][] = [
    ["Ctrl-C (SIGINT to the process group)", (p) => process.kill(-p.pid!, "SIGINT")],
    ["SIGTERM to the process group", (p) => process.kill(-p.pid!, "SIGTERM")],
    ["SIGTERM to the supervisor's pid (a process manager)", (p) => p.kill("SIGTERM")],
    ["SIGHUP to the supervisor's pid (its terminal closed)", (p) => p.kill("SIGHUP")],
    ["SIGKILL to the supervisor's pid", (p) => p.kill("SIGKILL")],
    // npm passes SIGTERM to its script's process, which must be start.mjs itself: a shell in between would die
    // of it and leave start.mjs and its children running (hence `exec` in package.json's scripts).
    ["SIGTERM to npm's pid (a process manager running npm start)", (p) => p.kill("SIGTERM"), true],
  ];
  it.each(ways)("%s", async (_how, stop, viaNpm = false) => {
    const started = await startProduct(viaNpm);
    const parts = [...started.pids.values()];
    for (const pattern of Object.values(PARTS)) expect(parts.some((c) => pattern.test(c))).toBe(true);
    stop(started.supervisor);
    await expectAllStopped(started);
  }, 300_000);
});
