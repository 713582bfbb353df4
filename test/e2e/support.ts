import { mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { startApp } from "../support/app-server";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
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
 * Reports every Content-Security-Policy violation in the context's pages and frames to `onViolation`
 * (a blocked script, style, image or frame is a bug: the page would silently lose it).
 */
export async function recordCspViolations(context: BrowserContext, onViolation: (violation: string) => void): Promise<void> {
  await context.exposeFunction("__reportCspViolation", onViolation);
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (v: string) => void }).__reportCspViolation;
      void report(`${e.documentURI}: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile ?? ""}:${e.lineNumber})`);
    });
  });
}

/** Gives the page's context Chrome's virtual authenticator: a platform passkey that always verifies the user. */
export async function addVirtualPasskeyAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

/**
 * One test file's app and browser: starts the built app with its own seeded database and a headless
 * Chromium before the file's tests, records every page script error and CSP violation, and at the end
 * asserts there was none (each page hydrated and ran cleanly under the CSP) and stops both.
 */
export function appInBrowser(options: Parameters<typeof startApp>[0] = {}) {
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const state: { app?: Awaited<ReturnType<typeof startApp>>; browser?: Browser } = {};
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    state.app = await startApp(options);
    state.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await state.browser?.close();
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    await state.app?.stop();
  });
  const app = () => {
    if (!state.app) throw new Error("the app is not started yet");
    return state.app;
  };
  async function open(options: BrowserContextOptions = DESKTOP): Promise<Page> {
    const context = await state.browser!.newContext(options);
    await recordCspViolations(context, (violation) => cspViolations.push(violation));
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
