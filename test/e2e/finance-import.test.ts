/**
 * The cashier imports the bank's bill-payment statement for an approved case: the progress bar, the per-line
 * report, the case moved on to its permit; the under-payment waits on the unmatched page for a decision.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { formatBillPaymentText } from "~/core/payments/statement-formats";
import { listPaymentsOfCase, type PaymentRequest } from "~/models/payment.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { bankDateTime } from "../support/bank-statement";
import { caseAwaitingFee } from "../support/journeys";
import { expectAccessible, expectNoHorizontalOverflow } from "./page-checks";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser();
let paid: { caseId: string; payment: PaymentRequest };
let under: { caseId: string; payment: PaymentRequest };

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  const ready = async (n: number, name: string) => {
    const caseId = await caseAwaitingFee(n, { business: { name } });
    return { caseId, payment: (await listPaymentsOfCase(caseId))[0]! };
  };
  paid = await ready(21, "ร้านเสริมสวยใจดี");
  under = await ready(22, "ร้านซักรีดสะอาด");
  await disconnectDb();
}, 180_000);

function statementFile(): Buffer {
  const line = (p: PaymentRequest, amountSatang: number, minutes: number, name: string) => {
    const { date, time } = bankDateTime(new Date(new Date(p.requestedAt).getTime() + minutes * 60_000));
    return { date, time, ref1: p._id, ref2: p.ref2, amountSatang, customerName: name, channel: "MOB" };
  };
  const { date } = bankDateTime(new Date());
  return Buffer.from(
    formatBillPaymentText({
      bankCode: "006",
      account: "1234567890",
      companyName: "SUKJAI MUNICIPALITY",
      effectiveDate: date,
      details: [line(paid.payment, paid.payment.amountSatang, 5, "SOMCHAI JAIDEE"), line(under.payment, under.payment.amountSatang - 5_000, 7, "SOMYING SAAT")],
    }),
  );
}

describe("the cashier reconciles a bank statement", () => {
  it("imports it, watches the progress, reads the report; the paid case gets its permit, the under-payment waits for a person", async () => {
    const page = await signIn("cashier@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/finance/imports`);
    expect(await page.locator("h1").innerText()).toBe("นำเข้ารายการเดินบัญชีจากธนาคาร");
    await expectAccessible(page, "/finance/imports");
    await page.setInputFiles('[data-testid="statement-file"]', { name: "KTB-BILLPAY-20261206.txt", mimeType: "text/plain", buffer: statementFile() });
    await Promise.all([page.waitForURL(/\/finance\/imports\/[A-Za-z0-9_-]+$/), page.click('[data-testid="upload-statement"]')]);

    await page.locator('[data-testid="statement-import"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="import-progress"]').getAttribute("value")).toBe("100");
    expect(await page.locator('[data-testid="import-progress-text"]').innerText()).toBe("ดำเนินการแล้ว 2 จาก 2 รายการ");
    expect(await page.locator('[data-testid="import-summary"]').innerText()).toBe("ชำระสำเร็จ 1 · รอตัดสินใจ 1 · ซ้ำ 0");
    const rows = page.locator('[data-testid="import-report"] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute("data-outcome")).toBe("applied");
    expect(await rows.nth(0).innerText()).toContain(paid.payment.trackingNumber);
    expect(await rows.nth(1).getAttribute("data-outcome")).toBe("unmatched");
    expect(await rows.nth(1).innerText()).toContain("ชำระน้อยกว่ายอดที่เรียกเก็บ");
    await expectAccessible(page, "/finance/imports/:id");
    await page.screenshot({ path: `${SHOTS}/finance-import-report.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalOverflow(page, "/finance/imports/:id at 320 px");
    await page.setViewportSize({ width: 1280, height: 900 });

    // The paid case moved on: the permit is issued.
    await page.goto(`${app().baseUrl}/cases/${paid.caseId}`);
    await page.locator('[data-testid="case-state"][data-state="permitIssued"]').waitFor({ timeout: 30_000 });

    // The same file again pays nothing twice.
    await page.goto(`${app().baseUrl}/finance/imports`);
    await page.setInputFiles('[data-testid="statement-file"]', { name: "KTB-BILLPAY-20261206.txt", mimeType: "text/plain", buffer: statementFile() });
    await Promise.all([page.waitForURL(/\/finance\/imports\/[A-Za-z0-9_-]+$/), page.click('[data-testid="upload-statement"]')]);
    await page.locator('[data-testid="statement-import"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="import-summary"]').innerText()).toBe("ชำระสำเร็จ 0 · รอตัดสินใจ 0 · ซ้ำ 2");

    // The under-payment, for a person to decide.
    await page.goto(`${app().baseUrl}/finance/unmatched`);
    const item = page.locator('[data-testid="unmatched-table"] tbody tr[data-reason="underpaid"]');
    expect(await item.count()).toBe(1);
    expect(await item.innerText()).toContain(under.payment._id);
    await Promise.all([page.waitForURL(/decide=/), item.locator('[data-testid="decide-link"]').click()]);
    await page.locator('[data-testid="decision-form"]').waitFor();
    await expectAccessible(page, "/finance/unmatched");
    await page.screenshot({ path: `${SHOTS}/finance-unmatched.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalOverflow(page, "/finance/unmatched at 320 px");
    await page.setViewportSize({ width: 1280, height: 900 });

    // A decision needs its note; then set aside for a refund outside the platform.
    await page.check('input[name="decision"][value="set-aside"]');
    await page.locator("#decision-note").evaluate((el) => el.removeAttribute("required"));
    await page.click('[data-testid="save-decision"]');
    await page.locator('[data-testid="error-summary"]').waitFor();
    expect(await page.locator('[data-testid="error-summary"]').innerText()).toContain("กรุณาบันทึกเหตุผลของการตัดสินใจ");
    await page.check('input[name="decision"][value="set-aside"]');
    await page.fill("#decision-note", "ผู้ชำระโอนขาด 50 บาท คืนเงินทางบัญชีธนาคารแล้วให้ชำระใหม่");
    await page.click('[data-testid="save-decision"]');
    await page.locator('[data-testid="decided"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="unmatched-table"] tbody tr[data-reason="underpaid"]').count()).toBe(0);
    await page.context().close();
  });

  it("keeps the finance pages to finance staff, and settings changes to the agency admin", async () => {
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    expect((await officer.goto(`${app().baseUrl}/finance/imports`))?.status()).toBe(403);
    expect((await officer.goto(`${app().baseUrl}/finance/unmatched`))?.status()).toBe(403);
    await officer.context().close();

    const cashier = await signIn("cashier@sukjai.demo.borikan.local");
    await cashier.goto(`${app().baseUrl}/finance/settings`);
    await cashier.locator('[data-testid="read-only"]').waitFor();
    expect(await cashier.locator('[data-testid="generate-secret"]').count()).toBe(0);
    await cashier.context().close();

    const admin = await signIn("admin@sukjai.demo.borikan.local");
    await admin.goto(`${app().baseUrl}/finance/settings`);
    await admin.fill("#biller-id", "099400016543801"); // a wrong check digit
    await admin.click('[data-testid="save-biller"]');
    await admin.locator('[data-testid="error-summary"]').waitFor();
    await admin.fill("#biller-id", "099400016543901");
    await admin.click('[data-testid="save-biller"]');
    await admin.locator('[role="status"]').waitFor();
    await admin.click('[data-testid="generate-secret"]');
    expect(await admin.locator('[data-testid="new-secret"] code').innerText()).toMatch(/^bkcb_/);
    expect(await admin.locator('[data-testid="callback-url"]').innerText()).toContain("/api/v1/payments/bank-callback/SKJ");
    await expectAccessible(admin, "/finance/settings");
    await admin.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalOverflow(admin, "/finance/settings at 320 px");
    await admin.context().close();
  });
});
