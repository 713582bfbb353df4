/**
 * What every Borikan PDF shares: the Sarabun font, Thai line wrapping, Buddhist-era dates, the
 * text-extraction repair and the QR code.
 *
 * pdfkit + Sarabun: pdfkit shapes Thai with the font's mark positioning, so tone marks and vowels
 * sit where they should (pdf-lib does not — see STACK.md). pdfkit's line breaker cannot find
 * word boundaries in Thai (no spaces between words), so text is wrapped here with Intl.Segmenter
 * and every line is drawn on its own with pdfkit's wrapping switched off.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { create as openFont, type Font } from "fontkit";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";

import { parseIsoDate } from "~/core/thai/buddhist-date";
import { installFastQrMask } from "./qr-mask.server";
import { installFastQrSegments } from "./qr-segments.server";
import type { LocalizedText } from "~/core/text";

export type Doc = InstanceType<typeof PDFDocument>;
export type Style = { bold?: boolean; size: number; color?: string };
export type Align = "left" | "center" | "right";
/** The vertical room for flowing text: a line that would cross `bottom` starts a new page at `top`. */
export type Frame = { top: number; bottom: number };

export const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
export const MM = 72 / 25.4;
export const COLOR = { text: "#1a1a1a", muted: "#5b6470", rule: "#c8ced6", accent: "#0b4f8a", box: "#f2f6fa" };

const require = createRequire(import.meta.url);
const FONT_FILE = {
  regular: require.resolve("@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf"),
};

/**
 * The fonts are read and parsed once per process (or worker thread), not once per document: fontkit
 * decodes the shaping tables (GSUB/GPOS) lazily and keeps them on the font object, so a shared object
 * pays that once. Before this a permit spent about a sixth of its render time re-reading the TTFs.
 * Measured text is shared too (see `shareLayouts`). Everything here is synchronous, so documents
 * rendered one after another on the same thread never see each other half-done.
 */
let fonts: { regular: Font; bold: Font } | null = null;
function sarabun(): { regular: Font; bold: Font } {
  fonts ??= { regular: openFont(readFileSync(FONT_FILE.regular)), bold: openFont(readFileSync(FONT_FILE.bold)) };
  return fonts;
}

/**
 * pdfkit lays out (shapes) each distinct word once per document and keeps the result per embedded
 * font. The layout depends only on the font and the text (pdfkit scales it to 1000 units, and copies
 * what it changes), so one cache per font serves every document: labels, headings and the agency's
 * name are shaped once per process instead of once per document and fit attempt. Bounded: cleared
 * when it grows past LAYOUT_CACHE_LIMIT words (names and addresses differ on every permit; a shaped
 * word is about a kilobyte, so a few megabytes per font at most).
 */
const LAYOUT_CACHE_LIMIT = 5_000;
/** The size is checked every so many documents (counting the keys is not free). */
const LAYOUT_CHECK_EVERY = 32;
let documentsSinceCheck = 0;
const sharedLayouts = new Map<Font, Record<string, unknown>>();
type PdfkitFont = { font?: Font; layoutCache?: Record<string, unknown> };

/** Called for each new document: starts a font's cache afresh once it has grown past the limit. */
function trimSharedLayouts(): void {
  if (++documentsSinceCheck < LAYOUT_CHECK_EVERY) return;
  documentsSinceCheck = 0;
  for (const [font, cache] of sharedLayouts) {
    if (Object.keys(cache).length > LAYOUT_CACHE_LIMIT) sharedLayouts.delete(font);
  }
}

/** Points the document's current font at the shared cache of its fontkit font. */
function shareLayouts(doc: Doc): void {
  const embedded = (doc as unknown as { _font?: PdfkitFont })._font;
  if (!embedded?.font || !embedded.layoutCache) return; // a standard font, or caching switched off
  let shared = sharedLayouts.get(embedded.font);
  if (!shared) {
    shared = Object.create(null) as Record<string, unknown>;
    sharedLayouts.set(embedded.font, shared);
  }
  embedded.layoutCache = shared;
}

