import type { Collection } from "mongodb";
import mongoose, { Schema } from "mongoose";
import { claimMany, findClaimsOf } from "./claim.server";

type Counter = { _id: string; seq: number };
const CounterSchema = new Schema<Counter>({ _id: String, seq: { type: Number, required: true } }, { versionKey: false });
const CounterModel = (mongoose.models.Counter as mongoose.Model<Counter>) ?? mongoose.model<Counter>("Counter", CounterSchema);

/**
 * Next value of a named sequence, unique across processes: each number is owned by the one caller whose claim
 * insert for it succeeds, and an `owner` recorded on the claim lets a caller that crashed after taking a number
 * find it again (`claimedSequence`) instead of leaving a gap.
 *
 * Within a process the callers of one sequence queue up and one loop claims for them, remembering where it
 * stopped: concurrent requests no longer all read the same hint and race each other up the numbers (30 failed
 * inserts per number at concurrency 32). The k callers waiting when the loop comes round get the next k numbers
 * claimed in one unordered insert (group commit), each claim carrying its own caller's owner. Only another
 * process's numbers can make a claim fail; the callers whose number was taken try again past everything this
 * batch tried and past the shared hint, which each process raises as it goes (at most once per batch).
 */
export function nextSequence(name: string, owner?: string): Promise<number> {
  return new Promise<number>((resolve, reject) => enqueue(name, { owner, resolve: (value, hinted) => void hinted.then(() => resolve(value)), reject }));
}

/**
 * `nextSequence`, answered as soon as the number is claimed (the claim is what makes it the caller's) rather than
 * after the shared hint is raised too: `hinted` settles once the hint covers `value` (it never rejects). A caller
 * that has more writes to make sends them meanwhile and awaits `hinted` before it answers, so the hint is as
 * current when it answers as with `nextSequence`, one round trip sooner (decision 029).
 */
export function takeSequenceNumber(name: string, owner?: string): Promise<{ value: number; hinted: Promise<void> }> {
  return new Promise((resolve, reject) => enqueue(name, { owner, resolve: (value, hinted) => resolve({ value, hinted }), reject }));
}

/**
 * `nextSequence` for a caller that raises the shared hint itself, in the same command as other counters it raises
 * (`raiseSequenceHints`): the number is answered as soon as it is claimed, and the allocator sends no hint of its
 * own for a batch whose callers all raise theirs. The caller must raise the hint to the number before it answers
 * (issuing a permit raises it with the change log's hint, one update for both: decision 037).
 */
export function claimSequenceNumber(name: string, owner?: string): Promise<number> {
  return new Promise<number>((resolve, reject) => enqueue(name, { owner, raisesOwnHint: true, resolve: (value) => resolve(value), reject }));
}

function enqueue(name: string, waiter: Waiter): void {
  let allocator = allocators.get(name);
  if (!allocator) allocators.set(name, (allocator = { waiting: [], draining: false, next: null }));
  allocator.waiting.push(waiter);
  if (!allocator.draining) void drain(name, allocator);
}

/** `hinted` settles when the shared hint covers the number (raiseSequenceHint never rejects). */
type Waiter = { owner?: string; raisesOwnHint?: boolean; resolve: (value: number, hinted: Promise<void>) => void; reject: (error: unknown) => void };
type Allocator = { waiting: Waiter[]; draining: boolean; next: number | null };
const allocators = new Map<string, Allocator>();
/** At most this many numbers are claimed in one insert. */
const MAX_BATCH = 64;
/** With callers still waiting, the hint is raised only when a batch passes a multiple of this. */
const HINT_EVERY = 16;

async function drain(name: string, allocator: Allocator): Promise<void> {
  allocator.draining = true;
  try {
    while (allocator.waiting.length > 0) {
      const batch = allocator.waiting.splice(0, MAX_BATCH);
      try {
        await claimFor(name, allocator, batch);
      } catch (error) {
        allocator.next = null;
        for (const waiter of batch) waiter.reject(error);
      }
    }
  } finally {
    allocator.draining = false;
  }
}

/** Claims one number for each waiter of `batch` (mutated: served waiters leave it) and resolves them. */
async function claimFor(name: string, allocator: Allocator, batch: Waiter[]): Promise<void> {
  let candidate = allocator.next ?? (await sequenceHint(name)) + 1;
  const before = candidate - 1;
  const served: { waiter: Waiter; number: number }[] = [];
  try {
    while (batch.length > 0) {
      const numbers = batch.map((_, i) => candidate + i);
      const results = await claimMany(batch.map((waiter, i) => ({ key: `seq:${name}:${numbers[i]}`, owner: waiter.owner })));
      const lost: Waiter[] = [];
      results.forEach((result, i) => {
        if (result === true) served.push({ waiter: batch[i]!, number: numbers[i]! });
        else if (result === false) lost.push(batch[i]!);
        else batch[i]!.reject(result);
      });
      batch.splice(0, batch.length, ...lost);
      candidate = numbers.at(-1)! + 1;
      if (lost.length > 0) candidate = Math.max(candidate, (await sequenceHint(name)) + 1);
    }
    allocator.next = candidate;
  } finally {
    // Numbers claimed are handed out even when a later round of the batch failed (the rest are rejected).
    if (served.length > 0) {
      const highest = Math.max(...served.map((s) => s.number));
      // The hint (for other processes and restarts; the claim is what makes a number ours) is raised before
      // `nextSequence` hands the numbers out (`takeSequenceNumber`'s callers await it before they answer), so when
      // nobody else is waiting it is never behind.
      const raiseNow =
        served.some((s) => !s.waiter.raisesOwnHint) &&
        (allocator.waiting.length === 0 || Math.floor(highest / HINT_EVERY) > Math.floor(before / HINT_EVERY));
      const hinted = raiseNow ? raiseSequenceHint(name, highest) : Promise.resolve();
      for (const { waiter, number } of served) waiter.resolve(number, hinted);
      await hinted;
    }
  }
}

/** The last number of `name` that `owner` took earlier, if it took any. */
export async function claimedSequence(name: string, owner: string): Promise<number | null> {
  const taken = (await findClaimsOf(`seq:${name}:`, owner)).map((key) => Number(key.slice(`seq:${name}:`.length)));
  return taken.length > 0 ? Math.max(...taken) : null;
}

/** Where a hand-numbered sequence (an `_id` insert loop) should start looking; never decreases. */
export async function sequenceHint(name: string): Promise<number> {
  return (await CounterModel.findOne({ _id: name }).lean<Counter>())?.seq ?? 0;
}

export async function raiseSequenceHint(name: string, value: number): Promise<void> {
  // The driver's own updateOne: the same command as the model's (no defaults to add on insert), without mongoose's
  // query building and casting on every filing's claim batch (decision 038).
  await CounterModel.collection.updateOne({ _id: name as never }, { $max: { seq: value } }, { upsert: true }).catch(() => undefined);
}

/** Several hints raised in one command (an unordered bulk of `$max` upserts); like `raiseSequenceHint`, never rejects. */
export async function raiseSequenceHints(hints: { name: string; value: number }[]): Promise<void> {
  if (hints.length === 0) return;
  if (hints.length === 1) return raiseSequenceHint(hints[0]!.name, hints[0]!.value);
  await (CounterModel.collection as unknown as Collection<Counter>)
    .bulkWrite(
      hints.map(({ name, value }) => ({ updateOne: { filter: { _id: name }, update: { $max: { seq: value } }, upsert: true } })),
      { ordered: false },
    )
    .catch(() => undefined);
}
