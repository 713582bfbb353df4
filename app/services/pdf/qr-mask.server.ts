/**
 * A faster stand-in for qrcode's mask choice (`getBestMask`), giving the same mask for every symbol.
 *
 * QRCode.create tries all eight masks and keeps the one with the lowest penalty (N1 runs, N2 blocks, N3
 * finder-like patterns, N4 balance). The package does it module by module through `BitMatrix.get`, applying
 * and undoing each mask in place: 3.9 ms of the 6.8 ms a signed permit's URL (125 modules a side) takes to
 * encode, and a FEE_PAID encodes two. Here each mask is applied to a copy in one pass and the four penalties
 * are summed over flat arrays, the same rules in the same order (ties keep the lower mask): 1.45 ms, and the
 * symbols drawn are unchanged. test/services/qr-mask.test.ts checks it against the package's own penalty
 * functions, which stay in place.
 *
 * The package calls `MaskPattern.getBestMask` through its module object at encode time, so replacing that one
 * export is enough; packages load from node_modules in the server build and the PDF worker alike, so this
 * and the package share that module object.
 */
import { createRequire } from "node:module";

type Matrix = { size: number; data: Uint8Array; reservedBit: Uint8Array };
type MaskPatternModule = {
  getBestMask: (data: Matrix, setupFormat: (mask: number) => void) => number;
  getPenaltyN1: (data: Matrix) => number;
  getPenaltyN2: (data: Matrix) => number;
  getPenaltyN3: (data: Matrix) => number;
  getPenaltyN4: (data: Matrix) => number;
};

export const packageMaskPattern = createRequire(import.meta.url)("qrcode/lib/core/mask-pattern.js") as MaskPatternModule;
/** The package's own chooser, kept for the tests. */
export const packageGetBestMask = packageMaskPattern.getBestMask;

/** Whether mask `p` flips the module at (i = row, j = column): ISO/IEC 18004 table 10, as the package has it. */
function maskAt(p: number, i: number, j: number): boolean {
  switch (p) {
    case 0: return (i + j) % 2 === 0;
    case 1: return i % 2 === 0;
    case 2: return j % 3 === 0;
    case 3: return (i + j) % 3 === 0;
    case 4: return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5: return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6: return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default: return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
} // prettier-ignore

/** N1 points for a run of n alike modules: 3 + (n - 5) from five on. */
const RUN_POINTS = Int32Array.from({ length: 178 }, (_, n) => (n >= 5 ? n - 2 : 0)); // 177: version 40's side
/** N2: a 2×2 block whose four modules sum to 0 or 4 is alike. */
const BLOCK_ALIKE = Int32Array.of(1, 0, 0, 0, 1);

/**
 * The package's N1 + N2 + N3 + N4 penalty of a masked symbol (`m[row * size + col]`, 0 or 1). Rows and
 * columns are walked together; the run and block counts are kept without branches, which a symbol's
 * noise-like modules would mispredict half the time.
 */
export function maskPenalty(m: Uint8Array, size: number): number {
  let n1 = 0;
  let n3 = 0;
  let blocks = 0;
  let dark = 0;
  for (let a = 0; a < size; a++) {
    const rowStart = a * size;
    let lastInRow = 0;
    let lastInCol = 0;
    let rowRun = 0;
    let colRun = 0;
    let rowBits = 0;
    let colBits = 0;
    for (let b = 0; b < size; b++) {
      const inRow = m[rowStart + b]!; // row a, column b
      const inCol = m[b * size + a]!; // column a, row b
      dark += inRow;
      // N1: a run ends where the module differs from the one before
      const rowSame = inRow ^ lastInRow ^ 1;
      n1 += (rowSame ^ 1) * RUN_POINTS[rowRun]!;
      rowRun = rowSame * rowRun + 1;
      lastInRow = inRow;
      const colSame = inCol ^ lastInCol ^ 1;
      n1 += (colSame ^ 1) * RUN_POINTS[colRun]!;
      colRun = colSame * colRun + 1;
      lastInCol = inCol;
      // N3: 1:1:3:1:1 with four light modules before or after, in an 11-module window
      rowBits = ((rowBits << 1) & 0x7ff) | inRow;
      colBits = ((colBits << 1) & 0x7ff) | inCol;
      if (b >= 10) {
        if (rowBits === 0x5d0 || rowBits === 0x05d) n3++;
        if (colBits === 0x5d0 || colBits === 0x05d) n3++;
      }
    }
    n1 += RUN_POINTS[rowRun]! + RUN_POINTS[colRun]!;
    if (a < size - 1) {
      // N2: 2×2 blocks alike, this row and the next
      const next = rowStart + size;
      for (let b = 0; b < size - 1; b++) {
        blocks += BLOCK_ALIKE[m[rowStart + b]! + m[rowStart + b + 1]! + m[next + b]! + m[next + b + 1]!]!;
      }
    }
  }
  const k = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10); // N4, the package's arithmetic
  return n1 + blocks * 3 + n3 * 40 + k * 10;
}

/**
 * Per symbol size (a version: its reserved modules are fixed), the modules each mask flips: the mask's
 * pattern outside the reserved modules. A FEE_PAID's symbols are mostly of a few sizes.
 */
const flipsBySize = new Map<number, Uint8Array[]>();
function flipsOf(size: number, reservedBit: Uint8Array): Uint8Array[] {
  let flips = flipsBySize.get(size);
  if (!flips) {
    flips = [];
    for (let p = 0; p < 8; p++) {
      const flip = new Uint8Array(size * size);
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) flip[row * size + col] = !reservedBit[row * size + col] && maskAt(p, row, col) ? 1 : 0;
      }
      flips.push(flip);
    }
    if (flipsBySize.size >= 8) flipsBySize.clear();
    flipsBySize.set(size, flips);
  }
  return flips;
}

/** Same contract as the package's `getBestMask`: `setupFormat(p)` writes mask p's format bits (reserved modules). */
export function bestMask(data: Matrix, setupFormat: (mask: number) => void): number {
  const { size, reservedBit } = data;
  const flips = flipsOf(size, reservedBit);
  const masked = new Uint8Array(size * size);
  let best = 0;
  let lowest = Infinity;
  for (let p = 0; p < 8; p++) {
    setupFormat(p);
    const modules = data.data;
    const flip = flips[p]!;
    for (let at = 0; at < masked.length; at++) masked[at] = modules[at]! ^ flip[at]!;
    const penalty = maskPenalty(masked, size);
    if (penalty < lowest) {
      lowest = penalty;
      best = p;
    }
  }
  return best;
}

/** Puts `bestMask` in the package's place (once; idempotent). */
export function installFastQrMask(): void {
  packageMaskPattern.getBestMask = bestMask;
}
