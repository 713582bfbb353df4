import type { Collection } from "mongodb";
import mongoose, { Schema } from "mongoose";
import { bulkWriteGrouped, insertGrouped } from "./group-commit.server";

/**
 * The lean read model of the law's clocks, one row per case (`_id` = the case id), so the worker finds the
 * cases with a notice to send without reading the cases collection (FerretDB answers only `_id` look-ups
 * from an index; every other query reads the whole collection — this one is small). Written when a case is
 * filed or moves, and by the notice sweep. It is a hint: the sweep checks each row against its case before
 * sending anything, and rewrites the row from the case (of two concurrent writers the later one wins; every
 * such loss leaves `checkAt` earlier, never later).
 */
export type CaseClockRow = {
  _id: string;
  agencyId: string;
  /** When the next delay notice falls due; null while none will (decided, paused, or not late yet and not known). */
  nextNoticeAt: Date | null;
  /** Delay notices sent so far, and when the last one went. */
  noticesSent: number;
  lastNoticeAt: Date | null;
  decided: boolean;
  decidedAt: Date | null;
  /** When the decision notice was recorded; null while it is owed (decided cases) or not applicable. */
  decisionNotifiedAt: Date | null;
  /** When the sweep next has something to do for this case (a delay notice, or the decision's grace ending); null: nothing. */
  checkAt: Date | null;
  updatedAt: Date;
};

const CaseClockSchema = new Schema<CaseClockRow>(
  {
    _id: String,
    agencyId: { type: String, required: true },
    nextNoticeAt: { type: Date, default: null },
    noticesSent: { type: Number, default: 0 },
    lastNoticeAt: { type: Date, default: null },
    decided: { type: Boolean, default: false },
    decidedAt: { type: Date, default: null },
    decisionNotifiedAt: { type: Date, default: null },
    checkAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "case_clocks" },
);
// The notice sweep: rows whose time has come (on MongoDB an index range; on FerretDB a read of this small collection).
CaseClockSchema.index({ checkAt: 1 });

export const CaseClockModel =
  (mongoose.models.CaseClock as mongoose.Model<CaseClockRow>) ?? mongoose.model<CaseClockRow>("CaseClock", CaseClockSchema);

export async function getCaseClock(caseId: string): Promise<CaseClockRow | null> {
  return CaseClockModel.findById(caseId).lean<CaseClockRow>();
}

/** Writes the whole row (an upsert by `_id`). */
export async function putCaseClock(row: CaseClockRow): Promise<void> {
  const { _id, ...rest } = row;
  await CaseClockModel.updateOne({ _id }, { $set: rest }, { upsert: true }).exec();
}

/**
 * Writes what a filing or a transition knows (the case's own fields and when the sweep should look next)
 * without reading the row: the notices already sent and the decision notice stay as the sweep wrote them.
 */
export async function setCaseClockFromCase(row: CaseClockRow): Promise<void> {
  await upsertClockFromCase(row, true);
}

/**
 * `setCaseClockFromCase` for a move that changed none of the row's fields (decision 028): the same upsert, except
 * that `updatedAt` is set only on a new row, so a row already holding these values is not written at all (both
 * engines skip an update that changes nothing; on the embedded one a written update costs about 0.6 ms of database
 * CPU). A missing row is still created, and a row the sweep changed is still rewritten from the case, as before.
 */
export async function keepCaseClockFromCase(row: CaseClockRow): Promise<void> {
  await upsertClockFromCase(row, false);
}

async function upsertClockFromCase(row: CaseClockRow, touch: boolean): Promise<void> {
  const { _id, agencyId, nextNoticeAt, decided, decidedAt, checkAt, updatedAt } = row;
  const update = {
    $set: { agencyId, nextNoticeAt, decided, decidedAt, checkAt, ...(touch ? { updatedAt } : {}) },
    $setOnInsert: { noticesSent: 0, lastNoticeAt: null, decisionNotifiedAt: null, ...(touch ? {} : { updatedAt }) },
  };
  // Grouped with the other rows this process is writing at the moment (one unordered bulk write).
  const [failure] = await writeClocks([{ updateOne: { filter: { _id }, update, upsert: true } }]);
  if (!failure) return;
  // Two first writes at once: the loser's upsert meets the winner's insert; the row exists now, so again.
  if (failure.code !== 11000) throw failure.error;
  await CaseClockModel.updateOne({ _id }, update, { upsert: true }).exec();
}

const writeClocks = bulkWriteGrouped<CaseClockRow>(() => CaseClockModel.collection as unknown as Collection<CaseClockRow>);

/**
 * The first row of a case just inserted (its `_id` is new): a plain grouped insert of the whole row, the document
 * the upsert of `setCaseClockFromCase` would create. On this engine an upsert reads before it writes (~0.25 ms of
 * database CPU per row against ~0.11 for an insert; decision 029). Resolves to false, leaving the row as it is,
 * when one exists already: it was written from the case since (its first transition), which is newer than this.
 */
export async function insertNewCaseClock(row: CaseClockRow): Promise<boolean> {
  const [failure] = await insertClocks([row]);
  if (!failure) return true;
  if (failure.code !== 11000) throw failure.error;
  return false;
}

/** Which of these cases have a clock row (the new-case sweep; an `_id $in` read). */
export async function caseClockIdsAmong(caseIds: string[]): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set();
  const rows = await CaseClockModel.find({ _id: { $in: caseIds } }).select("_id").lean<Pick<CaseClockRow, "_id">[]>();
  return new Set(rows.map((r) => r._id));
}

const insertClocks = insertGrouped<CaseClockRow>(() => CaseClockModel.collection as unknown as Collection<CaseClockRow>);

/** Rows with work due by `now`, oldest first. */
export async function listDueCaseClocks(now: Date, limit = 200): Promise<CaseClockRow[]> {
  return CaseClockModel.find({ checkAt: { $lte: now } }).sort({ checkAt: 1 }).limit(limit).lean<CaseClockRow[]>();
}
