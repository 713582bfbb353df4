import { createHash, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { RateLimiterRes, type RateLimiterStoreAbstract } from "rate-limiter-flexible";
import { deleteOverride, getOverride, releaseSlots, setOverride, slotTaken, takeSlots } from "~/models/rate-limit.server";
import { connectDb } from "~/utils/db.server";

// The library exports its store base class in its typings but not from its entry point.
const StoreAbstract = createRequire(import.meta.url)("rate-limiter-flexible/lib/RateLimiterStoreAbstract.js") as typeof RateLimiterStoreAbstract;

type StoreResult = { points: number; expire: Date };
type SlotQueue = { waiting: { points: number; resolve: (count: number) => void; reject: (error: unknown) => void }[]; writing: boolean };

export type ClaimStoreOptions = Omit<ConstructorParameters<typeof RateLimiterStoreAbstract>[0], "storeClient"> & {
  /**
   * Count from the database on every consume instead of starting from this process's last known count.
   * Needed where counters are deleted (a successful sign-in resets its failures): another process's memory
   * would otherwise count on from before the reset.
   */
  resettable?: boolean;
  /**
   * How many requests one slot stands for (default: one per 50 of the limit, at most 16; always 1 when
   * resettable). A process takes a slot and serves that many requests from it, so busy keys cost one insert
   * per block instead of per request. Never over-admits; may refuse up to (processes − 1) × (block − 1)
   * requests early, when other processes hold part-used blocks as the limit is reached.
   */
  blockSize?: number;
};

/** Hints are only a shortcut; forgetting them all now and then bounds the memory they take. */
const MAX_HINTS = 10_000;

/**
 * A `rate-limiter-flexible` store that is exact on FerretDB as on MongoDB, across processes. The library's
 * own Mongo store increments a counter with `$inc`, which FerretDB v1 does not apply atomically (measured: a
 * limit of 10 let 50 of 50 concurrent requests through; see docs/decisions/005-rate-limits-and-sign-in-protection.md).
 *
 * Here the n-th request of a key in a window takes slot n by inserting `_id` = `<key>|<window>|<n>`: exactly
 * one caller wins each slot, so exactly `points` requests pass. (With a block size B > 1 for large limits, a
 * slot stands for B requests, served from this process's memory.) Each process remembers the last slot it saw
 * taken, so a consume is one `_id` insert unless another process took slots meanwhile; then it finds the
 * first free slot with `_id` reads (doubling, then halving). Once a window is over its limit, the process
 * answers from memory without a round trip. Windows are fixed (not sliding) and staggered per key, so up to
 * twice the limit can pass across a window boundary. Blocks (`blockDuration`) are an override record.
 */
export class RateLimiterClaimStore extends StoreAbstract {
  private readonly hints = new Map<string, number>();
  /** Per window of a key: this process's requests waiting for slots, and whether a batch is being written. */
  private readonly queues = new Map<string, SlotQueue>();
  /** Per window of a key: the request numbers of this process's last block not yet handed out. */
  private readonly reserves = new Map<string, { next: number; end: number }>();
  private readonly resettable: boolean;
  private readonly blockSize: number;
  /** Slots needed to count up to points + 1 (the request that crosses the limit takes one). */
  private readonly slotCap: number;

  constructor({ resettable = false, blockSize, ...options }: ClaimStoreOptions) {
    super({ ...options, storeClient: "borikan-claims" });
    if (!(this.duration > 0)) throw new Error("RateLimiterClaimStore needs a duration: counts live in time windows");
    this.resettable = resettable;
    this.blockSize = resettable ? 1 : Math.max(1, Math.floor(blockSize ?? Math.min(16, this.points / 50)));
    this.slotCap = Math.ceil((this.points + 1) / this.blockSize);
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
    return { points: await this.takeSlots(prefix, expire, points), expire };
  }

  async _get(rlKey: string): Promise<StoreResult | null> {
    await connectDb();
    const id = recordId(rlKey);
    const override = await activeOverride(id);
    if (override) return { points: override.points, expire: override.expiresAt };
    const { prefix, expire } = windowOf(id, this.msDuration);
    const count = (await this.lastTaken(prefix, 0)) * this.blockSize;
    return count > 0 ? { points: count, expire } : null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    await connectDb();
    const id = recordId(rlKey);
    const { prefix } = windowOf(id, this.msDuration);
    this.hints.delete(prefix);
    this.reserves.delete(prefix);
    const count = await this.lastTaken(prefix, 0);
    const [removed] = await Promise.all([deleteOverride(overrideId(id)), releaseSlots(Array.from({ length: count }, (_, i) => `${prefix}|${i + 1}`))]);
    return removed || count > 0;
  }

  /**
   * Takes `points` slots of the window once the batch before it is written: the requests of one process on
   * one key that arrive while a batch is being written go together as one ordered insert (group commit).
   * Simultaneous requests would otherwise all race for the same slot and all but one search again (measured:
   * p95 300 ms at 8 at once), or go one insert after another.
   */
  private takeSlots(prefix: string, expire: Date, points: number): Promise<number> {
    let queue = this.queues.get(prefix);
    if (!queue) {
      queue = { waiting: [], writing: false };
      this.queues.set(prefix, queue);
    }
    const taken = new Promise<number>((resolve, reject) => queue.waiting.push({ points, resolve, reject }));
    if (!queue.writing) void this.writeQueued(prefix, expire, queue);
    return taken;
  }

  private async writeQueued(prefix: string, expire: Date, queue: SlotQueue) {
    queue.writing = true;
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0);
      try {
        const counts = await this.takeBatch(prefix, expire, batch.map((w) => w.points));
        batch.forEach((waiting, i) => waiting.resolve(counts[i]));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    queue.writing = false;
    this.queues.delete(prefix);
  }

  /**
   * Gives each request of the batch its numbers in turn — from this process's block in hand, then from new
   * slots — and returns each request's count (its last number). Past the limit, counts on from memory
   * without taking slots.
   */
  private async takeBatch(prefix: string, expire: Date, requests: number[]): Promise<number[]> {
    const size = this.blockSize;
    const total = requests.reduce((sum, points) => sum + points, 0);
    const numbers: number[] = [];
    const reserve = this.reserves.get(prefix);
    while (reserve && reserve.next <= reserve.end && numbers.length < total) numbers.push(reserve.next++);
    if (numbers.length < total) {
      this.reserves.delete(prefix);
      const { taken, known } = await this.takeNewSlots(prefix, expire, Math.ceil((total - numbers.length) / size));
      for (const slot of taken) {
        for (let n = (slot - 1) * size + 1; n <= slot * size; n++) {
          if (numbers.length < total) numbers.push(n);
          else {
            this.reserves.set(prefix, { next: n, end: slot * size });
            break;
          }
        }
      }
      for (let last = Math.max(known * size, numbers.at(-1) ?? 0); numbers.length < total; ) numbers.push(++last);
    }
    if (this.reserves.size >= MAX_HINTS) this.reserves.clear();
    const counts: number[] = [];
    let at = 0;
    for (const points of requests) {
      at += points;
      counts.push(numbers[at - 1]);
    }
    return counts;
  }

  /** Takes up to `wanted` free slots (never past the cap), as few inserts as other processes allow. */
  private async takeNewSlots(prefix: string, expire: Date, wanted: number): Promise<{ taken: number[]; known: number }> {
    const owner = randomUUID();
    const taken: number[] = [];
    let known = this.resettable ? 0 : (this.hints.get(prefix) ?? 0);
    for (;;) {
      const storable = Math.max(0, Math.min(wanted - taken.length, this.slotCap - known));
      const stored = storable > 0 ? await takeSlots(Array.from({ length: storable }, (_, i) => `${prefix}|${known + 1 + i}`), expire, owner) : 0;
      for (let i = 1; i <= stored; i++) taken.push(known + i);
      known += stored;
      if (stored > 0) this.remember(prefix, known);
      if (stored === storable) return { taken, known };
      // Another process holds the next slot: find where its run ends and go on after it.
      known = await this.lastTaken(prefix, known + 1);
      this.remember(prefix, known);
    }
  }

  /**
   * The highest taken slot, given that slot `from` is taken (or 0). Slots are taken in order, each only after
   * the one before it, so the taken ones are 1..n: double the step until a free one, then halve the gap.
   */
  private async lastTaken(prefix: string, from: number): Promise<number> {
    const cap = this.slotCap;
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
