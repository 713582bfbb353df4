// The background worker: picks up effects (permits, letters, notices) that a web process queued but did not
// finish — it crashed, or the database blinked — and deletes uploads that expired unattached.
// `npm start` runs one beside the web server.
import { sweepPendingEffects } from "~/services/effects/run-effects.server";
import { cleanupExpiredUploads } from "~/services/uploads/cleanup-uploads.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { logError } from "~/utils/log.server";

const intervalMs = Number(process.env.WORKER_INTERVAL_MS ?? 10_000);
const once = process.argv.includes("--once");

await connectDb();
let stopping = false;
const stop = () => {
  stopping = true;
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

do {
  try {
    const ran = await sweepPendingEffects();
    if (ran > 0) console.log(`worker: ran ${ran} pending effect(s)`);
    const removed = await cleanupExpiredUploads();
    if (removed > 0) console.log(`worker: removed ${removed} expired upload(s)`);
  } catch (error) {
    logError("worker: sweep failed; retrying", error);
  }
  if (once) break;
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
} while (!stopping);
await disconnectDb();
