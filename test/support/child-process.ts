import { spawn } from "node:child_process";

/**
 * Starts `node --import tsx <script> …args` with this process's environment (not `npx tsx`: no npx resolving the
 * package and no tsx CLI starting a second node, ~0.5 s less per child; signals reach the script itself). The child prints "ready" on stderr once it is
 * connected and about to work, and its answer as JSON on stdout. `ready` settles at "ready" or at exit, whichever
 * comes first, so a child that fails early does not leave the test waiting; `finished` gives the exit code, the
 * parsed answer (when it exited 0) and stderr for the assertion message. With `{ waitForGo: true }` the child is
 * started with CHILD_WAIT_FOR_GO=1 and a stdin: `go()` tells it to start, so several children start together.
 */
export function startReadyChild<T>(script: string, args: string[], { waitForGo = false } = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: waitForGo ? { ...process.env, CHILD_WAIT_FOR_GO: "1" } : process.env,
    stdio: [waitForGo ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let onReady: () => void = () => undefined;
  const announced = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.on("data", (chunk) => (out += chunk));
  child.stderr!.on("data", (chunk) => {
    err += chunk;
    if (err.includes("ready\n")) onReady();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    ready: Promise.race([announced, exited]).then(() => undefined),
    go: () => void child.stdin?.end("go\n"),
    finished: async (): Promise<{ code: number | null; answer: T | null; stderr: string }> => {
      const code = await exited;
      return { code, answer: code === 0 ? (JSON.parse(out) as T) : null, stderr: err };
    },
  };
}
