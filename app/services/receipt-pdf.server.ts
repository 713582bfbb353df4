/**
 * The electronic receipt (ใบรับคำขออิเล็กทรอนิกส์) given to an applicant when a request enters the
 * system — s.10 of the Electronic Government Administration Act B.E. 2565. Thai typesetting,
 * dates and the QR code come from ./pdf/thai-pdf.server.
 */
import {
  COLOR,
  createThaiPdf,
  dateTimeLines,
  drawLine,
  drawPageFooters,
  drawQr,
  ensureRoom as ensureRoomIn,
  field as fieldIn,
  heightOf,
  lineHeight,
  PAGE,
  qrPng,
  rule as ruleAcross,
  setStyle,
  write as writeIn,
  type Columns,
  type Doc,
  type FieldValue,
  type Frame,
  type Style,
} from "./pdf/thai-pdf.server";

export type ReceiptPdfInput = {
  trackingNumber: string;
  trackingUrl: string;
  agencyName: { th: string; en: string };
  serviceTitle: { th: string; en: string };
  applicantName: string;
  /** The company the applicant declared they file for, already described ("name (x-xxxx-xxxxx-xx-x)"). */
  onBehalfOf?: string;
  receivedAt: Date;
  countedFrom: Date;
  dueAt?: Date | null;
  statutoryDays?: number;
  documents: { name: string }[];
};

// --- layout --------------------------------------------------------------------------------

const MARGIN = 40;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const FOOTER_Y = PAGE.height - 28;
const BOTTOM = FOOTER_Y - 8;
const FRAME: Frame = { top: MARGIN, bottom: BOTTOM };

/** Writes wrapped text at (x, y) and returns the y below it. Starts a new page when needed. */
function write(doc: Doc, text: string, x: number, y: number, width: number, style: Style): number {
  return writeIn(doc, text, x, y, width, style, { frame: FRAME });
}

function rule(doc: Doc, y: number): void {
  ruleAcross(doc, MARGIN, PAGE.width - MARGIN, y);
}

function ensureRoom(doc: Doc, y: number, needed: number): number {
  return ensureRoomIn(doc, y, needed, FRAME);
}

const LABEL_WIDTH = 150;
const VALUE_X = MARGIN + LABEL_WIDTH + 10;
const VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH - 10;

const COLUMNS: Columns = { labelX: MARGIN, labelWidth: LABEL_WIDTH, valueX: VALUE_X, valueWidth: VALUE_WIDTH };

function field(doc: Doc, y: number, label: [string, string], values: FieldValue[]): number {
  return fieldIn(
    doc,
    y,
    { columns: COLUMNS, label: { bold: true, size: 11 }, labelEn: { size: 9, color: COLOR.muted }, frame: FRAME, gap: 5 },
    label,
    values,
  );
}

const VALUE: Style = { size: 12 };
const VALUE_EN: Style = { size: 10, color: COLOR.muted };

function dateValues(date: Date, withSeconds = false): FieldValue[] {
  const [th, en] = dateTimeLines(date, withSeconds);
  return [
    { text: th, style: VALUE },
    { text: en, style: VALUE_EN },
  ];
}

const NOTE_TH =
  "หมายเหตุ ตามพระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565 มาตรา 10 " +
  "คำขอนี้ถือว่าหน่วยงานได้รับแล้วเมื่อคำขอเข้าสู่ระบบ ณ วันและเวลาที่ระบุไว้ข้างต้น " +
  "กรณีที่ยื่นนอกเวลาทำการ ให้เริ่มนับระยะเวลาตั้งแต่วันทำการถัดไป " +
  "ใบรับนี้ออกโดยระบบอิเล็กทรอนิกส์";
const NOTE_EN =
  "Note: Under section 10 of the Electronic Government Administration Act B.E. 2565 (2022), " +
  "this request was received when it entered the system, at the date and time shown above; " +
  "a request filed outside office hours counts from the next working day. " +
  "This receipt was issued electronically.";

