/**
 * Security headers on every kind of response of the real built server — pages, API answers and errors, static
 * files, fonts, PDFs, attachments, the tus endpoint — with a fresh CSP nonce per page that marks every script,
 * and HSTS only when PUBLIC_URL is https. A page in Chromium runs under the CSP without a violation, and an
 * injected script is caught (the e2e tests' violation check works).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";
import { launchBrowser, recordCspViolations } from "../e2e/support";

let app: RunningApp;
let https: RunningApp;
let browser: Browser;

beforeAll(async () => {
  // One at a time: each seeds its database through this process's mongoose connection.
  app = await startApp();
  https = await startApp({ env: { PUBLIC_URL: "https://borikan.go.th.test" } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await https?.stop();
});

const cspOf = (res: Response) => res.headers.get("content-security-policy") ?? "";

function expectHardened(res: Response, what: string) {
  const csp = cspOf(res);
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'unsafe-eval'/);
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
  expect(res.headers.get("permissions-policy"), what).toContain("camera=()");
  expect(res.headers.get("permissions-policy"), what).toContain("microphone=()");
  expect(res.headers.get("permissions-policy"), what).toContain("geolocation=()");
  expect(res.headers.get("x-powered-by"), what).toBeNull();
}

async function somePermitNumber(): Promise<string> {
  const list = (await (await fetch(`${app.baseUrl}/api/v1/registry/permits`)).json()) as { items: { number: string }[] };
  return list.items[0]!.number;
}

describe("every kind of response", () => {
  it("carries the CSP, nosniff, Referrer-Policy and Permissions-Policy, and no HSTS under http", async () => {
    const home = await fetch(`${app.baseUrl}/`);
    const html = await home.text();
    const stylesheet = /href="(\/build\/[^"]+\.css)"/.exec(html)?.[1];
    expect(stylesheet).toBeTruthy();
    const number = await somePermitNumber();
    const responses: Record<string, Response> = {
      page: home,
      "login page": await fetch(`${app.baseUrl}/login`),
      "missing page": await fetch(`${app.baseUrl}/no-such-page`),
      "API answer": await fetch(`${app.baseUrl}/api/v1/services`),
      "API error": await fetch(`${app.baseUrl}/api/v1/applications/000000000000000000000000`),
      "API with a key": await fetch(`${app.baseUrl}/api/v1/services`, { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } }),
      "static build file": await fetch(`${app.baseUrl}${stylesheet}`),
      font: await fetch(`${app.baseUrl}/fonts/Sarabun_400Regular.ttf`),
      "permit PDF": await fetch(`${app.baseUrl}/permits/${encodeURIComponent(number)}/permit.pdf`),
      "permit page": await fetch(`${app.baseUrl}/permits/${encodeURIComponent(number)}`),
      attachment: await fetch(`${app.baseUrl}/files/000000000000000000000000`, { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } }),
      "tus uploads": await fetch(`${app.baseUrl}/uploads`, { method: "OPTIONS", headers: { "Tus-Resumable": "1.0.0" } }),
      "cross-site refusal": await fetch(`${app.baseUrl}/logout`, { method: "POST", headers: { Origin: "http://evil.test" } }),
    };
    expect(responses["permit PDF"]!.headers.get("content-type")).toContain("application/pdf");
    for (const [what, res] of Object.entries(responses)) {
      expectHardened(res, what);
      expect(res.headers.get("strict-transport-security"), what).toBeNull();
    }
  });

  it("forbids framing of pages, and lets only our own pages frame attachments (the preview)", async () => {
    const page = await fetch(`${app.baseUrl}/`);
    expect(cspOf(page)).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const file = await fetch(`${app.baseUrl}/files/000000000000000000000000`, { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } });
    expect(cspOf(file)).toContain("frame-ancestors 'self'");
    expect(file.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("sends HSTS, and upgrades insecure requests, only when PUBLIC_URL is https", async () => {
    const secure = await fetch(`${https.baseUrl}/`);
    expect(secure.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
    expect(cspOf(secure)).toContain("upgrade-insecure-requests");
    expect(cspOf(await fetch(`${app.baseUrl}/`))).not.toContain("upgrade-insecure-requests");
  });
});

describe("the CSP nonce", () => {
  it("is fresh on every page and marks every script of the page", async () => {
    const nonces = new Set<string>();
    for (const path of ["/", "/login", "/registry"]) {
      const res = await fetch(`${app.baseUrl}${path}`);
      const nonce = /'nonce-([^']+)'/.exec(cspOf(res))?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce!);
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(1);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });

  it("lets the page hydrate in Chromium without a violation, and a script without the nonce is blocked and reported", async () => {
    const context = await browser.newContext();
    const violations: string[] = [];
    await recordCspViolations(context, (v) => violations.push(v));
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/registry`);
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    expect(violations).toEqual([]);
    const ran = await page.evaluate(async () => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true;";
      document.body.appendChild(script);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations[0]).toContain("script-src");
    await context.close();
  });
});
