/**
 * The permit itself (ใบอนุญาต) as an A4 PDF: what the holder prints or shows on a phone at the
 * premises, with a QR code carrying the signed permit for offline verification. Always one page:
 * text is set smaller when the data is long (see renderOnOnePage).
 */
import { formatJuristicId } from "~/core/thai/juristic-id";
import type { PublicPermit } from "~/core/permits/types";

import {
  agencyHeader,
  calendarDayLines,
  COLOR,
  drawLine,
  drawPageFooters,
  drawQr,
  ensureRoom,
  field,
  heightOf,
  MM,
  PAGE,
  qrModules,
  renderOnOnePage,
  rule,
  scaleStyles,
  setStyle,
  stackHeight,
  write,
  writeStack,
  type Columns,
  type Doc,
  type FieldValue,
  type Fit,
  type Frame,
  type QrModules,
} from "./pdf/thai-pdf.server";

export type PermitPdfInput = { permit: PublicPermit; verifyUrl: string; keyId: string };

/**
 * Printed width of the QR code. A signed permit makes a ~1.5 KB URL (version 30+ symbol, ~150
 * modules); at 58 mm a module is about 0.38 mm, which a phone camera still resolves.
 */
export const PERMIT_QR_SIZE = 58 * MM;

const BORDER = 20; // outer edge of the double frame round the page
const MARGIN_X = 48;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN_X;
const TOP = 38;
const FRAME: Frame = { top: TOP, bottom: PAGE.height - BORDER - 20 };
/** Page numbers only if the text overflowed even at the smallest size; a permit has one page. */
const FOOTER_Y = FRAME.bottom + 4;

const LABEL_WIDTH = 138;
const COLUMNS: Columns = {
  labelX: MARGIN_X,
  labelWidth: LABEL_WIDTH,
  valueX: MARGIN_X + LABEL_WIDTH + 12,
  valueWidth: CONTENT_WIDTH - LABEL_WIDTH - 12,
};
const QR_GAP = 18;
const LEFT_WIDTH = CONTENT_WIDTH - PERMIT_QR_SIZE - QR_GAP;

const STYLES = {
  agency: { bold: true, size: 15, color: COLOR.accent },
  agencyEn: { size: 9.5, color: COLOR.muted },
  title: { bold: true, size: 20 },
  titleEn: { size: 11, color: COLOR.muted },
  number: { bold: true, size: 14, color: COLOR.accent },
  label: { bold: true, size: 10.5 },
  labelEn: { size: 7.5, color: COLOR.muted },
  value: { size: 12 },
  valueStrong: { bold: true, size: 12.5 },
  valueEn: { size: 9, color: COLOR.muted },
  heading: { bold: true, size: 12 },
  headingEn: { size: 8.5, color: COLOR.muted },
  item: { size: 11 },
  itemEn: { size: 8.5, color: COLOR.muted },
  date: { bold: true, size: 12 },
  dateEn: { size: 8.5, color: COLOR.muted },
  note: { size: 9.5 },
  noteEn: { size: 8, color: COLOR.muted },
  caption: { bold: true, size: 9 },
  captionKey: { size: 8, color: COLOR.muted },
};

const DISPLAY_NOTE_TH =
  "ใบอนุญาตนี้ต้องแสดงไว้ในที่เปิดเผย ณ สถานประกอบกิจการ " +
  "(แสดงทางอิเล็กทรอนิกส์ได้ตามมาตรา 13 แห่งพระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565)";
const DISPLAY_NOTE_EN =
  "This permit must be displayed openly at the premises; section 13 of the Electronic Government " +
  "Administration Act B.E. 2565 (2022) allows it to be displayed electronically.";

/** Renders the permit as a one-page A4 PDF. Same input → same bytes (dated by issuedOn). */
export async function renderPermitPdf(input: PermitPdfInput): Promise<Buffer> {
  const { permit } = input;
  for (const day of [permit.issuedOn, permit.validFrom, permit.validUntil]) calendarDayLines(day); // throws if malformed
  const issued = new Date(`${permit.issuedOn}T00:00:00+07:00`);
  const qr = qrModules(input.verifyUrl);
  return renderOnOnePage(
    {
      margin: TOP,
      info: {
        Title: `${permit.number} ${permit.typeName.th} / ${permit.typeName.en}`,
        Author: `${permit.agencyName.th} / ${permit.agencyName.en}`,
        Subject: `${permit.businessName} — ${permit.holderName}`,
        Keywords: `ใบอนุญาต, permit, ${permit.number}`,
        Creator: "Borikan",
        CreationDate: issued,
        ModDate: issued,
      },
    },
    (doc, fit) => drawPermit(doc, input, qr, fit),
    { stretches: true },
  );
}

