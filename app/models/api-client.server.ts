import mongoose, { Schema, Types } from "mongoose";
import type { Role } from "~/core/workflow/types";
import { bumpConfigStamp, configCache } from "./config-stamp.server";

/**
 * An agency system that files and processes matters through the API. Only a SHA-256 of its key is kept.
 * Its roles are exactly what this record says (scoped: e.g. intake only), never every staff role.
 * The record's id stays the same across rotations, so the case history and rate limits follow the client.
 */
export type ApiClient = {
  _id: Types.ObjectId;
  name: string;
  agencyId: string;
  /** The current key's hash (its ApiKeyHash record is the request-time look-up). */
  keyHash: string;
  keyPrefix: string;
  roles: Role[];
  /** Slugs of the agency's services it may act on; absent: every service of the agency. */
  services?: string[];
  /** Required for keys made by an admin; demo keys seeded before expiry existed get one from the seed. */
  expiresAt?: Date;
  createdBy?: { id: string; name: string };
  createdAt: Date;
  revokedAt?: Date;
  revokedBy?: { id: string; name: string };
  lastUsedAt?: Date;
  rotations?: number;
  rotatedAt?: Date;
  /** The key the last rotation replaced, while the admin may want to see when it stops working. */
  previousKey?: { keyPrefix: string; graceUntil: Date };
};

/**
 * The request-time look-up: `_id` is the key's SHA-256, since FerretDB answers only `_id` equality without
 * reading the whole collection. A rotated-away key keeps its record with `graceUntil` set.
 */
export type ApiKeyHash = { _id: string; clientId: Types.ObjectId; graceUntil?: Date };

const person = new Schema({ id: String, name: String }, { _id: false });

