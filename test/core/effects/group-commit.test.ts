import { describe, expect, it } from "vitest";
import { groupWrites } from "~/models/group-commit.server";

/** A write whose completion the test controls. */
const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function controlledWrite() {
  const calls: { items: number[]; finish: (error?: Error) => void }[] = [];
  const write = (items: number[]) => new Promise<void>((resolve, reject) => calls.push({ items, finish: (error) => (error ? reject(error) : resolve()) }));
  return { calls, write };
}

describe("group commit", () => {
  it("writes what is asked for in one turn together, and what is asked for meanwhile in one next write", async () => {
    const { calls, write } = controlledWrite();
    const commit = groupWrites(write);
    const settled: string[] = [];
    const a = commit([1]).then(() => settled.push("a"));
    const b = commit([2, 3]).then(() => settled.push("b"));
    expect(calls).toHaveLength(0); // collected until the end of the turn
    await endOfTurn();
    expect(calls.map((call) => call.items)).toEqual([[1, 2, 3]]);
    const c = commit([4]).then(() => settled.push("c"));
    const d = commit([5]).then(() => settled.push("d"));
    calls[0]!.finish();
    await Promise.all([a, b]);
    expect(settled).toEqual(["a", "b"]); // c and d are not told "done" before their write is
    expect(calls.map((call) => call.items)).toEqual([[1, 2, 3], [4, 5]]);
    calls[1]!.finish();
    await Promise.all([c, d]);
    expect(settled).toEqual(["a", "b", "c", "d"]);
  });

  it("moves concurrent requests through their writes in step: the callers one answer releases write together next", async () => {
    const first = controlledWrite();
    const second = controlledWrite();
    const commitFirst = groupWrites(first.write);
    const commitSecond = groupWrites(second.write);
    // Each request writes to the first collection, then to the second (a claim, then a case).
    const requests = [1, 2, 3, 4].map(async (n) => {
      await commitFirst([n]);
      await commitSecond([n * 10]);
    });
    await endOfTurn();
    expect(first.calls.map((call) => call.items)).toEqual([[1, 2, 3, 4]]);
    first.calls[0]!.finish();
    await endOfTurn();
    await endOfTurn();
    expect(second.calls.map((call) => call.items)).toEqual([[10, 20, 30, 40]]);
    second.calls[0]!.finish();
    await Promise.all(requests);
  });

  it("a failed write fails only the callers it carried", async () => {
    const { calls, write } = controlledWrite();
    const commit = groupWrites(write);
    const first = commit([1]);
    await endOfTurn();
    const second = commit([2]);
    calls[0]!.finish(new Error("database blinked"));
    await expect(first).rejects.toThrow("database blinked");
    await endOfTurn();
    calls[1]!.finish();
    await expect(second).resolves.toEqual([]);
    await expect(commit([])).resolves.toEqual([]);
    expect(calls).toHaveLength(2); // nothing to write: no write
  });
});
