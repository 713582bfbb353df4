import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, writeFile } from "node:fs/promises";
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

/**
 * Where a snapshot's image goes as it is read: its bytes in order, piece by piece (a piece is only valid
 * during the call), then `finish` for the result. Either may throw when the bytes are not a loadable image.
 */
export type SnapshotSink<T> = { write(piece: Uint8Array): void; finish(): T };

class SinkFailed extends Error {}

function feed<T>(sink: SnapshotSink<T>, piece: Uint8Array): void {
  try {
    sink.write(piece);
  } catch (error) {
    throw new SinkFailed(String(error));
  }
}

/** Under glibc's default mmap threshold's reach: a freed piece of 4 MiB would raise it to that (see snapshotReader). */
const LOCAL_PIECE = 2 ** 20;

/** This host's copy of a snapshot's image, if it has that very snapshot, fed to a sink 1 MiB at a time. */
async function readLocalCopy<T>(info: SnapshotInfo, openSink: (info: SnapshotInfo) => SnapshotSink<T>): Promise<T | null> {
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(path.join(env().REGISTRY_CACHE_DIR, `${info.snapshot}.brix`), "r");
    if ((await file.stat()).size !== info.bytes) return null;
    const sink = openSink(info);
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(LOCAL_PIECE, info.bytes)));
    for (let at = 0; at < info.bytes; ) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, info.bytes - at), at);
      if (bytesRead === 0) return null;
      feed(sink, buffer.subarray(0, bytesRead));
      at += bytesRead;
    }
    return sink.finish();
  } catch (error) {
    if (error instanceof SinkFailed) throw error;
    return null;
  } finally {
    await file?.close().catch(() => {});
  }
}

/**
 * This host's copy of a snapshot being read from the database, written piece by piece as it is inflated
 * (synchronously: a piece is only valid during the inflater's callback, and queueing them would keep the
 * image in memory after all), then renamed into place. Best effort, like `cacheLocally`.
 */
function localCopyWriter(snapshot: string): { write(piece: Uint8Array): void; commit(): Promise<void>; abort(): void } {
  const dir = env().REGISTRY_CACHE_DIR;
  const file = path.join(dir, `${snapshot}.brix`);
  const temp = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(temp, "w");
  } catch {
    // A read-only or full disk only costs the next process a read from the database.
  }
  const abort = () => {
    if (fd === undefined) return;
    try {
      closeSync(fd);
      rmSync(temp, { force: true });
    } catch {
      // best effort
    }
    fd = undefined;
  };
  return {
    write(piece) {
      if (fd === undefined) return;
      try {
        for (let at = 0; at < piece.length; ) at += writeSync(fd, piece, at);
      } catch {
        abort();
      }
    },
    async commit() {
      if (fd === undefined) return;
      try {
        closeSync(fd);
        fd = undefined;
        renameSync(temp, file);
        await dropOtherCopies(dir, snapshot);
      } catch {
        abort();
      }
    },
    abort,
  };
}

