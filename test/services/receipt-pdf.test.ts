import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { renderReceiptPdf, type ReceiptPdfInput } from "~/services/receipt-pdf.server";

const PDFTOTEXT = "/usr/bin/pdftotext";
const hasPdftotext = existsSync(PDFTOTEXT);

function receiptInput(overrides: Partial<ReceiptPdfInput> = {}): ReceiptPdfInput {
  return {
    trackingNumber: "BRK-2569-000123",
    trackingUrl: "https://borikan.example.go.th/track/BRK-2569-000123",
    agencyName: { th: "สำนักงานเขตบางรัก กรุงเทพมหานคร", en: "Bang Rak District Office" },
    serviceTitle: { th: "การขออนุญาตก่อสร้างอาคาร", en: "Building construction permit" },
    applicantName: "นางสาวปุณณ์ญาดา ศุภฤกษ์ชัย",
    receivedAt: new Date("2026-05-29T17:12:45+07:00"),
    countedFrom: new Date("2026-06-02T08:30:00+07:00"),
    dueAt: new Date("2026-08-07T16:30:00+07:00"),
    statutoryDays: 45,
    documents: [{ name: "สำเนาบัตรประจำตัวประชาชน" }, { name: "แบบแปลนอาคาร" }],
    ...overrides,
  };
}

const tmp = mkdtempSync(path.join(tmpdir(), "borikan-receipt-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let fileCount = 0;
function textOf(pdf: Buffer): string {
  const file = path.join(tmp, `receipt-${++fileCount}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync(PDFTOTEXT, ["-enc", "UTF-8", file, "-"]).toString("utf8");
}

describe("renderReceiptPdf", () => {
  it("produces an A4 PDF with the Sarabun font embedded", async () => {
    // given a receipt / when it is rendered
    const pdf = await renderReceiptPdf(receiptInput());
    const raw = pdf.toString("latin1");
    // then
    expect(raw.startsWith("%PDF-")).toBe(true);
    expect(raw.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Sarabun-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Sarabun-Bold/);
    expect(raw).toContain("/FontFile2");
    expect(raw).not.toContain("Helvetica");
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(raw).toContain("/Subtype /Image"); // the QR code
  });

  it("is deterministic: the same input gives the same bytes, dated by receivedAt", async () => {
    const input = receiptInput();
    const first = await renderReceiptPdf(input);
    const second = await renderReceiptPdf(input);
    expect(first.equals(second)).toBe(true);
    // 17:12:45 in Bangkok is 10:12:45 UTC
    expect(first.toString("latin1")).toContain("(D:20260529101245Z)"); // CreationDate and ModDate
  });

  it.skipIf(!hasPdftotext)("reads back the tracking number, Thai text, Buddhist-era dates and documents", async () => {
    const text = textOf(await renderReceiptPdf(receiptInput()));
    expect(text).toContain("BRK-2569-000123");
    expect(text).toContain("ใบรับคำขออิเล็กทรอนิกส์");
    expect(text).toContain("Electronic receipt");
    expect(text).toContain("สำนักงานเขตบางรัก");
    expect(text).toContain("นางสาวปุณณ์ญาดา ศุภฤกษ์ชัย");
    expect(text).toContain("วันศุกร์ที่ 29 พฤษภาคม พ.ศ. 2569 เวลา 17:12:45 น.");
    expect(text).toContain("วันอังคารที่ 2 มิถุนายน พ.ศ. 2569 เวลา 08:30 น.");
    expect(text).toContain("Friday, 7 August 2026 at 16:30");
    expect(text).toContain("45 วันทำการ");
    expect(text).toContain("สำเนาบัตรประจำตัวประชาชน");
    expect(text).toContain("พระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565 มาตรา 10");
    expect(text).toContain("https://borikan.example.go.th/track/BRK-2569-000123");
  });

  it.skipIf(!hasPdftotext)("says when no time limit is stated and omits the due date", async () => {
    const text = textOf(await renderReceiptPdf(receiptInput({ dueAt: null, statutoryDays: undefined, documents: [] })));
    expect(text).toContain("ไม่ได้กำหนด");
    expect(text).toContain("ไม่มีเอกสารแนบ");
    expect(text).not.toContain("Due by");
  });

  it.skipIf(!hasPdftotext)("continues a long list of documents on further pages, numbering the pages", async () => {
    const documents = Array.from({ length: 60 }, (_, i) => ({ name: `เอกสารประกอบคำขอลำดับที่ ${i + 1}` }));
    const text = textOf(await renderReceiptPdf(receiptInput({ documents })));
    expect(text).toContain("เอกสารประกอบคำขอลำดับที่ 60");
    expect(text).toMatch(/Page 2 of [23]/);
    expect(text).toContain("มาตรา 10");
  });
});
