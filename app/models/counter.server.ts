import mongoose, { Schema } from "mongoose";
import { claim, findClaimsOf } from "./claim.server";

type Counter = { _id: string; seq: number };
const CounterSchema = new Schema<Counter>({ _id: String, seq: { type: Number, required: true } }, { versionKey: false });
const CounterModel = (mongoose.models.Counter as mongoose.Model<Counter>) ?? mongoose.model<Counter>("Counter", CounterSchema);

/**
 * Next value of a named sequence, unique across processes: each number is owned by the one caller whose claim
 * insert for it succeeds, and an `owner` recorded on the claim lets a caller that crashed after taking a number
 * find it again (`claimedSequence`) instead of leaving a gap.
 *
 * Within a process the callers of one sequence queue up and one loop claims for them in turn, remembering where
 * it stopped: concurrent requests no longer all read the same hint and race each other up the numbers (30 failed
 * inserts per number at concurrency 32). Only another process's numbers can make a claim fail; then the loop
 * jumps to the shared hint, which each process raises as it goes.
 */
export function nextSequence(name: string, owner?: string): Promise<number> {
  let allocator = allocators.get(name);
  if (!allocator) allocators.set(name, (allocator = { waiting: [], draining: false, next: null }));
  const queued = new Promise<number>((resolve, reject) => allocator.waiting.push({ owner, resolve, reject }));
  if (!allocator.draining) void drain(name, allocator);
  return queued;
}

type Waiter = { owner?: string; resolve: (value: number) => void; reject: (error: unknown) => void };
type Allocator = { waiting: Waiter[]; draining: boolean; next: number | null };
const allocators = new Map<string, Allocator>();

async function drain(name: string, allocator: Allocator): Promise<void> {
  allocator.draining = true;
  try {
    for (let waiter = allocator.waiting.shift(); waiter; waiter = allocator.waiting.shift()) {
      try {
        let candidate = allocator.next ?? (await sequenceHint(name)) + 1;
        while (!(await claim(`seq:${name}:${candidate}`, waiter.owner))) candidate = Math.max(candidate + 1, (await sequenceHint(name)) + 1);
        allocator.next = candidate + 1;
        // The hint (for other processes and restarts; the claim is what makes the number ours) is raised before
        // the last number of a burst is handed out, so when nobody else is waiting it is never behind.
        if (allocator.waiting.length === 0 || candidate % 16 === 0) await raiseSequenceHint(name, candidate);
        waiter.resolve(candidate);
      } catch (error) {
        allocator.next = null;
        waiter.reject(error);
      }
    }
  } finally {
    allocator.draining = false;
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
  await CounterModel.updateOne({ _id: name }, { $max: { seq: value } }, { upsert: true }).catch(() => undefined);
}