// --- document ------------------------------------------------------------------------------

export type ThaiPdf = { doc: Doc; finish: () => Promise<Buffer> };

/**
 * An A4 document with Sarabun registered as "Sarabun" and "Sarabun-Bold". Pages are buffered so a
 * footer can say "page x of n" and a renderer can check that it stayed on one page. `finish`
 * repairs the text-extraction map and ends the document.
 */
export function createThaiPdf(options: { margin: number; info: PDFKit.DocumentInfo }): ThaiPdf {
  trimSharedLayouts();
  const doc = new PDFDocument({
    size: "A4",
    margin: options.margin,
    font: sarabun().regular as unknown as string, // never load the built-in Helvetica: it has no Thai
    lang: "th-TH",
    displayTitle: true,
    bufferPages: true,
    info: options.info,
  });
  // pdfkit 0.20 takes a fontkit font object where its typings say a path or a buffer
  doc.registerFont("Sarabun", sarabun().regular as unknown as string);
  doc.registerFont("Sarabun-Bold", sarabun().bold as unknown as string);
  // pdfkit finds the default font under its PostScript name only: each `doc.font("Sarabun")` made a new
  // embedded font, compared it with the default (a JSON of the font's name table) and threw it away — ~1 ms
  // a document. Filed under "Sarabun" too, the look-up finds it (pdfkit 0.20.2 internals; harmless if absent).
  const embedded = doc as unknown as { _font?: object; _fontFamilies?: Record<string, object> };
  if (embedded._font && embedded._fontFamilies) embedded._fontFamilies.Sarabun = embedded._font;
  shareLayouts(doc);

  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return {
    doc,
    finish: () => {
      repairToUnicode(doc);
      doc.end();
      return done;
    },
  };
}

/** Text sizes tried, largest first, until a one-page document fits on one page. */
const FIT_SCALES = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6];

/** How a one-page document is to be drawn: text scale, and free space to spread between its rows. */
export type Fit = { scale: number; stretch: number };

/**
 * Documents drawn only to measure them: the text is wrapped and every page break taken as in a real
 * draw, but no glyph, image or footer is written (see `drawLine`, `drawQr`, `drawPageFooters`,
 * `rule`). The glyph runs are most of a draw's cost, and a measured document is never ended.
 */
const measuring = new WeakSet<Doc>();

/**
 * Draws the document at text scale 1, then smaller, until it fits on one page. Each attempt draws
 * into a fresh document (a discarded one is never ended), so the result is the same bytes as a
 * single pass. Text too long even for the smallest scale flows onto further pages rather than being
 * cut.
 *
 * With `stretches`, `draw` returns the free space it left, and the document is drawn again with
 * that space as `stretch`, to spread it rather than leave a hole. Such a document is first drawn
 * only to measure it (no glyphs written), so the fit costs one measure and one real draw per
 * scale tried, not two real draws: a permit's PDF spent about a third of its time in the draw it
 * threw away. Without `stretches` the first draw is the real one (it fits at scale 1 almost always);
 * the smaller scales tried after an overflow are measured first too.
 */
export function renderOnOnePage(
  options: Parameters<typeof createThaiPdf>[0],
  draw: (doc: Doc, fit: Fit) => number | void,
  { stretches = false }: { stretches?: boolean } = {},
): Promise<Buffer> {
  const onePage = (pdf: ThaiPdf) => pdf.doc.bufferedPageRange().count === 1;
  const real = (fit: Fit) => {
    const pdf = createThaiPdf(options);
    draw(pdf.doc, fit);
    return pdf;
  };
  for (const [i, scale] of FIT_SCALES.entries()) {
    const last = i === FIT_SCALES.length - 1;
    const pdf = createThaiPdf(options);
    if (stretches || i > 0) measuring.add(pdf.doc); // after an overflow, measure before drawing
    const slack = draw(pdf.doc, { scale, stretch: 0 });
    if (!onePage(pdf) && !last) continue;
    if (onePage(pdf) && slack && slack > 1) {
      const stretched = real({ scale, stretch: slack - 1 }); // a point's leeway for rounding
      if (onePage(stretched)) return stretched.finish();
    }
    return (measuring.has(pdf.doc) ? real({ scale, stretch: 0 }) : pdf).finish();
  }
  throw new Error("unreachable");
}

