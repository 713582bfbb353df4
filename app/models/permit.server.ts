import mongoose, { Schema } from "mongoose";
import type { PermitStatus, PermitStatusChange, StoredPermit } from "~/core/permits/types";
import { acquireLease, isDuplicateKey } from "./claim.server";
import { raiseSequenceHints, sequenceHint } from "./counter.server";

const CHANGE_SEQUENCE = "permit-changes";

/**
 * The permit store: the source of truth of the public registry. `_id` is the permit number, so a number
 * can exist once only. Every write is announced in the change log first (see `recordChange`), which lets
 * each process keep its search index in step with the store without scanning it.
 */
type PermitDoc = Omit<StoredPermit, "number"> & { _id: string };

const localized = { th: String, en: String };

const PermitSchema = new Schema<PermitDoc>(
  {
    _id: String,
    agencyId: { type: String, required: true },
    agencyName: localized,
    typeCode: { type: String, required: true },
    typeName: localized,
    holderName: { type: String, required: true },
    holderEntity: { type: new Schema({ kind: String, juristicId: String, declared: Boolean }, { _id: false }), default: undefined },
    businessName: String,
    activity: String,
    address: { text: String, province: String, district: String, subdistrict: String, postcode: String },
    details: [new Schema({ key: String, label: localized, value: String }, { _id: false })],
    conditions: [new Schema(localized, { _id: false })],
    issuedOn: { type: String, required: true },
    validFrom: { type: String, required: true },
    validUntil: { type: String, required: true },
    status: { type: String, required: true },
    statusReason: String,
    statusChangedAt: String,
    renews: String,
    renewedBy: String,
    displayRequired: Boolean,
    source: { type: String, required: true },
    caseId: String,
    effectId: String,
    serviceSlug: String,
    signature: { kid: String, jws: String },
    history: [new Schema<PermitStatusChange>({ at: Date, by: String, from: String, to: String, reason: String }, { _id: false })],
    rev: { type: Number, required: true },
  },
  { timestamps: true, versionKey: false },
);
// Real MongoDB serves the registry's structured filters from this; search itself uses the index projection.
PermitSchema.index({ agencyId: 1, typeCode: 1, status: 1 });
// The permits of a case (case page, "my requests").
PermitSchema.index({ caseId: 1 });

const PermitModel = (mongoose.models.Permit as mongoose.Model<PermitDoc>) ?? mongoose.model<PermitDoc>("Permit", PermitSchema);

/**
 * One entry per write to the store, numbered 1, 2, 3… without holes (each number is an `_id` insert). The
 * `_id` is the number as a string: the embedded database pushes only string and ObjectId `_id` lookups down
 * to its index.
 */
type PermitChange = { _id: string; numbers: string[]; at: Date };
const PermitChangeSchema = new Schema<PermitChange>({ _id: String, numbers: [String], at: Date }, { versionKey: false });
const PermitChangeModel =
  (mongoose.models.PermitChange as mongoose.Model<PermitChange>) ?? mongoose.model<PermitChange>("PermitChange", PermitChangeSchema);

const toPermit = (doc: PermitDoc): StoredPermit => {
  const { _id, ...rest } = doc;
  return { number: _id, ...rest } as StoredPermit;
};

export async function getPermit(number: string): Promise<StoredPermit | null> {
  const doc = await PermitModel.findById(number).lean<PermitDoc>();
  return doc ? toPermit(doc) : null;
}

/**
 * The permits of a registry page (up to a few hundred numbers) in one `_id` `$in` query: index-backed on
 * MongoDB, pushed down to the primary key by the embedded engine's patch 0002 (ADR 009) — measured faster
 * than one lookup per number. Missing numbers are left out; the order is the store's.
 */
export async function findPermitsByNumber(numbers: string[]): Promise<StoredPermit[]> {
  if (numbers.length === 0) return [];
  const docs = await PermitModel.find({ _id: { $in: numbers } }).lean<PermitDoc[]>();
  return docs.map(toPermit);
}

