import type { Collection } from "mongodb";
import mongoose, { Schema } from "mongoose";
import { isDuplicateKey } from "./claim.server";

/**
 * Rate-limit records. A *slot* (`_id` = `<key>|<window>|<n>`) is the n-th request counted for a key in one
 * time window: taking it is a primary-key insert, which exactly one caller wins on MongoDB and FerretDB alike
 * (FerretDB loses `$inc` updates under concurrency, see docs/decisions/001 and 005). An *override*
 * (`_id` = `<key>|!`) holds a count until a time, e.g. a lock after too many failed sign-ins.
 * `expiresAt` lets the worker delete what is over (FerretDB has no TTL indexes).
 */
type RateLimitRecord = { _id: string; expiresAt: Date; points?: number };
const RateLimitSchema = new Schema<RateLimitRecord>(
  { _id: String, expiresAt: { type: Date, required: true }, points: Number },
  { versionKey: false },
);
RateLimitSchema.index({ expiresAt: 1 });
const RateLimitModel =
  (mongoose.models.RateLimit as mongoose.Model<RateLimitRecord>) ?? mongoose.model<RateLimitRecord>("RateLimit", RateLimitSchema);

// The driver's collection directly: one `_id` round trip each, without mongoose's casting and documents.
const records = () => RateLimitModel.collection as unknown as Collection<RateLimitRecord>;

/** True when this caller took the slot; false when someone else had it. */
export async function takeSlot(id: string, expiresAt: Date): Promise<boolean> {
  try {
    await records().insertOne({ _id: id, expiresAt });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function slotTaken(id: string): Promise<boolean> {
  return (await records().findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
}

export async function releaseSlots(ids: readonly string[]): Promise<void> {
  // One `_id` delete each: a `$in` filter would scan the collection on FerretDB.
  await Promise.all(ids.map((id) => records().deleteOne({ _id: id })));
}

export type RateLimitOverride = { points: number; expiresAt: Date };

export async function getOverride(id: string): Promise<RateLimitOverride | null> {
  const doc = await records().findOne({ _id: id });
  return doc && typeof doc.points === "number" ? { points: doc.points, expiresAt: doc.expiresAt } : null;
}

/** Last writer wins: overrides are locks and resets, where any concurrent writer writes nearly the same. */
export async function setOverride(id: string, override: RateLimitOverride): Promise<void> {
  const write = () => records().updateOne({ _id: id }, { $set: override }, { upsert: true });
  await write().catch((error: unknown) => {
    // Two first upserts of one `_id` race on FerretDB: the loser's retry updates the winner's document.
    if (isDuplicateKey(error)) return write();
    throw error;
  });
}

export async function deleteOverride(id: string): Promise<boolean> {
  return (await records().deleteOne({ _id: id })).deletedCount > 0;
}

/** Deletes records whose time is over; returns how many (the worker runs this now and then). */
export async function purgeExpiredRateLimits(now = new Date()): Promise<number> {
  return (await records().deleteMany({ expiresAt: { $lte: now } })).deletedCount;
}
