import type { BrowserContextOptions, Page } from "playwright-core";
import { TOTP } from "otpauth";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { caseAwaitingDecision, HEALTH_HAZARD_SLUG } from "../support/journeys";
import { expectAccessible, expectLabelInName, expectNoHorizontalOverflow } from "./page-checks";
import { DESKTOP, SHOTS, appInBrowser } from "./support";

/**
 * Every page of the app, as the person who would see it: axe-core (WCAG 2.1 A/AA) finds nothing serious or
 * critical on the desktop page, and on a phone 390 and 320 px wide nothing makes the page scroll sideways.
 * One browser; one sign-in per demo person, shared by its desktop and phone contexts.
 */
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "th-TH", timezoneId: "Asia/Bangkok" };
const STUDIO_TABS = ["form", "workflow", "details", "verify", "simulate", "versions", "upgrade", "json"];
const MISSING_PATH = "/no-such-page-here";

const { app, open, signIn } = appInBrowser();
let caseId = "";
/** Every 404 any page of the run met (a missing favicon, font, script…), but the deliberate one. */
const notFound: string[] = [];

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  caseId = await caseAwaitingDecision(31);
  await disconnectDb();
}, 120_000);

type Person = { desktop: Page; phone: Page };
type Visit = {
  /** The name of the phone screenshot (docs/screenshots/phone-<shot>.png). */
  shot: string;
  path: string;
  /** Reaches the page from the one before it (e.g. a tab), instead of loading `path`. */
  via?: (page: Page) => Promise<void>;
  /** Shown once the page is ready to be looked at. */
  ready?: string;
  /** Brings the page to the state to check (e.g. submits a form) after it is ready. */
  then?: (page: Page) => Promise<void>;
};

function watch(page: Page) {
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (response.status() === 404 && url.pathname !== MISSING_PATH) notFound.push(`${page.url()} → ${url.pathname}`);
  });
  return page;
}

/** A person's desktop page and a phone page in a second context holding the same cookies (one sign-in). */
async function person(desktop: Page): Promise<Person> {
  const phone = await open({ ...PHONE, storageState: await desktop.context().storageState() });
  return { desktop: watch(desktop), phone: watch(phone) };
}

async function show(page: Page, visit: Visit) {
  if (visit.via) await visit.via(page);
  else await page.goto(`${app().baseUrl}${visit.path}`);
  await page.locator(visit.ready ?? "main").first().waitFor();
  await visit.then?.(page);
}

async function check(who: Person, visit: Visit) {
  const label = `${visit.shot} (${visit.path})`;
  await show(who.desktop, visit);
  // Soft: one run reports every page's problems.
  await expectAccessible(who.desktop, label, { soft: true });
  await expectLabelInName(who.desktop, label, { soft: true });
  // Each page: a title, the favicon, and a skip link to <main id="main"> as the first thing the keyboard reaches.
  expect.soft((await who.desktop.title()).trim(), `${label}: <title>`).toMatch(/\S.* — Borikan$|^Borikan — /);
  expect.soft(await who.desktop.locator('head link[rel="icon"]').count(), `${label}: favicon link`).toBe(1);
  expect.soft(await who.desktop.evaluate(() => document.querySelector("a[href], button, input, select, textarea, summary")?.getAttribute("href")), `${label}: skip link first`).toBe("#main");
  expect.soft(await who.desktop.locator("main#main").count(), `${label}: <main id="main">`).toBe(1);

  await who.phone.setViewportSize({ width: 390, height: 844 });
  await show(who.phone, visit);
  await expectNoHorizontalOverflow(who.phone, label, { soft: true });
  await who.phone.screenshot({ path: `${SHOTS}/phone-${visit.shot}.png` });
  await who.phone.setViewportSize({ width: 320, height: 740 });
  await expectNoHorizontalOverflow(who.phone, label, { soft: true });
}

async function close(who: Person) {
  await who.desktop.context().close();
  await who.phone.context().close();
}

