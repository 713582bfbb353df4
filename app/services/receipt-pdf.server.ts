/**
 * The electronic receipt (ใบรับคำขออิเล็กทรอนิกส์) given to an applicant when a request enters the
 * system — s.10 of the Electronic Government Administration Act B.E. 2565.
 *
 * pdfkit + Sarabun: pdfkit shapes Thai with the font's mark positioning, so tone marks and vowels
 * sit where they should (pdf-lib does not — see STACK.md). pdfkit's line breaker cannot find
 * word boundaries in Thai (no spaces between words), so text is wrapped here with Intl.Segmenter.
 */
import { createRequire } from "node:module";

import PDFDocument from "pdfkit";
import QRCode from "qrcode";

export type ReceiptPdfInput = {
  trackingNumber: string;
  trackingUrl: string;
  agencyName: { th: string; en: string };
  serviceTitle: { th: string; en: string };
  applicantName: string;
  receivedAt: Date;
  countedFrom: Date;
  dueAt?: Date | null;
  statutoryDays?: number;
  documents: { name: string }[];
};

const require = createRequire(import.meta.url);
const FONT = {
  regular: require.resolve("@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf"),
};

const TIME_ZONE = "Asia/Bangkok";
const thaiDateTime = new Intl.DateTimeFormat("th-TH-u-ca-buddhist", {
  timeZone: TIME_ZONE,
  dateStyle: "full",
  timeStyle: "short",
});
const thaiDateTimeSeconds = new Intl.DateTimeFormat("th-TH-u-ca-buddhist", {
  timeZone: TIME_ZONE,
  dateStyle: "full",
  timeStyle: "medium",
});
const englishDateTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  dateStyle: "full",
  timeStyle: "short",
});
const englishDateTimeSeconds = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  dateStyle: "full",
  timeStyle: "medium",
});

/** "วันศุกร์ที่ 29 พฤษภาคม พ.ศ. 2569 เวลา 17:00 น." and "Friday, 29 May 2026 at 17:00 (UTC+7)". */
function dateTimeLines(date: Date, withSeconds = false): [string, string] {
  const th = (withSeconds ? thaiDateTimeSeconds : thaiDateTime).format(date);
  const en = (withSeconds ? englishDateTimeSeconds : englishDateTime).format(date);
  return [`${th} น.`, `${en} (UTC+7)`];
}

// --- layout --------------------------------------------------------------------------------

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = 40;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const FOOTER_Y = PAGE.height - 28;
const BOTTOM = FOOTER_Y - 8;
const COLOR = { text: "#1a1a1a", muted: "#5b6470", rule: "#c8ced6", accent: "#0b4f8a", box: "#f2f6fa" };

type Doc = InstanceType<typeof PDFDocument>;
type Style = { bold?: boolean; size: number; color?: string };

function setStyle(doc: Doc, style: Style): void {
  doc.font(style.bold ? "Sarabun-Bold" : "Sarabun").fontSize(style.size).fillColor(style.color ?? COLOR.text);
}

const words = new Intl.Segmenter("th", { granularity: "word" });
const graphemes = new Intl.Segmenter("th", { granularity: "grapheme" });

/**
 * Greedy line wrap at Thai/English word boundaries, measured in the current font. A word wider
 * than the line (a long URL) is broken between grapheme clusters, so a mark never leaves its base.
 */
function wrap(doc: Doc, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    const pushPiece = (piece: string) => {
      const candidate = line + piece;
      if (line === "" || doc.widthOfString(candidate) <= width) {
        line = line === "" ? piece.trimStart() : candidate;
        return;
      }
      lines.push(line.trimEnd());
      line = piece.trimStart();
    };
    for (const { segment } of words.segment(paragraph)) {
      if (doc.widthOfString(segment) <= width) {
        pushPiece(segment);
        continue;
      }
      for (const { segment: g } of graphemes.segment(segment)) pushPiece(g);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

function lineHeight(doc: Doc): number {
  return doc.currentLineHeight(true) + 1;
}

/**
 * Draws text inside a marked-content span whose /ActualText is the original string. The font's
 * glyph-to-Unicode map cannot say that one sara-aa glyph is "า" on its own but part of "ำ"
 * elsewhere (fontkit gives it no code point at all), so without this, copying or searching the
 * PDF loses every "า". Text extractors (poppler, Acrobat) read ActualText instead.
 */
function spoken(doc: Doc, text: string, draw: () => void): void {
  doc.markContent("Span", { actual: text });
  draw();
  doc.endMarkedContent();
}

type PdfkitEmbeddedFont = {
  unicode?: number[][];
  subset?: { glyphs: number[] };
  font?: {
    characterSet: number[];
    glyphForCodePoint(codePoint: number): { id: number };
    getGlyph(id: number): { name?: string };
  };
};

/**
 * Second line of defence for viewers that ignore ActualText (browser viewers): fill in the
 * glyph-to-Unicode map pdfkit writes as /ToUnicode. pdfkit records the code points fontkit gave a
 * glyph the first time it was drawn; fontkit gives sara aa none and gives the nikhahit split from
 * "ำ" the code point of "ำ". Prefer each glyph's own character from the font's cmap, then the one
 * spelled by a "uniXXXX[YYYY].suffix" glyph name, so "ำ" reads as "ํา" (its compatibility form).
 * Reaches into pdfkit internals (pdfkit 0.20.2); it does nothing if they are not there.
 */
function repairToUnicode(doc: Doc): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, PdfkitEmbeddedFont> })._fontFamilies ?? {};
  for (const pdfFont of new Set(Object.values(families))) {
    const { unicode, subset, font } = pdfFont;
    if (!unicode || !subset || !font) continue;
    const nominal = new Map<number, number[]>();
    for (const codePoint of font.characterSet) {
      const id = font.glyphForCodePoint(codePoint).id;
      nominal.set(id, [...(nominal.get(id) ?? []), codePoint]);
    }
    unicode.forEach((current, gid) => {
      const glyphId = subset.glyphs[gid];
      if (glyphId === undefined || glyphId === 0) return;
      const own = nominal.get(glyphId);
      if (own) {
        if (!(current?.length === 1 && own.includes(current[0]!))) unicode[gid] = [own[0]!];
        return;
      }
      const named = /^uni((?:[0-9A-F]{4})+)(?:\.|$)/.exec(font.getGlyph(glyphId).name ?? "");
      if (named) unicode[gid] = named[1]!.match(/.{4}/g)!.map((hex) => parseInt(hex, 16));
    });
  }
}