/** The same styles with every size multiplied by `k`. */
export function scaleStyles<T extends Record<string, Style>>(styles: T, k: number): T {
  return Object.fromEntries(Object.entries(styles).map(([name, s]) => [name, { ...s, size: s.size * k }])) as T;
}

// --- dates ---------------------------------------------------------------------------------

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
const thaiDate = new Intl.DateTimeFormat("th-TH-u-ca-buddhist", { timeZone: TIME_ZONE, dateStyle: "long" });
const englishDate = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, dateStyle: "long" });

/** "วันศุกร์ที่ 29 พฤษภาคม พ.ศ. 2569 เวลา 17:00 น." and "Friday, 29 May 2026 at 17:00 (UTC+7)". */
export function dateTimeLines(date: Date, withSeconds = false): [string, string] {
  const th = (withSeconds ? thaiDateTimeSeconds : thaiDateTime).format(date);
  const en = (withSeconds ? englishDateTimeSeconds : englishDateTime).format(date);
  return [`${th} น.`, `${en} (UTC+7)`];
}

/** "15 มกราคม 2569" and "15 January 2026": the Bangkok calendar day of an instant. */
export function dateLines(date: Date): [string, string] {
  return [thaiDate.format(date), englishDate.format(date)];
}

/**
 * The same for a stored calendar day "2026-01-15". Noon in Bangkok is that day in the formatting
 * time zone whatever the server's own zone. A malformed date throws: an official document must not
 * print a wrong day.
 */
export function calendarDayLines(iso: string): [string, string] {
  const day = parseIsoDate(iso);
  if (!day) throw new Error(`Not an ISO calendar date: ${JSON.stringify(iso)}`);
  return dateLines(new Date(Date.UTC(day.year, day.month - 1, day.day, 5)));
}

// --- text ----------------------------------------------------------------------------------

export function setStyle(doc: Doc, style: Style): void {
  setFont(doc, style);
  doc.fillColor(style.color ?? COLOR.text);
}

/** Font and size only: measuring must not write colour operators into the page. */
function setFont(doc: Doc, style: Style): void {
  doc.font(style.bold ? "Sarabun-Bold" : "Sarabun").fontSize(style.size);
  shareLayouts(doc);
}

const words = new Intl.Segmenter("th", { granularity: "word" });
const graphemes = new Intl.Segmenter("th", { granularity: "grapheme" });

/**
 * Greedy line wrap at Thai/English word boundaries, measured in the current font. A word wider
 * than the line (a long URL) is broken between grapheme clusters, so a mark never leaves its base.
 * `indent` narrows the first line of each paragraph.
 */
export function wrap(doc: Doc, text: string, width: number, indent = 0): string[] {
  return paragraphLines(doc, text, width, indent).map((l) => l.text);
}

type Line = { readonly text: string; readonly indent: number };

/**
 * Wrapped paragraphs, per fontkit font, keyed by size, width, indent and text. Wrapping is a pure
 * function of those (pdfkit measures with the font's own metrics, no document state), and it is
 * most of a draw's cost: Thai has no spaces, so every candidate line is a new string to shape. A
 * permit wraps each paragraph twice per draw (its height to place it, then its lines to write
 * them), in a measuring draw and a real one, and its labels and notices are the same on every
 * permit. Bounded like the shared layouts: a font's map starts afresh past WRAP_CACHE_LIMIT entries.
 */
const WRAP_CACHE_LIMIT = 2_000;
const wrapped = new Map<Font, Map<string, readonly Line[]>>();

