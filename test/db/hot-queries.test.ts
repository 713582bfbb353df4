// The app's hot queries (inbox, "my requests", tracking look-up, retention batches, uploads, documents of a
// case, sign-in) on generated data: the patched FerretDB with pushdown answers exactly as the same binary with
// pushdown disabled (everything filtered and sorted in Go) and as a model of the intended order written here;
// and each query's shape is one an index serves — on FerretDB by `explain` (pushed down whole, index used, no
// temporary sort), on MongoDB by the declared indexes (equality fields first, then the sort or range).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { indexCaseForSearch, type SearchableCase } from "~/models/case-search.server";
import mongoose, { Types } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startFerretDb } from "../../scripts/ferretdb.mjs";
import { seededRandom, type SeededRandom } from "../../scripts/seeded-random";
import {
  CASE_QUERY_INDEXES,
  CaseModel,
  forEachClosedCaseHoldingPersonalData,
  getCaseByTracking,
  INBOX_ORDER,
  inboxQuery,
  listCasesOfApplicant,
  listInbox,
  listInboxAmong,
  type InboxFilter,
} from "~/models/case.server";
import { UPLOAD_QUERY_INDEXES, UploadModel } from "~/models/upload.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

type Server = Awaited<ReturnType<typeof startFerretDb>>;
const servers: Record<"pushdown" | "reference", Server> = {} as never;
let dataRoot = "";

const NOW = new Date("2026-06-15T03:00:00Z");
const AGENCIES = ["agency-a", "agency-b", "agency-c"];
const SERVICES = ["a-food", "a-health", "b-petition", "c-market"];
const STATES = ["submitted", "inspection", "missing_items", "decision", "fee_due"];
const APPLICANTS = Array.from({ length: 15 }, (_, i) => `66c0000000000000000000${String(i).padStart(2, "0")}`);
const pick = <T>(rnd: SeededRandom, values: readonly T[]): T => values[Math.floor(rnd() * values.length)]!;
const day = 86_400_000;

function generateCases(n: number, rnd: SeededRandom): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const done = rnd() < 0.3;
    const createdAt = new Date(NOW.getTime() - Math.floor(rnd() * 200) * day - Math.floor(rnd() * day));
    // Some due dates are equal, so the tie-break on _id matters.
    const due = !done && rnd() < 0.75 ? { stateDueAt: new Date(NOW.getTime() + (Math.floor(rnd() * 20) - 10) * day) } : {};
    return {
      _id: new Types.ObjectId(),
      trackingNumber: `BK-T-${String(i).padStart(5, "0")}`,
      serviceSlug: pick(rnd, SERVICES),
      serviceVersionId: "v1",
      agencyId: pick(rnd, AGENCIES),
      applicant: { kind: "citizen", id: pick(rnd, APPLICANTS), name: `ผู้ยื่น ${i}` },
      channel: "web",
      summary: { applicantName: `ผู้ยื่น ${i}`, subject: "ร้าน" },
      dataJson: JSON.stringify({ note: "ข้อมูล ".repeat(20) }),
      snapshotJson: "{}",
      stateValue: done ? pick(rnd, ["approved", "rejected"]) : pick(rnd, STATES),
      status: done ? "done" : "active",
      rev: 1,
      history: [],
      receipt: { number: `R-${i}`, receivedAt: createdAt, countedFrom: createdAt, dueAt: new Date(createdAt.getTime() + 30 * day) },
      sla: { ...due, paused: !done && rnd() < 0.2, pausedAt: null, statutoryDueAt: new Date(createdAt.getTime() + 30 * day) },
      missingItems: null,
      effects: [],
      closedAt: done ? createdAt : null,
      personalDataRemovedAt: done && rnd() < 0.3 ? NOW : null,
      createdAt,
      updatedAt: createdAt,
    };
  });
}

const cases = generateCases(700, seededRandom(12));

