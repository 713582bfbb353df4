import { AppError } from "~/core/errors";
import { connectDb } from "~/utils/db.server";
import { warmRegistryIndex } from "./registry.server";
import { logError } from "~/utils/log.server";

let started = false;

/** Loads the registry snapshot; while another process builds the first one, tries again every 5 s. */
async function warmUntilReady(): Promise<void> {
  for (;;) {
    try {
      await warmRegistryIndex();
      return;
    } catch (error) {
      if (!(error instanceof AppError && error.code === "UNAVAILABLE")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
}

/**
 * Work a web process starts when it boots rather than on its first request: the database connection,
 * and the public registry's search index (loaded from the shared snapshot in seconds; the first
 * process ever started builds that snapshot from the permit store, minutes at a million permits).
 */
export function startBackgroundWork(): void {
  if (started || process.env.NODE_ENV === "test") return;
  started = true;
  void connectDb()
    .then(() => warmUntilReady())
    .catch((error: unknown) => logError("start-up: the registry index will be built on first use instead", error));
}
