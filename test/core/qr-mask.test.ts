import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { remaskWithBestMask } from "~/core/qr/qr-mask";

const LEVEL_BIT = { L: 1, M: 0, Q: 3, H: 2 } as const;

/** A deterministic pseudo-random source, so a failure names a text that can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function textOf(random: () => number, length: number): string {
  const alphabets = [
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", // base64url, as in a signed URL
    "0123456789",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 $%*+-./:",
    "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋็์",
  ];
  let out = "";
  while (out.length < length) {
    const alphabet = alphabets[Math.floor(random() * alphabets.length)]!;
    const run = 1 + Math.floor(random() * 40);
    for (let i = 0; i < run; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  }
  return out.slice(0, length);
}

describe("the QR mask chosen on flat arrays", () => {
  it("gives the symbol the qrcode package gives, module for module, over many texts and every level", () => {
    const random = rng(12);
    const lengths = [1, 5, 17, 40, 80, 150, 300, 600, 1000, 1200, 1400];
    let checked = 0;
    for (const length of lengths) {
      for (let k = 0; k < 6; k++) {
        const level = (["L", "M", "Q", "H"] as const)[(k + length) % 4]!;
        const text = length >= 1000 ? `https://borikan.example/verify#${textOf(random, length)}` : textOf(random, length);
        let expected: ReturnType<typeof QRCode.create>;
        try {
          expected = QRCode.create(text, { errorCorrectionLevel: level });
        } catch {
          continue; // too long for this level
        }
        const fast = QRCode.create(text, { errorCorrectionLevel: level, maskPattern: 0 });
        const mask = remaskWithBestMask(fast.modules as never, LEVEL_BIT[level]);
        expect({ text, level, mask }).toEqual({ text, level, mask: expected.maskPattern });
        expect(Buffer.from(fast.modules.data).equals(Buffer.from(expected.modules.data)), `${level} ${text}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("picks each of the eight masks somewhere (the derivation is exercised for every pattern)", () => {
    const random = rng(7);
    const seen = new Set<number>();
    for (let k = 0; k < 400 && seen.size < 8; k++) {
      const text = textOf(random, 10 + Math.floor(random() * 200));
      const fast = QRCode.create(text, { errorCorrectionLevel: "M", maskPattern: 0 });
      const mask = remaskWithBestMask(fast.modules as never, LEVEL_BIT.M);
      expect(mask).toBe(QRCode.create(text, { errorCorrectionLevel: "M" }).maskPattern);
      seen.add(mask);
    }
    expect(seen.size).toBe(8);
  });
});
