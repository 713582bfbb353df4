/**
 * The applicant pays: on the approved food-premises case the citizen sees the fee, the Thai QR code for
 * PromptPay bill payment and the references, and downloads the pay-in slip for a bank counter. The panel is
 * accessible and fits a 320 px screen. The agency's staff see the same panel, read only.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCase } from "~/models/case.server";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { getCasePayments } from "~/services/payments/get-case-payments.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { foodCaseAwaitingFee } from "../support/food-premises";
import { expectAccessible, expectNoHorizontalOverflow } from "./page-checks";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser();
let caseId = "";
let reference = "";
let ref2 = "";
const tmp = mkdtempSync(path.join(tmpdir(), "borikan-paying-e2e-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  // A 250 m² restaurant: 2,000 baht a year.
  caseId = await foodCaseAwaitingFee(1, { areaSqm: 250 });
  const [payment] = await getCasePayments((await getCase(caseId))!, new Date());
  reference = payment!.reference;
  ref2 = payment!.ref2;
  await drainEffectRunner();
  await disconnectDb();
}, 180_000);

describe("paying the fee of an approved case", () => {
  it("shows the citizen the amount, the Thai QR code and the references, and gives the pay-in slip", async () => {
    const page = await signIn("citizen@demo.borikan.local");
    await page.goto(`${app().baseUrl}/cases/${caseId}`);
    const panel = page.locator('[data-testid="case-payment"]');
    await panel.waitFor();
    expect(await panel.getAttribute("data-state")).toBe("due");
    expect(await panel.locator('[data-testid="payment-amount"]').innerText()).toBe("2,000.00 บาท");
    expect(await panel.locator('[data-testid="payment-status"]').innerText()).toContain("รอชำระเงิน");
    expect(await panel.locator('[data-testid="payment-due"]').innerText()).toMatch(/25\d\d/); // Buddhist era
    expect(await panel.locator('[data-testid="payment-biller"]').innerText()).toBe("099400016543901");
    expect(await panel.locator('[data-testid="payment-ref1"]').innerText()).toBe(reference);
    expect(await panel.locator('[data-testid="payment-ref2"]').innerText()).toBe(ref2);
    expect(await panel.innerText()).toContain("สแกนด้วยแอปธนาคารใดก็ได้");

    // The QR image loaded (an SVG from the QR route), with a text alternative naming the amount.
    const qr = panel.locator('[data-testid="payment-qr"]');
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await qr.getAttribute("alt")).toContain("2,000.00");

    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: `${SHOTS}/case-payment.png` });
    await expectAccessible(page, "case payment panel");

    // The slip: a PDF, downloaded by the link, that opens and carries the references.
    const slipHref = (await panel.locator('[data-testid="payment-slip"]').getAttribute("href"))!;
    const direct = await page.request.get(`${app().baseUrl}${slipHref}`);
    expect(direct.status()).toBe(200);
    expect(direct.headers()["content-type"]).toBe("application/pdf");
    const [download] = await Promise.all([page.waitForEvent("download"), panel.locator('[data-testid="payment-slip"]').click()]);
    const file = path.join(tmp, "slip.pdf");
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe(`pay-in-slip-${reference}.pdf`);
    expect(execFileSync("pdfinfo", [file]).toString()).toMatch(/Pages:\s+1\n/);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString("utf8");
    expect(text).toContain(reference);
    expect(text).toContain(ref2);
    expect(text).toContain("2,000.00");
    expect(text).toContain("สองพันบาทถ้วน");
    // The README's picture of a slip, from this very file.
    execFileSync("pdftoppm", ["-png", "-r", "80", "-singlefile", file, "docs/pay-in-slip-sample"]);
  });

  it("fits a 320 px wide screen", async () => {
    const page = await signIn("citizen@demo.borikan.local");
    await page.setViewportSize({ width: 320, height: 900 });
    await page.goto(`${app().baseUrl}/cases/${caseId}`);
    const panel = page.locator('[data-testid="case-payment"]');
    await panel.waitFor();
    await expect.poll(() => panel.locator('[data-testid="payment-qr"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expectNoHorizontalOverflow(page, "case payment at 320 px");
    await expectAccessible(page, "case payment at 320 px");
    await panel.screenshot({ path: `${SHOTS}/case-payment-320.png` });
  });

  it("shows the agency's officer the same panel, read only", async () => {
    const page = await signIn("officer@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/cases/${caseId}`);
    const panel = page.locator('[data-testid="case-payment"]');
    await panel.waitFor();
    expect(await panel.innerText()).toContain("อ่านอย่างเดียว");
    expect(await panel.locator('[data-testid="payment-ref1"]').innerText()).toBe(reference);
    expect(await panel.locator("form, button").count()).toBe(0);
  });
});
