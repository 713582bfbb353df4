import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/ferretdb.mjs";
import { DEMO_CITIZENS, startDemoOidcProvider, type DemoProvider } from "../../scripts/demo-oidc-provider";
import { startApp, type RunningApp } from "../support/app-server";
import { DESKTOP, launchBrowser, recordCspViolations, SHOTS } from "./support";

/** A citizen signs in with the local ThaID stand-in, finds the form prefilled from ThaID, files, and sees the case. */

const SECRET = "e2e-demo-client-secret-0123456789";
let app: RunningApp;
let provider: DemoProvider;
let browser: Browser;
const pageErrors: string[] = [];
const cspViolations: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  const OIDC_PROVIDERS = JSON.stringify([
    { id: "thaid-demo", label: { th: "ThaID (สาธิต)", en: "ThaID (demo)" }, issuer: `http://127.0.0.1:${port}`, clientId: "borikan-demo", clientSecret: SECRET, demo: true },
  ]);
  app = await startApp({ env: { OIDC_PROVIDERS } });
  provider = await startDemoOidcProvider({ port, clients: [{ clientId: "borikan-demo", clientSecret: SECRET, redirectUris: [`${app.baseUrl}/auth/oidc/thaid-demo/callback`] }] });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await provider?.stop();
  await app?.stop();
  expect(pageErrors).toEqual([]);
  expect(cspViolations).toEqual([]);
});

describe("sign-in with ThaID", () => {
  it("signs a citizen in through the demo provider, prefills the petition from ThaID, and files it", async () => {
    const context = await browser.newContext(DESKTOP);
    // Only our own pages are held to our CSP; the provider's pages are its own.
    await recordCspViolations(context, (v) => cspViolations.push(v));
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));

    await page.goto(`${app.baseUrl}/login?next=/services/sukjai-general-petition/apply`);
    const button = page.getByTestId("oidc-thaid-demo");
    await expect(button.textContent()).resolves.toContain("ThaID (demo)");
    await page.screenshot({ path: `${SHOTS}/thaid-login.png`, fullPage: true });

    await Promise.all([page.waitForURL((url) => url.origin === provider.issuer), button.click()]);
    await page.getByTestId("demo-citizen-1").check();
    await page.screenshot({ path: `${SHOTS}/thaid-demo-provider.png`, fullPage: true });
    await Promise.all([page.waitForURL((url) => url.pathname === "/services/sukjai-general-petition/apply"), page.getByTestId("demo-consent").click()]);

    const citizen = DEMO_CITIZENS[0];
    const nameField = page.locator("#root_complainant_fullName");
    const idField = page.locator("#root_complainant_nationalId");
    await expect(nameField.inputValue()).resolves.toBe(citizen.name);
    await expect(idField.inputValue()).resolves.toMatch(/^1-1017-00234-56-8$|^1101700234568$/);
    await expect(nameField.getAttribute("readonly")).resolves.not.toBeNull();
    await expect(idField.getAttribute("readonly")).resolves.not.toBeNull();
    await expect(page.locator("#root_complainant_fullName__help").textContent()).resolves.toContain("จาก ThaID (สาธิต) / from ThaID (demo)");

    await page.fill("#root_complainant_mobile", "0812345678");
    await page.fill("#root_complaint_subject", "ไฟฟ้าส่องสว่างดับทั้งซอย");
    await page.selectOption("#root_complaint_category", { label: "ไฟฟ้าสาธารณะ/ไฟส่องสว่างดับหรือชำรุด" });
    await page.fill("#root_complaint_details", "ไฟดับทั้งซอยมาสามคืนแล้ว อันตรายต่อผู้สัญจร");
    await page.check("#root_consent");
    await page.screenshot({ path: `${SHOTS}/thaid-prefilled-form.png`, fullPage: true });

    await page.getByTestId("submit").click();
    await page.getByTestId("check-answers").waitFor();
    await Promise.all([page.waitForURL((url) => url.pathname.startsWith("/cases/")), page.getByTestId("confirm-submit").click()]);
    await expect(page.getByTestId("tracking-number").textContent()).resolves.toMatch(/^SKJ-\d{4}-\d{6}$/);
    await page.screenshot({ path: `${SHOTS}/thaid-case.png`, fullPage: true });
    await context.close();
  });
});
