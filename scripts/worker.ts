// The background worker: picks up effects (permits, letters, notices) that a web process queued but did not
// finish — it crashed, or the database blinked — and deletes uploads that expired unattached and sessions that
// ended.
// `npm start` runs one beside the web server.
import { cleanupEndedSessions } from "~/services/accounts/cleanup-ended-sessions.server";
import { sweepPendingEffects } from "~/services/effects/run-effects.server";
import { cleanupExpiredUploads } from "~/services/uploads/cleanup-uploads.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const intervalMs = Number(process.env.WORKER_INTERVAL_MS ?? 10_000);
const once = process.argv.includes("--once");
// Ended sessions are refused anyway; removing their records can wait (and is a scan on FerretDB).
const SESSION_SWEEP_MS = 5 * 60_000;
let lastSessionSweep = 0;

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
    if (Date.now() - lastSessionSweep >= SESSION_SWEEP_MS) {
      lastSessionSweep = Date.now();
      const ended = await cleanupEndedSessions();
      if (ended > 0) console.log(`worker: removed ${ended} ended session(s)`);
    }
  } catch (error) {
    console.error("worker: sweep failed; retrying", error);
  }
  if (once) break;
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
} while (!stopping);
await disconnectDb();