/** Keeps `image` as this host's copy (written aside, then renamed), dropping copies of older snapshots. Best effort. */
async function cacheLocally(snapshot: string, image: Uint8Array): Promise<void> {
  const dir = env().REGISTRY_CACHE_DIR;
  try {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${snapshot}.brix`);
    await writeFile(`${file}.${process.pid}.tmp`, image);
    await rename(`${file}.${process.pid}.tmp`, file);
    await dropOtherCopies(dir, snapshot);
  } catch {
    // A read-only or full disk only costs the next process a read from the database.
  }
}

async function dropOtherCopies(dir: string, snapshot: string): Promise<void> {
  for (const name of await readdir(dir)) {
    // Another process's copy being written (.tmp) or loaded just now may go too: it then reads the database.
    if (name.endsWith(".brix") && name !== `${snapshot}.brix`) await rm(path.join(dir, name), { force: true });
  }
}

/** Chunks fetched ahead of the one being inflated (each ≤ 4 MiB deflated while it waits). */
const READ_AHEAD = 3;

/**
 * Reads the snapshot's chunks from the database a few at a time and inflates them, in order, through one
 * inflate stream straight into the sink and this host's copy: neither the whole deflated image nor the chunk
 * documents are kept, only the few chunks in flight. Null when a chunk is gone (replaced twice meanwhile) or
 * the bytes do not inflate to exactly the manifest's size; throws SinkFailed when the sink refuses them.
 */
async function readFromDatabase<T>(info: SnapshotInfo, openSink: (info: SnapshotInfo) => SnapshotSink<T>): Promise<T | null> {
  const fetchChunk = async (i: number): Promise<Uint8Array | null> => {
    const doc = await SnapshotModel.findById(`${info.snapshot}:${i}`).lean<{ data?: { buffer: Uint8Array } | Buffer }>();
    const data = doc?.data;
    return (data instanceof Uint8Array ? data : data?.buffer) ?? null;
  };
  const sink = openSink(info);
  const copy = localCopyWriter(info.snapshot);
  let filled = 0;
  let overflow = false;
  let refused: unknown;
  const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
  inflater.on("data", (piece: Buffer) => {
    if (filled + piece.length > info.bytes) overflow = true;
    else if (refused === undefined) {
      try {
        feed(sink, piece);
        copy.write(piece);
      } catch (error) {
        refused = error;
        inflater.destroy();
      }
    }
    filled += piece.length;
  });
  const finished = new Promise<boolean>((resolve) => {
    inflater.once("end", () => resolve(true));
    inflater.once("error", () => resolve(false));
    // Destroyed by a refusing sink after the last write: neither "end" nor "error" comes.
    inflater.once("close", () => resolve(false));
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
  const ok = complete && (await finished);
  if (refused !== undefined) {
    copy.abort();
    throw refused;
  }
  if (!ok || overflow || filled !== info.bytes) {
    copy.abort();
    return null;
  }
  let result: T;
  try {
    result = sink.finish();
  } catch (error) {
    copy.abort();
    throw new SinkFailed(String(error));
  }
  await copy.commit();
  return result;
}

/**
 * The current snapshot read into `openSink(info)`'s sink (this host's copy if it has it, else the database,
 * keeping a copy), and the change-log position it covers; null when there is none or the sink refused it.
 * A web process loads its index this way (PermitSearchIndex.snapshotReader), never holding the whole image.
 */
export async function readRegistrySnapshotInto<T>(openSink: (info: SnapshotInfo) => SnapshotSink<T>): Promise<{ result: T; info: SnapshotInfo; local: boolean } | null> {
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const info = await registrySnapshotInfo();
      if (!info) return null;
      const local = await readLocalCopy(info, openSink);
      if (local !== null) return { result: local, info, local: true };
      const result = await readFromDatabase(info, openSink);
      // A writer replaced it twice while we read (its chunks are gone), or it was damaged: read the new one.
      if (result === null) continue;
      return { result, info, local: false };
    }
    return null;
  } catch (error) {
    if (error instanceof SinkFailed) return null;
    throw error;
  }
}

/** The current snapshot's whole image (tests, tools) and the change-log position it covers; null when there is none. */
export async function readRegistrySnapshot(): Promise<{ image: Uint8Array; info: SnapshotInfo; local: boolean } | null> {
  const read = await readRegistrySnapshotInto((info) => {
    const image = Buffer.allocUnsafe(info.bytes);
    let at = 0;
    return {
      write(piece) {
        if (at + piece.length > image.length) throw new Error("snapshot longer than announced");
        image.set(piece, at);
        at += piece.length;
      },
      finish: () => {
        if (at !== image.length) throw new Error("snapshot cut short");
        return image;
      },
    };
  });
  return read && { image: read.result, info: read.info, local: read.local };
}