function generateUploads(): Record<string, unknown>[] {
  const rnd = seededRandom(13);
  return Array.from({ length: 120 }, (_, i) => {
    const createdAt = new Date(NOW.getTime() - Math.floor(rnd() * 5) * day);
    const expiresAt = new Date(createdAt.getTime() + 2 * day);
    const attached = rnd() < 0.5;
    const refused = !attached && rnd() < 0.2;
    return {
      _id: `upload-${String(i).padStart(4, "0")}-xxxxxxxx`,
      owner: { kind: "citizen", id: pick(rnd, APPLICANTS) },
      agencyId: "agency-a",
      service: "a-food",
      serviceVersionId: "v1",
      field: "/documents/idCard",
      forCase: null,
      name: `f${i}.pdf`,
      declaredType: "application/pdf",
      size: 1000 + i,
      maxBytes: 10_000,
      types: ["application/pdf"],
      status: refused ? "refused" : "complete",
      detectedType: "application/pdf",
      sha256: null,
      createdAt,
      completedAt: createdAt,
      expiresAt,
      ...(attached ? { attachedTo: String(cases[i]!._id) } : { sweepAfter: refused ? createdAt : expiresAt }),
    };
  });
}
const uploads = generateUploads();

async function connectTo(name: keyof typeof servers) {
  await disconnectDb();
  await connectDb(`${servers[name].uri}hot_queries`);
  // Every model's declared indexes on this database (init() runs only once per model and process).
  for (const model of Object.values(mongoose.models)) await model.createIndexes();
}

beforeAll(async () => {
  dataRoot = mkdtempSync(path.join(os.tmpdir(), "borikan-hot-queries-"));
  for (const [name, extraArgs] of [["pushdown", []], ["reference", ["--test-disable-pushdown"]]] as const) {
    servers[name] = await startFerretDb({ port: await freePort(), dataDir: path.join(dataRoot, name), extraArgs: [...extraArgs] });
    await connectTo(name);
    await CaseModel.collection.insertMany(cases.map((c) => ({ ...c })) as never[]);
    await UploadModel.collection.insertMany(uploads.map((u) => ({ ...u })) as never[]);
    await indexCaseForSearch(cases as unknown as SearchableCase[]);
  }
}, 240_000);

afterAll(async () => {
  await disconnectDb();
  for (const server of Object.values(servers)) await server?.stop();
  if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
});

// ---- the intended answers, computed here from the generated documents ----

const due = (c: Record<string, unknown>) => (c.sla as { stateDueAt?: Date }).stateDueAt?.getTime() ?? -Infinity;
function modelInbox(filter: InboxFilter, page: number, pageSize: number, among?: Set<string>) {
  const matching = cases.filter((c) => {
    const sla = c.sla as { stateDueAt?: Date; paused: boolean };
    if (among && !among.has(String(c._id))) return false;
    if (c.agencyId !== filter.agencyId) return false;
    if (c.status !== (filter.status === "done" ? "done" : "active")) return false;
    if (filter.serviceSlug && c.serviceSlug !== filter.serviceSlug) return false;
    if (filter.stateValue && c.stateValue !== filter.stateValue) return false;
    if (filter.status === "overdue" && (sla.paused || !sla.stateDueAt || sla.stateDueAt >= NOW)) return false;
    return true;
  });
  matching.sort((a, b) => due(a) - due(b) || String(a._id).localeCompare(String(b._id)));
  return { ids: matching.slice((page - 1) * pageSize, page * pageSize).map((c) => String(c._id)), total: matching.length };
}

function randomFilters(n: number): { filter: InboxFilter; page: number }[] {
  const rnd = seededRandom(21);
  return Array.from({ length: n }, () => ({
    filter: {
      agencyId: pick(rnd, AGENCIES),
      status: pick(rnd, ["active", "done", "overdue"] as const),
      // The page offers a step only within a service (step ids are each service's own).
      ...(rnd() < 0.6 ? { serviceSlug: pick(rnd, SERVICES), ...(rnd() < 0.5 ? { stateValue: pick(rnd, [...STATES, "approved"]) } : {}) } : {}),
    },
    page: 1 + Math.floor(rnd() * 4),
  }));
}

async function answers() {
  const inbox = [];
  for (const { filter, page } of randomFilters(80)) {
    const { rows, total } = await listInbox(filter, page, 9, NOW);
    inbox.push({ filter, page, ids: rows.map((r) => String(r._id)), total });
  }
  // The inbox narrowed to what a search found: ids of any agency, in any order, some of no case at all.
  const rnd = seededRandom(22);
  const among = [];
  for (const { filter, page } of randomFilters(60)) {
    const ids = cases.filter(() => rnd() < 0.35).map((c) => String(c._id));
    ids.push("0000000000000000000000ff", "not-an-id");
    ids.sort(() => rnd() - 0.5);
    const { rows, total } = await listInboxAmong(ids, filter, page, 9, NOW);
    // The page's rows carry the inbox's fields (decision 025 reads them apart from the filter's).
    for (const r of rows) expect([r.trackingNumber, r.serviceVersionId, r.summary, r.receipt, r.updatedAt].every((v) => v !== undefined)).toBe(true);
    among.push({ filter, page, given: ids, ids: rows.map((r) => String(r._id)), total });
  }
  const mine = [];
  for (const applicant of APPLICANTS) mine.push((await listCasesOfApplicant(applicant)).map((r) => String(r._id)));
  const closed: string[] = [];
  await forEachClosedCaseHoldingPersonalData(async (batch) => void closed.push(...batch.map((c) => String(c._id))), 13);
  const tracked = await getCaseByTracking("BK-T-00123");
  return { inbox, among, mine, closed, tracked: String(tracked?._id) };
}