describe("every page: accessible (axe, WCAG 2.1 AA) and no sideways scrolling on a 320 or 390 px phone", () => {
  it("the public pages", async () => {
    const visitor = await person(await open(DESKTOP));
    await check(visitor, { shot: "catalogue", path: "/", ready: "main h1" });
    await check(visitor, { shot: "service-manual", path: `/services/${HEALTH_HAZARD_SLUG}`, ready: "main h1" });
    await check(visitor, { shot: "registry", path: "/registry", ready: '[data-testid="registry-item"]' });
    const number = await visitor.desktop.locator('[data-testid="registry-item"]').first().getAttribute("data-number");
    expect(number).toBeTruthy();
    await check(visitor, { shot: "registry-search", path: `/registry?q=${encodeURIComponent(number!)}`, ready: '[data-testid="registry-item"]' });
    await check(visitor, { shot: "permit", path: `/permits/${number}`, ready: '[data-testid="permit-status"]' });
    const verifyHref = await visitor.desktop.locator('[data-testid="verify-link"]').getAttribute("href");
    const verifyPath = new URL(verifyHref!, app().baseUrl);
    await check(visitor, { shot: "permit-card", path: `/permits/${number}/card`, ready: '[data-testid="display-card"] svg' });
    await check(visitor, { shot: "verify", path: `${verifyPath.pathname}${verifyPath.search}${verifyPath.hash}`, ready: '[data-testid="verify-result"][data-result="valid"]' });
    await check(visitor, { shot: "login", path: "/login", ready: 'input[name="email"]' });
    await check(visitor, { shot: "login-email", path: "/login/email", ready: "#email" });
    await check(visitor, { shot: "privacy", path: "/privacy", ready: "main h1" });
    await check(visitor, { shot: "not-found", path: MISSING_PATH, ready: '[data-testid="error-page"]' });
    expect(await visitor.desktop.title()).toBe("ไม่พบหน้าที่ต้องการ / Page not found — Borikan");

    // The favicon the pages link to is served.
    const icon = await visitor.desktop.locator('head link[rel="icon"]').getAttribute("href");
    const response = await fetch(new URL(icon!, app().baseUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\//);
    // …and so is /favicon.ico, for browsers that ask for it without reading the link.
    const ico = await fetch(new URL("/favicon.ico", app().baseUrl));
    expect(ico.status).toBe(200);
    expect(ico.headers.get("content-type")).toMatch(/^image\//);
    await close(visitor);
  });

  it("on a phone the header is one short row with a menu that opens without JavaScript; the skip link leads to the content", async () => {
    const page = await open({ ...PHONE, viewport: { width: 320, height: 740 }, javaScriptEnabled: false });
    await page.goto(`${app().baseUrl}/privacy`);
    expect((await page.locator("header.bk-header").boundingBox())!.height).toBeLessThanOrEqual(60);
    const menuLink = page.locator('[data-testid="menu"] a[href="/registry"]');
    expect(await menuLink.isVisible()).toBe(false);
    await page.click('[data-testid="menu"] summary');
    expect(await menuLink.isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/phone-menu.png` });
    await Promise.all([page.waitForURL("**/registry"), menuLink.click()]);
    await page.context().close();

    const desktop = await open(DESKTOP);
    await desktop.goto(`${app().baseUrl}/privacy`);
    const skip = desktop.locator("a.bk-skip");
    const hidden = (await skip.boundingBox())!;
    expect(hidden.y + hidden.height).toBeLessThanOrEqual(0); // above the window until focused
    await desktop.keyboard.press("Tab");
    expect(await desktop.evaluate(() => document.activeElement?.className)).toBe("bk-skip");
    await expect.poll(async () => (await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    expect(await skip.innerText()).toBe("ข้ามไปยังเนื้อหา");
    await desktop.keyboard.press("Enter");
    await desktop.waitForFunction(() => document.activeElement?.id === "main");
    await desktop.context().close();
  });

  it("the citizen's pages, with the application form fresh and showing its errors", async () => {
    const citizen = await person(await signIn("citizen@demo.borikan.local"));
    const apply = `/services/${HEALTH_HAZARD_SLUG}/apply`;
    await check(citizen, { shot: "apply", path: apply, ready: '[data-testid="submit"]' });
    await check(citizen, {
      shot: "apply-errors",
      path: apply,
      ready: '[data-testid="submit"]',
      then: async (page) => {
        await page.click('[data-testid="submit"]');
        await page.locator('[data-testid="error-summary"], .has-error, [aria-invalid="true"]').first().waitFor();
      },
    });
    await check(citizen, { shot: "my-requests", path: "/my/requests", ready: "main h1" });
    await check(citizen, { shot: "case-citizen", path: `/cases/${caseId}`, ready: '[data-testid="case-state"]' });
    await check(citizen, { shot: "account", path: "/account", ready: "main h1" });
    await close(citizen);
  });

  it("the officer's inbox and case page", async () => {
    const officer = await person(await signIn("officer@sukjai.demo.borikan.local"));
    await check(officer, { shot: "inbox", path: "/inbox", ready: "main h1" });
    await check(officer, { shot: "case-officer", path: `/cases/${caseId}`, ready: '[data-testid="case-state"]' });
    await close(officer);
  });

  it("the agency admin's studio (every tab), staff, API keys, audit log, permit import, webhooks, readiness, finance and second factor", async () => {
    const desktop = await signIn("admin@sukjai.demo.borikan.local");
    await desktop.goto(`${app().baseUrl}/studio`);
    // A draft to open in the studio.
    const edit = desktop.locator(`[data-testid="studio-edit-${HEALTH_HAZARD_SLUG}"]`);
    if (await edit.count()) await Promise.all([desktop.waitForURL(`**/studio/${HEALTH_HAZARD_SLUG}**`), edit.click()]);
    const admin = await person(desktop);
    await check(admin, { shot: "studio", path: "/studio", ready: '[data-testid="studio-services"]' });
    // The studio's tabs switch in the page: one load, then a click per tab.
    for (const [i, tab] of STUDIO_TABS.entries()) {
      const via = i === 0 ? undefined : (page: Page) => page.click(`[data-testid="tab-${tab}"]`);
      await check(admin, { shot: `studio-${tab}`, path: `/studio/${HEALTH_HAZARD_SLUG}?tab=${tab}`, via, ready: `[data-testid="panel-${tab}"]` });
    }
    await check(admin, { shot: "admin-staff", path: "/admin/staff", ready: "main h1" });
    await check(admin, { shot: "admin-api-keys", path: "/admin/api-keys", ready: "main h1" });
    await check(admin, { shot: "admin-audit", path: "/admin/audit", ready: "main h1" });
    await check(admin, { shot: "admin-permit-import", path: "/admin/permits/import", ready: 'input[name="file"]' });
    await check(admin, { shot: "admin-webhooks", path: "/admin/webhooks", ready: "main h1" });
    await check(admin, { shot: "admin-readiness", path: "/admin/readiness", ready: "main h1" });
    await check(admin, { shot: "finance", path: "/finance", ready: '[data-testid="chart-finance-days"]' });
    await check(admin, { shot: "finance-imports", path: "/finance/imports", ready: '[data-testid="statement-file"]' });
    await check(admin, { shot: "finance-unmatched", path: "/finance/unmatched", ready: "main h1" });
    await check(admin, { shot: "finance-settings", path: "/finance/settings", ready: "main h1" });
    await check(admin, { shot: "account-second-factor", path: "/account/second-factor", ready: '[data-testid="start-totp"]' });
    await close(admin);
  });

  it("OPDC's agencies, dashboard, notices, readiness and reports, and the second step of signing in", async () => {
    const opdc = await person(await signIn("opdc@demo.borikan.local"));
    await check(opdc, { shot: "opdc-agencies", path: "/opdc/agencies", ready: "main h1" });
    // The figures are the worker's (none runs beside this app): OPDC computes them now.
    await opdc.desktop.goto(`${app().baseUrl}/opdc/dashboard`);
    await Promise.all([opdc.desktop.waitForResponse((r) => r.request().method() === "POST"), opdc.desktop.click('[data-testid="recompute"]')]);
    await opdc.desktop.locator('[data-testid="recomputed"]').waitFor();
    await check(opdc, { shot: "opdc-dashboard", path: "/opdc/dashboard", ready: "main h1" });
    await check(opdc, { shot: "opdc-dashboard-agency", path: "/opdc/dashboard/SKJ", ready: "main h1" });
    await check(opdc, { shot: "opdc-notices", path: "/opdc/notices", ready: "main h1" });
    await check(opdc, { shot: "opdc-readiness", path: "/opdc/readiness", ready: "main h1" });
    await check(opdc, { shot: "opdc-reports", path: "/opdc/reports", ready: "main h1" });
    await close(opdc);
    const visitor = await person(await open(DESKTOP));
    await check(visitor, { shot: "agency-statistics", path: "/agencies/SKJ/statistics", ready: "main h1" });
    await close(visitor);

    // The approver enrols an authenticator app, then signs in again: the second step asks for its code.
    const page = await signIn("approver@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/account/second-factor`);
    await page.click('[data-testid="start-totp"]');
    const secret = (await page.locator('[data-testid="totp-secret"]').innerText()).trim();
    await page.fill("#totp-code", new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" }).generate());
    await page.click('[data-testid="confirm-totp"]');
    await page.waitForSelector('[data-testid="recovery-codes"]');
    await page.context().clearCookies();
    await page.goto(`${app().baseUrl}/login`);
    await page.fill('input[name="email"]', "approver@sukjai.demo.borikan.local");
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === "/login/second-factor"), page.click('button[type="submit"]')]);
    const approver = await person(page);
    await check(approver, { shot: "login-second-factor", path: "/login/second-factor", ready: "#totp-code" });
    await close(approver);
  });

  it("no page met a 404 (favicon, fonts, scripts)", () => {
    expect(notFound).toEqual([]);
  });
});
