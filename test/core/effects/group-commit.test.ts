import { describe, expect, it } from "vitest";
import { groupWrites } from "~/models/group-commit.server";

/** A write whose completion the test controls. */
function controlledWrite() {
  const calls: { items: number[]; finish: (error?: Error) => void }[] = [];
  const write = (items: number[]) => new Promise<void>((resolve, reject) => calls.push({ items, finish: (error) => (error ? reject(error) : resolve()) }));
  return { calls, write };
}

describe("group commit", () => {
  it("writes the first request at once and everything asked for meanwhile in one next write", async () => {
    const { calls, write } = controlledWrite();
    const commit = groupWrites(write);
    const settled: string[] = [];
    const a = commit([1]).then(() => settled.push("a"));
    const b = commit([2, 3]).then(() => settled.push("b"));
    const c = commit([4]).then(() => settled.push("c"));
    expect(calls.map((call) => call.items)).toEqual([[1]]);
    calls[0]!.finish();
    await a;
    expect(settled).toEqual(["a"]); // b and c are not told "done" before their write is
    expect(calls.map((call) => call.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.finish();
    await Promise.all([b, c]);
    expect(settled).toEqual(["a", "b", "c"]);
  });

  it("a failed write fails only the callers it carried", async () => {
    const { calls, write } = controlledWrite();
    const commit = groupWrites(write);
    const first = commit([1]);
    const second = commit([2]);
    calls[0]!.finish(new Error("database blinked"));
    await expect(first).rejects.toThrow("database blinked");
    calls[1]!.finish();
    await expect(second).resolves.toEqual([]);
    await expect(commit([])).resolves.toEqual([]);
    expect(calls).toHaveLength(2); // nothing to write: no write
  });
});
