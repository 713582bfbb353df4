// Property test of the FerretDB projection pushdown patch (scripts/ferretdb-patches/0004): with an inclusion
// projection the patched server reads from SQLite only the top-level keys the projection, filter and sort need.
// Two servers of the same binary, one with pushdown and one with --test-disable-pushdown (whole documents,
// everything done in Go), get the same random documents; random finds with random projections must return
// byte-identical results (canonical EJSON keeps types and key order).
import { BSON, ObjectId, type Db, type Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom, type SeededRandom } from "../../scripts/seeded-random";
import { startPushdownPair, type PushdownPair } from "../support/pushdown-pair";

let pair: PushdownPair | undefined;
let pushed: Db;
let reference: Db;

beforeAll(async () => {
  pair = await startPushdownPair("projection_test");
  ({ pushed, reference } = pair);
});

afterAll(async () => {
  await pair?.close();
});

const pick = <T>(rnd: SeededRandom, values: readonly T[]): T =>
  values[Math.floor(rnd() * values.length)]!;

// "ชื่อ" and "a b" are keys the patch does not name in SQL: a projection, filter or sort on them reads whole documents.
const KEYS = ["a", "b", "c", "d", "e", "f", "ชื่อ", "a b"];
const SCALARS = [
  0,
  1,
  2,
  2.5,
  -1,
  0.1 + 0.2,
  2 ** 53 + 2,
  "x",
  "y",
  "",
  'q"u\\o',
  "ไทย",
  true,
  false,
  null,
];

function scalar(rnd: SeededRandom): unknown {
  const r = rnd();
  if (r < 0.1)
    return new Date(
      Date.UTC(2020, 0, 1) + Math.floor(rnd() * 1000) * 86_400_000
    );
  if (r < 0.15)
    return new ObjectId(`65c00000000000000000000${Math.floor(rnd() * 10)}`);
  if (r < 0.2) return BSON.Long.fromNumber(Math.floor(rnd() * 5));
  return pick(rnd, SCALARS);
}

/** Any value FerretDB stores: scalars, documents (possibly empty) and arrays (of scalars or documents, not nested). */
function value(rnd: SeededRandom, depth: number): unknown {
  const r = rnd();
  if (depth < 2 && r < 0.2) return subDocument(rnd, depth + 1);
  if (depth < 2 && r < 0.35) {
    return Array.from({ length: Math.floor(rnd() * 4) }, () =>
      rnd() < 0.3 ? subDocument(rnd, 2) : scalar(rnd)
    );
  }
  return scalar(rnd);
}

function subDocument(rnd: SeededRandom, depth: number): Document {
  const doc: Document = {};
  for (const key of ["x", "y", "z"])
    if (rnd() < 0.6) doc[key] = value(rnd, depth);
  return doc;
}

/** A document with a random subset of KEYS (missing keys stay missing) in a random order. */
function makeDoc(rnd: SeededRandom, seq: number): Document {
  const keys = KEYS.filter(() => rnd() < 0.7).sort(() => rnd() - 0.5);
  const doc: Document = {
    _id: rnd() < 0.5 ? new ObjectId() : `id-${seq}`,
    seq,
  };
  for (const key of keys) doc[key] = value(rnd, 0);
  return doc;
}

const PATHS = [
  "a",
  "b",
  "c",
  "d",
  "e",
  "f",
  "a.x",
  "b.y",
  "c.x.y",
  "d.z",
  "ชื่อ",
  "a b",
];

