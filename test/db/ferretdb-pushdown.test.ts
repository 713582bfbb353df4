// Property test of the FerretDB pushdown patch (scripts/ferretdb-patches/0002): two servers of the same
// binary, one with pushdown and one with --test-disable-pushdown (everything filtered and sorted in Go),
// get the same indexes and documents; many generated finds and counts must answer identically.
import { BSON, ObjectId, type Db, type Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom, type SeededRandom } from "../../scripts/seeded-random";
import { startPushdownPair, type PushdownPair } from "../support/pushdown-pair";

let pair: PushdownPair | undefined;
let pushed: Db;
let reference: Db;

beforeAll(async () => {
  pair = await startPushdownPair("pushdown_test");
  ({ pushed, reference } = pair);
});

afterAll(async () => {
  await pair?.close();
});

const pick = <T>(rnd: SeededRandom, values: readonly T[]): T => values[Math.floor(rnd() * values.length)];

const AGENCIES = Array.from(
  { length: 5 },
  (_, i) => new ObjectId(`65a0000000000000000000${String(i).padStart(2, "0")}`)
);
const APPLICANTS = Array.from(
  { length: 40 },
  (_, i) => new ObjectId(`65b00000000000000000${String(i).padStart(4, "0")}`)
);
// JSON-escaped characters, the characters that sort below JSON's closing quote, Thai, prefixes of each other
const STRINGS = [
  "alpha",
  "Alpha",
  "ab",
  "ab c",
  "ab!",
  "abc",
  "",
  "zz",
  'he said "hi"',
  "a<b",
  "x>y",
  "R&D",
  "back\\slash",
  "tab\there",
  "สมชาย",
  "สมชาย ใจดี",
  "ใบอนุญาต",
  "line\u2028sep",
];
// no escaped characters, but ' ' and '!', which sort below JSON's closing quote: "ab" < "ab c" in MongoDB only
const SPACED = ["ab", "ab c", "ab!", "abc", "a", "b c", "สมชาย", "สมชาย ใจดี"];
const PLAIN = ["svc-1", "svc-2", "svc-10", "svc-3", "a", "ab", "abc", "b", "สมัคร", "ข"];
const STATES = ["submitted", "in_review", "approved", "rejected"];
const RECENT = Date.UTC(2015, 0, 1);
const DAY = 86_400_000;

type Shape = "clean" | "messy";

/** A case-like document; "messy" collections also have arrays, nulls, old dates and mixed types at indexed paths. */
function makeDoc(rnd: SeededRandom, shape: Shape, i: number): Document {
  const doc: Document = { _id: new ObjectId(), seq: i };
  const messy = shape === "messy";
  doc.agencyId = messy && rnd() < 0.05 ? pick(rnd, AGENCIES).toHexString() : pick(rnd, AGENCIES);
  if (rnd() < 0.9) doc.state = messy && rnd() < 0.1 ? pick(rnd, [null, [pick(rnd, STATES), "x"]]) : pick(rnd, STATES);
  doc.serviceId = messy && rnd() < 0.1 ? pick(rnd, [7, null, ["svc-1"]]) : pick(rnd, PLAIN);
  doc.applicantId = pick(rnd, APPLICANTS);
  doc.name = pick(rnd, STRINGS);
  doc.title = pick(rnd, SPACED);
  if (rnd() < 0.85) {
    const old = messy && rnd() < 0.15;
    doc.createdAt = new Date(
      old ? Date.UTC(1995, 0, 1) + Math.floor(rnd() * 3000) * DAY : RECENT + Math.floor(rnd() * 3000) * DAY
    );
  }
  doc.meta = messy && rnd() < 0.1 ? [{ code: pick(rnd, PLAIN) }] : { code: pick(rnd, PLAIN), note: pick(rnd, STRINGS) };
  doc.n = pick(rnd, [1, 2, 2.5, 3]);
  doc.data = { text: pick(rnd, STRINGS), list: [1, 2, pick(rnd, PLAIN)] };
  return doc;
}

const INDEXES: Document[] = [
  { agencyId: 1, createdAt: -1 },
  { agencyId: 1, state: 1, createdAt: -1 },
  { applicantId: 1 },
  { serviceId: 1 },
  { name: 1 },
  { title: 1 },
  { "meta.code": 1 },
  { n: 1 },
];

async function setUp(collection: string, shape: Shape, count: number, seed: number) {
  const rnd = seededRandom(seed);
  const docs = Array.from({ length: count }, (_, i) => makeDoc(rnd, shape, i));
  for (const db of [pushed, reference]) {
    // half the indexes before the inserts (tracked on write), half after (scanned at creation)
    await db.collection(collection).createIndexes(INDEXES.slice(0, 3).map((key) => ({ key })));
    await db.collection(collection).insertMany(docs.map((d) => ({ ...d })));
    await db.collection(collection).createIndexes(INDEXES.slice(3).map((key) => ({ key })));
  }
}

