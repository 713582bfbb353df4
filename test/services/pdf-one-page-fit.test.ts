import { describe, expect, it } from "vitest";

import {
  createThaiPdf,
  drawPageFooters,
  drawQr,
  ensureRoom,
  field,
  heightOf,
  qrModules,
  renderOnOnePage,
  rule,
  wrap,
  write,
  type Doc,
  type Fit,
  type QrModules,
} from "~/services/pdf/thai-pdf.server";

/**
 * How renderOnOnePage fitted a document before it measured first: every attempt a real draw, and a
 * stretched document drawn twice. The measuring draw and the shared wraps must give the same bytes.
 */
function drawTwiceReference(
  options: Parameters<typeof createThaiPdf>[0],
  draw: (doc: Doc, fit: Fit) => number | void,
): Promise<Buffer> {
  const scales = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6];
  const onePage = (doc: Doc) => doc.bufferedPageRange().count === 1;
  for (const [i, scale] of scales.entries()) {
    const pdf = createThaiPdf(options);
    const slack = draw(pdf.doc, { scale, stretch: 0 });
    if (onePage(pdf.doc) && slack && slack > 1) {
      const stretched = createThaiPdf(options);
      draw(stretched.doc, { scale, stretch: slack - 1 });
      if (onePage(stretched.doc)) return stretched.finish();
    }
    if (onePage(pdf.doc) || i === scales.length - 1) return pdf.finish();
  }
  throw new Error("unreachable");
}

const OPTIONS = { margin: 40, info: { Title: "fit", CreationDate: new Date("2026-01-15T00:00:00Z"), ModDate: new Date("2026-01-15T00:00:00Z") } };
const PARAGRAPH =
  "ต้องจัดให้มีภาชนะรองรับมูลฝอยที่มีฝาปิดมิดชิด และแยกมูลฝอยติดเชื้อ เช่น ใบมีดโกน ออกจากมูลฝอยทั่วไป แล้วส่งกำจัดตามที่ราชการกำหนด " +
  "Provide covered waste bins and keep infectious waste apart from general waste.";

/**
 * A page drawn with the pieces a permit uses (labelled rows, rules, centred text, a QR image, page
 * footers when it overflows): `count` rows at the fit's scale, spread by its stretch. Returns the
 * space left.
 */
function paragraphs(count: number, qr: QrModules) {
  return (doc: Doc, { scale, stretch }: Fit): number => {
    const style = { size: 12 * scale };
    const frame = { top: 40, bottom: 780 };
    const columns = { labelX: 40, labelWidth: 120, valueX: 170, valueWidth: 380 };
    const row = { columns, label: { bold: true, size: 10.5 * scale }, labelEn: { size: 7.5 * scale }, frame, gap: 3 + stretch / count, alignBaselines: true };
    let y = write(doc, "ใบอนุญาต / Permit", 40, 40, 510, { bold: true, size: 20 * scale }, { align: "center", frame });
    rule(doc, 40, 550, y);
    for (let i = 0; i < count; i++) y = field(doc, y + 2, row, [`ข้อ ${i + 1}`, `Item ${i + 1}`], [{ text: PARAGRAPH, style }]);
    y = ensureRoom(doc, y, 100, frame);
    drawQr(doc, qr, 40, y, 100, "https://example.go.th/verify");
    y += 100;
    if (doc.bufferedPageRange().count > 1) drawPageFooters(doc, "NBI-1", { x: 40, y: 800, width: 510, size: 7.5 });
    return Math.max(0, frame.bottom - y);
  };
}

describe("renderOnOnePage", () => {
  it.each([
    ["fits at full size and is stretched", 3],
    ["needs a smaller scale, then is stretched", 12],
    ["overflows even the smallest scale and flows onto more pages", 30],
  ])("gives the same bytes as drawing every attempt for real when the document %s", async (_, count) => {
    // given a document that stretches / when it is fitted by measuring first and the old way
    const qr = qrModules("https://example.go.th/verify#NBI-1");
    const measured = await renderOnOnePage(OPTIONS, paragraphs(count, qr), { stretches: true });
    const reference = await drawTwiceReference(OPTIONS, paragraphs(count, qr));
    // then the bytes are the same
    expect(measured.equals(reference)).toBe(true);
  });

});

describe("wrapping shared between draws", () => {
  it("wraps the same text afresh for another size, width, indent or font", () => {
    // given one document and one paragraph
    const { doc } = createThaiPdf(OPTIONS);
    // when it is wrapped under different settings, the cached lines of one never answer for another
    doc.font("Sarabun").fontSize(12);
    const regular12 = wrap(doc, PARAGRAPH, 300);
    doc.fontSize(16);
    const regular16 = wrap(doc, PARAGRAPH, 300);
    doc.fontSize(12);
    const narrow = wrap(doc, PARAGRAPH, 150);
    const indented = wrap(doc, PARAGRAPH, 300, 120);
    doc.font("Sarabun-Bold").fontSize(12);
    const bold = wrap(doc, PARAGRAPH, 300);
    // then each is wrapped for its own settings: every line fits, and they differ where they must
    for (const [lines, font, size, width] of [
      [regular12, "Sarabun", 12, 300],
      [regular16, "Sarabun", 16, 300],
      [narrow, "Sarabun", 12, 150],
      [bold, "Sarabun-Bold", 12, 300],
    ] as const) {
      doc.font(font).fontSize(size);
      for (const line of lines) expect(doc.widthOfString(line)).toBeLessThanOrEqual(width);
      expect(lines.join("").replace(/\s/g, "")).toBe(PARAGRAPH.replace(/\s/g, ""));
    }
    expect(regular16.length).toBeGreaterThan(regular12.length);
    expect(narrow.length).toBeGreaterThan(regular12.length);
    expect(indented[0]!.length).toBeLessThan(regular12[0]!.length);
    expect(bold).not.toEqual(regular12);
    doc.font("Sarabun").fontSize(12);
    expect(heightOf(doc, PARAGRAPH, 150, { size: 12 })).toBeGreaterThan(heightOf(doc, PARAGRAPH, 300, { size: 12 }));
  });
});
