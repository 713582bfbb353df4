import type { MongoClient } from "mongodb";

/** Where the templates' claims live: outside every template, so a copy never carries them. */
export const SEED_TEMPLATES_DB = "borikan_seed_templates";

/** A template of one run (test/setup/global-db.ts names the run), for one key secret and Bangkok day. */
export const seedTemplatePrefix = (run: string) => `borikan_seed_${run}_`;

/** Drops the run's templates and their claims (globalSetup's teardown, for a database server that outlives the run). */
export async function dropSeedTemplates(client: MongoClient, run: string) {
  const { databases } = await client.db().admin().listDatabases({ nameOnly: true });
  for (const { name } of databases) if (name.startsWith(seedTemplatePrefix(run))) await client.db(name).dropDatabase();
  await client.db(SEED_TEMPLATES_DB).collection<{ _id: string }>("templates").deleteMany({ _id: { $regex: `^${seedTemplatePrefix(run)}` } });
}
