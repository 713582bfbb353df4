import { randomUUID } from "node:crypto";
import mongoose, { Schema } from "mongoose";

/**
 * The registry index's snapshot, shared by every process through the database (so it works the same with
 * web processes on several hosts, on MongoDB and on the embedded engine): the image is cut into chunks of
 * 4 MiB (under the 16 MiB document limit) stored under `<snapshot id>:<n>`, and one manifest document names
 * the current snapshot and the change-log position it covers. Every read is an `_id` lookup (the only
 * query the embedded engine answers without a scan); the manifest is written after its chunks, so a reader
 * never sees half a snapshot. The chunks of the snapshot before the previous one are deleted: a reader
 * still loading a replaced snapshot has one whole generation's time to finish, and retries otherwise.
 */
type SnapshotDoc = {
  _id: string;
  data?: Buffer;
  snapshot?: string;
  seen?: number;
  chunks?: number;
  bytes?: number;
  at?: Date;
  previous?: { snapshot: string; chunks: number };
  recent?: string;
};
const SnapshotSchema = new Schema<SnapshotDoc>(
  {
    _id: String,
    data: Buffer,
    snapshot: String,
    seen: Number,
    chunks: Number,
    bytes: Number,
    at: Date,
    previous: { type: { snapshot: String, chunks: Number }, _id: false },
    recent: String,
  },
  { versionKey: false, collection: "registrysnapshots" },
);
const SnapshotModel = (mongoose.models.RegistrySnapshot as mongoose.Model<SnapshotDoc>) ?? mongoose.model<SnapshotDoc>("RegistrySnapshot", SnapshotSchema);

const MANIFEST = "manifest";
const CHUNK_BYTES = 4 * 2 ** 20;

export type SnapshotInfo = {
  snapshot: string;
  seen: number;
  chunks: number;
  bytes: number;
  at: Date;
  /** The writer's changes not yet seen to land when it took the image (JSON, registry.server.ts's shape), if it kept them. */
  recent?: string;
};

/** The current snapshot's manifest, or null when none was written yet. */
export async function registrySnapshotInfo(): Promise<SnapshotInfo | null> {
  const doc = await SnapshotModel.findById(MANIFEST).lean<SnapshotDoc>();
  if (!doc?.snapshot) return null;
  return { snapshot: doc.snapshot, seen: doc.seen ?? 0, chunks: doc.chunks ?? 0, bytes: doc.bytes ?? 0, at: doc.at ?? new Date(0), ...(doc.recent ? { recent: doc.recent } : {}) };
}

/** Stores `image` as the current snapshot covering the change log up to `seen`. */
/** `capturedAt`: when the image was taken (a reader re-reads the changes of the 30 s before it). */
export async function writeRegistrySnapshot(image: Uint8Array, seen: number, capturedAt: Date, recent?: string): Promise<SnapshotInfo> {
  const snapshot = randomUUID();
  const chunks = Math.ceil(image.length / CHUNK_BYTES);
  for (let i = 0; i < chunks; i++) {
    const part = image.subarray(i * CHUNK_BYTES, Math.min(image.length, (i + 1) * CHUNK_BYTES));
    await SnapshotModel.create({ _id: `${snapshot}:${i}`, data: Buffer.from(part.buffer, part.byteOffset, part.byteLength) });
  }
  const before = await SnapshotModel.findById(MANIFEST).lean<SnapshotDoc>();
  const info: SnapshotInfo = { snapshot, seen, chunks, bytes: image.length, at: capturedAt, ...(recent !== undefined ? { recent } : {}) };
  const previous = before?.snapshot ? { snapshot: before.snapshot, chunks: before.chunks ?? 0 } : undefined;
  await SnapshotModel.replaceOne({ _id: MANIFEST }, { _id: MANIFEST, ...info, ...(previous ? { previous } : {}) }, { upsert: true });
  // One `_id` delete per chunk: a filter on a prefix would scan every chunk on the embedded engine.
  if (before?.previous) for (let i = 0; i < before.previous.chunks; i++) await SnapshotModel.deleteOne({ _id: `${before.previous.snapshot}:${i}` });
  return info;
}

/** The current snapshot's image and the change-log position it covers; null when there is none. */
export async function readRegistrySnapshot(): Promise<{ image: Uint8Array; info: SnapshotInfo } | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const info = await registrySnapshotInfo();
    if (!info) return null;
    const image = new Uint8Array(info.bytes);
    let complete = true;
    for (let i = 0; i < info.chunks && complete; i++) {
      const doc = await SnapshotModel.findById(`${info.snapshot}:${i}`).lean<{ data?: { buffer: Uint8Array } | Buffer }>();
      const data = doc?.data;
      const bytes = data instanceof Uint8Array ? data : data?.buffer;
      if (!bytes) complete = false;
      else image.set(bytes, i * CHUNK_BYTES);
    }
    // A writer replaced it twice while we read (its chunks are gone): read the new one.
    if (complete) return { image, info };
  }
  return null;
}