/**
 * `_id` lookups only (the embedded database scans for anything else), in `$in` batches of 256 numbers, a
 * few batches at a time: one command per batch instead of one per number (the catch-up of a new web
 * process re-reads every permit changed since its snapshot). Missing numbers are left out; the order is
 * that of `numbers` (each number once).
 */
const READ_BATCH = 256;
const READ_PARALLEL = 4;
export async function getPermits(numbers: string[]): Promise<StoredPermit[]> {
  const unique = [...new Set(numbers)];
  const found = new Map<string, StoredPermit>();
  for (let i = 0; i < unique.length; i += READ_BATCH * READ_PARALLEL) {
    const batches: string[][] = [];
    for (let j = i; j < Math.min(unique.length, i + READ_BATCH * READ_PARALLEL); j += READ_BATCH) batches.push(unique.slice(j, j + READ_BATCH));
    for (const permits of await Promise.all(batches.map((batch) => findPermitsByNumber(batch)))) for (const p of permits) found.set(p.number, p);
  }
  const out: StoredPermit[] = [];
  for (const number of unique) {
    const permit = found.get(number);
    if (permit) out.push(permit);
  }
  return out;
}

/**
 * Announces a write before it happens. Readers re-read the permits of recent changes, so a write that
 * lands just after its announcement is still picked up; a write that never lands changes nothing.
 * `hints`: other sequences' hints the caller has to raise, sent in the same command as the change log's
 * (a permit's number: decision 037).
 */
export async function recordChange(numbers: string[], hints: { name: string; value: number }[] = []): Promise<void> {
  let candidate = (await sequenceHint(CHANGE_SEQUENCE)) + 1;
  for (;;) {
    try {
      await PermitChangeModel.create({ _id: String(candidate), numbers, at: new Date() });
      await raiseSequenceHints([{ name: CHANGE_SEQUENCE, value: candidate }, ...hints]);
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      candidate += 1;
    }
  }
}

/** Changes after `after`, in order, by `_id` lookups; stops at the first number not (yet) written. */
export type PermitChangeEntry = { _id: number; numbers: string[]; at: Date };
export async function readChangesSince(after: number, limit = 500): Promise<PermitChangeEntry[]> {
  const out: PermitChangeEntry[] = [];
  const step = Math.min(64, Math.max(16, limit));
  for (let next = after + 1; out.length < limit; next += step) {
    // One `_id` `$in` command per `step` numbers (pushed down like equality); read back in number order.
    const ids = Array.from({ length: step }, (_, i) => String(next + i));
    const docs = new Map((await PermitChangeModel.find({ _id: { $in: ids } }).lean<PermitChange[]>()).map((c) => [c._id, c]));
    for (const change of ids.map((id) => docs.get(id))) {
      if (!change) return out;
      out.push({ _id: Number(change._id), numbers: change.numbers, at: change.at });
    }
  }
  return out;
}

/** The last change number (a hint: changes after it may be in flight; readChangesSince finds them). */
export async function latestChange(): Promise<number> {
  return sequenceHint(CHANGE_SEQUENCE);
}

/**
 * Inserts a new permit; false when the number exists already. `hints` are raised with the change log's hint,
 * before the permit is written (see recordChange).
 */
