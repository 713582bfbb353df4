import { createHash } from "node:crypto";
import type { Db, IndexDescription } from "mongodb";
import mongoose from "mongoose";
import { inject } from "vitest";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { env } from "~/utils/env.server";
import { SEED_TEMPLATES_DB, seedTemplatePrefix } from "./seed-template-names";

/**
 * The demo seed, made once per test run and copied into each test file's database (decision 039).
 *
 * seedDemo costs 1.5–3 s (mongoose validation, password hashing, signing 360 paper-era permits, many small writes);
 * copying its result is a few bulk inserts. The template is keyed by what the seed's output depends on beyond the
 * code: the key secret the signing keys are sealed under (API/e2e files use their own), and the Bangkok day (the
 * imported permits' statuses are worked out against today). FerretDB has no transactions, so the first file to
 * need a template claims it with an insert on a unique `_id`; the claimant seeds its own database as before and
 * then copies it out to the template. Any other file that finds no ready template (being made by the other worker,
 * or left half-made by a crashed run) seeds its own database as before: nobody waits on anybody.
 */
export async function seedTestDatabase({ run = inject("seedTemplateRun") } = {}): Promise<"copied" | "seeded"> {
  // seedDemo writes through mongoose's default connection: that is the database to fill.
  const db = mongoose.connection.db;
  if (!db) throw new Error("seedTestDatabase: connect mongoose to the test's database first");
  // mongoose creates its models' collections and indexes once connected (autoCreate, autoIndex): let it finish
  // first, so the copy's index builds do not race its own.
  await modelsReady();
  const name = seedTemplateName({ run, keySecret: env().KEY_ENCRYPTION_SECRET, day: todayInBangkok() });
  const templates = db.client.db(SEED_TEMPLATES_DB).collection<{ _id: string; state: "seeding" | "ready" }>("templates");
  const template = await templates.findOne({ _id: name });
  if (template?.state === "ready") {
    await copyDatabase(db.client.db(name), db);
    return "copied";
  }
  const claimed = !template && (await templates.insertOne({ _id: name, state: "seeding" }).then(() => true, () => false));
  // Imported only here: a file that gets a copy does not load the seed's modules (the spreadsheet reader among them).
  const { seedDemo } = await import("~/services/seed-demo.server");
  await seedDemo({ log: () => undefined });
  if (claimed) {
    // Models the seed imported were compiled after the first wait: their collections belong to a fresh seed too.
    await modelsReady();
    await copyDatabase(db, db.client.db(name));
    await templates.updateOne({ _id: name }, { $set: { state: "ready" } });
  }
  return "seeded";
}

/**
 * Waits for mongoose's index builds of every compiled model. A build that fails is left as mongoose leaves it
 * when nobody waits: the embedded engine refuses TTL indexes (sessions, challenges), and the product does without.
 */
async function modelsReady() {
  await Promise.all(mongoose.modelNames().map((model) => mongoose.model(model).init().catch(() => undefined)));
}

/** The template's database: one per run, key secret (signing keys are sealed under it) and Bangkok day. */
export function seedTemplateName({ run, keySecret, day }: { run: string; keySecret: string; day: string }) {
  const key = createHash("sha256").update(`${keySecret}\n${day}`).digest("hex").slice(0, 12);
  return `${seedTemplatePrefix(run)}${key}`;
}

/** Every collection of `from` into `to`: its options, its documents in `_id` order, and its indexes. */
export async function copyDatabase(from: Db, to: Db) {
  const collections = await from.listCollections({}, { nameOnly: false }).toArray();
  // mongoose has made most of them already in `to` (autoCreate and autoIndex on connect), with the same indexes.
  const existing = new Set((await to.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  // One collection after another: no faster in parallel on the embedded engine, and its DDL is then never concurrent.
  for (const { name, options } of collections) {
    const source = from.collection(name);
    const target = to.collection(name);
    if (!existing.has(name)) await to.createCollection(name, options);
    const [documents, indexes, present] = await Promise.all([source.find().sort({ _id: 1 }).toArray(), source.listIndexes().toArray(), target.listIndexes().toArray()]);
    // Only the missing ones: the embedded engine panics on a createIndexes whose indexes all exist already.
    const missing = indexes.filter((index) => !present.some((p) => p.name === index.name)).map(({ v: _version, ns: _namespace, ...spec }) => spec as IndexDescription);
    if (missing.length > 0) await target.createIndexes(missing);
    if (documents.length > 0) await target.insertMany(documents);
  }
}
