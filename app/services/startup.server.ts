import { connectDb } from "~/utils/db.server";
import { warmRegistryIndex } from "./registry.server";
import { logError } from "~/utils/log.server";

let started = false;

/**
 * Work a web process starts when it boots rather than on its first request: the database connection,
 * and the public registry's search index (reading the permit store takes minutes at a million permits;
 * until it is ready the first search waits for it).
 */
export function startBackgroundWork(): void {
  if (started || process.env.NODE_ENV === "test") return;
  started = true;
  void connectDb()
    .then(() => warmRegistryIndex())
    .catch((error: unknown) => logError("start-up: the registry index will be built on first use instead", error));
}
