/**
 * The QR mask choice of the `qrcode` package (ISO/IEC 18004 §7.8.3, with that package's penalty rules
 * exactly), computed on flat arrays.
 *
 * `QRCode.create(text)` tries the eight masks by calling a method per module for each of them: about 75 %
 * of the time it takes for a signed permit's URL (a 125-module symbol), which every permit, letter and
 * receipt PDF pays once. Here the symbol is built once with mask 0 (`QRCode.create(text, { maskPattern: 0 })`,
 * no trial), the seven others are derived from it, and the same penalties pick the same mask: the result is
 * the symbol `QRCode.create(text)` gives, module for module (test/core/qr-mask.test.ts checks it over many
 * texts against the package itself).
 */

/** The matrix as the `qrcode` package keeps it: row-major, 1 = dark; `reservedBit` marks function patterns. */
export type QrModules = { size: number; data: Uint8Array; reservedBit: Uint8Array };

function maskAt(pattern: number, i: number, j: number): boolean {
  switch (pattern) {
    case 0: return (i + j) % 2 === 0;
    case 1: return i % 2 === 0;
    case 2: return j % 3 === 0;
    case 3: return (i + j) % 3 === 0;
    case 4: return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5: return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6: return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    case 7: return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
    default: throw new Error(`bad QR mask pattern ${pattern}`);
  }
} // prettier-ignore

const G15 = (1 << 10) | (1 << 8) | (1 << 5) | (1 << 4) | (1 << 2) | (1 << 1) | (1 << 0);
const G15_MASK = (1 << 14) | (1 << 12) | (1 << 10) | (1 << 4) | (1 << 1);
const bchDigit = (data: number) => {
  let digit = 0;
  while (data !== 0) {
    digit++;
    data >>>= 1;
  }
  return digit;
};

/** The 15 format bits for an error-correction level (its 2-bit code: L 1, M 0, Q 3, H 2) and a mask. */
export function formatBits(levelBit: number, mask: number): number {
  const data = (levelBit << 3) | mask;
  let d = data << 10;
  while (bchDigit(d) - bchDigit(G15) >= 0) d ^= G15 << (bchDigit(d) - bchDigit(G15));
  return ((data << 10) | d) ^ G15_MASK;
}

/** Where format bit i goes, twice (the package's setupFormatInfo): [vertical index, horizontal index]. */
function formatPositions(size: number): [number, number][] {
  const at = (row: number, col: number) => row * size + col;
  const positions: [number, number][] = [];
  for (let i = 0; i < 15; i++) {
    const vertical = i < 6 ? at(i, 8) : i < 8 ? at(i + 1, 8) : at(size - 15 + i, 8);
    const horizontal = i < 8 ? at(8, size - i - 1) : i < 9 ? at(8, 15 - i - 1 + 1) : at(8, 15 - i - 1);
    positions.push([vertical, horizontal]);
  }
  return positions;
}

/** N1 + N2 + N3 + N4 of the package's mask-pattern.js, same rules, same quirks. */
export function penalty(size: number, d: Uint8Array): number {
  let n1 = 0;
  let n3 = 0;
  let n2 = 0;
  let dark = 0;
  // Along each row (contiguous), with the 2×2 blocks of this row and the next.
  for (let row = 0; row < size; row++) {
    const r = row * size;
    let same = 0;
    let last = -1;
    let bits = 0;
    for (let col = 0; col < size; col++) {
      const a = d[r + col]!;
      dark += a;
      if (a === last) same++;
      else {
        if (same >= 5) n1 += same - 2; // 3 + (same − 5)
        last = a;
        same = 1;
      }
      bits = ((bits << 1) & 0x7ff) | a;
      if (col >= 10 && (bits === 0x5d0 || bits === 0x05d)) n3++;
      if (row < size - 1 && col < size - 1) {
        const sum = a + d[r + col + 1]! + d[r + size + col]! + d[r + size + col + 1]!;
        if (sum === 4 || sum === 0) n2++;
      }
    }
    if (same >= 5) n1 += same - 2;
  }
  // Down each column.
  for (let col = 0; col < size; col++) {
    let same = 0;
    let last = -1;
    let bits = 0;
    for (let row = 0, i = col; row < size; row++, i += size) {
      const b = d[i]!;
      if (b === last) same++;
      else {
        if (same >= 5) n1 += same - 2;
        last = b;
        same = 1;
      }
      bits = ((bits << 1) & 0x7ff) | b;
      if (row >= 10 && (bits === 0x5d0 || bits === 0x05d)) n3++;
    }
    if (same >= 5) n1 += same - 2;
  }
  const k = Math.abs(Math.ceil((dark * 100) / d.length / 5) - 10);
  return n1 + n2 * 3 + n3 * 40 + k * 10;
}

/**
 * For a symbol size and its reserved modules: each mask as a 0/1 array (0 on reserved modules). The
 * reserved modules (function patterns, format and version areas) depend on the version alone, that is
 * on the size, so the arrays are kept per size.
 */
const masksBySize = new Map<number, Uint8Array[]>();
function maskArrays(size: number, reservedBit: Uint8Array): Uint8Array[] {
  const known = masksBySize.get(size);
  if (known) return known;
  const masks: Uint8Array[] = [];
  for (let pattern = 0; pattern < 8; pattern++) {
    const m = new Uint8Array(size * size);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const i = row * size + col;
        if (!reservedBit[i] && maskAt(pattern, row, col)) m[i] = 1;
      }
    }
    masks.push(m);
  }
  masksBySize.set(size, masks);
  return masks;
}

/**
 * Given the symbol built with mask 0, the mask the package would have chosen (the lowest penalty, the
 * first of equals), and the modules with that mask applied and its format bits written — in place.
 */
export function remaskWithBestMask(modules: QrModules, levelBit: number): number {
  const { size, data, reservedBit } = modules;
  const positions = formatPositions(size);
  const masks = maskArrays(size, reservedBit);
  const n = data.length;
  // The data modules without any mask.
  const bare = new Uint8Array(n);
  const mask0 = masks[0]!;
  for (let i = 0; i < n; i++) bare[i] = data[i]! ^ mask0[i]!;
  const withMask = (pattern: number, into: Uint8Array) => {
    const m = masks[pattern]!;
    for (let i = 0; i < n; i++) into[i] = bare[i]! ^ m[i]!;
    const bits = formatBits(levelBit, pattern);
    for (const [i, [v, h]] of positions.entries()) into[v] = into[h] = (bits >> i) & 1;
  };
  const candidate = new Uint8Array(n);
  let best = 0;
  let lowest = Infinity;
  for (let pattern = 0; pattern < 8; pattern++) {
    withMask(pattern, candidate);
    const p = penalty(size, candidate);
    if (p < lowest) {
      lowest = p;
      best = pattern;
    }
  }
  withMask(best, data);
  return best;
}
