import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContextOptions } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { caseAwaitingDecision } from "../support/journeys";
import { SHOTS, appInBrowser } from "./support";

const BUSINESS = "ร้านตัดผมชายทองคำมณีรัตน์";
// An inspector's phone (s.14).
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "th-TH", timezoneId: "Asia/Bangkok" };

let caseUrl = "";
let permitNumber = "";
const { app, signIn, open } = appInBrowser();

beforeAll(async () => {
  // The case is filed, accepted and inspected through the services; the decision and all after it go through the browser.
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  caseUrl = `${app().baseUrl}/cases/${await caseAwaitingDecision(7, { business: { name: BUSINESS } })}`;
  await disconnectDb();
}, 120_000);

describe("a permit from approval to the public registry, and its revocation", () => {
  it("the approver approves, the officer confirms the fee, and the permit is issued on the case", async () => {
    const approver = await signIn("approver@sukjai.demo.borikan.local");
    await approver.goto(caseUrl);
    await approver.locator('form[data-event="APPROVE"] button').click();
    await approver.waitForSelector('[data-testid="case-state"][data-state="awaitingFee"]');
    await approver.context().close();

    const officer = await signIn("officer@sukjai.demo.borikan.local");
    await officer.goto(caseUrl);
    await officer.locator('form[data-event="FEE_PAID"] button').click();
    await officer.waitForSelector('[data-testid="case-state"][data-state="permitIssued"]');
    // the permit is produced off the request path; the page refreshes itself until it is there
    const issued = officer.locator('[data-testid="issued-permit"]');
    await issued.waitFor({ timeout: 30_000 });
    permitNumber = (await issued.getAttribute("data-number")) ?? "";
    expect(permitNumber).toMatch(/^SKJ-HH-\d{4}-\d{5}$/);
    await officer.context().close();
  });

  it("the citizen downloads the permit PDF from the case page, with the Thai text intact", async () => {
    const citizen = await signIn("citizen@demo.borikan.local");
    await citizen.goto(caseUrl);
    expect(await citizen.locator('[data-testid="issued-letter"]').count()).toBe(1); // the approval letter
    const [download] = await Promise.all([citizen.waitForEvent("download"), citizen.click('[data-testid="permit-download"]')]);
    const dir = mkdtempSync(path.join(tmpdir(), "borikan-permit-"));
    const file = path.join(dir, "permit.pdf");
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain(permitNumber);
    expect(text).toContain(BUSINESS);
    expect(text).toContain("อันตรายต่อสุขภาพ");
    execFileSync("pdftoppm", ["-r", "80", "-png", "-singlefile", file, path.join(SHOTS, "permit-pdf")]);
    await citizen.screenshot({ path: `${SHOTS}/case-permit-issued.png`, fullPage: true });
    await citizen.context().close();
  });

  it("anyone finds it in the registry by a Thai word inside the business name, and its page shows valid", async () => {
    const visitor = await open();
    await visitor.goto(`${app().baseUrl}/registry`);
    await visitor.fill('[data-testid="registry-q"]', "ทองคำมณีรัตน์");
    await Promise.all([visitor.waitForURL(/q=/), visitor.click('[data-testid="registry-search"]')]);
    const hit = visitor.locator(`[data-testid="registry-item"][data-number="${permitNumber}"]`);
    await hit.waitFor();
    // Only the permit with that word: the page may still show the previous (unfiltered) list for a moment.
    await expect.poll(() => visitor.locator('[data-testid="registry-item"]').count()).toBe(1);
    await visitor.screenshot({ path: `${SHOTS}/registry-search.png`, fullPage: true });
    await hit.locator("a").first().click();
    await visitor.waitForSelector('[data-testid="permit-status"][data-status="valid"]');
    expect(await visitor.locator('[data-testid="signature-check"]').innerText()).toMatch(/ถูกต้อง/);
    await visitor.context().close();

    // the inspector's phone: the same page, readable on a small screen
    const inspector = await open(PHONE);
    await inspector.goto(`${app().baseUrl}/permits/${permitNumber}`);
    await inspector.waitForSelector('[data-testid="permit-status"][data-status="valid"]');
    const overflow = await inspector.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await inspector.screenshot({ path: `${SHOTS}/permit-page-phone.png`, fullPage: true });

    // the QR's link verifies the signature in the browser; a tampered code is refused with the reason
    const verifyUrl = await inspector.locator('[data-testid="verify-link"]').getAttribute("href");
    await inspector.goto(verifyUrl!);
    await inspector.waitForSelector('[data-testid="verify-result"][data-result="valid"]');
    await inspector.locator('[data-testid="verify-live"] .bk-status.valid').waitFor();
    await inspector.screenshot({ path: `${SHOTS}/verify-offline.png`, fullPage: true });
    // The agency is named, not shown by its id; the page has no developer command.
    const result = await inspector.locator('[data-testid="verify-result"]').innerText();
    expect(result).toContain("เทศบาลเมืองสุขใจ");
    expect(await inspector.locator('[data-testid="verify-signer"]').innerText()).toMatch(/^ลงนามโดย เทศบาลเมืองสุขใจ/);
    expect(await inspector.locator("body").innerText()).not.toContain("npx");
    const jws = verifyUrl!.split("#")[1]!;
    const [h, p, s] = jws.split(".");
    const forged = `${h}.${p!.slice(0, -4)}AAAA.${s}`;
    // Another QR link opened in the same tab changes only the fragment: the page checks the new code.
    await inspector.goto(`${app().baseUrl}/verify#${forged}`);
    await inspector.waitForSelector('[data-testid="verify-result"][data-result="invalid"]');
    await inspector.goto(verifyUrl!);
    await inspector.waitForSelector('[data-testid="verify-result"][data-result="valid"]');
    await inspector.fill('[data-testid="verify-input"]', forged);
    await inspector.waitForSelector('[data-testid="verify-result"][data-result="invalid"]');
    await inspector.screenshot({ path: `${SHOTS}/verify-tampered.png`, fullPage: true });
    await inspector.context().close();

    // the A4 display card for the premises, in English this time
    const printer = await open();
    await printer.goto(`${app().baseUrl}/permits/${permitNumber}/card?lang=en`);
    await printer.waitForSelector('[data-testid="display-card"] svg');
    expect(await printer.locator(".bk-card-business").innerText()).toBe(BUSINESS);
    await printer.emulateMedia({ media: "print" });
    await printer.screenshot({ path: `${SHOTS}/permit-display-card.png`, fullPage: true });
    await printer.context().close();
  });

  it("the approver revokes it with a reason; the public page and the registry show revoked at once", async () => {
    const approver = await signIn("approver@sukjai.demo.borikan.local");
    await approver.goto(`${app().baseUrl}/permits/${permitNumber}`);
    const manage = approver.locator('[data-testid="permit-manage"]');
    await manage.locator('select[name="to"]').selectOption("revoked");
    await manage.locator('input[name="reason"]').fill("ฝ่าฝืนคำสั่งให้ปรับปรุงสุขลักษณะ");
    await manage.locator("button").click();
    await approver.waitForSelector('[data-testid="permit-status"][data-status="revoked"]');
    await approver.context().close();

    const visitor = await open();
    await visitor.goto(`${app().baseUrl}/permits/${permitNumber}`);
    await visitor.waitForSelector('[data-testid="permit-status"][data-status="revoked"]');
    expect(await visitor.locator('[data-testid="status-reason"]').innerText()).toContain("ฝ่าฝืนคำสั่งให้ปรับปรุงสุขลักษณะ");
    await visitor.screenshot({ path: `${SHOTS}/permit-revoked.png`, fullPage: true });
    await visitor.goto(`${app().baseUrl}/registry?q=${encodeURIComponent("ทองคำมณีรัตน์")}&status=revoked`);
    await visitor.locator(`[data-testid="registry-item"][data-number="${permitNumber}"]`).waitFor();
    await visitor.goto(`${app().baseUrl}/registry?q=${encodeURIComponent("ทองคำมณีรัตน์")}&status=valid`);
    await visitor.waitForSelector('[data-testid="registry-empty"]');

    const api = await (await fetch(`${app().baseUrl}/api/v1/permits/${permitNumber}/verify`)).json();
    expect(api).toMatchObject({ valid: false, status: "revoked", signature: { valid: true } });
    await visitor.context().close();
  });
});
