import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

// A process manager sends SIGTERM and waits (often 10 s) before it kills. The worker spends nearly all its life
// waiting between sweeps: a stop must end that wait at once, not when the interval runs out.
describe("the worker", () => {
  it("stops at once when signalled while it waits between sweeps, however long its interval", async () => {
    const worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      // An interval far longer than the test's timeout: a wait that a stop does not end fails the test.
      env: { ...process.env, WORKER_INTERVAL_MS: "3600000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));
    const waiting = new Promise<void>((resolve, reject) => {
      worker.stdout!.on("data", (chunk) => {
        output += chunk;
        if (output.includes("worker: first sweep done")) resolve();
      });
      worker.stderr!.on("data", (chunk) => (output += chunk));
      void exited.then(() => reject(new Error(`the worker exited before its first sweep:\n${output}`)));
    });
    await waiting;
    expect(output).toContain("sweeping every 3600 s");
    worker.kill("SIGTERM");
    expect(await exited, output).toBe(0);
  }, 60_000);
});
