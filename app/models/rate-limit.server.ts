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
type RateLimitRecord = { _id: string; expiresAt: Date; points?: number; owner?: string };
const RateLimitSchema = new Schema<RateLimitRecord>(
  { _id: String, expiresAt: { type: Date, required: true }, points: Number, owner: String },
  { versionKey: false },
);
RateLimitSchema.index({ expiresAt: 1 });
const RateLimitModel =
  (mongoose.models.RateLimit as mongoose.Model<RateLimitRecord>) ?? mongoose.model<RateLimitRecord>("RateLimit", RateLimitSchema);

// The driver's collection directly: one `_id` round trip each, without mongoose's casting and documents.
const records = () => RateLimitModel.collection as unknown as Collection<RateLimitRecord>;

/**
 * Takes the slots in order, one ordered insert, stopping at the first one someone else holds; returns how many
 * this caller took. They are counted by reading back whose they are when one was held, since what a driver
 * reports of an ordered insert that failed part-way is not alike on both databases.
 */
export async function takeSlots(ids: readonly string[], expiresAt: Date, owner: string): Promise<number> {
  try {
    await records().insertMany(ids.map((id) => ({ _id: id, expiresAt, owner })), { ordered: true });
    return ids.length;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  let taken = 0;
  for (const id of ids) {
    if ((await records().findOne({ _id: id }, { projection: { owner: 1 } }))?.owner !== owner) break;
    taken += 1;
  }
  return taken;
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
