import type { Collection } from "mongodb";
import mongoose, { Schema } from "mongoose";
import { groupWrites, insertGrouped } from "./group-commit.server";

/**
 * Effects are queued on the case (an outbox) in the same write as the transition. Their completion is
 * recorded here, one document per effect id, never on the case itself: on FerretDB any update rewrites the
 * whole case document, so a status write from a worker could undo a concurrent transition.
 */
export type EffectResult = {
  permitNumber?: string;
  letterId?: string;
  channel?: string;
  note?: string;
  /** referToAgency: the case filed at the agency the case was referred to. */
  referredCaseId?: string;
  referredTrackingNumber?: string;
  /** requestPayment: the payment request opened (its reference). */
  paymentReference?: string;
  /** recordPayment: the electronic receipt issued. */
  receiptId?: string;
};
export type EffectRun = { _id: string; caseId: string; type: string; at: Date; result: EffectResult };

const EffectRunSchema = new Schema<EffectRun>(
  {
    _id: String,
    caseId: { type: String, required: true },
    type: { type: String, required: true },
    at: { type: Date, required: true },
    result: { permitNumber: String, letterId: String, channel: String, note: String, referredCaseId: String, referredTrackingNumber: String, paymentReference: String, receiptId: String },
  },
  { versionKey: false },
);
const EffectRunModel = (mongoose.models.EffectRun as mongoose.Model<EffectRun>) ?? mongoose.model<EffectRun>("EffectRun", EffectRunSchema);

/**
 * Effects that may still need work, written BEFORE the transition that queues them; a sweep picks up what a
 * crashed process left behind. An entry whose effect never reached its case (the transition lost a conflict)
 * is dropped by the sweep.
 */
export type PendingEffect = {
  _id: string;
  caseId: string;
  at: Date;
  /** Set when a run failed: the case page says so instead of "being prepared" for ever. */
  failures?: number;
  failedAt?: Date;
  /** When the failed run's lease may be taken over, i.e. the earliest the worker's sweep retries it. */
  retryAfter?: Date;
};
const PendingEffectSchema = new Schema<PendingEffect>(
  { _id: String, caseId: String, at: Date, failures: Number, failedAt: Date, retryAfter: Date },
  { versionKey: false },
);
// The worker's sweep: oldest first.
PendingEffectSchema.index({ at: 1 });
const PendingEffectModel =
  (mongoose.models.PendingEffect as mongoose.Model<PendingEffect>) ?? mongoose.model<PendingEffect>("PendingEffect", PendingEffectSchema);

/** One round trip: `_id: { $in }` is answered from the `_id` index (real MongoDB, and FerretDB with our pushdown patch). */
export async function getEffectRuns(ids: string[]): Promise<Map<string, EffectRun>> {
  if (ids.length === 0) return new Map();
  const runs = await EffectRunModel.find({ _id: { $in: ids } }).lean<EffectRun[]>();
  return new Map(runs.map((r) => [r._id, r]));
}

export async function isEffectDone(id: string): Promise<boolean> {
  return (await EffectRunModel.exists({ _id: id })) !== null;
}

/**
 * Run records and the removal of pending entries are group-committed: concurrent runs (of different cases; one
 * case never runs twice at once in a process) share one insert and one delete. A run goes on only once the
 * write carrying its items is done, so what it relies on after a crash is unchanged.
 */
const insertRunsGrouped = insertGrouped<EffectRun>(() => EffectRunModel.collection as unknown as Collection<EffectRun>);
async function insertRuns(runs: EffectRun[]): Promise<void> {
  // Unordered: a record that exists already (a re-run, another process) is kept and the others still go in.
  const failures = await insertRunsGrouped(runs.map(asStored));
  const other = failures.find((failure) => failure.code !== 11000);
  if (other) throw other.error;
}
const deletePending = groupWrites<string>(async (ids) => {
  await PendingEffectModel.deleteMany({ _id: { $in: ids } });
});

// The declared fields of a run's result (a nested path: its keys are in the schema's definition).
const RESULT_KEYS = Object.keys(EffectRunSchema.obj.result as object);

/** What mongoose's casting stored before (the insert is lean): the result's declared fields that have a value. */
function asStored(run: EffectRun): EffectRun {
  const result = Object.fromEntries(Object.entries(run.result ?? {}).filter(([key, value]) => value !== undefined && RESULT_KEYS.includes(key)));
  return { _id: run._id, caseId: run.caseId, type: run.type, at: new Date(run.at), result };
}

/** Records completion once; a second record of the same effect keeps the first. */
export async function markEffectDone(run: EffectRun): Promise<void> {
  await insertRuns([run]);
}

/** Records several completions (one round trip, shared with concurrent runs), each once. */
export async function markEffectsDone(runs: EffectRun[]): Promise<void> {
  await insertRuns(runs);
}

/** Removes the pending entries of effects that are done (one round trip, shared with concurrent runs). */
export async function dropPendingEffects(ids: string[]): Promise<void> {
  await deletePending(ids);
}

const insertPendingGrouped = insertGrouped<PendingEffect>(() => PendingEffectModel.collection as unknown as Collection<PendingEffect>);

/** Grouped with the concurrent announcements of this process (one insert); stored as mongoose stored them. */
export async function addPendingEffects(caseId: string, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  const [failure] = await insertPendingGrouped(ids.map((id) => ({ _id: id, caseId, at: new Date(at) })));
  if (failure) throw failure.error;
}

/** The pending entries of these effects (by `_id`, the one query FerretDB answers without a scan). */
export async function getPendingEffects(ids: string[]): Promise<Map<string, PendingEffect>> {
  const entries = await Promise.all(ids.map((id) => PendingEffectModel.findById(id).lean<PendingEffect>()));
  return new Map(entries.filter((e): e is PendingEffect => e !== null).map((e) => [e._id, e]));
}

/**
 * Notes a failed run on the effect's pending entry (created if the effect was queued without one, so the
 * sweep retries it too). Only the holder of the effect's lease calls this: the increment has one writer.
 */
export async function notePendingEffectFailure(id: string, caseId: string, at: Date, retryAfter: Date): Promise<void> {
  await PendingEffectModel.updateOne(
    { _id: id },
    { $set: { failedAt: at, retryAfter }, $inc: { failures: 1 }, $setOnInsert: { caseId, at } },
    { upsert: true },
  );
}

/** How many pending entries the sweep reads at once (oldest first). */
export const PENDING_PAGE = 1000;

export async function listPendingEffects(): Promise<PendingEffect[]> {
  return PendingEffectModel.find().sort({ at: 1 }).limit(PENDING_PAGE).lean<PendingEffect[]>();
}

export async function dropPendingEffect(id: string): Promise<void> {
  await PendingEffectModel.deleteOne({ _id: id });
}