/** Renders the receipt as an A4 PDF. Same input → same bytes (dates come from the input). */
export async function renderReceiptPdf(input: ReceiptPdfInput): Promise<Buffer> {
  const qr = await qrPng(input.trackingUrl, { width: 360 });

  const { doc, finish } = createThaiPdf({
    margin: MARGIN,
    info: {
      Title: `ใบรับคำขออิเล็กทรอนิกส์ / Electronic receipt ${input.trackingNumber}`,
      Author: `${input.agencyName.th} / ${input.agencyName.en}`,
      Subject: `${input.serviceTitle.th} / ${input.serviceTitle.en}`,
      Creator: "Borikan",
      CreationDate: input.receivedAt,
      ModDate: input.receivedAt,
    },
  });

  // Header: agency
  let y = MARGIN;
  y = write(doc, input.agencyName.th, MARGIN, y, CONTENT_WIDTH, { bold: true, size: 16, color: COLOR.accent });
  y = write(doc, input.agencyName.en, MARGIN, y, CONTENT_WIDTH, { size: 11, color: COLOR.muted });
  y += 6;
  rule(doc, y);
  y += 12;

  // Title
  y = write(doc, "ใบรับคำขออิเล็กทรอนิกส์", MARGIN, y, CONTENT_WIDTH, { bold: true, size: 20 });
  y = write(doc, "Electronic receipt", MARGIN, y, CONTENT_WIDTH, { size: 13, color: COLOR.muted });
  y += 8;

  // Tracking number box with the QR code on its right
  const qrSize = 96;
  const boxPadding = 10;
  const boxTextWidth = CONTENT_WIDTH - qrSize - 3 * boxPadding;
  const trackingStyle: Style = { bold: true, size: 26, color: COLOR.accent };
  const boxTextHeight =
    heightOf(doc, "เลขที่คำขอ / Tracking number", boxTextWidth, { size: 10 }) +
    heightOf(doc, input.trackingNumber, boxTextWidth, trackingStyle) +
    heightOf(doc, "สแกนคิวอาร์โค้ดเพื่อติดตามสถานะ / Scan the QR code to track this request", boxTextWidth, { size: 9 }) +
    heightOf(doc, input.trackingUrl, boxTextWidth, { size: 9 });
  const boxHeight = Math.max(qrSize, boxTextHeight) + 2 * boxPadding;
  doc.roundedRect(MARGIN, y, CONTENT_WIDTH, boxHeight, 6).fillAndStroke(COLOR.box, COLOR.rule);
  drawQr(doc, qr, PAGE.width - MARGIN - boxPadding - qrSize, y + (boxHeight - qrSize) / 2, qrSize);
  let by = y + boxPadding;
  const bx = MARGIN + boxPadding;
  by = write(doc, "เลขที่คำขอ / Tracking number", bx, by, boxTextWidth, { size: 10, color: COLOR.muted });
  by = write(doc, input.trackingNumber, bx, by, boxTextWidth, trackingStyle);
  by = write(doc, "สแกนคิวอาร์โค้ดเพื่อติดตามสถานะ / Scan the QR code to track this request", bx, by, boxTextWidth, {
    size: 9,
    color: COLOR.muted,
  });
  write(doc, input.trackingUrl, bx, by, boxTextWidth, { size: 9, color: COLOR.accent });
  y += boxHeight + 12;

  // Details
  y = field(doc, y, ["บริการ", "Service"], [
    { text: input.serviceTitle.th, style: { ...VALUE, bold: true } },
    { text: input.serviceTitle.en, style: VALUE_EN },
  ]);
  y = field(doc, y, ["ผู้ยื่นคำขอ", "Applicant"], [{ text: input.applicantName, style: VALUE }]);
  if (input.onBehalfOf) y = field(doc, y, ["ยื่นในนาม", "Filed for"], [{ text: `${input.onBehalfOf} — นิติบุคคล (แจ้งเอง) / company (declared)`, style: VALUE }]);
  y = field(doc, y, ["วันและเวลาที่ได้รับคำขอ", "Received at"], dateValues(input.receivedAt, true));
  y = field(doc, y, ["เริ่มนับระยะเวลาตั้งแต่", "Time limit counted from"], dateValues(input.countedFrom));
  const days = input.statutoryDays;
  y = field(
    doc,
    y,
    ["ระยะเวลาตามกฎหมาย", "Statutory time limit"],
    days == null
      ? [
          { text: "ไม่ได้กำหนด", style: VALUE },
          { text: "Not stated", style: VALUE_EN },
        ]
      : [
          { text: `${days} วันทำการ`, style: VALUE },
          { text: `${days} working day${days === 1 ? "" : "s"}`, style: VALUE_EN },
        ],
  );
  if (input.dueAt) {
    y = field(doc, y, ["กำหนดแล้วเสร็จภายใน", "Due by"], dateValues(input.dueAt));
  }

  // Documents received
  y = ensureRoom(doc, y + 2, 60);
  rule(doc, y);
  y += 8;
  y = write(doc, "เอกสารที่ได้รับ", MARGIN, y, CONTENT_WIDTH, { bold: true, size: 13 });
  y = write(doc, `Documents received (${input.documents.length})`, MARGIN, y, CONTENT_WIDTH, {
    size: 10,
    color: COLOR.muted,
  });
  y += 4;
  if (input.documents.length === 0) {
    y = write(doc, "ไม่มีเอกสารแนบ / No documents attached", MARGIN + 10, y, CONTENT_WIDTH - 10, VALUE);
  }
  input.documents.forEach((document, i) => {
    setStyle(doc, VALUE);
    y = ensureRoom(doc, y, lineHeight(doc));
    drawLine(doc, `${i + 1}.`, MARGIN + 10, y);
    y = write(doc, document.name, MARGIN + 34, y, CONTENT_WIDTH - 34, VALUE);
  });
  y += 10;

  // Statutory note
  const noteWidth = CONTENT_WIDTH - 2 * boxPadding;
  const noteHeight =
    heightOf(doc, NOTE_TH, noteWidth, { size: 10 }) + heightOf(doc, NOTE_EN, noteWidth, { size: 9 }) + 4 + 2 * boxPadding;
  y = ensureRoom(doc, y, noteHeight);
  doc.roundedRect(MARGIN, y, CONTENT_WIDTH, noteHeight, 6).fillAndStroke(COLOR.box, COLOR.rule);
  const ny = write(doc, NOTE_TH, MARGIN + boxPadding, y + boxPadding, noteWidth, { size: 10 });
  write(doc, NOTE_EN, MARGIN + boxPadding, ny + 4, noteWidth, { size: 9, color: COLOR.muted });

  // Footer on every page: tracking number and page x of n
  drawPageFooters(doc, input.trackingNumber, { x: MARGIN, y: FOOTER_Y, width: CONTENT_WIDTH, size: 8 });

  return finish();
}
