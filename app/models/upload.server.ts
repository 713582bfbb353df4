import mongoose, { Schema } from "mongoose";

/**
 * One upload (a tus upload, `_id` = its id): who sent it, for which service field, its limits, and — once
 * complete — its size, detected type and SHA-256. It belongs to its uploader until it is attached to a case.
 */
export type UploadDoc = {
  _id: string;
  owner: { kind: "citizen" | "staff" | "api"; id: string };
  agencyId: string;
  service: string;
  serviceVersionId: string;
  /** JSON pointer of the form field it is for. */
  field: string;
  /** The case it answers a request for missing items of, when it does. */
  forCase: string | null;
  name: string;
  declaredType: string | null;
  /** Upload-Length; null while the client defers it. */
  size: number | null;
  maxBytes: number;
  types: string[];
  status: "uploading" | "complete" | "refused";
  detectedType: string | null;
  sha256: string | null;
  /** The case it is attached to; absent until then. */
  attachedTo?: string;
  /**
   * Cases that held it before a referral (s.10) passed it on to `attachedTo`: the bytes are shared, never
   * copied, and those cases' applicant and agency still read it. The case that holds it last keeps it longest.
   */
  sharedWith?: string[];
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date;
  /**
   * When the expiry sweep may remove it: its expiry while unattached, the moment it was refused; absent once
   * attached. One date field (never null) keeps the sweep and the quota index-backed on both engines.
   */
  sweepAfter?: Date;
};

const UploadSchema = new Schema<UploadDoc>(
  {
    _id: { type: String, required: true },
    owner: { kind: { type: String, required: true }, id: { type: String, required: true } },
    agencyId: { type: String, required: true },
    service: { type: String, required: true },
    serviceVersionId: { type: String, required: true },
    field: { type: String, required: true },
    forCase: { type: String, default: null },
    name: { type: String, required: true },
    declaredType: { type: String, default: null },
    size: { type: Number, default: null },
    maxBytes: { type: Number, required: true },
    types: { type: [String], required: true },
    status: { type: String, required: true },
    detectedType: { type: String, default: null },
    sha256: { type: String, default: null },
    attachedTo: { type: String },
    sharedWith: { type: [String], default: undefined },
    createdAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
    sweepAfter: { type: Date },
  },
  { versionKey: false },
);
export const UPLOAD_QUERY_INDEXES = {
  /** The applicant's quota: their unattached, unexpired uploads. */
  pendingOfOwner: { "owner.id": 1, sweepAfter: 1 },
  /** The expiry sweep. */
  sweep: { sweepAfter: 1 },
  /** A case's attachments. */
  attached: { attachedTo: 1 },
} as const;
for (const key of Object.values(UPLOAD_QUERY_INDEXES)) UploadSchema.index(key);

export const UploadModel = (mongoose.models.Upload as mongoose.Model<UploadDoc>) ?? mongoose.model<UploadDoc>("Upload", UploadSchema);

export async function insertUpload(doc: Omit<UploadDoc, "sweepAfter" | "attachedTo">): Promise<void> {
  await UploadModel.create({ ...doc, sweepAfter: doc.expiresAt });
}

export async function getUpload(id: string): Promise<UploadDoc | null> {
  return UploadModel.findById(id).lean<UploadDoc>();
}

export async function getUploads(ids: string[]): Promise<UploadDoc[]> {
  if (ids.length === 0) return [];
  // One lookup per id: on FerretDB only `{ _id }` filters use the index.
  const docs = await Promise.all(ids.map((id) => getUpload(id)));
  return docs.filter((d): d is UploadDoc => d !== null);
}

export async function markUploadComplete(id: string, fields: { size: number; detectedType: string; sha256: string }): Promise<void> {
  await UploadModel.updateOne({ _id: id }, { $set: { ...fields, status: "complete", completedAt: new Date() } });
}

export async function markUploadRefused(id: string): Promise<void> {
  await UploadModel.updateOne({ _id: id }, { $set: { status: "refused", sweepAfter: new Date() } });
}

