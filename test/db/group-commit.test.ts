// Group commit of inserts and bulk writes across concurrent callers, against the real embedded engine: what it
// answers for an unordered insert with a duplicate in the middle, and that each caller gets its own outcome.
import type { Collection, Document } from "mongodb";
import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { CaseClockModel, getCaseClock, insertNewCaseClock, setCaseClockFromCase, type CaseClockRow } from "~/models/case-clock.server";
import { bulkWriteGrouped, insertGrouped } from "~/models/group-commit.server";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

type Row = { _id: string; n?: number };
const rows = (name: string) => mongoose.connection.collection<Row>(name);

/** The collection, counting the commands sent through it. */
function counted(name: string) {
  const calls: number[] = [];
  const collection = () => {
    const real = rows(name);
    return {
      insertMany: (docs: Row[], options: object) => (calls.push(docs.length), real.insertMany(docs, options)),
      bulkWrite: (ops: unknown[], options: object) => (calls.push(ops.length), real.bulkWrite(ops as never, options)),
    } as unknown as Collection<Row>;
  };
  return { calls, collection };
}

describe("grouped inserts", () => {
  it("the engine stores every other document of an unordered insert and reports the duplicate by its index", async () => {
    await rows("probe").insertOne({ _id: "b" });
    const error = await rows("probe")
      .insertMany([{ _id: "a" }, { _id: "b" }, { _id: "c" }, { _id: "b" }, { _id: "d" }], { ordered: false })
      .then(() => null, (e: unknown) => e as { writeErrors: unknown; code?: number });
    expect(error).not.toBeNull();
    const list = [error!.writeErrors].flat() as { index: number; code: number }[];
    expect(list.map((e) => [e.index, e.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
    expect((await rows("probe").find().toArray()).map((r) => r._id).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("sends the inserts of concurrent callers as one command, and fails only the caller whose document is a duplicate", async () => {
    const { calls, collection } = counted("grouped");
    await rows("grouped").insertOne({ _id: "taken" });
    const insert = insertGrouped<Row>(collection);
    const ids = ["first", "x1", "x2", "taken", "x3", "x4"];
    const outcomes = await Promise.all(ids.map((_id) => insert([{ _id }])));
    expect(calls).toEqual([6]);
    expect(outcomes.map((failures) => failures.map((f) => [f.index, f.code]))).toEqual([[], [], [], [[0, 11000]], [], []]);
    expect((await rows("grouped").find().toArray()).map((r) => r._id).sort()).toEqual(["first", "taken", "x1", "x2", "x3", "x4"]);
  });

  it("reports a failure by its index among the caller's own documents", async () => {
    await rows("own-index").insertOne({ _id: "b2" });
    const insert = insertGrouped<Row>(() => rows("own-index"));
    const [first, second] = await Promise.all([insert([{ _id: "a1" }, { _id: "a2" }]), insert([{ _id: "b1" }, { _id: "b2" }, { _id: "b3" }])]);
    expect(first).toEqual([]);
    expect(second.map((f) => [f.index, f.code])).toEqual([[1, 11000]]);
    expect(second[0]!.error).toBeInstanceOf(Error);
  });

  it("fails every caller of a batch when the error is not about particular documents", async () => {
    const broken = () => ({ insertMany: () => Promise.reject(new Error("connection closed")) }) as unknown as Collection<Document>;
    const insert = insertGrouped(broken);
    const outcomes = await Promise.allSettled([insert([{ _id: "p" }]), insert([{ _id: "q" }]), insert([{ _id: "r" }])]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    // the grouper is not left stuck: the next insert is sent
    await expect(insert([{ _id: "s" }])).rejects.toThrow("connection closed");
  });

  it("keeps a batch within its limit of documents", async () => {
    const { calls, collection } = counted("limited");
    const insert = insertGrouped<Row>(collection, 4);
    await Promise.all(Array.from({ length: 10 }, (_, i) => insert([{ _id: `d${i}` }])));
    expect(calls).toEqual([4, 4, 2]);
    expect(await rows("limited").countDocuments()).toBe(10);
  });
});

describe("grouped bulk writes", () => {
  it("upserts rows of concurrent callers in one command", async () => {
    const { calls, collection } = counted("upserts");
    await rows("upserts").insertOne({ _id: "u2", n: 0 });
    const write = bulkWriteGrouped<Row>(collection);
    const outcomes = await Promise.all(
      ["u1", "u2", "u3", "u4"].map((_id, n) => write([{ updateOne: { filter: { _id }, update: { $set: { n: n + 1 } }, upsert: true } }])),
    );
    expect(outcomes).toEqual([[], [], [], []]);
    expect(calls).toEqual([4]);
    expect((await rows("upserts").find().sort({ _id: 1 }).toArray()).map((r) => [r._id, r.n])).toEqual([
      ["u1", 1],
      ["u2", 2],
      ["u3", 3],
      ["u4", 4],
    ]);
  });
});

describe("grouped clock rows", () => {
  const row = (id: string, checkAt: Date): CaseClockRow => ({
    _id: id,
    agencyId: "sukjai",
    nextNoticeAt: checkAt,
    noticesSent: 0,
    lastNoticeAt: null,
    decided: false,
    decidedAt: null,
    decisionNotifiedAt: null,
    checkAt,
    updatedAt: checkAt,
  });

  it("writes the first rows of several cases at once, the same case twice in one batch included, keeping what the sweep wrote", async () => {
    const t = (day: number) => new Date(Date.UTC(2026, 5, day));
    // the sweep already counted two notices for case-b
    await setCaseClockFromCase(row("case-b", t(1)));
    await mongoose.connection.collection<{ _id: string }>("case_clocks").updateOne({ _id: "case-b" }, { $set: { noticesSent: 2 } });
    await Promise.all([
      setCaseClockFromCase(row("case-x", t(1))),
      setCaseClockFromCase(row("case-a", t(2))),
      setCaseClockFromCase(row("case-a", t(3))),
      setCaseClockFromCase(row("case-b", t(4))),
      setCaseClockFromCase(row("case-c", t(5))),
    ]);
    expect((await getCaseClock("case-a"))?.checkAt).toEqual(t(3));
    expect(await getCaseClock("case-b")).toMatchObject({ checkAt: t(4), noticesSent: 2 });
    expect(await getCaseClock("case-c")).toMatchObject({ checkAt: t(5), noticesSent: 0 });
  });

  it("stores a first row as the mongoose update did", async () => {
    const t = new Date(Date.UTC(2026, 5, 9));
    const { _id: _ignored, agencyId, nextNoticeAt, decided, decidedAt, checkAt, updatedAt } = row("old-way", t);
    await CaseClockModel.updateOne(
      { _id: "old-way" },
      { $set: { agencyId, nextNoticeAt, decided, decidedAt, checkAt, updatedAt }, $setOnInsert: { noticesSent: 0, lastNoticeAt: null, decisionNotifiedAt: null } },
      { upsert: true },
    ).exec();
    await Promise.all([setCaseClockFromCase(row("other", t)), setCaseClockFromCase(row("new-way", t))]);
    const { _id: oldId, ...viaMongoose } = (await getCaseClock("old-way"))!;
    const { _id: newId, ...viaDriver } = (await getCaseClock("new-way"))!;
    expect([oldId, newId]).toEqual(["old-way", "new-way"]);
    expect(JSON.stringify(Object.entries(viaDriver).sort())).toBe(JSON.stringify(Object.entries(viaMongoose).sort()));
  });

  it("stores a new case's first row by a plain insert exactly as the upsert stores it (decision 029)", async () => {
    const t = new Date(Date.UTC(2026, 5, 10));
    await setCaseClockFromCase(row("upserted", t));
    expect(await Promise.all([insertNewCaseClock(row("inserted", t)), insertNewCaseClock(row("inserted-too", t))])).toEqual([true, true]);
    const { _id: upsertedId, ...upserted } = (await getCaseClock("upserted"))!;
    const { _id: insertedId, ...inserted } = (await getCaseClock("inserted"))!;
    expect([upsertedId, insertedId]).toEqual(["upserted", "inserted"]);
    // This engine's upsert leaves out the null fields of $setOnInsert (MongoDB's stores them, as the insert does);
    // a missing field reads as null everywhere the row is used.
    const withNulls = (r: object) => JSON.stringify(Object.entries({ lastNoticeAt: null, decisionNotifiedAt: null, ...r }).sort());
    expect(withNulls(inserted)).toBe(withNulls(upserted));
    expect(inserted).toMatchObject({ noticesSent: 0, lastNoticeAt: null, decisionNotifiedAt: null });
  });

  it("leaves a row that exists already (written from the case since) as it is, and still stores the others of the batch", async () => {
    const t = (day: number) => new Date(Date.UTC(2026, 5, day));
    // the case moved before its filing's row arrived: its transition wrote the row, and the sweep counted a notice
    await setCaseClockFromCase(row("moved", t(20)));
    await mongoose.connection.collection<{ _id: string }>("case_clocks").updateOne({ _id: "moved" }, { $set: { noticesSent: 1 } });
    const outcomes = await Promise.all([insertNewCaseClock(row("fresh-1", t(2))), insertNewCaseClock(row("moved", t(1))), insertNewCaseClock(row("fresh-2", t(3)))]);
    expect(outcomes).toEqual([true, false, true]);
    expect(await getCaseClock("moved")).toMatchObject({ checkAt: t(20), noticesSent: 1 });
    expect((await getCaseClock("fresh-1"))?.checkAt).toEqual(t(2));
    expect((await getCaseClock("fresh-2"))?.checkAt).toEqual(t(3));
  });
});
