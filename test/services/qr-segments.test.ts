import { createRequire } from "node:module";

import QRCode from "qrcode";
import { afterEach, describe, expect, it } from "vitest";

import { makeHeapQueue, packageDijkstra, packageMakeQueue } from "~/services/pdf/qr-segments.server";
import { qrModules } from "~/services/pdf/thai-pdf.server";
import { samplePermitPdfInput } from "../support/pdf-samples";

const Segments = createRequire(import.meta.url)("qrcode/lib/core/segments.js") as { fromString: (data: string, version: number) => unknown };
const installed = packageDijkstra.PriorityQueue.make; // what importing the PDF module put there

/** Mixed texts: long digit and letter runs inside URLs make the search weigh many near-equal splits. */
function texts(): string[] {
  const url = samplePermitPdfInput().verifyUrl;
  const out = ["1", "HELLO WORLD", "https://example.go.th/verify#NBI-1", "0123456789".repeat(20), "เทศบาลนครนนทบุรี", "AB12CD345EF6789GH0".repeat(12)];
  for (let i = 0; i < 60; i++) out.push(url.slice(0, 40 + ((i * 97) % (url.length - 40))) + String(i * 7919) + "ABC".repeat(i % 5));
  return out;
}

afterEach(() => {
  packageDijkstra.PriorityQueue.make = installed;
});

describe("the QR segment choice", () => {
  it("pops what the package's sorted queue pops, in the same order", () => {
    // given pushes of equal and unequal costs, interleaved with pops
    const ops = Array.from({ length: 400 }, (_, i) => ((i * 7919) % 13 < 4 ? null : { value: `n${i}`, cost: (i * 104729) % 9 }));
    const popsOf = (queue: ReturnType<typeof makeHeapQueue>) => {
      const popped: string[] = [];
      for (const op of ops) {
        if (op) queue.push(op.value, op.cost);
        else if (!queue.empty()) popped.push(queue.pop()!.value);
      }
      while (!queue.empty()) popped.push(queue.pop()!.value);
      return popped;
    };
    // then the heap gives the package's order, equal costs first come first served
    expect(popsOf(makeHeapQueue())).toEqual(popsOf(packageMakeQueue()));
  });

  it("gives the package's segments and symbols, and is the one in use", () => {
    expect(installed).toBe(makeHeapQueue);
    for (const text of texts()) {
      for (const version of [10, 27, 40]) {
        packageDijkstra.PriorityQueue.make = packageMakeQueue;
        const theirs = Segments.fromString(text, version);
        packageDijkstra.PriorityQueue.make = makeHeapQueue;
        expect(Segments.fromString(text, version)).toEqual(theirs);
      }
      const ours = qrModules(text);
      packageDijkstra.PriorityQueue.make = packageMakeQueue;
      const symbol = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
      expect(ours.size).toBe(symbol.size);
      expect(Buffer.from(ours.data).equals(Buffer.from(symbol.data))).toBe(true);
    }
  });
});