/** Attached uploads are never swept. */
export async function attachUpload(id: string, caseId: string): Promise<void> {
  await UploadModel.updateOne({ _id: id }, { $set: { attachedTo: caseId }, $unset: { sweepAfter: "" } });
}

/**
 * A referral passes the upload on to the new case (the one that stays open longest, so retention removes the
 * bytes with it) and remembers the case it came from. Idempotent: a re-run sets the same values.
 */
export async function passUploadOn(id: string, fromCaseId: string, toCaseId: string): Promise<void> {
  await UploadModel.updateOne({ _id: id }, { $set: { attachedTo: toCaseId }, $addToSet: { sharedWith: fromCaseId } });
}

/** Undoes attachUpload: the upload expires as it would have. */
export async function detachUpload(id: string): Promise<void> {
  const doc = await UploadModel.findById(id).select("expiresAt").lean<Pick<UploadDoc, "expiresAt">>();
  if (!doc) return;
  await UploadModel.updateOne({ _id: id }, { $unset: { attachedTo: "" }, $set: { sweepAfter: doc.expiresAt } });
}

export async function deleteUploadDoc(id: string): Promise<void> {
  await UploadModel.deleteOne({ _id: id });
}

/** Bytes the owner holds in uploads not attached to any case and not yet expired. */
export async function pendingBytesOf(ownerId: string, now: Date): Promise<number> {
  // Refused ones are due for the sweep already (sweepAfter ≤ now).
  const docs = await UploadModel.find({ "owner.id": ownerId, sweepAfter: { $gt: now } })
    .select("size maxBytes")
    .lean<Pick<UploadDoc, "size" | "maxBytes">[]>();
  return docs.reduce((sum, d) => sum + (d.size ?? d.maxBytes), 0);
}

/** Uploads nobody attached before they expired, or that were refused. */
export async function findExpiredUploads(now: Date, limit = 500): Promise<UploadDoc[]> {
  return UploadModel.find({ sweepAfter: { $lte: now } })
    .sort({ sweepAfter: 1 })
    .limit(limit)
    .lean<UploadDoc[]>();
}

export async function uploadsAttachedTo(caseId: string): Promise<UploadDoc[]> {
  return UploadModel.find({ attachedTo: caseId }).lean<UploadDoc[]>();
}

/** Every upload a person or client started, newest first (their personal-data export). */
export async function listUploadsOfOwner(ownerId: string): Promise<UploadDoc[]> {
  return UploadModel.find({ "owner.id": ownerId }).sort({ createdAt: -1 }).lean<UploadDoc[]>();
}

/** Forgets the uploads attached to a case (retention): the caller removes their bytes first. */
export async function deleteUploadsAttachedTo(caseId: string): Promise<void> {
  await UploadModel.deleteMany({ attachedTo: caseId });
}

/**
 * Uploads stored before `sweepAfter`: unattached ones get it (their expiry, or now if refused), and a null
 * `attachedTo` becomes absent; the indexes are built again without the nulls (the embedded engine remembers
 * every kind of value an index saw). Idempotent.
 */
export async function upgradeUploadQueryData(now = new Date()): Promise<void> {
  await UploadModel.init();
  const uploads = UploadModel.collection;
  for (const doc of await uploads.find({ attachedTo: null }).project<Pick<UploadDoc, "_id" | "status" | "expiresAt">>({ status: 1, expiresAt: 1 }).toArray()) {
    await uploads.updateOne({ _id: doc._id as never }, { $unset: { attachedTo: "" }, $set: { sweepAfter: doc.status === "refused" ? now : doc.expiresAt } });
  }
  const existing = new Set((await uploads.indexes()).map((index) => index.name));
  for (const name of ["owner.id_1_attachedTo_1", "attachedTo_1_expiresAt_1", "attachedTo_1"]) if (existing.has(name)) await uploads.dropIndex(name);
  await uploads.createIndex(UPLOAD_QUERY_INDEXES.attached, { name: "attachedTo_1" });
}
