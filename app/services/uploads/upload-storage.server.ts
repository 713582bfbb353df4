import { createReadStream } from "node:fs";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { FileStore } from "@tus/file-store";
import { S3Store } from "@tus/s3-store";
import type { DataStore } from "@tus/utils";
import { env, type UploadEnv } from "~/utils/env.server";

export type ByteRange = { start: number; end: number };

/**
 * Where upload bytes live, behind one interface: the tus data store that receives them, plus reading (whole or
 * a byte range) and deleting. Local disk under `.data/uploads` by default; S3-compatible storage when
 * UPLOAD_STORAGE=s3, so that an upload begun on one web process can be resumed on another.
 */
export type UploadStorage = {
  kind: UploadEnv["storage"];
  store: DataStore;
  openRead: (id: string, range?: ByteRange) => Promise<Readable>;
  remove: (id: string) => Promise<void>;
};

type S3Client = { getObject: (input: { Bucket: string; Key: string; Range?: string }) => Promise<{ Body?: unknown }> };

function fileStorage(dir: string): UploadStorage {
  const directory = path.resolve(dir);
  mkdirSync(directory, { recursive: true });
  const store = new FileStore({ directory });
  return {
    kind: "file",
    store,
    // Upload ids are ours (hex), never a client's path: joining them is safe.
    openRead: async (id, range) => createReadStream(path.join(directory, id), range ? { start: range.start, end: range.end } : {}),
    remove: async (id) => {
      await store.remove(id).catch(() => undefined);
    },
  };
}

function s3Storage(config: NonNullable<UploadEnv["s3"]>): UploadStorage {
  const store = new S3Store({
    partSize: config.partSize,
    s3ClientConfig: {
      bucket: config.bucket,
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
      ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
    },
  });
  // The store's own S3 client, so that reads use the same endpoint and credentials.
  const client = (store as unknown as { client: S3Client }).client;
  return {
    kind: "s3",
    store,
    openRead: async (id, range) => {
      const object = await client.getObject({ Bucket: config.bucket, Key: id, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) });
      return object.Body as Readable;
    },
    remove: async (id) => {
      await store.remove(id).catch(() => undefined);
    },
  };
}

let storage: UploadStorage | undefined;

export function uploadStorage(): UploadStorage {
  if (storage) return storage;
  const config = env().uploads;
  storage = config.storage === "s3" ? s3Storage(config.s3!) : fileStorage(config.dir);
  return storage;
}