function valueFor(rnd: SeededRandom, field: string): unknown {
  switch (field) {
    case "agencyId":
      return rnd() < 0.1 ? pick(rnd, AGENCIES).toHexString() : pick(rnd, AGENCIES);
    case "applicantId":
      return pick(rnd, APPLICANTS);
    case "state":
      return rnd() < 0.1 ? null : pick(rnd, STATES);
    case "serviceId":
    case "meta.code":
      return rnd() < 0.05 ? 7 : pick(rnd, PLAIN);
    case "name":
      return pick(rnd, STRINGS);
    case "title":
      return pick(rnd, SPACED);
    case "n":
      return pick(rnd, [1, 2.5, 3]);
    default:
      throw new Error(field);
  }
}

const RANGE_FIELDS = ["createdAt", "serviceId", "name", "title", "meta.code", "_id"];

function rangeBound(rnd: SeededRandom, field: string): unknown {
  if (field === "createdAt") return new Date(RECENT + Math.floor(rnd() * 3000) * DAY);
  if (field === "_id") return ObjectId.createFromTime(Math.floor(Date.now() / 1000) - 10 + Math.floor(rnd() * 20));
  if (field === "title") return pick(rnd, SPACED);
  return field === "name" ? pick(rnd, STRINGS) : pick(rnd, PLAIN);
}

function condition(rnd: SeededRandom): Document {
  const eqFields = ["agencyId", "applicantId", "state", "serviceId", "name", "title", "meta.code", "n"];
  const r = rnd();
  if (r < 0.45) {
    const field = pick(rnd, eqFields);
    return {
      [field]: rnd() < 0.2 ? { $eq: valueFor(rnd, field) } : valueFor(rnd, field),
    };
  }
  if (r < 0.6) {
    const field = pick(rnd, eqFields);
    return {
      [field]: {
        $in: [valueFor(rnd, field), valueFor(rnd, field), valueFor(rnd, field)],
      },
    };
  }
  if (r < 0.8) {
    const field = pick(rnd, RANGE_FIELDS);
    const ops =
      rnd() < 0.5
        ? [pick(rnd, ["$gt", "$gte"]), pick(rnd, ["$lt", "$lte"])]
        : [pick(rnd, ["$gt", "$gte", "$lt", "$lte"])];
    return {
      [field]: Object.fromEntries(ops.map((op) => [op, rangeBound(rnd, field)])),
    };
  }
  // not translatable: left to Go, possibly next to translatable conditions
  return pick(rnd, [
    { state: { $ne: "approved" } },
    { createdAt: { $exists: false } },
    { name: { $regex: "^a" } },
    { n: { $gte: 2 } },
    { seq: { $lt: 200 } },
    { meta: { code: "a", note: "alpha" } },
    { $or: [{ state: "approved" }, { serviceId: "svc-1" }] },
  ]);
}

function makeFilter(rnd: SeededRandom): Document {
  const parts = Array.from({ length: Math.floor(rnd() * 3) }, () => condition(rnd));
  if (parts.length > 1 && rnd() < 0.3) return { $and: parts };
  return Object.assign({}, ...parts);
}

/** A sort always ending with the unique _id, so the expected order is fully determined. */
function makeSort(rnd: SeededRandom): Document | undefined {
  if (rnd() < 0.25) return undefined;
  const sort: Document = {};
  const keys = ["createdAt", "serviceId", "name", "title", "agencyId", "meta.code"];
  for (let i = Math.floor(rnd() * 2) + 1; i > 0; i--) sort[pick(rnd, keys)] = rnd() < 0.5 ? 1 : -1;
  sort._id = rnd() < 0.5 ? 1 : -1;
  return sort;
}

const ejson = (docs: Document[]) => BSON.EJSON.stringify(docs, { relaxed: false });

