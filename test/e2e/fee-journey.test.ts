/**
 * Issue 15 end to end, in Chromium: the citizen sees the fee of the approved case with its Thai QR code and
 * pay-in slip; the cashier imports the bank's statement carrying that payment; the case moves on to its permit,
 * and the citizen's case page shows the paid fee and the electronic receipt, which opens as a PDF and verifies.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { formatBillPaymentText } from "~/core/payments/statement-formats";
import { getCase } from "~/models/case.server";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { getCasePayments } from "~/services/payments/get-case-payments.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { bankDateTime } from "../support/bank-statement";
import { foodCaseAwaitingFee } from "../support/food-premises";
import { SHOTS, appInBrowser } from "./support";

// A fresh connection for each download: a kept-alive one may have been closed by the server while the
// test waited for the cashier or the effects (socket hang up).
const NO_KEEP_ALIVE = { headers: { Connection: "close" } };
const { app, signIn } = appInBrowser();
const fee = { caseId: "", reference: "", ref2: "", amountSatang: 0, requestedAt: new Date() };

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  // A 320 m² restaurant: the band over 300 m², 2,500 baht.
  fee.caseId = await foodCaseAwaitingFee(41, { areaSqm: 320 });
  const [payment] = await getCasePayments((await getCase(fee.caseId))!, new Date());
  Object.assign(fee, { reference: payment!.reference, ref2: payment!.ref2, amountSatang: payment!.amountSatang, requestedAt: new Date() });
  await drainEffectRunner();
  await disconnectDb();
}, 180_000);

function statement(): Buffer {
  const { date, time } = bankDateTime(new Date());
  return Buffer.from(
    formatBillPaymentText({
      bankCode: "014",
      account: "1234567890",
      companyName: "SUKJAI MUNICIPALITY",
      effectiveDate: date,
      details: [{ date, time, ref1: fee.reference, ref2: fee.ref2, amountSatang: fee.amountSatang, customerName: "SOMCHAI JAIDEE", channel: "MOB" }],
    }),
  );
}

describe("a fee paid electronically, from the QR code to the receipt", () => {
  it("the citizen sees the QR and slip, the cashier's statement pays it, the permit and the receipt follow", async () => {
    expect(fee.amountSatang).toBe(250_000);
    const citizen = await signIn("citizen@demo.borikan.local");
    await citizen.goto(`${app().baseUrl}/cases/${fee.caseId}`);
    const panel = citizen.locator('[data-testid="case-payment"]');
    await panel.waitFor();
    expect(await citizen.locator('[data-testid="payment-amount"]').innerText()).toContain("2,500.00");
    expect((await citizen.locator('[data-testid="payment-ref1"]').innerText()).replace(/\D/g, "")).toBe(fee.reference);
    await citizen.locator('[data-testid="payment-qr"]').waitFor();
    const slipHref = await citizen.locator('[data-testid="payment-slip"]').getAttribute("href");
    const slip = await citizen.request.get(`${app().baseUrl}${slipHref}`, NO_KEEP_ALIVE);
    expect(slip.status()).toBe(200);
    expect(slip.headers()["content-type"]).toContain("application/pdf");

    const cashier = await signIn("cashier@sukjai.demo.borikan.local");
    await cashier.goto(`${app().baseUrl}/finance/imports`);
    await cashier.setInputFiles('[data-testid="statement-file"]', { name: "SCB-BILLPAY.txt", mimeType: "text/plain", buffer: statement() });
    await Promise.all([cashier.waitForURL(/\/finance\/imports\/[A-Za-z0-9_-]+$/), cashier.click('[data-testid="upload-statement"]')]);
    await cashier.locator('[data-testid="statement-import"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await cashier.locator('[data-testid="import-report"] tbody tr').first().getAttribute("data-outcome")).toBe("applied");
    await cashier.context().close();

    // The case page moves on by itself once the permit and the receipt are ready.
    await citizen.reload();
    await citizen.locator('[data-testid="case-state"][data-state="permitIssued"]').waitFor({ timeout: 30_000 });
    const receipt = citizen.locator('[data-testid="issued-receipt"]');
    await receipt.waitFor({ timeout: 30_000 });
    expect(await receipt.getAttribute("data-number")).toMatch(/^SKJ-R-\d{4}-\d{6}$/);
    expect(await citizen.locator('[data-testid="payment-status"]').innerText()).toMatch(/ชำระแล้ว/);
    const receiptHref = await receipt.locator("a").first().getAttribute("href");
    const pdf = await citizen.request.get(`${app().baseUrl}${receiptHref}`, NO_KEEP_ALIVE);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await citizen.locator('[data-testid="case-payment"]').scrollIntoViewIfNeeded();
    await citizen.screenshot({ path: `${SHOTS}/fee-journey-paid.png`, fullPage: true });
    await citizen.context().close();
  });
});
