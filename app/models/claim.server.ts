import mongoose, { Schema } from "mongoose";

/**
 * Unique claims: inserting a document with a chosen `_id` succeeds for exactly one caller, on MongoDB and on
 * FerretDB alike. FerretDB v1 applies an update's filter on read and writes the whole document back without
 * re-checking it, so `{ _id, rev }` guards and `$inc` counters are not atomic there; an insert on the primary
 * key is. Revisions and sequence numbers are therefore claimed here first.
 */
type Claim = { _id: string; at: Date };
const ClaimSchema = new Schema<Claim>({ _id: String, at: { type: Date, required: true } }, { versionKey: false });
const ClaimModel = (mongoose.models.Claim as mongoose.Model<Claim>) ?? mongoose.model<Claim>("Claim", ClaimSchema);

function isDuplicateKey(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: number }).code === 11000;
}

/** True when this caller now owns `key`; false when someone else claimed it first. */
export async function claim(key: string): Promise<boolean> {
  try {
    await ClaimModel.create({ _id: key, at: new Date() });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function claimedAt(key: string): Promise<Date | null> {
  return (await ClaimModel.findById(key).lean<Claim>())?.at ?? null;
}

export async function releaseClaim(key: string): Promise<void> {
  await ClaimModel.deleteOne({ _id: key });
}
