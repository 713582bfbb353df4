import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

import QRCode from "qrcode";

const PAGE_HEIGHT = 841.89; // A4 in points
const PDFTOPPM = "/usr/bin/pdftoppm";

export type Placement = { x: number; y: number; width: number; height: number };

/**
 * Where each link is on the page (top-left corner and size in points, top-down like pdfkit), from the link
 * annotations' /Rect. A document's QR code links to its verify URL over exactly the square it fills, whether
 * it is drawn as an image or as vector modules, so this finds the QR code's square.
 */
export function linkPlacements(pdf: Buffer): Placement[] {
  const placements: Placement[] = [];
  for (const m of pdf.toString("latin1").matchAll(/\/Subtype \/Link\n[^>]*?\/Rect \[([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\]/g)) {
    const [x1, y1, x2, y2] = m.slice(1, 5).map(Number) as [number, number, number, number];
    placements.push({ x: x1, y: PAGE_HEIGHT - y2, width: x2 - x1, height: y2 - y1 });
  }
  return placements;
}

/**
 * How many modules of the square `qr` on page 1 of `pdfFile`, rasterised at 300 dpi, differ from the QR code
 * of `text` (error correction M), its one-module quiet zone included: a decoder in all but name (same symbol ⇒
 * decodes to the same text). Needs poppler's pdftoppm; `out` is a path prefix for the image.
 */
export function wrongQrModules(pdfFile: string, qr: Placement, text: string, out: string): { wrong: number; size: number } {
  const dpi = 300;
  const px = (points: number) => Math.round((points * dpi) / 72);
  execFileSync(PDFTOPPM, [
    "-gray", "-r", String(dpi), "-singlefile", "-f", "1", "-l", "1",
    "-x", String(px(qr.x)), "-y", String(px(qr.y)), "-W", String(px(qr.width)), "-H", String(px(qr.height)),
    pdfFile, out,
  ]); // prettier-ignore
  const pgm = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString("latin1", 0, 40))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = modules.size;
  const cell = qr.width / (n + 2);
  let wrong = 0;
  // rows and columns -1 and n are the quiet zone: white
  for (let row = -1; row <= n; row++) {
    for (let col = -1; col <= n; col++) {
      const x = Math.min(width - 1, px(qr.x + (col + 1.5) * cell) - px(qr.x));
      const y = Math.min(height - 1, px(qr.y + (row + 1.5) * cell) - px(qr.y));
      const dark = pixels[y * width + x]! < 128;
      const inSymbol = row >= 0 && col >= 0 && row < n && col < n;
      if (dark !== (inSymbol && Boolean(modules.get(row, col)))) wrong++;
    }
  }
  return { wrong, size: n };
}
