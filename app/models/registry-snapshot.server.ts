import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import mongoose, { Schema } from "mongoose";
import { snapshotVersionOf } from "~/core/registry/permit-search-index";
import { env } from "~/utils/env.server";

/**
 * The registry index's snapshot, shared by every process through the database (so it works the same with
 * web processes on several hosts, on MongoDB and on the embedded engine): the image is cut into chunks of
 * 4 MiB (under the 16 MiB document limit) stored under `<snapshot id>:<n>`, and one manifest document names
 * the current snapshot and the change-log position it covers. Every read is an `_id` lookup (the only
 * query the embedded engine answers without a scan); the manifest is written after its chunks, so a reader
 * never sees half a snapshot. The chunks of the snapshot before the previous one are deleted: a reader
 * still loading a replaced snapshot has one whole generation's time to finish, and retries otherwise.
 * The image is stored deflated (level 1: fast, and the typed arrays shrink well); each host also keeps the
 * inflated image of the snapshot it last wrote or read in REGISTRY_CACHE_DIR, named by the snapshot's id
 * (a random UUID, so a file is never stale: it is that snapshot or it is not used), so the web processes
 * started on the worker's host read a local file instead of the database.
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
  stored?: number;
  format?: number;
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
    stored: Number,
    format: Number,
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
  /** Deflated size in the database. */
  stored: number;
  at: Date;
  /** The image's layout version (`SNAPSHOT_VERSION` of the index that wrote it; 1 for manifests written before it was kept). */
  format: number;
  /** The writer's changes not yet seen to land when it took the image (JSON, registry.server.ts's shape), if it kept them. */
  recent?: string;
};

/** The current snapshot's manifest, or null when none was written yet. */
export async function registrySnapshotInfo(): Promise<SnapshotInfo | null> {
  const doc = await SnapshotModel.findById(MANIFEST).lean<SnapshotDoc>();
  if (!doc?.snapshot) return null;
  return {
    snapshot: doc.snapshot,
    seen: doc.seen ?? 0,
    chunks: doc.chunks ?? 0,
    bytes: doc.bytes ?? 0,
    stored: doc.stored ?? 0,
    at: doc.at ?? new Date(0),
    format: doc.format ?? 1,
    ...(doc.recent ? { recent: doc.recent } : {}),
  };
}

/** Stores `image` as the current snapshot covering the change log up to `seen`. */
/** `capturedAt`: when the image was taken (a reader re-reads the changes of the 30 s before it). */
export async function writeRegistrySnapshot(image: Uint8Array, seen: number, capturedAt: Date, recent?: string): Promise<SnapshotInfo> {
  const snapshot = randomUUID();
  const deflated = await deflate(image, { level: 1 });
  const chunks = Math.ceil(deflated.length / CHUNK_BYTES);
  for (let i = 0; i < chunks; i++) {
    await SnapshotModel.create({ _id: `${snapshot}:${i}`, data: deflated.subarray(i * CHUNK_BYTES, Math.min(deflated.length, (i + 1) * CHUNK_BYTES)) });
  }
  const before = await SnapshotModel.findById(MANIFEST).lean<SnapshotDoc>();
  const format = snapshotVersionOf(image);
  const info: SnapshotInfo = { snapshot, seen, chunks, bytes: image.length, stored: deflated.length, at: capturedAt, format, ...(recent !== undefined ? { recent } : {}) };
  const previous = before?.snapshot ? { snapshot: before.snapshot, chunks: before.chunks ?? 0 } : undefined;
  await cacheLocally(snapshot, image);
  await SnapshotModel.replaceOne({ _id: MANIFEST }, { _id: MANIFEST, ...info, ...(previous ? { previous } : {}) }, { upsert: true });
  // One `_id` delete per chunk: a filter on a prefix would scan every chunk on the embedded engine.
  if (before?.previous) for (let i = 0; i < before.previous.chunks; i++) await SnapshotModel.deleteOne({ _id: `${before.previous.snapshot}:${i}` });
  return info;
}

const deflate = promisify(zlib.deflateRaw);

/** This host's copy of a snapshot's image, if it has that very snapshot. */
async function readLocalCopy(info: SnapshotInfo): Promise<Uint8Array | null> {
  try {
    const image = await readFile(path.join(env().REGISTRY_CACHE_DIR, `${info.snapshot}.brix`));
    return image.length === info.bytes ? image : null;
  } catch {
    return null;
  }
}

