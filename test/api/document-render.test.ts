/**
 * The built server renders a page without deferred data to one string (entry.server, decision 033): the document
 * must still be a whole standards-mode HTML document — the doctype React's streaming renderer adds by itself,
 * the closing tag, Remix's hydration context — with the request's CSP nonce on its scripts, for browsers and
 * bots alike, and for an error page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../support/app-server";

let app: RunningApp;

beforeAll(async () => {
  app = await startApp();
}, 180_000);
afterAll(async () => app?.stop());

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
const BOT = "Googlebot/2.1 (+http://www.google.com/bot.html)";

async function page(path: string, userAgent: string) {
  const response = await fetch(`${app.baseUrl}${path}`, { headers: { "user-agent": userAgent, connection: "close" } });
  return { status: response.status, type: response.headers.get("content-type"), csp: response.headers.get("content-security-policy") ?? "", html: await response.text() };
}

describe("a rendered document", () => {
  for (const [who, userAgent] of [["a browser", BROWSER], ["a bot", BOT]] as const) {
    it(`is a whole HTML document with its hydration context and nonce, for ${who}`, async () => {
      for (const path of ["/", "/registry", "/services/sukjai-health-hazard-licence"]) {
        const { status, type, csp, html } = await page(path, userAgent);
        expect(status, path).toBe(200);
        expect(type, path).toMatch(/^text\/html/);
        expect(html.startsWith("<!DOCTYPE html><html lang=\""), path).toBe(true);
        expect(html.trimEnd().endsWith("</html>"), path).toBe(true);
        expect(html, path).toContain("window.__remixContext");
        const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
        expect(nonce, path).toBeTruthy();
        const scripts = html.match(/<script[^>]*>/g) ?? [];
        expect(scripts.length, path).toBeGreaterThan(0);
        for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
      }
    });
  }

  it("is a whole document for a page that does not exist, with its status", async () => {
    const { status, html } = await page("/no-such-page-here", BROWSER);
    expect(status).toBe(404);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
  });
});
