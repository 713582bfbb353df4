import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { inject } from "vitest";
// Shared with npm start: the same port helper the scripts use.
import { freePort } from "../../scripts/ferretdb.mjs";
import { spawnBoundToParent } from "../../scripts/supervised.mjs";
import { seedTestDatabase } from "./seed-template";

const KEY_SECRET = "e2e-key-secret-0123456789";

export type AppProcess = {
  baseUrl: string;
  port: number;
  /** The process's exit, e.g. after `kill("SIGKILL")`. */
  exited: () => Promise<void>;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  kill: (signal?: NodeJS.Signals) => void;
};

export type RunningApp = {
  baseUrl: string;
  mongoUri: string;
  uploadDir: string;
  env: Record<string, string>;
  /** Kills the web process without warning (as a crash would) and starts a new one on the same port, database and storage. */
  crashAndRestart: () => Promise<void>;
  /** What the current web process has logged so far (stdout and stderr). */
  output: () => string;
  /** A second web process on the same database and upload storage (another server behind a load balancer). */
  startAnother: () => Promise<AppProcess>;
  kill: (signal?: NodeJS.Signals) => void;
  stop: () => Promise<void>;
};

async function spawnServer(env: Record<string, string>, port: number): Promise<AppProcess> {
  // PUBLIC_URL is where the test reaches the server unless the test says otherwise (e.g. https for HSTS).
  // Bound to the test process: a runner killed outright (CI cancelled, Ctrl-C twice) leaves no server running.
  const server: ChildProcess = spawnBoundToParent("node", ["server.js"], { env: { ...process.env, PUBLIC_URL: `http://localhost:${port}`, ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  server.stdout?.on("data", (c) => (output += c));
  server.stderr?.on("data", (c) => (output += c));
  const exit = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const baseUrl = `http://localhost:${port}`;
  // Generous: on a loaded 2-core machine a cold start (modules, database, seed check) can take a while.
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`The app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, port, exited: () => exit, output: () => output, kill: (signal = "SIGTERM") => void server.kill(signal) };
}

/**
 * Starts the built app (`npm test` builds it first) as a real server on a free loopback port, with its own
 * seeded database and its own upload directory. `env` adds or overrides settings (e.g. UPLOAD_STORAGE=s3, or a
 * PUBLIC_URL other than the loopback address it listens on, as behind a TLS-terminating proxy).
 */
export async function startApp(options: { env?: Record<string, string> } = {}): Promise<RunningApp> {
  const mongoUri = `${inject("mongoBaseUri")}borikan_e2e_${Math.random().toString(36).slice(2, 8)}`;
  // The seed signs the imported demo permits, so this process must use the server's database and key secret.
  process.env.MONGODB_URI = mongoUri;
  process.env.KEY_ENCRYPTION_SECRET = KEY_SECRET;
  const seedConnection = await mongoose.connect(mongoUri);
  await seedTestDatabase();
  await seedConnection.disconnect();
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), "borikan-uploads-"));
  const env: Record<string, string> = {
    NODE_ENV: "production",
    BORIKAN_DEMO: "1",
    MONGODB_URI: mongoUri,
    SESSION_SECRET: "e2e-test-secret-0123456789",
    KEY_ENCRYPTION_SECRET: KEY_SECRET,
    UPLOAD_DIR: uploadDir,
    ...options.env,
  };
  const port: number = await freePort();
  // Every process of one app shares its public address, as servers behind one load balancer do.
  env.PUBLIC_URL ??= `http://localhost:${port}`;
  let current = await spawnServer(env, port);
  const others: AppProcess[] = [];
  return {
    baseUrl: current.baseUrl,
    mongoUri,
    uploadDir,
    env,
    output: () => current.output(),
    crashAndRestart: async () => {
      current.kill("SIGKILL");
      await current.exited();
      current = await spawnServer(env, port);
    },
    startAnother: async () => {
      const another = await spawnServer(env, await freePort());
      others.push(another);
      return another;
    },
    kill: (signal) => current.kill(signal),
    stop: async () => {
      for (const p of [current, ...others]) {
        p.kill("SIGTERM");
        await p.exited();
      }
      const conn = await mongoose.createConnection(mongoUri).asPromise();
      await conn.dropDatabase();
      await conn.close();
      rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}
