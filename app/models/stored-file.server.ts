import { createHash } from "node:crypto";
import type { Collection } from "mongodb";
import mongoose, { Schema } from "mongoose";
import { isDuplicateKey } from "./claim.server";

/** Generated documents (permit PDFs, result letters): written once under a deterministic id, then immutable. */
export type StoredFile = { _id: string; contentType: string; bytes: number; sha256: string; data: Buffer; createdAt: Date };

const StoredFileSchema = new Schema<StoredFile>(
  { _id: String, contentType: String, bytes: Number, sha256: String, data: Buffer, createdAt: Date },
  { versionKey: false },
);
const StoredFileModel = (mongoose.models.StoredFile as mongoose.Model<StoredFile>) ?? mongoose.model<StoredFile>("StoredFile", StoredFileSchema);

export async function fileExists(id: string): Promise<boolean> {
  return (await StoredFileModel.exists({ _id: id })) !== null;
}

/** Stores the file unless one with this id exists already (the first writer wins; contents never change). */
export async function putFileOnce(id: string, contentType: string, data: Buffer): Promise<void> {
  try {
    // A plain driver insert of what mongoose stored (every field already of its schema type): a mongoose
    // document would wrap the 25–30 KiB buffer for nothing.
    const file: StoredFile = { _id: id, contentType, bytes: data.length, sha256: createHash("sha256").update(data).digest("hex"), data, createdAt: new Date() };
    await (StoredFileModel.collection as unknown as Collection<StoredFile>).insertOne(file);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

export async function getFile(id: string): Promise<StoredFile | null> {
  const doc = await StoredFileModel.findById(id).lean<StoredFile & { data: Buffer | { buffer: ArrayBuffer } }>();
  if (!doc) return null;
  // lean() returns a BSON Binary; callers want a Buffer.
  const data = Buffer.isBuffer(doc.data) ? doc.data : Buffer.from((doc.data as unknown as { buffer: Uint8Array }).buffer);
  return { ...doc, data };
}
