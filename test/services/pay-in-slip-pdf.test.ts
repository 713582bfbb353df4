import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import bwipjs from "bwip-js/node";
import { afterAll, describe, expect, it } from "vitest";
import { renderPayInSlipPdf, type PayInSlipPdfInput } from "~/services/payments/pay-in-slip-pdf.server";

const input: PayInSlipPdfInput = {
  agencyName: { th: "เทศบาลเมืองสุขใจ", en: "Suk Jai Town Municipality" },
  serviceTitle: { th: "การขออนุญาตจัดตั้งสถานที่จำหน่ายอาหาร", en: "Food premises licence" },
  trackingNumber: "SJ-2569-000123",
  applicantName: "สมหญิง รักอาหาร",
  lines: [
    { label: { th: "ค่าธรรมเนียมใบอนุญาต", en: "Licence fee" }, amountSatang: 100_000 },
    { label: { th: "ค่าธรรมเนียมเพิ่ม", en: "Surcharge" }, amountSatang: 23_450 },
  ],
  amountSatang: 123_450,
  requestedAt: new Date("2026-12-06T03:00:00Z"),
  dueAt: new Date("2026-12-21T16:59:59.999Z"),
  billerId: "099400016543901",
  reference: "700000000018",
  ref2: "2569000123",
};

/** The bars and spaces of a linear symbol (bwip-js's raw encoding of a 1-D barcode). */
function barsOf(text: string, parse?: boolean): string {
  const [symbol] = bwipjs.raw({ bcid: "code128", text, ...(parse ? { parse } : {}) });
  if (!symbol || !("sbs" in symbol)) throw new Error("not a linear symbol");
  return symbol.sbs.join(",");
}

const tmp = mkdtempSync(path.join(tmpdir(), "borikan-slip-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("pay-in slip PDF", () => {
  it("prints the agency, case, fee lines, total in figures and Thai words, due date (B.E.), biller ID and references", async () => {
    const pdf = await renderPayInSlipPdf(input);
    expect(pdf.toString("latin1", 0, 5)).toBe("%PDF-");
    const file = path.join(tmp, "slip.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString("utf8");
    for (const expected of ["เทศบาลเมืองสุขใจ", "SJ-2569-000123", "สมหญิง รักอาหาร", "1,000.00", "234.50", "1,234.50", "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์", "21 ธันวาคม 2569", "099400016543901", "700000000018", "2569000123", "Thai QR Payment"]) {
      expect(text, expected).toContain(expected);
    }
    expect(execFileSync("pdfinfo", [file]).toString()).toMatch(/Pages:\s+1\n/);
  });

  it("is the same bytes for the same input", async () => {
    expect((await renderPayInSlipPdf(input)).equals(await renderPayInSlipPdf(input))).toBe(true);
  });

  it("encodes ^013 under bwip-js's parse option exactly as a carriage return (the counter barcode's separator)", () => {
    const escaped = "|099400016543901^013700000000018^0132569000123^013123450";
    expect(barsOf(escaped, true)).toBe(barsOf("|099400016543901\r700000000018\r2569000123\r123450"));
    // Without the option the same text would print the five characters "^013" literally.
    expect(barsOf(escaped)).not.toBe(barsOf(escaped, true));
  });
});
