import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import type { TestProject } from "vitest/node";
import { freePort, startFerretDb } from "../../scripts/ferretdb.mjs";
import { dropSeedTemplates } from "../support/seed-template-names";

declare module "vitest" {
  export interface ProvidedContext {
    mongoBaseUri: string;
    /** Names this run's demo-seed templates (test/support/seed-template.ts): no run copies another run's seed. */
    seedTemplateRun: string;
  }
}

/** One throw-away FerretDB for the whole run; each worker takes its own database (test/support/db.ts). */
export default async function setup(project: TestProject) {
  const run = randomBytes(4).toString("hex");
  project.provide("seedTemplateRun", run);
  if (process.env.MONGODB_URI) {
    const baseUri = process.env.MONGODB_URI.replace(/\/[^/]*$/, "/");
    project.provide("mongoBaseUri", baseUri);
    // A database server that outlives the run keeps none of its templates.
    return async () => {
      const client = await MongoClient.connect(baseUri);
      await dropSeedTemplates(client, run);
      await client.close();
    };
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-test-db-"));
  const port: number = await freePort();
  const server = await startFerretDb({ port, dataDir });
  project.provide("mongoBaseUri", server.uri);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