/** Runs generated finds and counts on both servers; returns how many finds the pushdown server pushed down. */
async function compareFinds(collection: string, runs: number, seed: number) {
  const rnd = seededRandom(seed);
  const pushdowns = { filterPushdown: 0, sortAndLimitPushdown: 0 };
  for (let run = 0; run < runs; run++) {
    const filter = makeFilter(rnd);
    const sort = makeSort(rnd);
    // without a sort, MongoDB may return any documents for a skip/limit: compare whole results as sets
    const skip = sort && rnd() < 0.5 ? Math.floor(rnd() * 30) : 0;
    const limit = sort && rnd() < 0.7 ? Math.floor(rnd() * 25) + 1 : 0;
    const query = (db: Db) => db.collection(collection).find(filter, { sort, skip, limit }).toArray();
    const [got, want] = await Promise.all([query(pushed), query(reference)]);
    const label = `${collection} find ${ejson([filter])} sort ${JSON.stringify(sort)} skip ${skip} limit ${limit}`;
    if (sort) expect(ejson(got), label).toBe(ejson(want));
    else expect(ejson(got.sort(bySeq)), label).toBe(ejson(want.sort(bySeq)));

    // explain takes no skip: the pushed-down limit is skip + limit
    const explain = await pushed.command({
      explain: {
        find: collection,
        filter,
        ...(sort && { sort }),
        ...(limit && { limit: skip + limit }),
      },
    });
    if (explain.filterPushdown) pushdowns.filterPushdown++;
    if (explain.sortPushdown && explain.limitPushdown) pushdowns.sortAndLimitPushdown++;

    const countSkip = rnd() < 0.3 ? Math.floor(rnd() * 20) : 0;
    const countLimit = rnd() < 0.3 ? Math.floor(rnd() * 20) + 1 : 0;
    const count = (db: Db) =>
      db.command({
        count: collection,
        query: filter,
        skip: countSkip,
        limit: countLimit,
      });
    const [gotCount, wantCount] = await Promise.all([count(pushed), count(reference)]);
    expect(gotCount.n, `${collection} count ${ejson([filter])} skip ${countSkip} limit ${countLimit}`).toBe(
      wantCount.n
    );
    // countDocuments: the driver's aggregate [$match, $skip?, $limit?, $group {_id: 1, n: {$sum: 1}}]
    const countOptions = { ...(countSkip && { skip: countSkip }), ...(countLimit && { limit: countLimit }) };
    const countDocuments = (db: Db) => db.collection(collection).countDocuments(filter, countOptions);
    const [gotDocs, wantDocs] = await Promise.all([countDocuments(pushed), countDocuments(reference)]);
    expect(gotDocs, `${collection} countDocuments ${ejson([filter])} ${JSON.stringify(countOptions)}`).toBe(wantDocs);
  }
  return pushdowns;
}

const bySeq = (a: Document, b: Document) => a.seq - b.seq;

describe("FerretDB pushdown gives the results of the reference server", () => {
  it("on clean collections (pushdown applies) and messy ones (arrays, nulls, old dates at indexed paths)", async () => {
    await setUp("clean", "clean", 400, 1);
    await setUp("messy", "messy", 400, 2);
    const clean = await compareFinds("clean", 150, 11);
    await compareFinds("messy", 80, 12);
    // the generator does exercise the pushdown: many clean-collection finds were pushed down whole
    expect(clean.filterPushdown).toBeGreaterThan(30);
    expect(clean.sortAndLimitPushdown).toBeGreaterThan(10);
  }, 480_000);

  it("still does after arrays, nulls and old dates appear at previously clean indexed paths", async () => {
    await setUp("evolving", "clean", 300, 3);
    await compareFinds("evolving", 40, 21);
    const rnd = seededRandom(4);
    const late = Array.from({ length: 40 }, (_, i) => makeDoc(rnd, "messy", 1000 + i));
    for (const db of [pushed, reference]) {
      await db.collection("evolving").insertMany(late.map((d) => ({ ...d })));
      // updates too: an array into a path that had none
      await db
        .collection("evolving")
        .updateMany({ seq: { $lt: 20 } }, { $set: { applicantId: [APPLICANTS[0], APPLICANTS[1]] } });
    }
    await compareFinds("evolving", 60, 22);
    const filter = { applicantId: APPLICANTS[1] };
    const [got, want] = await Promise.all(
      [pushed, reference].map((db) => db.collection("evolving").find(filter).sort({ _id: 1 }).toArray())
    );
    expect(got.length).toBeGreaterThanOrEqual(20);
    expect(ejson(got)).toBe(ejson(want));
  }, 480_000);

  it("explain shows the index used for equality + sort + limit at 5,000 documents", async () => {
    const rnd = seededRandom(5);
    const docs = Array.from({ length: 5000 }, (_, i) => makeDoc(rnd, "clean", i));
    const coll = pushed.collection("explained");
    await coll.createIndex({ agencyId: 1, createdAt: -1 });
    for (let i = 0; i < docs.length; i += 1000) await coll.insertMany(docs.slice(i, i + 1000));
    const explain = await coll.find({ agencyId: AGENCIES[2] }).sort({ createdAt: -1 }).limit(60).explain();
    expect(explain).toMatchObject({
      filterPushdown: true,
      sortPushdown: true,
      limitPushdown: true,
    });
    const plan = (explain.queryPlanner as { Plan: string[] }).Plan.join("\n");
    expect(plan).toContain("USING INDEX");
    expect(plan).not.toContain("TEMP B-TREE");
    const count = await pushed.command({
      count: "explained",
      query: { agencyId: AGENCIES[2] },
    });
    expect(count.n).toBe(docs.filter((d) => d.agencyId.equals(AGENCIES[2])).length);

    // the reference server (pushdown disabled) pushes nothing down
    const refExplain = await reference
      .collection("explained")
      .find({ agencyId: AGENCIES[2] })
      .sort({ createdAt: -1 })
      .limit(20)
      .explain();
    expect(refExplain).toMatchObject({
      filterPushdown: false,
      sortPushdown: false,
      limitPushdown: false,
    });
  });
});
