/**
 * The electronic receipt of a fee (ใบเสร็จรับเงินอิเล็กทรอนิกส์) — not the filing receipt of
 * receipt-pdf.server.ts. One A4 page: agency, number and date (Buddhist era), payer, tracking number, each fee
 * line, the total in figures and in Thai words, how it was paid, the payment reference, and a QR carrying the
 * signed receipt for the verification page.
 */
import { bahtText } from "~/core/payments/baht-text";
import { formatBaht } from "~/core/payments/fees";
import { PAYMENT_SOURCE_LABELS } from "~/core/payments/payment-source";
import type { PaymentReceipt } from "~/core/payments/receipt";
import {
  agencyHeader,
  COLOR,
  dateLines,
  dateTimeLines,
  drawPageFooters,
  drawQr,
  field,
  heightOf,
  MM,
  PAGE,
  qrModuleCount,
  qrModules,
  renderOnOnePage,
  rule,
  scaleStyles,
  write,
  writeStack,
  type Columns,
  type Doc,
  type FieldValue,
  type Frame,
  type QrModules,
} from "./pdf/thai-pdf.server";

export type PaymentReceiptPdfInput = {
  receipt: Omit<PaymentReceipt, "signature">;
  verifyUrl: string;
  keyId: string;
};

const MARGIN_X = 56;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN_X;
const TOP = 36;
const FOOTER_Y = PAGE.height - 30;
const FRAME: Frame = { top: TOP, bottom: FOOTER_Y - 8 };
const LABEL_WIDTH = 120;
const COLUMNS: Columns = { labelX: MARGIN_X, labelWidth: LABEL_WIDTH, valueX: MARGIN_X + LABEL_WIDTH + 10, valueWidth: CONTENT_WIDTH - LABEL_WIDTH - 10 };
const AMOUNT_WIDTH = 150;

const STYLES = {
  agency: { bold: true, size: 15, color: COLOR.accent },
  agencyEn: { size: 9.5, color: COLOR.muted },
  title: { bold: true, size: 19 },
  titleEn: { size: 11, color: COLOR.muted },
  label: { bold: true, size: 11 },
  labelEn: { size: 8.5, color: COLOR.muted },
  value: { size: 12 },
  valueStrong: { bold: true, size: 12 },
  valueEn: { size: 9, color: COLOR.muted },
  head: { bold: true, size: 11 },
  cell: { size: 12 },
  total: { bold: true, size: 14 },
  words: { bold: true, size: 12, color: COLOR.accent },
  caption: { bold: true, size: 9 },
  captionEn: { size: 8, color: COLOR.muted },
};

export function paymentReceiptQrSize(verifyUrl: string): number {
  return Math.min(48 * MM, Math.max(30 * MM, qrModuleCount(verifyUrl) * 0.32 * MM));
}

/** Renders the receipt as a one-page A4 PDF. Same input → same bytes (dated by issuedAt). */
export async function renderPaymentReceiptPdf(input: PaymentReceiptPdfInput): Promise<Buffer> {
  const { receipt } = input;
  const qrSize = paymentReceiptQrSize(input.verifyUrl);
  const qr = qrModules(input.verifyUrl);
  const issuedAt = new Date(receipt.issuedAt);
  return renderOnOnePage(
    {
      margin: TOP,
      info: {
        Title: `ใบเสร็จรับเงินอิเล็กทรอนิกส์ ${receipt.number} / Electronic receipt`,
        Author: `${receipt.agencyName.th} / ${receipt.agencyName.en}`,
        Subject: `${receipt.trackingNumber} ${receipt.serviceTitle.th}`,
        Creator: "Borikan",
        CreationDate: issuedAt,
        ModDate: issuedAt,
      },
    },
    (doc, { scale }) => drawReceipt(doc, input, { modules: qr, size: qrSize }, scale),
  );
}

