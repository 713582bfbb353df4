import mongoose, { Schema } from "mongoose";
import { isDuplicateKey } from "./claim.server";

/** One Ed25519 key pair per agency; `_id` is the agency id so that the first generator wins a race. */
export type SigningKeyDoc = {
  _id: string;
  kid: string;
  /** Public key as a JSON Web Key (JSON string). */
  publicJwk: string;
  /** PKCS#8 private key, AES-256-GCM encrypted under KEY_ENCRYPTION_SECRET: base64url iv.tag.ciphertext. */
  privateKeyEncrypted: string;
  createdAt: Date;
};

const SigningKeySchema = new Schema<SigningKeyDoc>(
  {
    _id: String,
    kid: { type: String, required: true },
    publicJwk: { type: String, required: true },
    privateKeyEncrypted: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const SigningKeyModel =
  (mongoose.models.SigningKey as mongoose.Model<SigningKeyDoc>) ?? mongoose.model<SigningKeyDoc>("SigningKey", SigningKeySchema);

/**
 * A stored key never changes (nothing here updates or deletes one, and the first insert wins a race), so
 * a key read or inserted once is kept for the life of the process: every signature used to read it again
 * (two round trips of each permit issued, one for the receipt and one for the permit). Kept per database,
 * so a process that reconnects elsewhere (tests, benches) never signs with another database's key.
 */
const knownKeys = new Map<string, SigningKeyDoc>();
const knownKeyOf = (agencyId: string) => `${SigningKeyModel.db.name}\u0000${agencyId}`;

export async function findSigningKey(agencyId: string): Promise<SigningKeyDoc | null> {
  const known = knownKeys.get(knownKeyOf(agencyId));
  if (known) return known;
  const doc = await SigningKeyModel.findById(agencyId).lean<SigningKeyDoc>();
  if (doc) knownKeys.set(knownKeyOf(agencyId), doc);
  return doc;
}

/** False when another process stored the agency's key first. */
export async function insertSigningKey(doc: SigningKeyDoc): Promise<boolean> {
  try {
    await SigningKeyModel.create(doc);
    knownKeys.set(knownKeyOf(doc._id), doc);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function listSigningKeys(): Promise<SigningKeyDoc[]> {
  return SigningKeyModel.find().sort({ _id: 1 }).lean<SigningKeyDoc[]>();
}
