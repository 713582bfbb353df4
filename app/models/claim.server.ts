import type { Collection } from "mongodb";
import mongoose, { Schema } from "mongoose";
import { insertGrouped } from "./group-commit.server";

/**
 * Unique claims: inserting a document with a chosen `_id` succeeds for exactly one caller, on MongoDB and on
 * FerretDB alike. Unpatched FerretDB v1 applied an update's filter on read and wrote the whole document back
 * without re-checking it, so `{ _id, rev }` guards and `$inc` counters were not atomic there; an insert on the
 * primary key is. Sequence numbers and effect leases are claimed here. Case revisions no longer are: our build's
 * patch 0005 makes updates atomic per document (docs/decisions/031), so the guarded update decides.
 */
type Claim = { _id: string; at: Date; owner?: string };
const ClaimSchema = new Schema<Claim>({ _id: String, at: { type: Date, required: true }, owner: String }, { versionKey: false });
// Only the crash-recovery path looks claims up by owner.
ClaimSchema.index({ owner: 1 }, { sparse: true });
const ClaimModel = (mongoose.models.Claim as mongoose.Model<Claim>) ?? mongoose.model<Claim>("Claim", ClaimSchema);

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: number }).code === 11000;
}

/** True when this caller now owns `key`; false when someone else claimed it first. */
export async function claim(key: string, owner?: string): Promise<boolean> {
  try {
    // A plain driver insert of the document mongoose would store (no casting needed: a string, a Date, a
    // string); a FEE_PAID makes seven claims, and a mongoose document per claim cost more than the insert's
    // own client work.
    await claimCollection().insertOne({ _id: key, at: new Date(), ...(owner ? { owner } : {}) });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

const claimCollection = () => ClaimModel.collection as unknown as Collection<Claim>;
const insertClaims = insertGrouped<Claim>(claimCollection);

/**
 * Several claims at once, grouped with the other claims this process is making (one unordered insert): for each
 * key, true when this caller now owns it, false when someone else claimed it first, or the error that refused it.
 * Stored as `claim` stores one (plain driver documents of the same shape).
 */
export async function claimMany(claims: { key: string; owner?: string }[], at = new Date()): Promise<(boolean | Error)[]> {
  const failures = await insertClaims(claims.map(({ key, owner }) => ({ _id: key, at, ...(owner ? { owner } : {}) })));
  const results: (boolean | Error)[] = claims.map(() => true);
  for (const failure of failures) results[failure.index] = failure.code === 11000 ? false : failure.error;
  return results;
}

export async function claimedAt(key: string): Promise<Date | null> {
  return (await ClaimModel.findById(key).lean<Claim>())?.at ?? null;
}

export async function releaseClaim(key: string): Promise<void> {
  await ClaimModel.deleteOne({ _id: key });
}

/** The claims with this prefix that `owner` made (a collection scan on FerretDB: crash recovery only). */
export async function findClaimsOf(prefix: string, owner: string): Promise<string[]> {
  const all = await ClaimModel.find({ owner }).lean<Claim[]>();
  return all.map((c) => c._id).filter((id) => id.startsWith(prefix));
}

export const STALE_CLAIM_MS = 60_000;

/**
 * A lease that a crashed holder cannot keep forever: a claim older than `staleAfterMs` may be taken over
 * when `stillNeeded()` confirms the work is not done. Returns "fresh", "resumed" (taken over) or null.
 */
export async function acquireLease(
  key: string,
  stillNeeded: () => Promise<boolean>,
  staleAfterMs = STALE_CLAIM_MS,
): Promise<"fresh" | "resumed" | null> {
  if (await claim(key)) return "fresh";
  return takeOverStaleLease(key, stillNeeded, staleAfterMs);
}

/** The rest of `acquireLease` once claiming `key` has failed: "resumed" when its stale lease is taken over, else null. */
export async function takeOverStaleLease(key: string, stillNeeded: () => Promise<boolean>, staleAfterMs = STALE_CLAIM_MS): Promise<"resumed" | null> {
  const at = await claimedAt(key);
  if (!at || Date.now() - at.getTime() < staleAfterMs || !(await stillNeeded())) return null;
  await releaseClaim(key);
  return (await claim(key)) ? "resumed" : null;
}

/**
 * Keeps a lease taken at `heldSince` for longer: its new time, or null when it is no longer this holder's (taken
 * over as stale meanwhile). The update is atomic per document on both engines (decision 031), so a lease
 * released and claimed again by another process in between is not renewed for it.
 */
export async function renewLease(key: string, heldSince: Date): Promise<Date | null> {
  const now = new Date();
  const { matchedCount } = await claimCollection().updateOne({ _id: key, at: heldSince }, { $set: { at: now } });
  return matchedCount === 1 ? now : null;
}

/** Gives back leases taken at `heldSince` and not used; one taken over since (as stale) stays its new holder's. */
export async function releaseLeases(keys: string[], heldSince: Date): Promise<void> {
  if (keys.length === 0) return;
  await claimCollection().deleteMany({ _id: { $in: keys }, at: heldSince });
}

/** Who holds a claim made with an owner (null when nobody, or when it was made without one). */
export async function claimOwner(key: string): Promise<string | null> {
  return (await ClaimModel.findById(key).lean<Claim>())?.owner ?? null;
}