function drawReceipt(doc: Doc, { receipt, verifyUrl, keyId }: PaymentReceiptPdfInput, qr: { modules: QrModules; size: number }, scale: number): void {
  const S = scaleStyles(STYLES, scale);
  const gap = (points: number) => points * scale;
  const flow = { frame: FRAME };

  let y = agencyHeader(doc, receipt.agencyName, TOP, { x: MARGIN_X, width: CONTENT_WIDTH, th: S.agency, en: S.agencyEn, gap: gap(6) });
  y = write(doc, "ใบเสร็จรับเงินอิเล็กทรอนิกส์", MARGIN_X, y, CONTENT_WIDTH, S.title, { ...flow, align: "center" });
  y = write(doc, "Electronic receipt", MARGIN_X, y, CONTENT_WIDTH, S.titleEn, { ...flow, align: "center" }) + gap(8);

  const row = { columns: COLUMNS, label: S.label, labelEn: S.labelEn, frame: FRAME, gap: gap(4) };
  const [issuedTh, issuedEn] = dateLines(new Date(receipt.issuedAt));
  const [paidTh, paidEn] = dateTimeLines(new Date(receipt.paidAt));
  y = field(doc, y, row, ["เลขที่", "Receipt no."], [{ text: receipt.number, style: S.valueStrong }]);
  y = field(doc, y, row, ["วันที่", "Date"], [
    { text: issuedTh, style: S.value },
    { text: issuedEn, style: S.valueEn },
  ]);
  y = field(doc, y, row, ["ได้รับเงินจาก", "Received from"], [{ text: receipt.payerName, style: S.value }]);
  y = field(doc, y, row, ["คำขอเลขที่", "Request"], [
    { text: `${receipt.trackingNumber} ${receipt.serviceTitle.th}`, style: S.value },
    { text: receipt.serviceTitle.en, style: S.valueEn },
  ]);
  y += gap(4);

  // The fee lines: item, amount (baht) right-aligned, then the total
  const amountX = MARGIN_X + CONTENT_WIDTH - AMOUNT_WIDTH;
  const itemWidth = CONTENT_WIDTH - AMOUNT_WIDTH - 30;
  rule(doc, MARGIN_X, MARGIN_X + CONTENT_WIDTH, y);
  y += gap(4);
  write(doc, "ลำดับ", MARGIN_X, y, 28, S.head);
  write(doc, "รายการ / Item", MARGIN_X + 30, y, itemWidth, S.head);
  y = write(doc, "จำนวนเงิน (บาท) / Baht", amountX, y, AMOUNT_WIDTH, S.head, { align: "right" }) + gap(2);
  rule(doc, MARGIN_X, MARGIN_X + CONTENT_WIDTH, y);
  y += gap(4);
  receipt.lines.forEach((line, i) => {
    write(doc, `${i + 1}.`, MARGIN_X, y, 28, S.cell);
    write(doc, formatBaht(line.amountSatang), amountX, y, AMOUNT_WIDTH, S.cell, { align: "right" });
    y = writeStack(doc, [
      { text: line.label.th, style: S.cell },
      { text: line.label.en, style: S.valueEn },
    ], MARGIN_X + 30, y, itemWidth, flow) + gap(3);
  });
  rule(doc, MARGIN_X, MARGIN_X + CONTENT_WIDTH, y);
  y += gap(4);
  write(doc, "รวมทั้งสิ้น / Total", MARGIN_X + 30, y, itemWidth, S.total);
  y = write(doc, formatBaht(receipt.amountSatang), amountX, y, AMOUNT_WIDTH, S.total, { align: "right" }) + gap(2);
  y = write(doc, `(${bahtText(receipt.amountSatang)})`, MARGIN_X + 30, y, CONTENT_WIDTH - 30, S.words, flow) + gap(2);
  rule(doc, MARGIN_X, MARGIN_X + CONTENT_WIDTH, y, { color: COLOR.accent });
  y += gap(8);

  const source = PAYMENT_SOURCE_LABELS[receipt.source];
  y = field(doc, y, row, ["ชำระโดย", "Paid by"], [
    { text: source.th, style: S.value },
    { text: source.en, style: S.valueEn },
  ]);
  y = field(doc, y, row, ["วันเวลาที่ชำระ", "Paid at"], [
    { text: paidTh, style: S.value },
    { text: paidEn, style: S.valueEn },
  ]);
  y = field(doc, y, row, ["เลขอ้างอิงการชำระ", "Payment reference"], [
    { text: `Ref1 ${receipt.paymentReference}`, style: S.value },
    ...(receipt.bankReference ? [{ text: `${receipt.bankReference}`, style: S.valueEn }] : []),
  ]);
  y += gap(8);

  // The QR with its captions on the left, the signer on the right
  const captions: FieldValue[] = [
    { text: "สแกนเพื่อตรวจสอบความถูกต้องของใบเสร็จ", style: S.caption },
    { text: "Scan to verify this receipt", style: S.captionEn },
  ];
  const signer: FieldValue[] = [
    { text: "ออกโดยระบบอิเล็กทรอนิกส์ ลงลายมือชื่ออิเล็กทรอนิกส์แทนการลงนาม", style: S.value },
    { text: "Issued electronically; signed with the agency's electronic signature.", style: S.valueEn },
    { text: receipt.agencyName.th, style: S.valueStrong },
    { text: receipt.agencyName.en, style: S.valueEn },
    { text: `ลงนามอิเล็กทรอนิกส์ (Ed25519) รหัสกุญแจ ${keyId}`, style: S.captionEn },
  ];
  const textX = MARGIN_X + qr.size + 20;
  const textWidth = CONTENT_WIDTH - qr.size - 20;
  const needed = Math.max(qr.size + gap(4) + heightOf(doc, captions[0]!.text, qr.size + 30, S.caption) * 2, 0);
  if (y + needed > FRAME.bottom) {
    doc.addPage();
    y = FRAME.top;
  }
  drawQr(doc, qr.modules, MARGIN_X, y, qr.size, verifyUrl);
  writeStack(doc, captions, MARGIN_X - 15, y + qr.size + gap(4), qr.size + 30, { align: "center" });
  writeStack(doc, signer, textX, y + gap(8), textWidth);

  drawPageFooters(doc, receipt.number, { x: MARGIN_X, y: FOOTER_Y, width: CONTENT_WIDTH, size: 7.5 });
}
