import mongoose, { Schema } from "mongoose";
import { isDuplicateKey } from "./claim.server";

/** A registered passkey (WebAuthn credential). */
export type StoredPasskey = {
  /** The credential id, base64url. */
  credentialId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  /** Comma-separated transports the browser reported (FerretDB keeps no arrays inside arrays). */
  transports: string;
  name: string;
  createdAt: Date;
  lastUsedAt?: Date;
};

/**
 * A person's second factors, one document per account with `_id` = the user id, so sign-in reads it with one
 * `_id` look-up. TOTP secrets are AES-256-GCM encrypted under a key derived from KEY_ENCRYPTION_SECRET; recovery
 * codes are kept only as keyed hashes.
 */
export type SecondFactorSet = {
  _id: string;
  passkeys: StoredPasskey[];
  totp?: { secretEncrypted: string; createdAt: Date };
  /** A TOTP secret shown for enrolment and not yet confirmed by a code. */
  totpPending?: { secretEncrypted: string; createdAt: Date };
  recoveryCodeHashes: string[];
  recoveryCodesCreatedAt?: Date;
};

const PasskeySchema = new Schema<StoredPasskey>(
  {
    credentialId: { type: String, required: true },
    publicKey: { type: String, required: true },
    counter: { type: Number, required: true },
    transports: { type: String, default: "" },
    name: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: Date,
  },
  { _id: false },
);
const SealedSecret = new Schema({ secretEncrypted: { type: String, required: true }, createdAt: { type: Date, required: true } }, { _id: false });

const SecondFactorSetSchema = new Schema<SecondFactorSet>(
  {
    _id: String,
    passkeys: { type: [PasskeySchema], default: [] },
    totp: SealedSecret,
    totpPending: SealedSecret,
    recoveryCodeHashes: { type: [String], default: [] },
    recoveryCodesCreatedAt: Date,
  },
  { versionKey: false },
);

const SecondFactorSetModel =
  (mongoose.models.SecondFactorSet as mongoose.Model<SecondFactorSet>) ?? mongoose.model<SecondFactorSet>("SecondFactorSet", SecondFactorSetSchema);

export async function findSecondFactorSet(userId: string): Promise<SecondFactorSet | null> {
  const set = await SecondFactorSetModel.findById(userId).lean<SecondFactorSet>();
  // An upsert of one field leaves the arrays unset.
  return set ? { ...set, passkeys: set.passkeys ?? [], recoveryCodeHashes: set.recoveryCodeHashes ?? [] } : null;
}

export function hasAnyFactor(set: SecondFactorSet | null): boolean {
  return !!set && (set.passkeys.length > 0 || !!set.totp);
}

/** Which of these accounts have a factor; one `_id` read each, the only look-up the embedded engine pushes down. */
export async function accountsWithAnyFactor(userIds: string[]): Promise<Set<string>> {
  const sets = await Promise.all(userIds.map((id) => findSecondFactorSet(id)));
  return new Set(sets.filter(hasAnyFactor).map((set) => set!._id));
}

async function upsert(userId: string, update: mongoose.UpdateQuery<SecondFactorSet>): Promise<void> {
  await SecondFactorSetModel.updateOne({ _id: userId }, update, { upsert: true });
}

export const addPasskey = (userId: string, passkey: StoredPasskey) => upsert(userId, { $push: { passkeys: passkey } });

// Read and written whole: FerretDB's $pull does not match sub-documents by a condition.
export async function removePasskey(userId: string, credentialId: string): Promise<void> {
  const set = await findSecondFactorSet(userId);
  if (!set) return;
  await SecondFactorSetModel.updateOne({ _id: userId }, { $set: { passkeys: set.passkeys.filter((p) => p.credentialId !== credentialId) } });
}

/** After a sign-in with the passkey: its signature counter and when it was used. */
export async function recordPasskeyUse(userId: string, credentialId: string, counter: number, at: Date): Promise<void> {
  const set = await findSecondFactorSet(userId);
  if (!set) return;
  const passkeys = set.passkeys.map((p) => (p.credentialId === credentialId ? { ...p, counter, lastUsedAt: at } : p));
  await SecondFactorSetModel.updateOne({ _id: userId }, { $set: { passkeys } });
}

export const setPendingTotp = (userId: string, secretEncrypted: string, at: Date) =>
  upsert(userId, { $set: { totpPending: { secretEncrypted, createdAt: at } } });

export async function confirmTotp(userId: string, secretEncrypted: string, at: Date): Promise<void> {
  await SecondFactorSetModel.updateOne({ _id: userId }, { $set: { totp: { secretEncrypted, createdAt: at } }, $unset: { totpPending: 1 } });
}

export async function removeTotp(userId: string): Promise<void> {
  await SecondFactorSetModel.updateOne({ _id: userId }, { $unset: { totp: 1, totpPending: 1 } });
}

export const replaceRecoveryCodes = (userId: string, hashes: string[], at: Date) =>
  upsert(userId, { $set: { recoveryCodeHashes: hashes, recoveryCodesCreatedAt: at } });

export async function removeRecoveryCode(userId: string, hash: string): Promise<void> {
  await SecondFactorSetModel.updateOne({ _id: userId }, { $pull: { recoveryCodeHashes: hash } });
}

/** Forgets every factor of the account (an admin's reset). */
export async function deleteSecondFactorSet(userId: string): Promise<void> {
  await SecondFactorSetModel.deleteOne({ _id: userId });
}

/**
 * A WebAuthn challenge the server issued, `_id` = the challenge (base64url): bound to one session and one
 * purpose, short-lived, and used at most once (the use is a unique claim on it).
 */
export type WebAuthnChallenge = {
  _id: string;
  userId: string;
  /** The SHA-256 id of the session record that asked for it. */
  sessionId: string;
  purpose: "register" | "authenticate";
  expiresAt: Date;
};

const WebAuthnChallengeSchema = new Schema<WebAuthnChallenge>(
  {
    _id: String,
    userId: { type: String, required: true },
    sessionId: { type: String, required: true },
    purpose: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// MongoDB drops expired challenges by itself; on FerretDB an expired one is refused when presented and removed then.
WebAuthnChallengeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

const WebAuthnChallengeModel =
  (mongoose.models.WebAuthnChallenge as mongoose.Model<WebAuthnChallenge>) ?? mongoose.model<WebAuthnChallenge>("WebAuthnChallenge", WebAuthnChallengeSchema);

export async function insertWebAuthnChallenge(challenge: WebAuthnChallenge): Promise<boolean> {
  try {
    await WebAuthnChallengeModel.create(challenge);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function findWebAuthnChallenge(challenge: string): Promise<WebAuthnChallenge | null> {
  return WebAuthnChallengeModel.findById(challenge).lean<WebAuthnChallenge>();
}

export async function deleteWebAuthnChallenge(challenge: string): Promise<void> {
  await WebAuthnChallengeModel.deleteOne({ _id: challenge });
}
