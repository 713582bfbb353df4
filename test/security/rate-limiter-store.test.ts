import { RateLimiterRes } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { purgeExpiredRateLimits } from "~/models/rate-limit.server";
import { RateLimiterClaimStore } from "~/services/security/rate-limiter-store.server";
import mongoose from "mongoose";
import { withTestDatabase } from "../support/db";

const rateLimitRecords = () => mongoose.connection.collection("ratelimits");

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

  it("gives requests that arrive together each their own count, multi-point ones included, across two processes", async () => {
    const [a, b] = twoProcesses({ keyPrefix: "batched", points: 40, duration: 3_600 });
    const key = uniqueKey();
    // 16 one-point and 4 three-point requests from two processes at once: 28 points, all under the limit
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).consume(key, i % 5 === 0 ? 3 : 1)));
    const counts = results.map((r) => r.consumedPoints).sort((x, y) => x - y);
    expect(new Set(counts).size).toBe(20);
    expect(counts.at(-1)).toBe(28);
    expect((await a.get(key))?.consumedPoints).toBe(28);
    // the 12 points left go to exactly the requests that fit
    const { allowed } = await outcomes(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).consume(key)));
    expect(allowed).toBe(12);
  });

  it("with blocks, never lets more than the limit through and refuses early by less than a block per other process", async () => {
    const [a, b] = twoProcesses({ keyPrefix: "blocks", points: 100, duration: 3_600, blockSize: 10 });
    for (let round = 0; round < 3; round++) {
      const key = uniqueKey();
      const { allowed } = await outcomes(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).consume(key)));
      expect(allowed).toBeLessThanOrEqual(100);
      expect(allowed).toBeGreaterThanOrEqual(100 - 9);
    }
  });

  it("with blocks, takes one slot record per block of requests", async () => {
    const limiter = new RateLimiterClaimStore({ keyPrefix: "block-records", points: 1_000, duration: 3_600, blockSize: 10 });
    const key = uniqueKey();
    const before = await rateLimitRecords().countDocuments();
    for (let i = 0; i < 35; i++) expect((await limiter.consume(key)).consumedPoints).toBe(i + 1);
    expect((await rateLimitRecords().countDocuments()) - before).toBe(4);
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
    const counted = () => new RateLimiterClaimStore({ keyPrefix: "purge", points: 5, duration: 60 }).get(key);
    const before = (await counted())?.consumedPoints;
    expect(before).toBeGreaterThan(0);
    // Windows are aligned to the clock, so other tests' records (or this test's first) may end between two
    // statements: the purge is judged against one fixed instant, not a count of zero.
    const now = new Date();
    const live = () => rateLimitRecords().countDocuments({ expiresAt: { $gt: now } });
    const liveBefore = await live();
    await purgeExpiredRateLimits(now);
    expect(await live()).toBe(liveBefore);
    expect(await rateLimitRecords().countDocuments({ expiresAt: { $lte: now } })).toBe(0);
    expect((await counted())?.consumedPoints).toBe(before);
    expect(await purgeExpiredRateLimits(new Date(Date.now() + 61_000))).toBeGreaterThanOrEqual(before!);
    expect(await counted()).toBeNull();
  });
});
