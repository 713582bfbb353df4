import { TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";
import { addVirtualPasskeyAuthenticator, DESKTOP, launchBrowser, recordCspViolations, SHOTS } from "./support";
import type { Browser } from "playwright-core";

let app: RunningApp;
let browser: Browser;
const pageErrors: string[] = [];
const cspViolations: string[] = [];

beforeAll(async () => {
  // Served on http://localhost:<port>: the WebAuthn RP ID must be a name, not an IP address.
  app = await startApp({ env: { SECOND_FACTOR_REQUIRED_ROLES: "agencyAdmin,opdcAdmin,approver" } });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  expect(pageErrors).toEqual([]);
  expect(cspViolations).toEqual([]);
});

/** A page in a fresh context with Chrome's virtual authenticator (a platform passkey that always verifies the user). */
async function pageWithAuthenticator(): Promise<Page> {
  const context = await browser.newContext(DESKTOP);
  await recordCspViolations(context, (v) => cspViolations.push(v));
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  await addVirtualPasskeyAuthenticator(page);
  return page;
}

async function password(page: Page, email: string) {
  await page.goto(`${app.baseUrl}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith("/login")), page.click('button[type="submit"]')]);
}

async function signOut(page: Page) {
  await page.context().clearCookies();
}

describe("staff second factor in Chromium", () => {
  it("an admin is sent to enrolment, enrols a passkey, and signs in with password + passkey", async () => {
    const page = await pageWithAuthenticator();
    await password(page, "admin@sukjai.demo.borikan.local");
    expect(new URL(page.url()).pathname).toBe("/account/second-factor");
    await page.screenshot({ path: `${SHOTS}/second-factor-enrol.png`, fullPage: true });

    await page.fill("#passkey-name", "โน้ตบุ๊กที่ทำงาน");
    await page.click('[data-testid="add-passkey"]');
    await page.waitForSelector('[data-testid="recovery-codes"]');
    expect(await page.locator('[data-testid="recovery-codes"] li').count()).toBe(10);
    await page.screenshot({ path: `${SHOTS}/second-factor-recovery-codes.png`, fullPage: true });
    await Promise.all([page.waitForURL((url) => url.pathname === "/inbox"), page.click('[data-testid="continue"]')]);

    await page.goto(`${app.baseUrl}/account/second-factor`);
    await expect.poll(() => page.locator('[data-testid="factor-list"]').innerText()).toContain("โน้ตบุ๊กที่ทำงาน");
    await page.screenshot({ path: `${SHOTS}/second-factor-settings.png`, fullPage: true });

    await signOut(page);
    await password(page, "admin@sukjai.demo.borikan.local");
    expect(new URL(page.url()).pathname).toBe("/login/second-factor");
    await page.screenshot({ path: `${SHOTS}/second-factor-step.png`, fullPage: true });
    await Promise.all([page.waitForURL((url) => url.pathname === "/inbox"), page.click('[data-testid="use-passkey"]')]);
  });

  it("an approver enrols an authenticator app; its spent code is refused at sign-in; a recovery code works once", async () => {
    const page = await pageWithAuthenticator();
    await password(page, "approver@sukjai.demo.borikan.local");
    expect(new URL(page.url()).pathname).toBe("/account/second-factor");
    await page.click('[data-testid="start-totp"]');
    await page.waitForSelector('[data-testid="totp-qr"]');
    const secret = (await page.locator('[data-testid="totp-secret"]').innerText()).trim();
    await page.screenshot({ path: `${SHOTS}/second-factor-totp.png`, fullPage: true });
    const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" });
    const enrolmentCode = totp.generate();
    await page.fill("#totp-code", enrolmentCode);
    await page.click('[data-testid="confirm-totp"]');
    await page.waitForSelector('[data-testid="recovery-codes"]');
    const codes = (await page.locator('[data-testid="recovery-codes"] li').allInnerTexts()).map((c) => c.trim());
    expect(codes).toHaveLength(10);

    // Sign in again: the code that confirmed the enrolment is spent (its step is claimed).
    await signOut(page);
    await password(page, "approver@sukjai.demo.borikan.local");
    await page.fill("#totp-code", enrolmentCode);
    await page.click('form:has(#totp-code) button[type="submit"]');
    await page.waitForSelector('[data-testid="error-summary"]');
    expect(await page.locator('[data-testid="error-summary"]').innerText()).toContain("ถูกใช้ไปแล้ว");
    await page.screenshot({ path: `${SHOTS}/second-factor-code-reused.png`, fullPage: true });

    await page.locator("main details summary").click();
    await page.fill("#recovery-code", codes[0]);
    await Promise.all([page.waitForURL((url) => url.pathname === "/inbox"), page.click('form:has(#recovery-code) button[type="submit"]')]);

    await signOut(page);
    await password(page, "approver@sukjai.demo.borikan.local");
    await page.locator("main details summary").click();
    await page.fill("#recovery-code", codes[0]);
    await page.click('form:has(#recovery-code) button[type="submit"]');
    await page.waitForSelector('[data-testid="error-summary"]');
    expect(await page.locator('[data-testid="error-summary"]').innerText()).toContain("ถูกใช้ไปแล้ว");
  });
});
