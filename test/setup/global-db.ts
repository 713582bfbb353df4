import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startFerretDb } from "../../scripts/ferretdb.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    mongoBaseUri: string;
  }
}

/** One throw-away FerretDB for the whole run; each worker takes its own database (test/support/db.ts). */
export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide("mongoBaseUri", process.env.MONGODB_URI.replace(/\/[^/]*$/, "/"));
    return;
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