function paragraphLines(doc: Doc, text: string, width: number, indent: number): readonly Line[] {
  const current = doc as unknown as { _font?: PdfkitFont; _fontSize: number };
  const font = current._font?.font;
  if (!font) return wrapParagraphs(doc, text, width, indent);
  let cache = wrapped.get(font);
  if (!cache || cache.size >= WRAP_CACHE_LIMIT) {
    cache = new Map();
    wrapped.set(font, cache);
  }
  const key = `${current._fontSize}|${width}|${indent}|${text}`;
  let lines = cache.get(key);
  if (!lines) {
    lines = wrapParagraphs(doc, text, width, indent);
    cache.set(key, lines);
  }
  return lines;
}

function wrapParagraphs(doc: Doc, text: string, width: number, indent: number): Line[] {
  const lines: Line[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    let room = width - indent;
    let lineIndent = indent;
    const pushPiece = (piece: string) => {
      const candidate = line + piece;
      if (line === "" || doc.widthOfString(candidate) <= room) {
        line = line === "" ? piece.trimStart() : candidate;
        return;
      }
      lines.push({ text: line.trimEnd(), indent: lineIndent });
      line = piece.trimStart();
      room = width;
      lineIndent = 0;
    };
    for (const { segment } of words.segment(paragraph)) {
      if (doc.widthOfString(segment) <= width) {
        pushPiece(segment);
        continue;
      }
      for (const { segment: g } of graphemes.segment(segment)) pushPiece(g);
    }
    lines.push({ text: line.trimEnd(), indent: lineIndent });
  }
  return lines;
}

export function lineHeight(doc: Doc): number {
  return doc.currentLineHeight(true) + 1;
}

/**
 * Draws text inside a marked-content span whose /ActualText is the original string. The font's
 * glyph-to-Unicode map cannot say that one sara-aa glyph is "า" on its own but part of "ำ"
 * elsewhere (fontkit gives it no code point at all), so without this, copying or searching the
 * PDF loses every "า". Text extractors (poppler, Acrobat) read ActualText instead.
 */
export function spoken(doc: Doc, text: string, draw: () => void): void {
  doc.markContent("Span", { actual: text });
  draw();
  doc.endMarkedContent();
}

/** One already-wrapped line at (x, y) in the current style. */
export function drawLine(doc: Doc, line: string, x: number, y: number): void {
  if (measuring.has(doc)) return;
  spoken(doc, line, () => doc.text(line, x, y, { lineBreak: false }));
}

export type WriteOptions = {
  /** Without a frame the text never starts a new page. */
  frame?: Frame;
  align?: Align;
  /** First-line indent of each paragraph. */
  indent?: number;
};

/** Writes wrapped text at (x, y) and returns the y below it. */
export function write(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  style: Style,
  options: WriteOptions = {},
): number {
  const { frame, align = "left", indent = 0 } = options;
  setStyle(doc, style);
  const step = lineHeight(doc);
  for (const line of paragraphLines(doc, text, width, indent)) {
    if (frame && y + step > frame.bottom) {
      doc.addPage();
      y = frame.top;
      setStyle(doc, style);
    }
    const free = align === "left" ? 0 : width - line.indent - doc.widthOfString(line.text);
    drawLine(doc, line.text, x + line.indent + (align === "center" ? free / 2 : free), y);
    y += step;
  }
  return y;
}

export function heightOf(doc: Doc, text: string, width: number, style: Style, indent = 0): number {
  setFont(doc, style);
  return paragraphLines(doc, text, width, indent).length * lineHeight(doc);
}

/** Distance from the top of a line to its baseline (pdfkit's `_font.ascender` is per 1000 em). */
function ascent(doc: Doc, style: Style): number {
  setFont(doc, style);
  const font = (doc as unknown as { _font?: { ascender?: number } })._font;
  return ((font?.ascender ?? 0) / 1000) * style.size;
}

