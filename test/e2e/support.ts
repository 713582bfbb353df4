import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import mongoose from "mongoose";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
// Shared with npm start: the same port helper the scripts use.
import { freePort } from "../../scripts/ferretdb.mjs";
import { DEMO_PASSWORD, seedDemo } from "~/services/seed-demo.server";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const E2E_KEY_SECRET = "e2e-key-secret-0123456789";

/** Starts the built app (`npm test` builds it first) as a real server on a free loopback port, with its own seeded database. */
export async function startApp(): Promise<{ baseUrl: string; mongoUri: string; stop: () => Promise<void> }> {
  const mongoUri = `${inject("mongoBaseUri")}borikan_e2e_${Math.random().toString(36).slice(2, 8)}`;
  // The seed signs the imported demo permits, so this process must use the server's database and key secret.
  process.env.MONGODB_URI = mongoUri;
  process.env.KEY_ENCRYPTION_SECRET = E2E_KEY_SECRET;
  const seedConnection = await mongoose.connect(mongoUri);
  await seedDemo({ log: () => undefined });
  await seedConnection.disconnect();
  const port: number = await freePort();
  const server: ChildProcess = spawn("node", ["server.js"], {
    env: { ...process.env, NODE_ENV: "production", BORIKAN_DEMO: "1", MONGODB_URI: mongoUri, PORT: String(port), SESSION_SECRET: "e2e-test-secret-0123456789", KEY_ENCRYPTION_SECRET: E2E_KEY_SECRET, PUBLIC_URL: `http://localhost:${port}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout?.on("data", (c) => (output += c));
  server.stderr?.on("data", (c) => (output += c));
  const baseUrl = `http://localhost:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`The app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    mongoUri,
    stop: async () => {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
      const conn = await mongoose.createConnection(mongoUri).asPromise();
      await conn.dropDatabase();
      await conn.close();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: "th-TH", timezoneId: "Asia/Bangkok" };

export const SHOTS = "docs/screenshots";

/**
 * One test file's app and browser: starts the built app with its own seeded database and a headless
 * Chromium before the file's tests, records every page script error, and at the end asserts there was
 * none (each page hydrated and ran cleanly) and stops both.
 */
export function appInBrowser() {
  const pageErrors: string[] = [];
  const state: { app?: Awaited<ReturnType<typeof startApp>>; browser?: Browser } = {};
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    state.app = await startApp();
    state.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await state.browser?.close();
    expect(pageErrors).toEqual([]);
    await state.app?.stop();
  });
  const app = () => {
    if (!state.app) throw new Error("the app is not started yet");
    return state.app;
  };
  async function open(options: BrowserContextOptions = DESKTOP): Promise<Page> {
    const context = await state.browser!.newContext(options);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    return page;
  }
  async function signIn(email: string): Promise<Page> {
    const page = await open();
    await page.goto(`${app().baseUrl}/login`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click('button[type="submit"]')]);
    return page;
  }
  return { app, open, signIn };
}