function condition(rnd: SeededRandom): Document {
  const field = pick(rnd, PATHS);
  const r = rnd();
  if (r < 0.3) return { [field]: scalar(rnd) };
  if (r < 0.45) return { [field]: { $in: [scalar(rnd), scalar(rnd), null] } };
  if (r < 0.6)
    return {
      [field]: { [pick(rnd, ["$gt", "$gte", "$lt", "$lte"])]: scalar(rnd) },
    };
  if (r < 0.7) return { [field]: { $exists: rnd() < 0.5 } };
  if (r < 0.75)
    return {
      [field]: {
        $type: pick(rnd, ["array", "object", "null", "string", "double"]),
      },
    };
  if (r < 0.8) return { [field]: { $size: Math.floor(rnd() * 3) } };
  if (r < 0.85)
    return { $expr: { $gt: [`$${pick(rnd, ["a", "b", "c"])}`, 1] } }; // reads any field: whole documents
  const op = pick(rnd, ["$or", "$and", "$nor"]);
  return { [op]: [condition(rnd), condition(rnd)] };
}

function makeFilter(rnd: SeededRandom): Document {
  const parts = Array.from({ length: Math.floor(rnd() * 3) }, () =>
    condition(rnd)
  );
  return Object.assign({}, ...parts);
}

/** A sort always ending with the unique seq, so the expected order is fully determined. */
function makeSort(rnd: SeededRandom): Document | undefined {
  if (rnd() < 0.3) return undefined;
  const sort: Document = {};
  for (let i = Math.floor(rnd() * 2) + 1; i > 0; i--)
    sort[pick(rnd, PATHS)] = rnd() < 0.5 ? 1 : -1;
  sort.seq = rnd() < 0.5 ? 1 : -1;
  return sort;
}

/** Mostly inclusion projections of top-level and dotted paths, sometimes without _id; a few exclusions. */
function makeProjection(rnd: SeededRandom): Document | undefined {
  const r = rnd();
  if (r < 0.1) return undefined;
  if (r < 0.2) return { [pick(rnd, PATHS)]: 0 };
  if (r < 0.25) return { _id: 1 };
  const projection: Document = {};
  for (let i = Math.floor(rnd() * 3) + 1; i > 0; i--)
    projection[pick(rnd, PATHS)] = pick(rnd, [1, true, 2.5]);
  if (rnd() < 0.3) projection._id = 0;
  return projection;
}

const ejson = (value: unknown) =>
  BSON.EJSON.stringify(value, { relaxed: false });

/** The outcome of a find on one server: its documents, or the error's code (both servers must refuse alike). */
async function find(
  db: Db,
  filter: Document,
  options: Document
): Promise<string> {
  try {
    return ejson(await db.collection("docs").find(filter, options).toArray());
  } catch (error) {
    return `error ${(error as { code?: number }).code}`;
  }
}

describe("FerretDB projection pushdown gives the results of the reference server", () => {
  it("for random finds with inclusion projections, filters and sorts over random documents", async () => {
    const rnd = seededRandom(40);
    const docs = Array.from({ length: 300 }, (_, i) => makeDoc(rnd, i));
    for (const db of [pushed, reference]) {
      // indexed paths, so that filter, sort and limit are also pushed down for some finds
      await db
        .collection("docs")
        .createIndexes([
          { key: { a: 1, seq: 1 } },
          { key: { b: 1 } },
          { key: { seq: 1 } },
        ]);
      await db.collection("docs").insertMany(docs.map((d) => ({ ...d })));
    }

    let answered = 0;
    for (let run = 0; run < 400; run++) {
      const filter = makeFilter(rnd);
      const sort = makeSort(rnd);
      const projection = makeProjection(rnd);
      const skip = sort && rnd() < 0.3 ? Math.floor(rnd() * 20) : 0;
      const limit = sort && rnd() < 0.6 ? Math.floor(rnd() * 20) + 1 : 0;
      // without a sort the order is the stored one on both servers (same inserts, no index chosen differently)
      const options = {
        ...(sort && { sort }),
        ...(projection && { projection }),
        skip,
        limit,
      };
      const [got, want] = await Promise.all([
        find(pushed, filter, options),
        find(reference, filter, options),
      ]);
      expect(got, `find ${ejson(filter)} ${ejson(options)}`).toBe(want);
      if (!want.startsWith("error")) answered++;
    }
    // most generated finds are valid queries, not errors both servers agree on
    expect(answered).toBeGreaterThan(300);
  }, 300_000);
});