describe("hot queries", () => {
  it("answer the same with pushdown, without it, and as intended", async () => {
    await connectTo("pushdown");
    const pushed = await answers();
    await connectTo("reference");
    const reference = await answers();
    expect(pushed).toEqual(reference);

    for (const { filter, page, ids, total } of pushed.inbox) {
      expect({ filter, page, ids, total }).toEqual({ filter, page, ...modelInbox(filter, page, 9) });
    }
    for (const { filter, page, given, ids, total } of pushed.among) {
      expect({ filter, page, ids, total }).toEqual({ filter, page, ...modelInbox(filter, page, 9, new Set(given)) });
    }
    expect(pushed.among.some((a) => a.ids.length === 9 && a.total > 9)).toBe(true);
    // The generator reaches every kind of answer: empty pages, full ones, overdue cases.
    expect(pushed.inbox.some((a) => a.ids.length === 0)).toBe(true);
    expect(pushed.inbox.some((a) => a.ids.length === 9)).toBe(true);
    expect(pushed.inbox.some((a) => a.filter.status === "overdue" && a.total > 0)).toBe(true);

    const byCreated = (a: Record<string, unknown>, b: Record<string, unknown>) => (b.createdAt as Date).getTime() - (a.createdAt as Date).getTime();
    pushed.mine.forEach((ids, i) => expect(ids).toEqual(cases.filter((c) => (c.applicant as { id: string }).id === APPLICANTS[i]).sort(byCreated).map((c) => String(c._id))));
    expect(pushed.closed).toEqual(cases.filter((c) => c.status === "done" && !c.personalDataRemovedAt).map((c) => String(c._id)).sort());
    expect(pushed.tracked).toBe(String(cases[123]!._id));
  }, 240_000);

  // Every hot query's shape: its filter, order and limit, as the app sends them.
  const inboxShape = (filter: InboxFilter, page: number) => ({
    collection: "cases",
    filter: inboxQuery(filter, NOW),
    sort: INBOX_ORDER as Record<string, 1 | -1>,
    limit: page * 50,
  });
  const HOT_QUERIES: { name: string; collection: string; filter: Record<string, unknown>; sort?: Record<string, 1 | -1>; limit?: number }[] = [
    { name: "inbox, in progress, page 1", ...inboxShape({ agencyId: "agency-a", status: "active" }, 1) },
    { name: "inbox, done, page 20", ...inboxShape({ agencyId: "agency-a", status: "done" }, 20) },
    { name: "inbox, one service", ...inboxShape({ agencyId: "agency-a", status: "active", serviceSlug: "a-food" }, 1) },
    { name: "inbox, one step of one service", ...inboxShape({ agencyId: "agency-a", status: "active", serviceSlug: "a-food", stateValue: "inspection" }, 1) },
    {
      name: "inbox search, one word",
      collection: "casesearchterms",
      filter: { _id: { $gte: "agency-a|somchai", $lt: "agency-a|somchai\uffff" } },
      sort: { _id: -1 },
      limit: 2000,
    },
    {
      // Decision 025: several words are read in pages, each below the last term read.
      name: "inbox search, a word's next page",
      collection: "casesearchterms",
      filter: { _id: { $gte: "agency-a|somchai", $lt: `agency-a|somchai|${String(cases[40]!._id)}` } },
      sort: { _id: -1 },
      limit: 1002,
    },
    {
      name: "inbox search, a whole tracking number",
      collection: "casesearchterms",
      filter: { _id: { $gte: "agency-a|bk-t-00123|", $lt: "agency-a|bk-t-00123|\uffff" } },
      sort: { _id: -1 },
      limit: 501,
    },
    { name: "inbox search, the cases found", collection: "cases", filter: { _id: { $in: cases.slice(0, 20).map((c) => c._id) } } },
    // Decision 028: concurrent transitions read their cases in one find (getCaseGrouped).
    { name: "transitions' case reads, grouped", collection: "cases", filter: { _id: { $in: cases.slice(0, 8).map((c) => c._id) } }, limit: 8 },
    // Decision 032: the worker's new-case sweep reads the keys of the cases filed since its checkpoint, then one term each.
    { name: "new-case sweep, a page of case keys", collection: "cases", filter: { _id: { $gt: cases[5]!._id, $lt: cases[600]!._id } }, sort: { _id: 1 }, limit: 200 },
    { name: "new-case sweep, the whole numbers' terms", collection: "casesearchterms", filter: { _id: { $in: cases.slice(0, 20).map((c) => `agency-a|bk-t-00123|${String(c._id)}`) } } },
    { name: "inbox, overdue", ...inboxShape({ agencyId: "agency-a", status: "overdue" }, 1) },
    { name: "my requests", collection: "cases", filter: { "applicant.id": APPLICANTS[3] }, sort: { createdAt: -1 }, limit: 200 },
    { name: "case by tracking number", collection: "cases", filter: { trackingNumber: "BK-T-00123" } },
    { name: "retention batch", collection: "cases", filter: { status: "done", _id: { $gt: cases[5]!._id } }, sort: { _id: 1 }, limit: 500 },
    { name: "a case's attachments", collection: "uploads", filter: { attachedTo: String(cases[3]!._id) } },
    { name: "an applicant's upload quota", collection: "uploads", filter: { "owner.id": APPLICANTS[2], sweepAfter: { $gt: NOW } } },
    { name: "upload expiry sweep", collection: "uploads", filter: { sweepAfter: { $lte: NOW } }, sort: { sweepAfter: 1 }, limit: 500 },
  ];

  it.each(HOT_QUERIES)("$name: pushed down whole to an index on FerretDB", async ({ collection, filter, sort, limit }) => {
    await connectTo("pushdown");
    const explain = await mongoose.connection.db!.command({ explain: { find: collection, filter, ...(sort && { sort }), ...(limit && { limit }) } });
    expect(explain.filterPushdown).toBe(true);
    if (sort) expect({ sortPushdown: explain.sortPushdown, limitPushdown: explain.limitPushdown }).toEqual({ sortPushdown: true, limitPushdown: Boolean(limit) });
    const plan = (explain.queryPlanner as { Plan: string[] }).Plan.join("\n");
    expect(plan).toContain("USING INDEX");
    expect(plan).not.toContain("TEMP B-TREE");
  });

  const DECLARED: Record<string, Record<string, number>[]> = {
    cases: [...Object.values(CASE_QUERY_INDEXES), { trackingNumber: 1 }, { _id: 1 }],
    casesearchterms: [{ _id: 1 }],
    uploads: Object.values(UPLOAD_QUERY_INDEXES),
  };

  /** MongoDB's rule of thumb: an index serves a query if it starts with the equality fields, then the sort, then ranges. */
  function served(index: Record<string, number>, filter: Record<string, unknown>, sort: Record<string, number> = {}) {
    const keys = Object.keys(index);
    const isRange = (v: unknown) => typeof v === "object" && v !== null && !(v instanceof Date) && !(v instanceof Types.ObjectId);
    const equality = Object.keys(filter).filter((k) => !isRange(filter[k]));
    const ranges = Object.keys(filter).filter((k) => isRange(filter[k]));
    const prefix = keys.slice(0, equality.length);
    if (!equality.every((k) => prefix.includes(k))) return false;
    const after = keys.slice(equality.length);
    const sortKeys = Object.keys(sort);
    // The sort follows the equality prefix in order (all in the index's direction or all reversed).
    const direction = sortKeys.length > 0 ? Math.sign(index[sortKeys[0]!]! * sort[sortKeys[0]!]!) : 1;
    if (!sortKeys.every((k, i) => after[i] === k && Math.sign(index[k]! * sort[k]!) === direction)) return false;
    return ranges.every((k) => after.includes(k) || k === "_id");
  }

  it.each(HOT_QUERIES)("$name: a declared index serves it on MongoDB", ({ collection, filter, sort }) => {
    expect(DECLARED[collection]!.some((index) => served(index, filter, sort))).toBe(true);
  });
});
