import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { RateLimiterRes, type RateLimiterStoreAbstract } from "rate-limiter-flexible";
import { deleteOverride, getOverride, releaseSlots, setOverride, slotTaken, takeSlot } from "~/models/rate-limit.server";
import { connectDb } from "~/utils/db.server";

// The library exports its store base class in its typings but not from its entry point.
const StoreAbstract = createRequire(import.meta.url)("rate-limiter-flexible/lib/RateLimiterStoreAbstract.js") as typeof RateLimiterStoreAbstract;

type StoreResult = { points: number; expire: Date };

export type ClaimStoreOptions = Omit<ConstructorParameters<typeof RateLimiterStoreAbstract>[0], "storeClient"> & {
  /**
   * Count from the database on every consume instead of starting from this process's last known count.
   * Needed where counters are deleted (a successful sign-in resets its failures): another process's memory
   * would otherwise count on from before the reset.
   */
  resettable?: boolean;
};

/** Hints are only a shortcut; forgetting them all now and then bounds the memory they take. */
const MAX_HINTS = 10_000;

/**
 * A `rate-limiter-flexible` store that is exact on FerretDB as on MongoDB, across processes. The library's
 * own Mongo store increments a counter with `$inc`, which FerretDB v1 does not apply atomically (measured: a
 * limit of 10 let 50 of 50 concurrent requests through; see docs/decisions/005-rate-limits-and-sign-in-protection.md).
 *
 * Here the n-th request of a key in a window takes slot n by inserting `_id` = `<key>|<window>|<n>`: exactly
 * one caller wins each slot, so exactly `points` requests pass. Each process remembers the last slot it saw
 * taken, so a consume is one `_id` insert unless another process took slots meanwhile; then it finds the
 * first free slot with `_id` reads (doubling, then halving). Once a window is over its limit, the process
 * answers from memory without a round trip. Windows are fixed (not sliding) and staggered per key, so up to
 * twice the limit can pass across a window boundary. Blocks (`blockDuration`) are an override record.
 */
export class RateLimiterClaimStore extends StoreAbstract {
  private readonly hints = new Map<string, number>();
  /** The consume in flight per window of a key: one process's requests on one key go one after another. */
  private readonly inFlight = new Map<string, Promise<number>>();
  private readonly resettable: boolean;

  constructor(options: ClaimStoreOptions) {
    super({ ...options, storeClient: "borikan-claims" });
    if (!(this.duration > 0)) throw new Error("RateLimiterClaimStore needs a duration: counts live in time windows");
    this.resettable = options.resettable ?? false;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, result: StoreResult): RateLimiterRes {
    const consumed = result.points;
    return new RateLimiterRes(Math.max(this.points - consumed, 0), Math.max(result.expire.getTime() - Date.now(), 0), consumed, consumed === changedPoints);
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<StoreResult> {
    await connectDb();
    const id = recordId(rlKey);
    if (forceExpire) {
      const expire = new Date(Date.now() + msDuration);
      await setOverride(overrideId(id), { points, expiresAt: expire });
      return { points, expire };
    }
    if (!Number.isInteger(points) || points < 1) throw new Error("RateLimiterClaimStore counts whole requests only (no rewards)");
    // Under a block nothing is counted, so the window's count does not carry the block past its end.
    const override = this.blockDuration > 0 ? await activeOverride(id) : null;
    if (override) return { points: Math.max(override.points, this.points + 1) + points, expire: override.expiresAt };
    const { prefix, expire } = windowOf(id, msDuration);
    let count = 0;
    for (let i = 0; i < points; i++) count = await this.queued(prefix, () => this.takeNextSlot(prefix, expire));
    return { points: count, expire };
  }

  async _get(rlKey: string): Promise<StoreResult | null> {
    await connectDb();
    const id = recordId(rlKey);
    const override = await activeOverride(id);
    if (override) return { points: override.points, expire: override.expiresAt };
    const { prefix, expire } = windowOf(id, this.msDuration);
    const count = await this.lastTaken(prefix, 0);
    return count > 0 ? { points: count, expire } : null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    await connectDb();
    const id = recordId(rlKey);
    const { prefix } = windowOf(id, this.msDuration);
    this.hints.delete(prefix);
    const count = await this.lastTaken(prefix, 0);
    const [removed] = await Promise.all([deleteOverride(overrideId(id)), releaseSlots(Array.from({ length: count }, (_, i) => `${prefix}|${i + 1}`))]);
    return removed || count > 0;
  }

  /**
   * Runs `take` after the previous one for the same window: simultaneous requests of one process would
   * otherwise all race for the same slot and all but one search again (measured: p95 300 ms at 8 at once).
   */
  private queued(prefix: string, take: () => Promise<number>): Promise<number> {
    const previous = this.inFlight.get(prefix);
    const current = (previous ? previous.catch(() => 0).then(take) : take()).finally(() => {
      if (this.inFlight.get(prefix) === current) this.inFlight.delete(prefix);
    });
    this.inFlight.set(prefix, current);
    return current;
  }

  /** Takes the first free slot and returns its number; past the limit, counts from memory without taking one. */
  private async takeNextSlot(prefix: string, expire: Date): Promise<number> {
    // Slot points + 1 is taken by the one request that crosses the limit (the library blocks on crossing).
    const cap = this.points + 1;
    let known = this.resettable ? 0 : (this.hints.get(prefix) ?? 0);
    for (;;) {
      if (known >= cap) return known + 1;
      const candidate = known + 1;
      if (await takeSlot(`${prefix}|${candidate}`, expire)) {
        this.remember(prefix, candidate);
        return candidate;
      }
      known = await this.lastTaken(prefix, candidate);
      this.remember(prefix, known);
    }
  }

  /**
   * The highest taken slot, given that slot `from` is taken (or 0). Slots are taken in order, each only after
   * the one before it, so the taken ones are 1..n: double the step until a free one, then halve the gap.
   */
  private async lastTaken(prefix: string, from: number): Promise<number> {
    const cap = this.points + 1;
    let taken = from;
    let free = 0;
    for (let step = 1; ; step *= 2) {
      if (taken >= cap) return taken;
      const probe = taken + step;
      if (!(await slotTaken(`${prefix}|${probe}`))) {
        free = probe;
        break;
      }
      taken = probe;
    }
    while (free - taken > 1) {
      const middle = Math.floor((taken + free) / 2);
      if (await slotTaken(`${prefix}|${middle}`)) taken = middle;
      else free = middle;
    }
    return taken;
  }

  private remember(prefix: string, slot: number) {
    if (this.hints.size >= MAX_HINTS) this.hints.clear();
    if (slot > (this.hints.get(prefix) ?? 0)) this.hints.set(prefix, slot);
  }
}

/** Keys may hold e-mail or network addresses: stored hashed, never readable. */
function recordId(rlKey: string): string {
  return createHash("sha256").update(rlKey).digest("base64url").slice(0, 22);
}

const overrideId = (id: string) => `${id}|!`;

async function activeOverride(id: string) {
  const override = await getOverride(overrideId(id));
  return override && override.expiresAt.getTime() > Date.now() ? override : null;
}

/**
 * The key's current window: fixed length, shifted by an offset taken from the key so that keys do not all
 * start afresh at the same instant.
 */
function windowOf(id: string, msDuration: number): { prefix: string; expire: Date } {
  const offset = Buffer.from(id, "base64url").readUInt32BE(0) % msDuration;
  const window = Math.floor((Date.now() + offset) / msDuration);
  return { prefix: `${id}|${window}`, expire: new Date((window + 1) * msDuration - offset) };
}