/** Draws the permit; returns the free space left above the validity and QR block. */
function drawPermit(doc: Doc, { permit, verifyUrl, keyId }: PermitPdfInput, qr: QrModules, { scale, stretch }: Fit): number {
  const S = scaleStyles(STYLES, scale);
  const gap = (points: number) => points * scale;
  // Free space is shared between the rows (up to 10 pt each); the rest stays above the QR block
  const rows = 4 + permit.details.length + (permit.renews ? 1 : 0) + permit.conditions.length + 2;
  const extra = Math.min(stretch / rows, 10);
  const centred = { align: "center" as const, frame: FRAME };

  // A double frame: the look of a printed certificate
  doc.rect(BORDER, BORDER, PAGE.width - 2 * BORDER, PAGE.height - 2 * BORDER).lineWidth(1.6).strokeColor(COLOR.accent).stroke();
  doc
    .rect(BORDER + 4, BORDER + 4, PAGE.width - 2 * BORDER - 8, PAGE.height - 2 * BORDER - 8)
    .lineWidth(0.5)
    .strokeColor(COLOR.accent)
    .stroke();

  let y = agencyHeader(doc, permit.agencyName, TOP, {
    x: MARGIN_X,
    width: CONTENT_WIDTH,
    th: S.agency,
    en: S.agencyEn,
    gap: gap(6),
  });

  y = write(doc, permit.typeName.th, MARGIN_X, y, CONTENT_WIDTH, S.title, centred);
  y = write(doc, permit.typeName.en, MARGIN_X, y, CONTENT_WIDTH, S.titleEn, centred);
  y = write(doc, `เลขที่ / No.  ${permit.number}`, MARGIN_X, y + gap(4), CONTENT_WIDTH, S.number, centred);
  y += gap(8);
  rule(doc, MARGIN_X, MARGIN_X + CONTENT_WIDTH, y);
  y += gap(10) + extra;

  // The permitted business
  const row = { columns: COLUMNS, label: S.label, labelEn: S.labelEn, frame: FRAME, gap: gap(3) + extra, alignBaselines: true };
  const plain = (text: string): FieldValue[] => [{ text, style: S.value }];
  y = field(doc, y, row, ["ผู้รับใบอนุญาต", "Permit holder"], [{ text: permit.holderName, style: S.valueStrong }]);
  if (permit.holderEntity) {
    const declared = `${formatJuristicId(permit.holderEntity.juristicId)} — นิติบุคคล (แจ้งเอง) / company (declared)`;
    y = field(doc, y, row, ["เลขทะเบียนนิติบุคคล", "Juristic person No."], plain(declared));
  }
  y = field(doc, y, row, ["ชื่อสถานประกอบการ", "Business name"], [{ text: permit.businessName, style: S.valueStrong }]);
  y = field(doc, y, row, ["ประเภทกิจการ", "Activity"], plain(permit.activity));
  y = field(doc, y, row, ["สถานที่ตั้ง", "Premises"], plain(permit.address.text));
  for (const detail of permit.details) y = field(doc, y, row, [detail.label.th, detail.label.en], plain(detail.value));
  if (permit.renews) y = field(doc, y, row, ["ต่ออายุจากใบอนุญาตเลขที่", "Renews permit No."], plain(permit.renews));

  // Conditions, numbered
  if (permit.conditions.length > 0) {
    y = ensureRoom(doc, y + gap(2) + extra, 60 * scale, FRAME);
    rule(doc, MARGIN_X, MARGIN_X + CONTENT_WIDTH, y);
    y = write(doc, "เงื่อนไขการอนุญาต", MARGIN_X, y + gap(8), CONTENT_WIDTH, S.heading, { frame: FRAME });
    y = write(doc, "Conditions of this permit", MARGIN_X, y, CONTENT_WIDTH, S.headingEn, { frame: FRAME }) + gap(3);
    const indent = gap(20);
    permit.conditions.forEach((condition, i) => {
      const height =
        heightOf(doc, condition.th, CONTENT_WIDTH - indent, S.item) + heightOf(doc, condition.en, CONTENT_WIDTH - indent, S.itemEn);
      y = ensureRoom(doc, y, height, FRAME);
      setStyle(doc, S.item);
      drawLine(doc, `${i + 1}.`, MARGIN_X + gap(4), y);
      y = write(doc, condition.th, MARGIN_X + indent, y, CONTENT_WIDTH - indent, S.item, { frame: FRAME });
      y = write(doc, condition.en, MARGIN_X + indent, y, CONTENT_WIDTH - indent, S.itemEn, { frame: FRAME }) + gap(3) + extra;
    });
  }

  // Validity, display notice and the QR code, anchored to the bottom of the page
  const [issuedTh, issuedEn] = calendarDayLines(permit.issuedOn);
  const [fromTh, fromEn] = calendarDayLines(permit.validFrom);
  const [untilTh, untilEn] = calendarDayLines(permit.validUntil);
  const dates: FieldValue[] = [
    { text: `ออกให้ ณ วันที่ ${issuedTh}`, style: S.date },
    { text: `Issued on ${issuedEn}`, style: S.dateEn },
    ...(permit.validFrom === permit.issuedOn
      ? []
      : [
          { text: `มีผลตั้งแต่วันที่ ${fromTh}`, style: S.date },
          { text: `Valid from ${fromEn}`, style: S.dateEn },
        ]),
    { text: `ใช้ได้ถึงวันที่ ${untilTh}`, style: S.date },
    { text: `Valid until ${untilEn}`, style: S.dateEn },
  ];
  const notes: FieldValue[] = permit.displayRequired
    ? [
        { text: DISPLAY_NOTE_TH, style: S.note },
        { text: DISPLAY_NOTE_EN, style: S.noteEn },
      ]
    : [];
  const captions: FieldValue[] = [
    { text: "สแกนเพื่อตรวจสอบความถูกต้อง / Scan to verify", style: S.caption },
    { text: `ลงนามอิเล็กทรอนิกส์ (Ed25519) รหัสกุญแจ ${keyId}`, style: S.captionKey },
  ];
  const pad = gap(10);
  const datesHeight = stackHeight(doc, dates, LEFT_WIDTH - 2 * pad) + 2 * pad;
  const notesHeight = notes.length ? gap(10) + stackHeight(doc, notes, LEFT_WIDTH - gap(10)) : 0;
  const captionWidth = PERMIT_QR_SIZE + 2 * QR_GAP; // centred under the QR, reaching into the gap and the margin
  const qrBlockHeight = PERMIT_QR_SIZE + gap(4) + stackHeight(doc, captions, captionWidth);
  const blockHeight = Math.max(datesHeight + notesHeight, qrBlockHeight);
  y = ensureRoom(doc, y + gap(10), blockHeight, FRAME);
  const top = Math.max(y, FRAME.bottom - blockHeight);
  const slack = top - y;

  const qrX = MARGIN_X + CONTENT_WIDTH - PERMIT_QR_SIZE;
  drawQr(doc, qr, qrX, top, PERMIT_QR_SIZE, verifyUrl);
  // No frame from here: the block was placed to fit, and a rounding error must not start a page
  writeStack(doc, captions, qrX - QR_GAP, top + PERMIT_QR_SIZE + gap(4), captionWidth, { align: "center" });

  doc.roundedRect(MARGIN_X, top, LEFT_WIDTH, datesHeight, 6).fillAndStroke(COLOR.box, COLOR.rule);
  writeStack(doc, dates, MARGIN_X + pad, top + pad, LEFT_WIDTH - 2 * pad);
  if (notes.length) {
    const noteTop = top + datesHeight + gap(10);
    const ny = writeStack(doc, notes, MARGIN_X + gap(10), noteTop, LEFT_WIDTH - gap(10));
    // A bar down the left edge marks the statutory notice
    doc.rect(MARGIN_X, noteTop, 2.5, ny - noteTop).fill(COLOR.accent);
  }

  if (doc.bufferedPageRange().count > 1) {
    drawPageFooters(doc, permit.number, { x: MARGIN_X, y: FOOTER_Y, width: CONTENT_WIDTH, size: 7.5 });
  }
  return slack;
}