/** Writes wrapped text at (x, y) and returns the y below it. Starts a new page when needed. */
function write(doc: Doc, text: string, x: number, y: number, width: number, style: Style): number {
  setStyle(doc, style);
  const step = lineHeight(doc);
  for (const line of wrap(doc, text, width)) {
    if (y + step > BOTTOM) {
      doc.addPage();
      y = MARGIN;
      setStyle(doc, style);
    }
    spoken(doc, line, () => doc.text(line, x, y, { lineBreak: false }));
    y += step;
  }
  return y;
}

function heightOf(doc: Doc, text: string, width: number, style: Style): number {
  setStyle(doc, style);
  return wrap(doc, text, width).length * lineHeight(doc);
}

function rule(doc: Doc, y: number): void {
  doc.moveTo(MARGIN, y).lineTo(PAGE.width - MARGIN, y).lineWidth(0.75).strokeColor(COLOR.rule).stroke();
}

function ensureRoom(doc: Doc, y: number, needed: number): number {
  if (y + needed <= BOTTOM) return y;
  doc.addPage();
  return MARGIN;
}

const LABEL_WIDTH = 150;
const VALUE_X = MARGIN + LABEL_WIDTH + 10;
const VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH - 10;

/** One labelled row: Thai label over English label on the left, value lines on the right. */
function field(doc: Doc, y: number, label: [string, string], values: { text: string; style: Style }[]): number {
  const labelHeight =
    heightOf(doc, label[0], LABEL_WIDTH, { bold: true, size: 11 }) + heightOf(doc, label[1], LABEL_WIDTH, { size: 9 });
  const valueHeight = values.reduce((sum, v) => sum + heightOf(doc, v.text, VALUE_WIDTH, v.style), 0);
  y = ensureRoom(doc, y, Math.max(labelHeight, valueHeight));
  let ly = write(doc, label[0], MARGIN, y, LABEL_WIDTH, { bold: true, size: 11 });
  ly = write(doc, label[1], MARGIN, ly, LABEL_WIDTH, { size: 9, color: COLOR.muted });
  let vy = y;
  for (const v of values) vy = write(doc, v.text, VALUE_X, vy, VALUE_WIDTH, v.style);
  return Math.max(ly, vy) + 5;
}

const VALUE: Style = { size: 12 };
const VALUE_EN: Style = { size: 10, color: COLOR.muted };

function dateValues(date: Date, withSeconds = false): { text: string; style: Style }[] {
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
  const qrPng = await QRCode.toBuffer(input.trackingUrl, {
    type: "png",
    errorCorrectionLevel: "M",
    margin: 1,
    width: 360,
  });

  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    font: FONT.regular, // never load the built-in Helvetica: it has no Thai
    lang: "th-TH",
    displayTitle: true,
    bufferPages: true, // the footer needs the page count
    info: {
      Title: `ใบรับคำขออิเล็กทรอนิกส์ / Electronic receipt ${input.trackingNumber}`,
      Author: `${input.agencyName.th} / ${input.agencyName.en}`,
      Subject: `${input.serviceTitle.th} / ${input.serviceTitle.en}`,
      Creator: "Borikan",
      CreationDate: input.receivedAt,
      ModDate: input.receivedAt,
    },
  });
  doc.registerFont("Sarabun", FONT.regular);
  doc.registerFont("Sarabun-Bold", FONT.bold);

  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
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
  doc.image(qrPng, PAGE.width - MARGIN - boxPadding - qrSize, y + (boxHeight - qrSize) / 2, {
    width: qrSize,
    height: qrSize,
  });
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
    spoken(doc, `${i + 1}.`, () => doc.text(`${i + 1}.`, MARGIN + 10, y, { lineBreak: false }));
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
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const page = i - range.start + 1;
    setStyle(doc, { size: 8, color: COLOR.muted });
    const footer = `${input.trackingNumber}  ·  หน้า ${page}/${range.count}  ·  Page ${page} of ${range.count}`;
    // The footer sits in the bottom margin; pdfkit would otherwise start a new page for it.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    spoken(doc, footer, () =>
      doc.text(footer, MARGIN, FOOTER_Y, { lineBreak: false, width: CONTENT_WIDTH, align: "right" }),
    );
    doc.page.margins.bottom = bottomMargin;
  }

  repairToUnicode(doc);
  doc.end();
  return done;
}
