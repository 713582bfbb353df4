import { RateLimiterRes } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { purgeExpiredRateLimits } from "~/models/rate-limit.server";
import { RateLimiterClaimStore } from "~/services/security/rate-limiter-store.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

/** Two limiters on one key space stand for two web processes: each keeps its own memory of the counts. */
function twoProcesses(options: ConstructorParameters<typeof RateLimiterClaimStore>[0]) {
  return [new RateLimiterClaimStore(options), new RateLimiterClaimStore(options)] as const;
}

async function outcomes(consumes: Promise<unknown>[]) {
  const settled = await Promise.allSettled(consumes);
  const errors = settled.filter((s) => s.status === "rejected" && !(s.reason instanceof RateLimiterRes));
  expect(errors).toEqual([]);
  return {
    allowed: settled.filter((s) => s.status === "fulfilled").length,
    refused: settled.flatMap((s) => (s.status === "rejected" ? [s.reason as RateLimiterRes] : [])),
  };
}

const uniqueKey = () => `key-${Math.random().toString(36).slice(2)}`;

describe("the rate-limit store on the real database", () => {
  it("lets exactly the limit through when 50 requests from two processes arrive at once", async () => {
    const [a, b] = twoProcesses({ keyPrefix: "concurrent", points: 10, duration: 3_600 });
    for (let round = 0; round < 3; round++) {
      const key = uniqueKey();
      const { allowed, refused } = await outcomes(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).consume(key)));
      expect(allowed).toBe(10);
      expect(refused).toHaveLength(40);
      for (const r of refused) {
        expect(r.remainingPoints).toBe(0);
        expect(r.msBeforeNext).toBeGreaterThan(0);
        expect(r.msBeforeNext).toBeLessThanOrEqual(3_600_000);
      }
    }
  });

  it("stays exact when the two processes take turns, each counting on from what the other took", async () => {
    const [a, b] = twoProcesses({ keyPrefix: "turns", points: 7, duration: 3_600 });
    const key = uniqueKey();
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      const limiter = i % 3 === 0 ? a : b;
      const result = await limiter.consume(key).catch((r: RateLimiterRes) => r);
      seen.push(result.consumedPoints);
    }
    expect(seen.slice(0, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen.slice(7).every((n) => n > 7)).toBe(true);
    expect((await a.get(key))?.consumedPoints).toBeGreaterThan(7);
  });

  it("keeps keys apart", async () => {
    const [a] = twoProcesses({ keyPrefix: "apart", points: 2, duration: 3_600 });
    const first = uniqueKey();
    await a.consume(first);
    await a.consume(first);
    await expect(a.consume(first)).rejects.toBeInstanceOf(RateLimiterRes);
    await expect(a.consume(uniqueKey())).resolves.toMatchObject({ consumedPoints: 1 });
  });

  it("blocks for the block duration once the limit is crossed, and counts nothing while blocked", async () => {
    const [a, b] = twoProcesses({ keyPrefix: "blocking", points: 3, duration: 60, blockDuration: 900, resettable: true });
    const key = uniqueKey();
    for (let i = 0; i < 3; i++) await a.consume(key);
    const crossing = (await a.consume(key).catch((r: unknown) => r)) as RateLimiterRes;
    expect(crossing).toBeInstanceOf(RateLimiterRes);
    expect(crossing.msBeforeNext).toBe(900_000);
    // The other process sees the block, longer than the 60 s window.
    const blocked = (await b.consume(key).catch((r: unknown) => r)) as RateLimiterRes;
    expect(blocked).toBeInstanceOf(RateLimiterRes);
    expect(blocked.msBeforeNext).toBeGreaterThan(60_000);
    const state = await b.get(key);
    expect(state!.consumedPoints).toBeGreaterThan(3);
    expect(state!.msBeforeNext).toBeGreaterThan(60_000);
  });

  it("starts afresh after a reset, in every process", async () => {
    const [a, b] = twoProcesses({ keyPrefix: "reset", points: 5, duration: 3_600, blockDuration: 900, resettable: true });
    const key = uniqueKey();
    for (let i = 0; i < 4; i++) await (i % 2 ? a : b).consume(key);
    expect((await a.get(key))?.consumedPoints).toBe(4);
    await a.delete(key);
    expect(await b.get(key)).toBeNull();
    await expect(b.consume(key)).resolves.toMatchObject({ consumedPoints: 1 });
  });

  it("lets the worker delete records whose window is over, and only those", async () => {
    const [a] = twoProcesses({ keyPrefix: "purge", points: 5, duration: 60 });
    const key = uniqueKey();
    await a.consume(key);
    await a.consume(key);
    expect(await purgeExpiredRateLimits(new Date())).toBe(0);
    expect(await purgeExpiredRateLimits(new Date(Date.now() + 61_000))).toBeGreaterThanOrEqual(2);
    const fresh = new RateLimiterClaimStore({ keyPrefix: "purge", points: 5, duration: 60 });
    expect(await fresh.get(key)).toBeNull();
  });
});
