import type { Collection, UpdateFilter } from "mongodb";
import mongoose, { Schema, Types } from "mongoose";
import type { Sla } from "~/core/cases/case-rules";
import type { OnBehalfOf } from "~/core/cases/on-behalf-of";
import type { Role } from "~/core/workflow/types";
import { groupWrites, insertGrouped, type WriteFailure } from "./group-commit.server";

/** `system`: the platform itself (the notice sweep). */
export type ActorRef = { kind: "citizen" | "staff" | "api" | "system"; id: string; name: string };

export type HistoryEntry = {
  at: Date;
  actor: ActorRef;
  role: Role | "system";
  event: string;
  from: string | null;
  to: string;
  comment?: string;
  /** A referral (s.10): the case on the other side, so both histories link to each other. */
  link?: HistoryLink;
};

export type HistoryLink = { caseId: string; trackingNumber: string; agencyName: { th: string; en: string } };

export type CaseEffect = {
  id: string;
  type: string;
  paramsJson: string;
  status: "pending" | "done" | "failed";
  createdAt: Date;
};

export type MissingItems = { fields: string[]; note: string; requestedAt: Date; requestedBy: string };

export type CaseDoc = {
  _id: Types.ObjectId;
  trackingNumber: string;
  serviceSlug: string;
  serviceVersionId: string;
  agencyId: string;
  applicant: ActorRef;
  channel: "web" | "api";
  /** The company the applicant declared they file for, if any. */
  onBehalfOf?: OnBehalfOf;
  summary: { applicantName: string; subject: string; email?: string };
  dataJson: string;
  snapshotJson: string;
  stateValue: string;
  status: "active" | "done";
  outcome?: string;
  rev: number;
  /** Who wrote the current revision (one id per applyCaseUpdate call): how a writer knows its grouped update won. */
  revWriter?: string;
  history: HistoryEntry[];
  receipt: { number: string; receivedAt: Date; countedFrom: Date; dueAt: Date };
  sla: Sla;
  missingItems: MissingItems | null;
  effects: CaseEffect[];
  /** PDPA: the privacy notice version the application was filed under, and when. */
  consent?: { noticeVersion: string; at: Date };
  /** When the case reached a final state. */
  closedAt?: Date | null;
  /** When retention removed its personal data (form data, attachments); null while it is held. */
  personalDataRemovedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const actorSchema = new Schema<ActorRef>({ kind: String, id: String, name: String }, { _id: false });

const CaseSchema = new Schema<CaseDoc>(
  {
    trackingNumber: { type: String, required: true, unique: true },
    serviceSlug: { type: String, required: true },
    serviceVersionId: { type: String, required: true },
    agencyId: { type: String, required: true },
    applicant: { type: actorSchema, required: true },
    channel: { type: String, required: true },
    onBehalfOf: { type: new Schema({ kind: String, juristicId: String, name: String, declared: Boolean }, { _id: false }), default: undefined },
    summary: { applicantName: String, subject: String, email: String },
    dataJson: { type: String, required: true },
    snapshotJson: { type: String, required: true },
    stateValue: { type: String, required: true },
    status: { type: String, required: true },
    outcome: String,
    rev: { type: Number, required: true },
    revWriter: String,
    history: [
      new Schema<HistoryEntry>(
        {
          at: Date,
          actor: actorSchema,
          role: String,
          event: String,
          from: String,
          to: String,
          comment: String,
          link: { type: new Schema({ caseId: String, trackingNumber: String, agencyName: { th: String, en: String } }, { _id: false }), default: undefined },
        },
        { _id: false },
      ),
    ],
    receipt: { number: String, receivedAt: Date, countedFrom: Date, dueAt: Date },
    sla: { stateDueAt: Date, paused: Boolean, pausedAt: Date, statutoryDueAt: Date },
    missingItems: {
      type: new Schema<MissingItems>({ fields: [String], note: String, requestedAt: Date, requestedBy: String }, { _id: false }),
      default: null,
    },
    effects: [
      new Schema<CaseEffect>({ id: String, type: String, paramsJson: String, status: String, createdAt: Date }, { _id: false }),
    ],
    consent: { type: new Schema({ noticeVersion: String, at: Date }, { _id: false }), default: undefined },
    closedAt: { type: Date, default: null },
    personalDataRemovedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
// Every hot query has an index that serves both its filter and its order, on MongoDB and on the embedded
// FerretDB (whose patched SQLite backend pushes filter, sort and limit down to such an index when the paths
// hold values of one kind: see CASE_QUERY_INDEXES and docs/decisions/011-hot-queries-and-the-bench.md).
export const CASE_QUERY_INDEXES = {
  /** An agency's inbox: in progress or done, oldest due first. */
  inbox: { agencyId: 1, status: 1, "sla.stateDueAt": 1, _id: 1 },
  /** … of one service. */
  inboxByService: { agencyId: 1, status: 1, serviceSlug: 1, "sla.stateDueAt": 1, _id: 1 },
  /** … at one step of one service (step ids are the service's own: two services may share one). */
  inboxByStep: { agencyId: 1, status: 1, serviceSlug: 1, stateValue: 1, "sla.stateDueAt": 1, _id: 1 },
  /** … overdue: running clock, due date passed. */
  inboxOverdue: { agencyId: 1, status: 1, "sla.paused": 1, "sla.stateDueAt": 1, _id: 1 },
  /** A citizen's own cases, newest first. */
  applicant: { "applicant.id": 1, createdAt: -1 },
  /** Closed cases, in `_id` batches (the retention sweep). */
  closed: { status: 1, _id: 1 },
} as const;
for (const key of Object.values(CASE_QUERY_INDEXES)) CaseSchema.index(key);

export const CaseModel = (mongoose.models.Case as mongoose.Model<CaseDoc>) ?? mongoose.model<CaseDoc>("Case", CaseSchema);

/**
 * Data stored before the case-query indexes: due dates that were null (now absent) and the indexes they
 * replaced. The embedded engine remembers every kind of value an index ever saw, so the indexes on the due
 * date are built again once the nulls are gone. Idempotent.
 */
export async function upgradeCaseQueryData(): Promise<void> {
  // The model's own index builds (autoIndex) first, so they cannot race the drops below.
  await CaseModel.init();
  const cases = CaseModel.collection;
  await cases.updateMany({ "sla.stateDueAt": null }, { $unset: { "sla.stateDueAt": "" } });
  const existing = new Set((await cases.indexes()).map((index) => index.name));
  for (const name of ["agencyId_1_stateValue_1_sla.stateDueAt_1", "agencyId_1_createdAt_-1"]) if (existing.has(name)) await cases.dropIndex(name);
  for (const key of Object.values(CASE_QUERY_INDEXES)) {
    if (!("sla.stateDueAt" in key)) continue;
    const name = Object.entries(key).map(([path, order]) => `${path}_${order}`).join("_");
    if (existing.has(name)) await cases.dropIndex(name);
    await cases.createIndex(key, { name });
  }
}

/** The step filter became per service: its index replaces the one on the step alone. Idempotent. */
export async function upgradeInboxStepIndex(): Promise<void> {
  await CaseModel.init();
  const existing = new Set((await CaseModel.collection.indexes()).map((index) => index.name));
  const replaced = "agencyId_1_status_1_stateValue_1_sla.stateDueAt_1__id_1";
  if (existing.has(replaced)) await CaseModel.collection.dropIndex(replaced);
}

/** Every case, `_id` order, in batches of the fields `project` names (one-time upgrades of stored data). */
export async function forEachCaseBatch<T>(project: string, onBatch: (cases: T[]) => Promise<void>, batchSize = 500): Promise<void> {
  let after: Types.ObjectId | null = null;
  for (;;) {
    const read: (T & { _id: Types.ObjectId })[] = await CaseModel.find(after ? { _id: { $gt: after } } : {})
      .select(project)
      .sort({ _id: 1 })
      .limit(batchSize)
      .lean<(T & { _id: Types.ObjectId })[]>();
    if (read.length === 0) return;
    await onBatch(read);
    after = read[read.length - 1]!._id;
  }
}

export type NewCaseKey = Pick<CaseDoc, "_id" | "agencyId" | "trackingNumber">;
/** What the new-case sweep reads of a case to rebuild its search words and clock row. */
export type NewCaseRef = Pick<
  CaseDoc,
  "_id" | "agencyId" | "trackingNumber" | "summary" | "serviceVersionId" | "receipt" | "sla" | "status" | "closedAt" | "updatedAt" | "personalDataRemovedAt"
>;

/**
 * The `_id`, agency and tracking number of the cases with `after < _id < before`, `_id` order, at most `limit` (the
 * new-case sweep: an `_id` range, which both engines answer from the `_id` index). A case's `_id` is chosen when its
 * filing starts, so `_id` order is filing order.
 */
export async function listCaseKeysByIdRange(after: Types.ObjectId | null, before: Types.ObjectId, limit: number): Promise<NewCaseKey[]> {
  return CaseModel.find({ _id: after ? { $gt: after, $lt: before } : { $lt: before } })
    .select("_id agencyId trackingNumber")
    .sort({ _id: 1 })
    .limit(limit)
    .lean<NewCaseKey[]>();
}

/** What the new-case sweep reads of the cases it repairs (`_id $in`). */
export async function getNewCaseRefs(ids: Types.ObjectId[]): Promise<NewCaseRef[]> {
  if (ids.length === 0) return [];
  return CaseModel.find({ _id: { $in: ids } })
    .select("_id agencyId trackingNumber summary serviceVersionId receipt sla status closedAt updatedAt personalDataRemovedAt")
    .lean<NewCaseRef[]>();
}

export type NewCase = Omit<CaseDoc, "_id" | "createdAt" | "updatedAt"> & { _id?: Types.ObjectId };

const insertCases = insertGrouped<CaseDoc>(() => CaseModel.collection as unknown as Collection<CaseDoc>);

/**
 * Stores a new case, grouped with the other cases this process is filing at the moment (one unordered insert:
 * see group-commit.server.ts); a duplicate (tracking number or `_id`) fails only its own caller, with the
 * driver's code 11000 as before. The document goes to the driver as a plain object shaped exactly as mongoose
 * would store it (`storedCaseOf`): a mongoose Document cost ~6 % of the web process's CPU per filing.
 */
export async function insertCase(doc: NewCase, at = new Date()): Promise<CaseDoc> {
  const stored = storedCaseOf(doc, at);
  const [failure] = await insertCases([stored]);
  if (failure) throw failure.error;
  return stored;
}

/** The paths `storedCaseOf` writes: a test compares them with the schema's, so a new field cannot be missed. */
export const STORED_CASE_PATHS = [
  "_id", "trackingNumber", "serviceSlug", "serviceVersionId", "agencyId", "applicant", "channel", "onBehalfOf", "summary", "dataJson",
  "snapshotJson", "stateValue", "status", "outcome", "rev", "revWriter", "history", "receipt", "sla", "missingItems", "effects", "consent", "closedAt",
  "personalDataRemovedAt", "createdAt", "updatedAt",
] as const;

const actorOf = (a: ActorRef): ActorRef => ({ kind: a.kind, id: a.id, name: a.name });
/** A history entry with exactly the keys the schema stores, in its order (extra keys of the caller's object dropped). */
const storedHistoryEntry = (h: CaseDoc["history"][number]) => ({
  at: h.at,
  actor: actorOf(h.actor),
  role: h.role,
  event: h.event,
  from: h.from,
  to: h.to,
  comment: h.comment,
  link: h.link ? { caseId: h.link.caseId, trackingNumber: h.link.trackingNumber, agencyName: { th: h.link.agencyName.th, en: h.link.agencyName.en } } : undefined,
});

/**
 * A new case as `CaseModel.create` stores it: only the schema's fields (strict), no undefined keys, the
 * defaults (`missingItems`, `closedAt` and `personalDataRemovedAt` null) and the timestamps (`createdAt` =
 * `updatedAt` = `at`). Nulls that were given stay null; absent fields stay absent (no nulls at indexed paths).
 */
export function storedCaseOf(doc: NewCase, at: Date): CaseDoc {
  const b = doc.onBehalfOf;
  const m = doc.missingItems;
  return withoutUndefined({
    _id: doc._id ?? new Types.ObjectId(),
    trackingNumber: doc.trackingNumber,
    serviceSlug: doc.serviceSlug,
    serviceVersionId: doc.serviceVersionId,
    agencyId: doc.agencyId,
    applicant: actorOf(doc.applicant),
    channel: doc.channel,
    onBehalfOf: b ? { kind: b.kind, juristicId: b.juristicId, name: b.name, declared: b.declared } : undefined,
    summary: { applicantName: doc.summary.applicantName, subject: doc.summary.subject, email: doc.summary.email },
    dataJson: doc.dataJson,
    snapshotJson: doc.snapshotJson,
    stateValue: doc.stateValue,
    status: doc.status,
    outcome: doc.outcome,
    rev: doc.rev,
    // Set by the transition that writes a revision (applyCaseUpdate); a new case has none.
    revWriter: undefined,
    history: doc.history.map((h) => storedHistoryEntry(h)),
    receipt: { number: doc.receipt.number, receivedAt: doc.receipt.receivedAt, countedFrom: doc.receipt.countedFrom, dueAt: doc.receipt.dueAt },
    sla: { stateDueAt: doc.sla.stateDueAt, paused: doc.sla.paused, pausedAt: doc.sla.pausedAt, statutoryDueAt: doc.sla.statutoryDueAt },
    missingItems: m ? { fields: [...m.fields], note: m.note, requestedAt: m.requestedAt, requestedBy: m.requestedBy } : null,
    effects: doc.effects.map((e) => ({ id: e.id, type: e.type, paramsJson: e.paramsJson, status: e.status, createdAt: e.createdAt })),
    consent: doc.consent ? { noticeVersion: doc.consent.noticeVersion, at: doc.consent.at } : undefined,
    closedAt: doc.closedAt ?? null,
    personalDataRemovedAt: doc.personalDataRemovedAt ?? null,
    createdAt: at,
    updatedAt: at,
  } satisfies Record<(typeof STORED_CASE_PATHS)[number], unknown>) as CaseDoc;
}

/** Drops undefined keys of plain objects, deeply (mongoose does not store them); Dates and ObjectIds as they are. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = withoutUndefined(v);
  return out as T;
}

export async function getCase(id: string): Promise<CaseDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  return CaseModel.findById(id).lean<CaseDoc>();
}

type CaseRead = { id: Types.ObjectId; found?: CaseDoc | null };
// Reads of concurrent transitions share one `_id: { $in }` find (index-backed on both engines, decision 025):
// on this engine a command costs about 1 ms of database CPU whatever it carries (decision 028).
const readCasesGrouped = groupWrites<CaseRead>(async (reads) => {
  const found = await caseCollection()
    .find({ _id: { $in: reads.map((r) => r.id) } }, { limit: reads.length, batchSize: reads.length })
    .toArray();
  const byId = new Map(found.map((c) => [String(c._id), c as CaseDoc]));
  for (const r of reads) r.found = byId.get(String(r.id)) ?? null;
}, 64);

/**
 * `getCase`, read together with the other cases this process is reading this way at the moment (one find for
 * all that arrive while one is being sent). The same document `getCase` returns, read no earlier than the call.
 */
export async function getCaseGrouped(id: string): Promise<CaseDoc | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const read: CaseRead = { id: new Types.ObjectId(id) };
  await readCasesGrouped([read]);
  return read.found ?? null;
}

export async function getCaseByTracking(trackingNumber: string): Promise<CaseDoc | null> {
  return CaseModel.findOne({ trackingNumber }).lean<CaseDoc>();
}

/**
 * Writes a transition as ONE update guarded by the revision read: `{_id, rev} → rev+1`; of two writers holding the
 * same revision exactly one matches, across processes, also on the embedded engine (patch 0005). False on a conflict.
 */
/**
 * Case updates, group-committed across concurrent transitions of different cases (one unordered `bulkWrite` for
 * all that arrive while one is being sent); mongoose casts each operation and sets `updatedAt` as `updateOne`
 * does. A batch that modified fewer documents than it carried marks its writes: their callers look their case up.
 */
type CaseWrite = { op: { updateOne: { filter: { _id: Types.ObjectId; rev: number }; update: StoredCaseUpdate } }; shortfall?: boolean };
// Driver-level (decision 028): the update is already shaped as mongoose would cast it (storedCaseUpdateOf), and
// mongoose's casting of the pushed history and effects cost ≈ 0.2 ms of client CPU per transition.
const writeCasesGrouped = groupWrites<CaseWrite>(async (writes) => {
  const result = await caseCollection().bulkWrite(
    writes.map((w) => w.op),
    { ordered: false },
  );
  if (result.modifiedCount < writes.length) for (const w of writes) w.shortfall = true;
});

type CaseUpdate = { set: Partial<CaseDoc>; history: HistoryEntry; effects: CaseEffect[] };
type StoredCaseUpdate = UpdateFilter<CaseDoc>;
const caseCollection = () => CaseModel.collection as unknown as Collection<CaseDoc>;

const dateOrNull = (d: Date | string | null | undefined) => (d === null ? null : d === undefined ? undefined : new Date(d));

/** The `$set` fields a transition may write, as mongoose's cast would store them (strict: other keys dropped). */
const SET_SHAPES: { [K in keyof CaseDoc]?: (value: NonNullable<CaseDoc[K]> | null) => unknown } = {
  dataJson: String,
  snapshotJson: String,
  stateValue: String,
  status: String,
  outcome: String,
  closedAt: dateOrNull,
  personalDataRemovedAt: dateOrNull,
  sla: (s) =>
    s && {
      stateDueAt: dateOrNull(s.stateDueAt),
      paused: s.paused === undefined || s.paused === null ? s.paused : Boolean(s.paused),
      pausedAt: dateOrNull(s.pausedAt),
      statutoryDueAt: dateOrNull(s.statutoryDueAt),
    },
  missingItems: (m) =>
    m && { fields: m.fields.map(String), note: m.note, requestedAt: dateOrNull(m.requestedAt), requestedBy: m.requestedBy },
};

/**
 * A transition's update as the driver should send it: what `updateOne` stored after mongoose cast it — the same
 * `$set` (plus `rev` and `updatedAt`), the same pushed history entry and effects, no undefined keys
 * (test/db/case-update.test.ts compares both ways, field by field). Only the fields in SET_SHAPES may be set.
 */
export function storedCaseUpdateOf(expectedRev: number, update: CaseUpdate, at: Date): StoredCaseUpdate {
  const $set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(update.set)) {
    const shape = SET_SHAPES[key as keyof CaseDoc] as ((v: unknown) => unknown) | undefined;
    if (!shape) throw new Error(`applyCaseUpdate cannot set "${key}" (add it to SET_SHAPES)`);
    if (value !== undefined) $set[key] = value === null ? null : shape(value);
  }
  $set.rev = expectedRev + 1;
  $set.updatedAt = at;
  const h = update.history;
  const history = storedHistoryEntry({ ...h, at: new Date(h.at) });
  const effects = update.effects.map((e) => ({ id: e.id, type: e.type, paramsJson: e.paramsJson, status: e.status, createdAt: new Date(e.createdAt) }));
  return withoutUndefined({ $set, $push: { history, effects: { $each: effects } } }) as unknown as StoredCaseUpdate;
}

/**
 * Writes a transition of the case from `expectedRev`, exactly once: ONE update guarded by `{ _id, rev }`, grouped
 * with the concurrent updates of other cases. The guard alone decides the winner, on MongoDB and on the embedded
 * engine (its patch 0005 makes update atomic per document; docs/decisions/031). `announce` (the pending-effect
 * entries) must succeed before the case is written, so a crash after the write leaves work the sweep finds; an
 * announcement whose update then loses is left for the sweep, which drops entries of effects the case never got.
 * False when another writer has the revision.
 */
export async function applyCaseUpdate(
  id: Types.ObjectId,
  expectedRev: number,
  update: CaseUpdate,
  announce?: () => Promise<void>,
): Promise<boolean> {
  if (announce) await announce();
  // A grouped update reports only the batch's count: this id, stored with the revision, says whose update it was.
  const writer = new Types.ObjectId().toHexString();
  const stored = storedCaseUpdateOf(expectedRev, update, new Date());
  const write: CaseWrite = {
    op: { updateOne: { filter: { _id: id, rev: expectedRev }, update: { ...stored, $set: { ...stored.$set, revWriter: writer } } } },
  };
  const wrote = async () => {
    const current = await CaseModel.findById(id).select("rev revWriter").lean<{ rev: number; revWriter?: string }>();
    // A later transition over ours (rev beyond expectedRev + 1) hides it: reported as not written, as before 031.
    return current?.rev === expectedRev + 1 && current.revWriter === writer;
  };
  let failure: WriteFailure | undefined;
  try {
    [failure] = await writeCasesGrouped([write]);
  } catch {
    // The batch failed as a whole (FerretDB reports a refused update of a multi-update command for the command,
    // not for the write): another caller's write may be the cause. Ours is looked up and, if the case is still at
    // the revision, sent alone (guarded as before) — its own error, if any, is then ours.
    if (await wrote()) return true;
    const alone = await caseCollection().updateOne(write.op.updateOne.filter, write.op.updateOne.update);
    return alone.modifiedCount === 1;
  }
  if (failure) throw failure.error;
  if (!write.shortfall) return true;
  // Some write of the batch matched nothing (which one, the batch's count does not say): look at our case.
  return wrote();
}

/**
 * The case as `applyCaseUpdate` leaves it in the database (for the in-process effect runner, which would otherwise
 * read it again). `updatedAt` is the transition's time, not the server's write time; nothing downstream reads it.
 */
export function caseAfterUpdate(
  record: CaseDoc,
  update: { set: Partial<CaseDoc>; history: HistoryEntry; effects: CaseEffect[] },
  at: Date,
): CaseDoc {
  return {
    ...record,
    ...update.set,
    rev: record.rev + 1,
    history: [...record.history, update.history],
    effects: [...record.effects, ...update.effects],
    updatedAt: at,
  };
}

export type InboxFilter = {
  agencyId: string;
  serviceSlug?: string;
  stateValue?: string;
  /** "overdue": in progress, clock running, past its step's due date. */
  status?: "active" | "done" | "overdue";
};
export type InboxRow = Pick<
  CaseDoc,
  "_id" | "trackingNumber" | "serviceSlug" | "serviceVersionId" | "stateValue" | "status" | "summary" | "receipt" | "sla" | "updatedAt" | "outcome"
>;

const INBOX_FIELDS = "trackingNumber serviceSlug serviceVersionId stateValue status summary receipt sla updatedAt outcome";

/** The query of an inbox filter: always scoped to one agency, and always with a status (one of the indexes above). */
export function inboxQuery(filter: InboxFilter, now: Date): Record<string, unknown> {
  const query: Record<string, unknown> = { agencyId: filter.agencyId, status: filter.status === "done" ? "done" : "active" };
  if (filter.serviceSlug) query.serviceSlug = filter.serviceSlug;
  if (filter.stateValue) query.stateValue = filter.stateValue;
  if (filter.status === "overdue") {
    query["sla.paused"] = false;
    query["sla.stateDueAt"] = { $lt: now };
  }
  return query;
}

/** The inbox's order: oldest due first (no due date first, as MongoDB orders a missing field), then by id. */
export const INBOX_ORDER = { "sla.stateDueAt": 1, _id: 1 } as const;

/** An agency's cases, oldest due first; always scoped to one agency. */
export async function listInbox(filter: InboxFilter, page = 1, pageSize = 50, now = new Date()): Promise<{ rows: InboxRow[]; total: number }> {
  const query = inboxQuery(filter, now);
  const [rows, total] = await Promise.all([
    CaseModel.find(query)
      .select(INBOX_FIELDS)
      .sort(INBOX_ORDER)
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean<InboxRow[]>(),
    CaseModel.countDocuments(query),
  ]);
  return { rows, total };
}

/** How many cases an inbox filter holds (index-backed, as listInbox's count). */
export async function countInbox(filter: InboxFilter, now = new Date()): Promise<number> {
  return CaseModel.countDocuments(inboxQuery(filter, now));
}

/** What the inbox's filter and order read of a case (listInboxAmong). */
type InboxKeys = Pick<CaseDoc, "_id" | "agencyId" | "status" | "serviceSlug" | "stateValue"> & { sla: Pick<CaseDoc["sla"], "paused" | "stateDueAt"> };
const INBOX_KEY_FIELDS = "agencyId status serviceSlug stateValue sla.paused sla.stateDueAt";

/**
 * The inbox narrowed to cases a search found (`ids`, from searchCaseIds): read by `_id`, the one look-up both
 * engines answer from an index whatever else the filter says; the filter and the inbox's order are applied here
 * on the few fields they need, and only the page's rows are read with the inbox's fields (decision 025).
 * (The inbox's own query with `_id` among the ids was tried: on the embedded engine it walks every case of the
 * filter's index range to test `_id`, 1.8 s at 100,000 cases against 0.4 s this way — decision 022.)
 */
export async function listInboxAmong(ids: string[], filter: InboxFilter, page = 1, pageSize = 50, now = new Date()): Promise<{ rows: InboxRow[]; total: number }> {
  const valid = ids.filter((id) => Types.ObjectId.isValid(id));
  if (valid.length === 0) return { rows: [], total: 0 };
  const found = await CaseModel.find({ _id: { $in: valid.map((id) => new Types.ObjectId(id)) } })
    .select(INBOX_KEY_FIELDS)
    .lean<InboxKeys[]>();
  const status = filter.status === "done" ? "done" : "active";
  const matching = found.filter(
    (c) =>
      c.agencyId === filter.agencyId &&
      c.status === status &&
      (!filter.serviceSlug || c.serviceSlug === filter.serviceSlug) &&
      (!filter.stateValue || c.stateValue === filter.stateValue) &&
      (filter.status !== "overdue" || (!c.sla.paused && !!c.sla.stateDueAt && new Date(c.sla.stateDueAt) < now)),
  );
  // INBOX_ORDER: no due date first, then oldest due, then by id.
  const due = (c: InboxKeys) => (c.sla.stateDueAt ? new Date(c.sla.stateDueAt).getTime() : -Infinity);
  matching.sort((a, b) => due(a) - due(b) || (String(a._id) < String(b._id) ? -1 : 1));
  const onPage = matching.slice((page - 1) * pageSize, page * pageSize).map((c) => c._id);
  if (onPage.length === 0) return { rows: [], total: matching.length };
  const read = new Map(
    (await CaseModel.find({ _id: { $in: onPage } }).select(INBOX_FIELDS).lean<InboxRow[]>()).map((r) => [String(r._id), r]),
  );
  // In the order found above; a case gone between the two reads is left out.
  const rows = onPage.flatMap((id) => read.get(String(id)) ?? []);
  return { rows, total: matching.length };
}

export async function listCasesOfApplicant(applicantId: string): Promise<InboxRow[]> {
  return CaseModel.find({ "applicant.id": applicantId }).select(INBOX_FIELDS).sort({ createdAt: -1 }).limit(200).lean<InboxRow[]>();
}

/** Every case a person filed, whole (their personal-data export); always scoped to the applicant. */
export async function listFullCasesOfApplicant(applicantId: string): Promise<CaseDoc[]> {
  return CaseModel.find({ "applicant.id": applicantId }).sort({ createdAt: 1 }).lean<CaseDoc[]>();
}

export type ClosedCaseRef = Pick<CaseDoc, "_id" | "serviceVersionId" | "closedAt" | "updatedAt">;

/**
 * Closed cases whose personal data is still held, in `_id` batches (the retention sweep decides per service
 * which are past their period). Only the few fields the decision needs are read.
 */
export async function forEachClosedCaseHoldingPersonalData(onBatch: (cases: ClosedCaseRef[]) => Promise<void>, batchSize = 500): Promise<void> {
  let after: Types.ObjectId | null = null;
  for (;;) {
    // Index-backed (status, _id); whether the data is still held is checked here, not in the query, so the
    // query stays exact on the embedded engine (a null test is not pushed down there) and each batch reads
    // only its own rows.
    const filter: Record<string, unknown> = { status: "done" };
    if (after) filter._id = { $gt: after };
    const read = await CaseModel.find(filter)
      .select("_id serviceVersionId closedAt updatedAt personalDataRemovedAt")
      .sort({ _id: 1 })
      .limit(batchSize)
      .lean<(ClosedCaseRef & { personalDataRemovedAt: Date | null })[]>();
    if (read.length === 0) return;
    const holding = read.filter((c) => !c.personalDataRemovedAt).map(({ personalDataRemovedAt: _removed, ...ref }) => ref);
    if (holding.length > 0) await onBatch(holding);
    after = read[read.length - 1]!._id;
  }
}

/**
 * Blanks a closed case's personal data (retention): the form data, the summary's name, subject and e-mail,
 * the missing-items note, and comments in its history; records when. Guarded by the revision like every
 * case write, so it never overwrites a change it did not see. False when the case moved meanwhile.
 */
export async function removeCasePersonalData(id: Types.ObjectId, rev: number, at: Date): Promise<boolean> {
  const doc = await CaseModel.findById(id).select("history").lean<Pick<CaseDoc, "history">>();
  if (!doc) return false;
  const history = doc.history.map(({ comment: _comment, ...entry }) => entry);
  const result = await CaseModel.updateOne(
    { _id: id, rev },
    {
      $set: {
        dataJson: "{}",
        summary: { applicantName: "", subject: "" },
        missingItems: null,
        history,
        personalDataRemovedAt: at,
      },
    },
  ).exec();
  return result.modifiedCount === 1;
}