export function widthOf(doc: Doc, text: string, style: Style): number {
  setFont(doc, style);
  return doc.widthOfString(text);
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

/** Each glyph's own code points in the font's cmap: a property of the font, so worked out once per font. */
const nominalByFont = new WeakMap<object, Map<number, number[]>>();
function nominalCodePoints(font: NonNullable<PdfkitEmbeddedFont["font"]>): Map<number, number[]> {
  let nominal = nominalByFont.get(font);
  if (!nominal) {
    nominal = new Map<number, number[]>();
    for (const codePoint of font.characterSet) {
      const id = font.glyphForCodePoint(codePoint).id;
      nominal.set(id, [...(nominal.get(id) ?? []), codePoint]);
    }
    nominalByFont.set(font, nominal);
  }
  return nominal;
}

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
    const nominal = nominalCodePoints(font);
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

// --- layout pieces -------------------------------------------------------------------------

export function rule(doc: Doc, x1: number, x2: number, y: number, options: { width?: number; color?: string } = {}): void {
  if (measuring.has(doc)) return;
  doc
    .moveTo(x1, y)
    .lineTo(x2, y)
    .lineWidth(options.width ?? 0.75)
    .strokeColor(options.color ?? COLOR.rule)
    .stroke();
}

/** y if `needed` more points fit above the frame's bottom, else the top of a new page. */
export function ensureRoom(doc: Doc, y: number, needed: number, frame: Frame): number {
  if (y + needed <= frame.bottom) return y;
  doc.addPage();
  return frame.top;
}

/** Where a labelled row puts its label and its value. */
export type Columns = { labelX: number; labelWidth: number; valueX: number; valueWidth: number };
/** One paragraph in a stack of differently styled ones (a Thai line over its English gloss). */
export type FieldValue = { text: string; style: Style };

export function stackHeight(doc: Doc, values: FieldValue[], width: number): number {
  return values.reduce((sum, v) => sum + heightOf(doc, v.text, width, v.style), 0);
}

/** Writes the paragraphs one under the other; returns the y below the last. */
export function writeStack(
  doc: Doc,
  values: FieldValue[],
  x: number,
  y: number,
  width: number,
  options: WriteOptions = {},
): number {
  for (const v of values) y = write(doc, v.text, x, y, width, v.style, options);
  return y;
}

/**
 * One labelled row: Thai label over English label on the left, value lines on the right. With
 * `alignBaselines`, a label smaller than the value is lowered to sit on the value's first baseline.
 */
export function field(
  doc: Doc,
  y: number,
  layout: { columns: Columns; label: Style; labelEn: Style; frame: Frame; gap: number; alignBaselines?: boolean },
  label: [string, string],
  values: FieldValue[],
): number {
  const { columns: c, frame } = layout;
  const drop =
    layout.alignBaselines && values[0] ? Math.max(0, ascent(doc, values[0].style) - ascent(doc, layout.label)) : 0;
  const labelHeight =
    drop + heightOf(doc, label[0], c.labelWidth, layout.label) + heightOf(doc, label[1], c.labelWidth, layout.labelEn);
  y = ensureRoom(doc, y, Math.max(labelHeight, stackHeight(doc, values, c.valueWidth)), frame);
  let ly = write(doc, label[0], c.labelX, y + drop, c.labelWidth, layout.label, { frame });
  ly = write(doc, label[1], c.labelX, ly, c.labelWidth, layout.labelEn, { frame });
  const vy = writeStack(doc, values, c.valueX, y, c.valueWidth, { frame });
  return Math.max(ly, vy) + layout.gap;
}

/** The issuing agency centred at the top of a page — Thai name, English name — over a rule. */
export function agencyHeader(
  doc: Doc,
  agency: LocalizedText,
  y: number,
  layout: { x: number; width: number; th: Style; en: Style; gap: number },
): number {
  const { x, width } = layout;
  y = write(doc, agency.th, x, y, width, layout.th, { align: "center" });
  y = write(doc, agency.en, x, y, width, layout.en, { align: "center" });
  y += layout.gap;
  rule(doc, x, x + width, y, { color: COLOR.accent, width: 0.9 });
  return y + 1.5 * layout.gap;
}

/** "{label} · หน้า x/n · Page x of n" in the bottom margin of every page. */
export function drawPageFooters(doc: Doc, label: string, box: { x: number; y: number; width: number; size: number }): void {
  if (measuring.has(doc)) return; // footers sit in the margin: they never add a page
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const page = i - range.start + 1;
    setStyle(doc, { size: box.size, color: COLOR.muted });
    const footer = `${label}  ·  หน้า ${page}/${range.count}  ·  Page ${page} of ${range.count}`;
    // The footer sits in the bottom margin; pdfkit would otherwise start a new page for it.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    spoken(doc, footer, () =>
      doc.text(footer, box.x, box.y, { lineBreak: false, width: box.width, align: "right" }),
    );
    doc.page.margins.bottom = bottomMargin;
  }
}

