/**
 * Fees paid and receipted, seen in a browser: the cashier's finance overview (chart, tables, latest payment,
 * CSV) and the applicant's case page listing the electronic receipt, whose PDF is rendered to a PNG sample.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getCase } from "~/models/case.server";
import { getReceipt } from "~/models/receipt.server";
import { caseDocuments } from "~/services/case-documents.server";
import { drainEffectRunner, settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { caseAwaitingFee, officer } from "../support/journeys";
import { expectAccessible, expectNoHorizontalOverflow } from "./page-checks";
import { SHOTS, appInBrowser } from "./support";

// A fresh connection for each download: a kept-alive one may have been closed by the server while the
// test waited for the cashier or the effects (socket hang up).
const NO_KEEP_ALIVE = { headers: { Connection: "close" } };
const { app, open, signIn } = appInBrowser();
const paid = { id: "", tracking: "", receipt: "", jws: "" };

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  const id = await caseAwaitingFee(1);
  await fireCaseEvent(await officer(), id, { type: "FEE_PAID", comment: "รับชำระที่เคาน์เตอร์" });
  await settleCaseEffects(id);
  const record = (await getCase(id))!;
  const receipt = (await caseDocuments(record)).issued.find((d) => d.kind === "receipt");
  const stored = receipt?.kind === "receipt" ? await getReceipt(receipt.id) : null;
  Object.assign(paid, { id, tracking: record.trackingNumber, receipt: receipt?.number ?? "", jws: stored?.signature.jws ?? "" });
  await drainEffectRunner();
  await disconnectDb();
}, 240_000);

describe("the finance overview", () => {
  it("shows the cashier the day's total in a chart beside its table, and the payment with its receipt", async () => {
    expect(paid.receipt).toMatch(/^SKJ-R-\d{4}-\d{6}$/);
    const page = await signIn("cashier@sukjai.demo.borikan.local");
    await Promise.all([page.waitForURL("**/finance"), page.locator('nav.bk-wide a[href="/finance"]').click()]);
    await page.locator('[data-testid="chart-finance-days"]').waitFor();
    expect(await page.locator('[data-testid="chart-finance-days"] rect').count()).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="chart-finance-services"]').count()).toBe(1);
    const row = page.locator('[data-testid="payment-row"]', { hasText: paid.tracking });
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain(paid.receipt);
    expect(await page.locator('[data-testid="table-per-service"] tbody tr').first().innerText()).toContain("1");
    await expectAccessible(page, "/finance");
    await page.screenshot({ path: `${SHOTS}/finance-overview.png`, fullPage: true });

    // the month's CSV, with the session of the page
    const href = await page.locator('[data-testid="payments-csv"]').getAttribute("href");
    const csv = await page.request.get(`${app().baseUrl}${href}`, NO_KEEP_ALIVE);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const text = await csv.text();
    expect(text).toContain(paid.tracking);
    expect(text).toContain(paid.receipt);

    // a malformed month is a field error, not a 500
    await page.goto(`${app().baseUrl}/finance?month=2026-13`);
    await page.locator('[data-testid="error-summary"]').waitFor();
    expect(await page.locator("#finance-month-error").count()).toBe(1);

    // 320 px wide: nothing sticks out sideways
    const narrow = await open({ viewport: { width: 320, height: 800 }, storageState: await page.context().storageState(), locale: "th-TH", timezoneId: "Asia/Bangkok" });
    await narrow.goto(`${app().baseUrl}/finance`);
    await narrow.locator('[data-testid="chart-finance-days"]').waitFor();
    await expectNoHorizontalOverflow(narrow, "/finance at 320 px");
  });

  it("is closed to an officer who is not finance staff", async () => {
    const page = await signIn("officer@sukjai.demo.borikan.local");
    expect(await page.locator('nav.bk-wide a[href="/finance"]').count()).toBe(0);
    const response = await page.goto(`${app().baseUrl}/finance`);
    expect(response?.status()).toBe(403);
  });
});

describe("the applicant's receipt", () => {
  it("is listed on the case page and downloads as the signed PDF", async () => {
    const page = await signIn("citizen@demo.borikan.local");
    await page.goto(`${app().baseUrl}/cases/${paid.id}`);
    const item = page.locator('[data-testid="issued-receipt"]');
    await item.waitFor();
    expect(await item.getAttribute("data-number")).toBe(paid.receipt);
    await item.scrollIntoViewIfNeeded();
    await expectAccessible(page, "case page with a receipt");
    await page.locator('[data-testid="case-documents"]').screenshot({ path: `${SHOTS}/case-receipt.png` });

    const href = await item.locator("a").getAttribute("href");
    const pdf = await page.request.get(`${app().baseUrl}${href}`, NO_KEEP_ALIVE);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");

    // the sample in the docs: the first page at 110 dpi
    const dir = mkdtempSync(path.join(tmpdir(), "receipt-"));
    writeFileSync(path.join(dir, "receipt.pdf"), bytes);
    execFileSync("pdftoppm", ["-png", "-r", "110", "-singlefile", "-f", "1", path.join(dir, "receipt.pdf"), "docs/payment-receipt-sample"]);

    // someone else's receipt is not found
    const stranger = await signIn("officer@thungthong.demo.borikan.local");
    expect((await stranger.request.get(`${app().baseUrl}${href}`, NO_KEEP_ALIVE)).status()).toBe(404);
  });
});

describe("verifying a receipt", () => {
  it("shows the receipt's number, amount and agency as valid, and an altered one as altered", async () => {
    const page = await open();
    await page.goto(`${app().baseUrl}/verify#${paid.jws}`);
    const result = page.locator('[data-testid="verify-result"][data-result="valid"]');
    await result.waitFor();
    expect(await page.locator('[data-testid="verify-kind"]').innerText()).toContain("ใบเสร็จรับเงินอิเล็กทรอนิกส์");
    const text = await result.innerText();
    expect(text).toContain(paid.receipt);
    expect(text).toContain("1,000.00");
    expect(text).toContain("เทศบาล");
    await expectAccessible(page, "/verify with a receipt");
    await page.screenshot({ path: `${SHOTS}/verify-receipt.png`, fullPage: true });

    const [header, body, signature] = paid.jws.split(".");
    const claimed = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claimed, amount: "1.00" })).toString("base64url");
    await page.goto(`${app().baseUrl}/verify#${header}.${forged}.${signature}`);
    const altered = page.locator('[data-testid="verify-result"][data-result="invalid"]');
    await altered.waitFor();
    expect(await altered.getAttribute("data-reason")).toBe("BAD_SIGNATURE");
    expect(await altered.innerText()).toContain("ถูกแก้ไข");
  });
});
