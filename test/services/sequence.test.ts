import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { claim } from "~/models/claim.server";
import { claimedSequence, nextSequence, raiseSequenceHint } from "~/models/counter.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

describe("sequence numbers", () => {
  it("gives 30 concurrent callers 30 different, gap-free numbers", async () => {
    const numbers = await Promise.all(Array.from({ length: 30 }, () => nextSequence("test:concurrent")));
    expect(new Set(numbers).size).toBe(30);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("keeps separate sequences apart", async () => {
    expect(await nextSequence("test:a")).toBe(1);
    expect(await nextSequence("test:b")).toBe(1);
    expect(await nextSequence("test:a")).toBe(2);
  });

  it("skips numbers another process took, without a gap", async () => {
    expect(await nextSequence("test:shared")).toBe(1);
    // Another process takes 2..6 and raises the shared hint only to 4 (it raises it now and then).
    for (let n = 2; n <= 6; n++) expect(await claim(`seq:test:shared:${n}`)).toBe(true);
    await raiseSequenceHint("test:shared", 4);
    expect(await nextSequence("test:shared", "me")).toBe(7);
    expect(await claimedSequence("test:shared", "me")).toBe(7);
    expect(await nextSequence("test:shared")).toBe(8);
  });

  it("gives two processes taking 40 numbers each at once 80 different, gap-free numbers", async () => {
    const child = spawn("npx", ["tsx", "test/support/children/take-sequence.ts", "test:two-processes", "40"], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // Keep taking numbers here until the child has finished, so the two really overlap.
    const mine: number[] = [];
    let childDone = false;
    void exited.then(() => (childDone = true));
    while (!childDone || mine.length < 40) {
      mine.push(...(await Promise.all(Array.from({ length: 4 }, () => nextSequence("test:two-processes")))));
      if (mine.length >= 400) break;
    }
    expect(await exited, err).toBe(0);
    const theirs = JSON.parse(out) as number[];
    const all = [...mine, ...theirs].sort((a, b) => a - b);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  });
});
