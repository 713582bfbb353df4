import mongoose, { Schema } from "mongoose";
import { isDuplicateKey } from "./claim.server";

/**
 * A citizen's link to an OpenID provider account. `_id` is `<provider>:<sha256(subject)>`, so the sign-in look-up
 * is an `_id` equality (fast on FerretDB) and inserting it is the claim that stops two first sign-ins racing
 * into two accounts. The national ID is kept only as a keyed hash here (HMAC under KEY_ENCRYPTION_SECRET);
 * the value itself lives encrypted with the account's verified claims.
 */
export type CitizenIdentity = {
  _id: string;
  userId: string;
  provider: string;
  nationalIdHash?: string;
  createdAt: Date;
  lastSignInAt: Date;
};

const CitizenIdentitySchema = new Schema<CitizenIdentity>(
  {
    _id: String,
    userId: { type: String, required: true },
    provider: { type: String, required: true },
    nationalIdHash: String,
    createdAt: { type: Date, required: true },
    lastSignInAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// Only the first sign-in through a second provider looks a person up by national ID (a scan on FerretDB).
CitizenIdentitySchema.index({ nationalIdHash: 1 }, { sparse: true });
CitizenIdentitySchema.index({ userId: 1 });

const CitizenIdentityModel =
  (mongoose.models.CitizenIdentity as mongoose.Model<CitizenIdentity>) ?? mongoose.model<CitizenIdentity>("CitizenIdentity", CitizenIdentitySchema);

export async function findCitizenIdentity(id: string): Promise<CitizenIdentity | null> {
  return CitizenIdentityModel.findById(id).lean<CitizenIdentity>();
}

export async function findCitizenIdentityByNationalIdHash(nationalIdHash: string): Promise<CitizenIdentity | null> {
  return CitizenIdentityModel.findOne({ nationalIdHash }).lean<CitizenIdentity>();
}

/** Inserts the link; false when another request linked the same provider account first. */
export async function insertCitizenIdentity(identity: CitizenIdentity): Promise<boolean> {
  try {
    await CitizenIdentityModel.create(identity);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function touchCitizenIdentity(id: string, change: Pick<CitizenIdentity, "lastSignInAt"> & Partial<Pick<CitizenIdentity, "nationalIdHash">>): Promise<void> {
  await CitizenIdentityModel.updateOne({ _id: id }, { $set: change });
}

/**
 * A sign-in on its way to a provider: what the callback needs to check the answer (state, nonce, PKCE verifier)
 * and where to go after. `_id` is the SHA-256 of the random value in the browser's short-lived cookie.
 */
export type PendingOidcSignIn = {
  _id: string;
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
  expiresAt: Date;
};

const PendingSchema = new Schema<PendingOidcSignIn>(
  {
    _id: String,
    provider: { type: String, required: true },
    state: { type: String, required: true },
    nonce: { type: String, required: true },
    codeVerifier: { type: String, required: true },
    next: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
PendingSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

const PendingModel =
  (mongoose.models.PendingOidcSignIn as mongoose.Model<PendingOidcSignIn>) ?? mongoose.model<PendingOidcSignIn>("PendingOidcSignIn", PendingSchema);

export async function insertPendingOidcSignIn(pending: PendingOidcSignIn): Promise<void> {
  await PendingModel.create(pending);
}

export async function findPendingOidcSignIn(id: string): Promise<PendingOidcSignIn | null> {
  return PendingModel.findById(id).lean<PendingOidcSignIn>();
}

export async function deletePendingOidcSignIn(id: string): Promise<void> {
  await PendingModel.deleteOne({ _id: id });
}
