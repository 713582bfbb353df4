// fontkit ships no typings; the little of it that the PDF code uses (pdfkit's own dependency, same version).
declare module "fontkit" {
  export type Font = {
    readonly postscriptName: string;
    readonly characterSet: number[];
    glyphForCodePoint(codePoint: number): { id: number };
    getGlyph(id: number): { name?: string };
    layout(text: string, features?: unknown): unknown;
  };
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
