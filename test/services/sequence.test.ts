import { describe, expect, it } from "vitest";
import { nextSequence } from "~/models/counter.server";
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
});