// --- QR code -------------------------------------------------------------------------------

const QR_ERROR_CORRECTION = "M";

type QrSymbol = ReturnType<typeof QRCode.create>;

installFastQrMask(); // the same masks as the package chooses, in a fraction of the time (see qr-mask.server.ts)
installFastQrSegments(); // the same segments, without re-sorting the search's queue at each step (qr-segments.server.ts)

/**
 * The symbol of the last text encoded: a letter asks for the module count (to size its QR) and then
 * for the modules, and choosing the symbol's segments and mask is the costly part (~4.4 ms for a signed
 * permit's URL, ~2 ms of it the segments).
 */
let lastQr: { text: string; symbol: QrSymbol } | null = null;
function qrSymbol(text: string): QrSymbol {
  if (lastQr?.text !== text) lastQr = { text, symbol: QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION }) };
  return lastQr.symbol;
}

/** Modules per side, quiet zone of one module included (as drawn by `drawQr`). */
export function qrModuleCount(text: string): number {
  return qrSymbol(text).modules.size + 2;
}

/** The dark modules of a QR symbol, row by row (`data[row * size + col]`), without the quiet zone. */
export type QrModules = { readonly size: number; readonly data: Uint8Array };

/**
 * The QR code of `text` as its modules, for `drawQr` to draw as vector squares: exact at any print
 * size and zoom, and no image to encode. A PNG (made at 300 dpi, deflated, then embedded by pdfkit)
 * cost about a third of a symbol's time and most of the PDF thread's zlib work.
 */
export function qrModules(text: string): QrModules {
  const { size, data } = qrSymbol(text).modules;
  return { size, data };
}

/**
 * The QR code of `text` as an RGBA PNG of about `width` pixels with a one-module quiet zone (the
 * page around it is white): the older receipt's form. New documents draw `qrModules` instead.
 */
export async function qrPng(text: string, size: { width: number }): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: QR_ERROR_CORRECTION, margin: 1, width: size.width });
}

/**
 * Draws a QR code as a `size`-point square, a one-module quiet zone included; with `link`, clicking it
 * opens that URL. Modules are drawn as one filled path, a rectangle per horizontal run of dark modules:
 * one fill, so no hairline seams between modules in anti-aliasing viewers. A PNG is drawn as an image.
 */
export function drawQr(doc: Doc, qr: Buffer | QrModules, x: number, y: number, size: number, link?: string): void {
  if (measuring.has(doc)) return;
  if (Buffer.isBuffer(qr)) {
    doc.image(qr, x, y, { width: size, height: size, ...(link ? { link } : {}) });
    return;
  }
  const n = qr.size;
  const cell = size / (n + 2);
  // In module units (the quiet zone's corner at the origin), so each rectangle is four small integers
  const runs: string[] = [];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!qr.data[row * n + col]) {
        col++;
        continue;
      }
      let end = col + 1;
      while (end < n && qr.data[row * n + end]) end++;
      runs.push(`${col + 1} ${row + 1} ${end - col} 1 re`);
      col = end;
    }
  }
  doc.save();
  doc.transform(cell, 0, 0, cell, x, y);
  doc.fillColor("#000000");
  doc.addContent(`${runs.join("\n")}\nf`);
  doc.restore();
  if (link) doc.link(x, y, size, size, link);
}
