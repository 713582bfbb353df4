import mongoose from "mongoose";
import { afterAll, beforeAll, inject } from "vitest";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { seedTestDatabase } from "./seed-template";

/**
 * Connects this test file to its own database on the shared test FerretDB (one per worker and file),
 * optionally seeded with the OPDC templates and demo data (a copy of the run's seed, ./seed-template.ts), and drops it
 * afterwards.
 */
export function withTestDatabase({ seed = true } = {}) {
  const name = `borikan_test_${process.env.VITEST_POOL_ID ?? "0"}_${Math.random().toString(36).slice(2, 8)}`;
  beforeAll(async () => {
    const uri = `${inject("mongoBaseUri")}${name}`;
    process.env.MONGODB_URI = uri;
    process.env.NODE_ENV = "test";
    await connectDb(uri);
    if (seed) await seedTestDatabase();
  });
  afterAll(async () => {
    // Effects still being produced in the background would otherwise write into a dropped database.
    await drainEffectRunner();
    await mongoose.connection.db?.dropDatabase();
    await disconnectDb();
  });
}