export async function insertPermit(permit: StoredPermit, hints: { name: string; value: number }[] = []): Promise<boolean> {
  await recordChange([permit.number], hints);
  const { number, ...rest } = permit;
  try {
    await PermitModel.create({ _id: number, ...rest });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * Imports a batch (paper-era permits): new numbers are inserted, numbers already imported with identical
 * content are left alone, changed ones are replaced; numbers held by an issued permit or another agency's
 * permit are returned as conflicts and not touched.
 */
export async function upsertImportedPermits(
  permits: StoredPermit[],
  sameContent: (stored: StoredPermit, incoming: StoredPermit) => boolean,
): Promise<{ inserted: string[]; updated: string[]; unchanged: string[]; conflicts: string[] }> {
  const existing = new Map((await getPermits(permits.map((p) => p.number))).map((p) => [p.number, p]));
  const result = { inserted: [] as string[], updated: [] as string[], unchanged: [] as string[], conflicts: [] as string[] };
  const toInsert: StoredPermit[] = [];
  const toReplace: StoredPermit[] = [];
  for (const permit of permits) {
    const stored = existing.get(permit.number);
    if (!stored) toInsert.push(permit);
    // An import never overwrites a permit issued in Borikan or one of another agency.
    else if (stored.source !== "import" || stored.agencyId !== permit.agencyId) result.conflicts.push(permit.number);
    else if (sameContent(stored, permit)) result.unchanged.push(permit.number);
    else toReplace.push({ ...permit, rev: stored.rev + 1, history: stored.history, createdAt: stored.createdAt });
  }
  if (toInsert.length + toReplace.length === 0) return result;
  await recordChange([...toInsert, ...toReplace].map((p) => p.number));
  if (toInsert.length > 0) {
    try {
      await PermitModel.insertMany(
        toInsert.map(({ number, ...rest }) => ({ _id: number, ...rest })),
        { ordered: false },
      );
      result.inserted.push(...toInsert.map((p) => p.number));
    } catch (error) {
      // Another import of the same file got there first: those rows are now "unchanged", not errors.
      const failed = new Set(
        ((error as { writeErrors?: { err?: { op?: { _id?: string } }; op?: { _id?: string } }[] }).writeErrors ?? []).map(
          (w) => w.err?.op?._id ?? w.op?._id,
        ),
      );
      if (!isDuplicateKey(error) && failed.size === 0) throw error;
      for (const p of toInsert) (failed.has(p.number) ? result.unchanged : result.inserted).push(p.number);
    }
  }
  for (const permit of toReplace) {
    const { number, ...rest } = permit;
    await PermitModel.replaceOne({ _id: number }, rest);
    result.updated.push(number);
  }
  return result;
}

/**
 * Changes a permit's status in one revision-claimed write (see claim.server.ts): of two officers acting on
 * the same revision, one wins and the other gets false.
 */
export async function changePermitStatus(
  number: string,
  expectedRev: number,
  change: { to: PermitStatus; reason: string; by: string; at: Date; renewedBy?: string },
  from: PermitStatus,
): Promise<boolean> {
  const lease = await acquireLease(`permit:${number}:rev:${expectedRev}`, async () => {
    const current = await PermitModel.findById(number).select("rev").lean<{ rev: number }>();
    return current?.rev === expectedRev;
  });
  if (!lease) return false;
  await recordChange([number]);
  const result = await PermitModel.updateOne(
    { _id: number, rev: expectedRev },
    {
      $set: {
        status: change.to,
        statusReason: change.reason,
        statusChangedAt: change.at.toISOString(),
        rev: expectedRev + 1,
        ...(change.renewedBy ? { renewedBy: change.renewedBy } : {}),
      },
      $push: { history: { at: change.at, by: change.by, from, to: change.to, reason: change.reason } },
    },
  ).exec();
  return result.modifiedCount === 1;
}

/** Every permit, in batches, for (re)building a search index. */
export async function forEachPermit(batchSize: number, onBatch: (permits: StoredPermit[]) => void | Promise<void>): Promise<void> {
  let batch: StoredPermit[] = [];
  const cursor = PermitModel.find().select("-history -signature").lean<PermitDoc[]>().cursor({ batchSize });
  for await (const doc of cursor) {
    batch.push(toPermit(doc as PermitDoc));
    if (batch.length >= batchSize) {
      await onBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await onBatch(batch);
}

export async function countPermits(): Promise<number> {
  return PermitModel.estimatedDocumentCount();
}

/** The permits issued on these cases (a holder's personal-data export). */
export async function listPermitsOfCases(caseIds: string[]): Promise<StoredPermit[]> {
  if (caseIds.length === 0) return [];
  return (await PermitModel.find({ caseId: { $in: caseIds } }).lean<PermitDoc[]>()).map(toPermit);
}