/** Keeps `image` as this host's copy (written aside, then renamed), dropping copies of older snapshots. Best effort. */
async function cacheLocally(snapshot: string, image: Uint8Array): Promise<void> {
  const dir = env().REGISTRY_CACHE_DIR;
  try {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${snapshot}.brix`);
    await writeFile(`${file}.${process.pid}.tmp`, image);
    await rename(`${file}.${process.pid}.tmp`, file);
    for (const name of await readdir(dir)) {
      // Another process's copy being written (.tmp) or loaded just now may go too: it then reads the database.
      if (name.endsWith(".brix") && name !== `${snapshot}.brix`) await rm(path.join(dir, name), { force: true });
    }
  } catch {
    // A read-only or full disk only costs the next process a read from the database.
  }
}

/** Chunks fetched ahead of the one being inflated (each ≤ 4 MiB deflated while it waits). */
const READ_AHEAD = 3;

/**
 * Reads the snapshot's chunks from the database a few at a time and inflates them, in order, through one
 * inflate stream straight into the image's final buffer (its size is in the manifest): neither the whole
 * deflated image nor the chunk documents are kept, only the few chunks in flight. Null when a chunk is gone
 * (replaced twice meanwhile) or the bytes do not inflate to exactly the manifest's size.
 */
async function readFromDatabase(info: SnapshotInfo): Promise<Uint8Array | null> {
  const fetchChunk = async (i: number): Promise<Uint8Array | null> => {
    const doc = await SnapshotModel.findById(`${info.snapshot}:${i}`).lean<{ data?: { buffer: Uint8Array } | Buffer }>();
    const data = doc?.data;
    return (data instanceof Uint8Array ? data : data?.buffer) ?? null;
  };
  const image = Buffer.allocUnsafe(info.bytes);
  let filled = 0;
  let overflow = false;
  const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
  inflater.on("data", (piece: Buffer) => {
    if (filled + piece.length > image.length) overflow = true;
    else image.set(piece, filled);
    filled += piece.length;
  });
  const finished = new Promise<boolean>((resolve) => {
    inflater.once("end", () => resolve(true));
    inflater.once("error", () => resolve(false));
  });
  const inFlight = new Map<number, Promise<Uint8Array | null>>();
  const ahead = (i: number) => {
    if (i < info.chunks && !inFlight.has(i)) inFlight.set(i, fetchChunk(i).catch(() => null));
  };
  let complete = true;
  try {
    for (let i = 0; i < Math.min(READ_AHEAD, info.chunks); i++) ahead(i);
    for (let i = 0; i < info.chunks; i++) {
      const bytes = await inFlight.get(i)!;
      inFlight.delete(i);
      ahead(i + READ_AHEAD);
      if (!bytes) {
        complete = false;
        break;
      }
      // Waits while the inflater is full, so at most a few chunks' worth of bytes wait in memory.
      if (!inflater.write(bytes) && !inflater.destroyed) {
        await new Promise<void>((resolve) => {
          const done = () => {
            inflater.off("drain", done).off("error", done).off("close", done);
            resolve();
          };
          inflater.on("drain", done).on("error", done).on("close", done);
        });
      }
      if (inflater.destroyed) {
        complete = false;
        break;
      }
    }
  } finally {
    if (!complete) {
      inflater.destroy();
      await Promise.all(inFlight.values());
    } else inflater.end();
  }
  if (!complete) return null;
  const ok = await finished;
  return ok && !overflow && filled === image.length ? image : null;
}

/** The current snapshot's image and the change-log position it covers; null when there is none. */
export async function readRegistrySnapshot(): Promise<{ image: Uint8Array; info: SnapshotInfo; local: boolean } | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const info = await registrySnapshotInfo();
    if (!info) return null;
    const local = await readLocalCopy(info);
    if (local) return { image: local, info, local: true };
    const image = await readFromDatabase(info);
    // A writer replaced it twice while we read (its chunks are gone), or it was damaged: read the new one.
    if (!image) continue;
    await cacheLocally(info.snapshot, image);
    return { image, info, local: false };
  }
  return null;
}
