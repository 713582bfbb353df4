import mongoose, { Schema } from "mongoose";
import { claim, claimedAt } from "./claim.server";

/**
 * The current e-mail sign-in code of one address. `_id` is a keyed hash of the address, so the only look-up is
 * by `_id` (the embedded database pushes nothing else down) and the address itself is not stored. Issuing a
 * new code replaces the document: the old code is void from that moment. The code is kept only as a keyed hash
 * bound to its issue id; wrong entries and use are unique `_id` claims, since FerretDB did not re-check an
 * update's filter before its patch 0005 (a counter or a "used" flag could be raced past there).
 */
export type SignInCode = { _id: string; issueId: string; codeHash: string; expiresAt: Date; createdAt: Date };

const SignInCodeSchema = new Schema<SignInCode>(
  { _id: String, issueId: { type: String, required: true }, codeHash: { type: String, required: true }, expiresAt: { type: Date, required: true }, createdAt: { type: Date, required: true } },
  { versionKey: false },
);
const SignInCodeModel = (mongoose.models.SignInCode as mongoose.Model<SignInCode>) ?? mongoose.model<SignInCode>("SignInCode", SignInCodeSchema);

/** Stores `code` as the address's only code, voiding any earlier one. */
export async function replaceSignInCode(code: SignInCode): Promise<void> {
  await SignInCodeModel.replaceOne({ _id: code._id }, code, { upsert: true });
}

export async function getSignInCode(emailKey: string): Promise<SignInCode | null> {
  return SignInCodeModel.findById(emailKey).lean<SignInCode>();
}

const wrongKey = (issueId: string, n: number) => `sign-in-code:${issueId}:wrong:${n}`;
const usedKey = (issueId: string) => `sign-in-code:${issueId}:used`;

/** How many wrong entries a code has had, up to `max` (one `_id` look-up per counted entry). */
export async function countWrongEntries(issueId: string, max: number): Promise<number> {
  let n = 0;
  while (n < max && (await claimedAt(wrongKey(issueId, n + 1)))) n++;
  return n;
}

/**
 * Records one wrong entry by claiming the next free number; returns how many wrong entries there are now.
 * Two wrong entries at once each get their own number, so none is lost.
 */
export async function recordWrongEntry(issueId: string, from: number, max: number): Promise<number> {
  for (let n = from + 1; n <= max; n++) if (await claim(wrongKey(issueId, n))) return n;
  return max;
}

/** True for the one caller that uses the code; false when it was used already. */
export async function claimCodeUse(issueId: string): Promise<boolean> {
  return claim(usedKey(issueId));
}

export async function deleteSignInCode(emailKey: string): Promise<void> {
  await SignInCodeModel.deleteOne({ _id: emailKey });
}
