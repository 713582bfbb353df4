/**
 * The bank-counter pay-in slip (ใบแจ้งการชำระเงิน / Bill Payment pay-in slip) of a payment request: A4, Thai
 * (Sarabun through ./pdf/thai-pdf.server), in two parts as Thai bills are — the top for the payer to keep,
 * the bottom, below the cut line, for the bank's teller: biller ID, Ref1, Ref2, the amount in figures and in
 * Thai words, the Code 128 barcode a counter scans, and the same PromptPay bill-payment QR as the case page.
 * Rendered in the PDF worker pool (a "payInSlip" task): everything printed is in the input.
 */
import bwipjs from "bwip-js/node";

import { bahtText } from "~/core/payments/baht-text";
import { formatBaht, type FeeLine } from "~/core/payments/fees";
import { billPaymentQrPayload, counterBarcodeText } from "~/core/payments/promptpay-qr";
import type { LocalizedText } from "~/core/text";

import {
  COLOR,
  createThaiPdf,
  dateLines,
  drawQr,
  field as fieldIn,
  MM,
  PAGE,
  qrModules,
  rule,
  widthOf,
  write,
  type Columns,
  type FieldValue,
  type Frame,
  type Style,
} from "../pdf/thai-pdf.server";

export type PayInSlipPdfInput = {
  agencyName: LocalizedText;
  serviceTitle: LocalizedText;
  trackingNumber: string;
  applicantName: string;
  lines: FeeLine[];
  amountSatang: number;
  requestedAt: Date;
  dueAt: Date;
  billerId: string;
  /** Ref1: the payment reference. */
  reference: string;
  ref2: string;
};

const MARGIN = 30;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const FRAME: Frame = { top: MARGIN, bottom: PAGE.height - MARGIN };
const VALUE: Style = { size: 12 };
const VALUE_EN: Style = { size: 9.5, color: COLOR.muted };
const BIG: Style = { size: 15, bold: true };

function columns(x: number, width: number, labelWidth = 130): Columns {
  return { labelX: x, labelWidth, valueX: x + labelWidth + 8, valueWidth: width - labelWidth - 8 };
}

function fieldAt(doc: Parameters<typeof fieldIn>[0], y: number, cols: Columns, label: [string, string], values: FieldValue[]): number {
  return fieldIn(doc, y, { columns: cols, label: { bold: true, size: 10.5 }, labelEn: { size: 8.5, color: COLOR.muted }, frame: FRAME, gap: 4, alignBaselines: true }, label, values);
}

/**
 * The Code 128 barcode as a PNG. bwip-js's `parse: true` reads `^NNN` (three decimal digits) as the character
 * with that code, so each CR of the content is written `^013` (bwip-js then switches to code set A, which carries
 * control characters, for it); the content has only digits and "|", so no other "^" can be misread.
 */
async function barcodePng(content: string): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: "code128", text: content.replaceAll("\r", "^013"), parse: true, scale: 3, height: 14, includetext: false, paddingwidth: 0 });
}

