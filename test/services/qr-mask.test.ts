import { createRequire } from "node:module";

import QRCode from "qrcode";
import { afterEach, describe, expect, it } from "vitest";

import { bestMask, maskPenalty, packageGetBestMask, packageMaskPattern } from "~/services/pdf/qr-mask.server";
import { qrModules } from "~/services/pdf/thai-pdf.server";
import { samplePermitPdfInput } from "../support/pdf-samples";

type Matrix = Parameters<typeof bestMask>[0];
const applyMask = (createRequire(import.meta.url)("qrcode/lib/core/mask-pattern.js") as { applyMask: (p: number, m: Matrix) => void }).applyMask;
const installed = packageMaskPattern.getBestMask; // what importing the PDF module put there

/** Texts of every mode and of versions from 1 to 27 (a signed permit's verify URL is the biggest). */
function texts(): string[] {
  const url = samplePermitPdfInput().verifyUrl;
  const out = ["1", "HELLO WORLD", "https://example.go.th/verify#NBI-1", "0123456789".repeat(20), "เทศบาลนครนนทบุรี"];
  for (let i = 0; i < 60; i++) out.push(url.slice(0, 40 + ((i * 97) % (url.length - 40))) + String(i * 7919));
  return out;
}

afterEach(() => {
  packageMaskPattern.getBestMask = installed;
});

describe("the QR mask choice", () => {
  it("is the package's for every mask: the same penalty, the same mask chosen, the same symbol", () => {
    // given every symbol the package builds, seen at its mask choice
    let symbols = 0;
    packageMaskPattern.getBestMask = (data, setupFormat) => {
      // then each mask's penalty is the package's own N1 + N2 + N3 + N4 of the same masked symbol
      for (let p = 0; p < 8; p++) {
        setupFormat(p);
        applyMask(p, data);
        const expected =
          packageMaskPattern.getPenaltyN1(data) + packageMaskPattern.getPenaltyN2(data) + packageMaskPattern.getPenaltyN3(data) + packageMaskPattern.getPenaltyN4(data);
        expect(maskPenalty(data.data, data.size)).toBe(expected);
        applyMask(p, data);
      }
      // and the mask chosen is the package's (which leaves the symbol unmasked, as ours does)
      const chosen = packageGetBestMask(data, setupFormat);
      expect(bestMask(data, setupFormat)).toBe(chosen);
      symbols++;
      return chosen;
    };
    for (const text of texts()) QRCode.create(text, { errorCorrectionLevel: "M" });
    expect(symbols).toBe(texts().length);
  });

  it("is in use by the PDFs, and their symbols are the package's own", () => {
    expect(installed).toBe(bestMask);
    for (const text of texts().slice(0, 12)) {
      const ours = qrModules(text);
      packageMaskPattern.getBestMask = packageGetBestMask;
      const theirs = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
      packageMaskPattern.getBestMask = installed;
      expect(ours.size).toBe(theirs.size);
      expect(Buffer.from(ours.data).equals(Buffer.from(theirs.data))).toBe(true);
    }
  });
});
