// The background worker: picks up effects (permits, letters, notices) that a web process queued but did not
// finish — it crashed, or the database blinked — and deletes uploads that expired unattached and rate-limit
// counts whose window is over.
// `npm start` runs one beside the web server.
import { sweepPendingEffects } from "~/services/effects/run-effects.server";
import { purgeExpiredRateLimits } from "~/models/rate-limit.server";
import { cleanupExpiredUploads } from "~/services/uploads/cleanup-uploads.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const intervalMs = Number(process.env.WORKER_INTERVAL_MS ?? 10_000);
const once = process.argv.includes("--once");
// Deleting by time scans the collection on FerretDB (no TTL indexes there), so not on every sweep.
const RATE_LIMIT_PURGE_MS = 5 * 60_000;
let lastRateLimitPurge = 0;

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
    if (Date.now() - lastRateLimitPurge >= RATE_LIMIT_PURGE_MS) {
      lastRateLimitPurge = Date.now();
      await purgeExpiredRateLimits();
    }
  } catch (error) {
    console.error("worker: sweep failed; retrying", error);
  }
  if (once) break;
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
} while (!stopping);
await disconnectDb();