export async function renderPayInSlipPdf(input: PayInSlipPdfInput): Promise<Buffer> {
  const codes = { billerId: input.billerId, ref1: input.reference, ref2: input.ref2, amountSatang: input.amountSatang };
  const qr = qrModules(billPaymentQrPayload(codes));
  const barcode = await barcodePng(counterBarcodeText(codes));
  const amount = `${formatBaht(input.amountSatang)} บาท / THB`;
  const words = bahtText(input.amountSatang);
  const [dueTh, dueEn] = dateLines(input.dueAt);

  const { doc, finish } = createThaiPdf({
    margin: MARGIN,
    info: {
      Title: `ใบแจ้งการชำระเงิน / Pay-in slip ${input.reference}`,
      Author: `${input.agencyName.th} / ${input.agencyName.en}`,
      Subject: `${input.serviceTitle.th} / ${input.serviceTitle.en}`,
      Creator: "Borikan",
      CreationDate: input.requestedAt,
      ModDate: input.requestedAt,
    },
  });

  // --- Part 1: for the payer ---------------------------------------------------------------------------
  let y = MARGIN;
  y = write(doc, input.agencyName.th, MARGIN, y, CONTENT_WIDTH, { bold: true, size: 15, color: COLOR.accent });
  y = write(doc, input.agencyName.en, MARGIN, y, CONTENT_WIDTH, { size: 10, color: COLOR.muted });
  y += 4;
  rule(doc, MARGIN, PAGE.width - MARGIN, y, { color: COLOR.accent, width: 0.9 });
  y += 8;
  y = write(doc, "ใบแจ้งการชำระเงินค่าธรรมเนียม (Bill Payment)", MARGIN, y, CONTENT_WIDTH, { bold: true, size: 17 });
  y = write(doc, "Fee pay-in slip — part 1: for the payer (ส่วนที่ 1 สำหรับผู้ชำระเงิน)", MARGIN, y, CONTENT_WIDTH, { size: 10, color: COLOR.muted });
  y += 8;

  const cols = columns(MARGIN, CONTENT_WIDTH);
  y = fieldAt(doc, y, cols, ["บริการ", "Service"], [
    { text: input.serviceTitle.th, style: { ...VALUE, bold: true } },
    { text: input.serviceTitle.en, style: VALUE_EN },
  ]);
  y = fieldAt(doc, y, cols, ["เลขที่คำขอ", "Tracking number"], [{ text: input.trackingNumber, style: VALUE }]);
  y = fieldAt(doc, y, cols, ["ผู้ยื่นคำขอ", "Applicant"], [{ text: input.applicantName, style: VALUE }]);
  y = fieldAt(doc, y, cols, ["ชำระภายใน", "Pay by"], [
    { text: `${dueTh} (ภายในเวลา 23:59 น.)`, style: { ...VALUE, bold: true } },
    { text: `${dueEn}, by 23:59 Bangkok time`, style: VALUE_EN },
  ]);

  // Fee lines
  y += 4;
  const AMOUNT_WIDTH = 150;
  const amountX = PAGE.width - MARGIN - AMOUNT_WIDTH;
  write(doc, "รายการ / Item", MARGIN, y, amountX - MARGIN, { bold: true, size: 10.5 });
  y = write(doc, "จำนวนเงิน (บาท) / THB", amountX, y, AMOUNT_WIDTH, { bold: true, size: 10.5 }, { align: "right" });
  rule(doc, MARGIN, PAGE.width - MARGIN, y + 1);
  y += 4;
  for (const line of input.lines) {
    const top = y;
    y = write(doc, line.label.th, MARGIN, y, amountX - MARGIN - 8, VALUE, { frame: FRAME });
    y = write(doc, line.label.en, MARGIN, y, amountX - MARGIN - 8, VALUE_EN, { frame: FRAME });
    write(doc, formatBaht(line.amountSatang), amountX, top, AMOUNT_WIDTH, VALUE, { align: "right" });
    y += 2;
  }
  rule(doc, MARGIN, PAGE.width - MARGIN, y);
  y += 4;
  write(doc, "รวมทั้งสิ้น / Total", MARGIN, y, amountX - MARGIN, BIG);
  y = write(doc, formatBaht(input.amountSatang), amountX, y, AMOUNT_WIDTH, BIG, { align: "right" });
  y = write(doc, `(${words})`, MARGIN, y, CONTENT_WIDTH, { size: 11 }, { align: "right" });
  y += 8;
  y = write(
    doc,
    "ชำระได้ 2 ทาง: สแกนคิวอาร์โค้ดด้านล่างด้วยแอปธนาคารใดก็ได้ (พร้อมเพย์ ชำระบิล) หรือนำใบนี้ไปชำระที่เคาน์เตอร์ธนาคาร " +
      "โปรดชำระเต็มจำนวนภายในวันที่กำหนด เลขอ้างอิงนี้ใช้ไม่ได้หลังพ้นกำหนด หน่วยงานจะออกใบเสร็จรับเงินอิเล็กทรอนิกส์ให้ทางหน้าคำขอเมื่อได้รับเงิน",
    MARGIN,
    y,
    CONTENT_WIDTH,
    { size: 10 },
  );
  y = write(
    doc,
    "Two ways to pay: scan the QR code below with any Thai bank app (PromptPay bill payment), or take this slip to a bank counter. " +
      "Pay the full amount by the date above: the reference is refused after it. The agency issues an electronic receipt on the case page once the money arrives.",
    MARGIN,
    y,
    CONTENT_WIDTH,
    { size: 9, color: COLOR.muted },
  );

  // --- Cut line ----------------------------------------------------------------------------------------
  // Part 2 is about 270 points high: it sits at the foot of the page, or on a page of its own after many fee lines.
  const partTwoHeight = 272;
  let cut = Math.max(y + 16, PAGE.height - MARGIN - partTwoHeight - 14);
  if (cut + 14 + partTwoHeight > PAGE.height - MARGIN + 1) {
    doc.addPage();
    cut = MARGIN;
  }
  doc.save().moveTo(MARGIN, cut).lineTo(PAGE.width - MARGIN, cut).lineWidth(0.8).dash(4, { space: 3 }).strokeColor(COLOR.muted).stroke().restore();
  write(doc, "ตัดตามรอยประ / cut here", MARGIN, cut + 2, CONTENT_WIDTH, { size: 8, color: COLOR.muted }, { align: "right" });

  // --- Part 2: for the bank --------------------------------------------------------------------------
  y = cut + 14;
  y = write(doc, "ส่วนที่ 2 สำหรับธนาคาร / Part 2: for the bank", MARGIN, y, CONTENT_WIDTH, { bold: true, size: 12 });
  y = write(doc, `ชื่อบัญชี / Account: ${input.agencyName.th} (Bill Payment)`, MARGIN, y, CONTENT_WIDTH, { size: 10 });
  y += 4;
  const qrSize = 118;
  const left = columns(MARGIN, CONTENT_WIDTH - qrSize - 16, 120);
  const qrTop = y;
  y = fieldAt(doc, y, left, ["รหัสผู้รับชำระ", "Biller ID"], [{ text: input.billerId, style: BIG }]);
  y = fieldAt(doc, y, left, ["เลขอ้างอิง 1", "Reference 1 (Ref1)"], [{ text: input.reference, style: BIG }]);
  y = fieldAt(doc, y, left, ["เลขอ้างอิง 2", "Reference 2 (Ref2)"], [{ text: input.ref2, style: BIG }]);
  y = fieldAt(doc, y, left, ["จำนวนเงิน", "Amount"], [
    { text: amount, style: BIG },
    { text: words, style: { size: 11 } },
  ]);
  y = fieldAt(doc, y, left, ["ชำระภายใน", "Pay by"], [{ text: dueTh, style: VALUE }]);

  // The QR beside the fields, with the Thai QR Payment wording and the amount under it.
  const qrX = PAGE.width - MARGIN - qrSize;
  drawQr(doc, qr, qrX, qrTop, qrSize);
  let qy = write(doc, "Thai QR Payment", qrX, qrTop + qrSize + 2, qrSize, { bold: true, size: 10, color: COLOR.accent }, { align: "center" });
  qy = write(doc, `${formatBaht(input.amountSatang)} THB`, qrX, qy, qrSize, { bold: true, size: 10 }, { align: "center" });
  write(doc, "สแกนด้วยแอปธนาคารใดก็ได้", qrX, qy, qrSize, { size: 8, color: COLOR.muted }, { align: "center" });

  // The counter barcode across the page, its content in readable form under it.
  y = Math.max(y, qy + 14) + 6;
  const barcodeHeight = 13 * MM;
  doc.image(barcode, MARGIN, y, { width: CONTENT_WIDTH * 0.78, height: barcodeHeight });
  y += barcodeHeight + 3;
  const readable = `|${input.billerId} ${input.reference} ${input.ref2} ${input.amountSatang}`;
  write(doc, readable, MARGIN, y, Math.max(CONTENT_WIDTH * 0.78, widthOf(doc, readable, { size: 9 })), { size: 9 });

  return finish();
}