const ApiClientSchema = new Schema<ApiClient>(
  {
    name: { type: String, required: true },
    agencyId: { type: String, required: true, index: true },
    keyHash: { type: String, required: true, unique: true },
    keyPrefix: { type: String, required: true },
    roles: { type: [String], default: [] },
    services: { type: [String], default: undefined },
    expiresAt: Date,
    createdBy: { type: person, required: false },
    revokedAt: Date,
    revokedBy: { type: person, required: false },
    lastUsedAt: Date,
    rotations: Number,
    rotatedAt: Date,
    previousKey: { type: new Schema({ keyPrefix: String, graceUntil: Date }, { _id: false }), required: false },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

const ApiKeyHashSchema = new Schema<ApiKeyHash>(
  { _id: { type: String, required: true }, clientId: { type: Schema.Types.ObjectId, required: true }, graceUntil: Date },
  { versionKey: false },
);

export const ApiClientModel =
  (mongoose.models.ApiClient as mongoose.Model<ApiClient>) ?? mongoose.model<ApiClient>("ApiClient", ApiClientSchema);
export const ApiKeyHashModel =
  (mongoose.models.ApiKeyHash as mongoose.Model<ApiKeyHash>) ?? mongoose.model<ApiKeyHash>("ApiKeyHash", ApiKeyHashSchema);

type FoundKey = { lookup: ApiKeyHash; client: ApiClient };

// Found keys only: a miss is never kept, so unknown keys cannot fill the cache (and a new key works at once).
const foundKeys = configCache<FoundKey | null>(5_000);

/**
 * The key's hash record and its client, as of the configuration stamp: every writer below bumps it, so a
 * revoked, rotated or changed key is seen by every process on its next request. Callers must not change the
 * result (it is shared).
 */
export function findApiKey(keyHash: string): Promise<FoundKey | null> {
  return foundKeys.get(keyHash, () => readApiKey(keyHash), (found) => found !== null);
}

/** Two `_id` look-ups: the key's hash record, then its client. */
async function readApiKey(keyHash: string): Promise<FoundKey | null> {
  const lookup = await ApiKeyHashModel.findById(keyHash).lean<ApiKeyHash>();
  if (!lookup) return null;
  const client = await ApiClientModel.findById(lookup.clientId).lean<ApiClient>();
  return client ? { lookup, client } : null;
}

export async function findApiClientByKeyHash(keyHash: string): Promise<ApiClient | null> {
  return (await findApiKey(keyHash))?.client ?? null;
}

export async function getApiClient(id: string): Promise<ApiClient | null> {
  if (!Types.ObjectId.isValid(id) || String(new Types.ObjectId(id)) !== id) return null;
  return ApiClientModel.findById(id).lean<ApiClient>();
}

export async function listApiClients(agencyId: string): Promise<ApiClient[]> {
  return ApiClientModel.find({ agencyId }).sort({ createdAt: -1 }).lean<ApiClient[]>();
}

/** The hash record first: a client is never stored without the look-up that reaches it. */
export async function createApiClient(client: Omit<ApiClient, "_id" | "createdAt">): Promise<ApiClient> {
  const _id = new Types.ObjectId();
  await ApiKeyHashModel.create({ _id: client.keyHash, clientId: _id });
  const created = (await ApiClientModel.create({ ...client, _id })).toObject() as ApiClient;
  await bumpConfigStamp();
  return created;
}

/** Adds the hash record of a client stored before look-ups were by `_id` (demo databases). */
export async function ensureApiKeyHash(client: Pick<ApiClient, "_id" | "keyHash">): Promise<void> {
  if (await ApiKeyHashModel.exists({ _id: client.keyHash })) return;
  await ApiKeyHashModel.create({ _id: client.keyHash, clientId: client._id });
  await bumpConfigStamp();
}

/**
 * Makes `newHash` the client's key. The new look-up is written first (it works at once), then the old one
 * gets its grace end, then the client record: a crash in between leaves the old key working, never neither.
 */
export async function rotateApiClientKey(
  client: ApiClient,
  next: { keyHash: string; keyPrefix: string; graceUntil: Date; at: Date },
): Promise<ApiClient | null> {
  await ApiKeyHashModel.create({ _id: next.keyHash, clientId: client._id });
  await ApiKeyHashModel.updateOne({ _id: client.keyHash }, { $set: { graceUntil: next.graceUntil } }).exec();
  const rotated = await ApiClientModel.findByIdAndUpdate(
    client._id,
    {
      $set: {
        keyHash: next.keyHash,
        keyPrefix: next.keyPrefix,
        rotatedAt: next.at,
        rotations: (client.rotations ?? 0) + 1,
        previousKey: { keyPrefix: client.keyPrefix, graceUntil: next.graceUntil },
      },
    },
    { returnDocument: "after" },
  ).lean<ApiClient>();
  await bumpConfigStamp();
  return rotated;
}

export async function revokeApiClient(id: Types.ObjectId, at: Date, by: { id: string; name: string }): Promise<ApiClient | null> {
  const revoked = await ApiClientModel.findByIdAndUpdate(id, { $set: { revokedAt: at, revokedBy: by } }, { returnDocument: "after" }).lean<ApiClient>();
  await bumpConfigStamp();
  return revoked;
}

export async function updateApiClient(id: Types.ObjectId, set: Partial<Pick<ApiClient, "roles" | "services" | "expiresAt">>): Promise<void> {
  await ApiClientModel.updateOne({ _id: id }, { $set: set }).exec();
  await bumpConfigStamp();
}

// When each client's last use was last written by this process: at most one write a minute per key.
const LAST_USED_EVERY_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

/**
 * Records a use of the client, unless this process wrote one for it less than a minute ago. It does not bump the
 * configuration stamp (it runs on API requests, and nothing cached depends on `lastUsedAt`).
 */
export async function noteApiClientUsed(id: Types.ObjectId, at: Date): Promise<void> {
  const key = String(id);
  const previous = lastUsedWritten.get(key);
  if (previous !== undefined && at.getTime() - previous < LAST_USED_EVERY_MS && at.getTime() >= previous) return;
  lastUsedWritten.set(key, at.getTime());
  await ApiClientModel.updateOne({ _id: id }, { $set: { lastUsedAt: at } }).exec();
}
