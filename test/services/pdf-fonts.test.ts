/**
 * The fonts of a Borikan PDF: each face opened once per document however often the text switches between them,
 * and copied text that reads as written in both faces, document after document (the glyph-to-character map
 * worked out once per font and shared).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

import { createThaiPdf, write } from "~/services/pdf/thai-pdf.server";

const dir = mkdtempSync(path.join(tmpdir(), "borikan-pdf-fonts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REGULAR = { size: 14 };
const BOLD = { size: 14, bold: true };
/** Sara am (the glyph fontkit maps wrongly) and sara aa, in words an officer writes on every permit. */
const LINES = ["ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", "คำขอนี้ได้รับการพิจารณาแล้ว ทำการค้าได้"];

async function documentWith(faces: { bold?: boolean; size: number }[]) {
  const pdf = createThaiPdf({ margin: 40, info: { Title: "fonts" } });
  let y = 40;
  for (const [i, style] of faces.entries()) y = write(pdf.doc, LINES[i % LINES.length]!, 40, y, 500, style);
  const opened = (pdf.doc as unknown as { _fontCount: number })._fontCount;
  return { opened, bytes: await pdf.finish() };
}

function textOf(bytes: Buffer, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return execFileSync("/usr/bin/pdftotext", ["-raw", "-enc", "UTF-8", file, "-"]).toString("utf8");
}

/** The /ToUnicode maps of a PDF's fonts (pdfkit deflates every stream): what copying reads without ActualText. */
function toUnicodeMaps(bytes: Buffer): string[] {
  const pdf = bytes.toString("latin1");
  const maps: string[] = [];
  for (let at = pdf.indexOf("stream\n"); at >= 0; at = pdf.indexOf("stream\n", at)) {
    const end = pdf.indexOf("\nendstream", at);
    if (end < 0) break;
    try {
      const text = inflateSync(Buffer.from(pdf.slice(at + 7, end), "latin1")).toString("latin1");
      if (text.includes("begincmap")) maps.push(text);
    } catch {
      // not a deflated stream
    }
    at = end + "\nendstream".length;
  }
  return maps;
}

describe("a Thai PDF's fonts", () => {
  it("opens each face once, however often the text switches between them", async () => {
    // given text that goes from regular to bold and back twenty times
    const { opened } = await documentWith(Array.from({ length: 40 }, (_, i) => (i % 2 ? BOLD : REGULAR)));
    // then pdfkit opened two fonts for the document: regular and bold
    expect(opened).toBe(2);
  });

  it("reads back as written in both faces, in each of several documents", async () => {
    for (let n = 0; n < 3; n++) {
      // given a document with the same words in regular, then bold (the second and third use the shared maps)
      const { bytes } = await documentWith([REGULAR, BOLD, BOLD, REGULAR]);
      const lines = textOf(bytes, `doc-${n}.pdf`).trim().split("\n");
      // then copying its text gives the words written (sara am as its compatibility form), in both faces
      expect(lines.map((line) => line.normalize("NFKC"))).toEqual([LINES[0], LINES[1], LINES[0], LINES[1]].map((line) => line.normalize("NFKC")));
      // and each face's own map (viewers without ActualText) gives sara am's glyphs as nikhahit and sara aa
      const maps = toUnicodeMaps(bytes);
      expect(maps).toHaveLength(2);
      for (const map of maps) {
        expect(map).toContain("<0e4d>");
        expect(map).toContain("<0e32>");
        expect(map).not.toContain("<0e33>");
      }
    }
  });
});
