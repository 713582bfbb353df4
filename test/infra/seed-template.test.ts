import { randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withTestDatabase } from "../support/db";
import { seedTemplateName, seedTestDatabase } from "../support/seed-template";
import { SEED_TEMPLATES_DB } from "../support/seed-template-names";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";

// Empty: this file makes its own seed, under a run of its own, so it is the claimant whatever ran before it.
withTestDatabase({ seed: false });

const run = `t${randomBytes(3).toString("hex")}`;
/** This file's own database, seeded fresh (mongoose reconnects to it after each look at another database). */
const seeded = () => mongoose.connection.db!;

/** Everything a test can see of a database: each collection's options, documents in `_id` order and indexes. */
async function contentsOf(db: Db) {
  const collections = (await db.listCollections({}, { nameOnly: false }).toArray()).sort((a, b) => a.name.localeCompare(b.name));
  return Promise.all(
    collections.map(async ({ name, options }) => ({
      name,
      options,
      documents: await db.collection(name).find().sort({ _id: 1 }).toArray(),
      indexes: (await db.collection(name).listIndexes().toArray()).map(({ v: _v, ns: _ns, ...index }) => index).sort((a, b) => String(a.name).localeCompare(String(b.name))),
    })),
  );
}

/** Runs `fn` with mongoose's default connection on another database (as another test file would be), then drops it. */
async function inAnotherFile<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const own = mongoose.connection.db!.databaseName;
  await disconnectDb();
  await connectDb(`${inject("mongoBaseUri")}borikan_test_copy_${randomBytes(3).toString("hex")}`);
  try {
    return await fn(mongoose.connection.db!);
  } finally {
    await mongoose.connection.db!.dropDatabase();
    await disconnectDb();
    await connectDb(`${inject("mongoBaseUri")}${own}`);
  }
}

/** The template names this file's runs claim, to drop afterwards. */
const claimed: string[] = [];
const templateOf = (r: string) => {
  const name = seedTemplateName({ run: r, keySecret: env().KEY_ENCRYPTION_SECRET, day: todayInBangkok() });
  if (!claimed.includes(name)) claimed.push(name);
  return name;
};

beforeAll(async () => {
  expect(await seedTestDatabase({ run })).toBe("seeded");
});
afterAll(async () => {
  await seeded().client.db(templateOf(run)).dropDatabase();
  await seeded().client.db(SEED_TEMPLATES_DB).collection<{ _id: string }>("templates").deleteMany({ _id: { $in: claimed } });
});

describe("the demo seed copied from a template", () => {
  it("the first file seeds its own database and leaves the template an exact copy of it", async () => {
    const fresh = await contentsOf(seeded());
    expect(fresh.map((c) => c.name)).toEqual(expect.arrayContaining(["agencies", "permits", "serviceversions", "signingkeys", "users"]));
    expect(await contentsOf(seeded().client.db(templateOf(run)))).toEqual(fresh);
  });

  it("gives a later file a copy with every collection, document and index of the fresh seed", async () => {
    const fresh = await contentsOf(seeded());
    const copy = await inAnotherFile(async (db) => {
      expect(await seedTestDatabase({ run })).toBe("copied");
      return contentsOf(db);
    });
    expect(copy).toEqual(fresh);
  });

  it("does not wait for a template another file is still making: it seeds its own database", async () => {
    const otherRun = `t${randomBytes(3).toString("hex")}`;
    const templates = () => seeded().client.db(SEED_TEMPLATES_DB).collection<{ _id: string; state: string }>("templates");
    await templates().insertOne({ _id: templateOf(otherRun), state: "seeding" });
    const counts = await inAnotherFile(async (db) => {
      expect(await seedTestDatabase({ run: otherRun })).toBe("seeded");
      return { agencies: await db.collection("agencies").countDocuments(), permits: await db.collection("permits").countDocuments() };
    });
    expect(counts).toEqual({ agencies: 3, permits: await seeded().collection("permits").countDocuments() });
    expect(await templates().findOne({ _id: templateOf(otherRun) })).toMatchObject({ state: "seeding" });
  });

  it("keeps separate templates for another key secret (the signing keys are sealed under it) and another Bangkok day", () => {
    const base = { run, keySecret: "e2e-key-secret-0123456789", day: "2026-12-08" };
    expect(seedTemplateName(base)).not.toBe(seedTemplateName({ ...base, keySecret: "borikan-development-only-key-secret" }));
    expect(seedTemplateName(base)).not.toBe(seedTemplateName({ ...base, day: "2026-12-09" }));
    expect(seedTemplateName(base)).not.toBe(seedTemplateName({ ...base, run: "another-run" }));
  });
});
