// The effects worker: picks up effects (permits, letters, notices) that a web process queued but did not
// finish — it crashed, or the database blinked. `npm start` runs one beside the web server.
import { sweepPendingEffects } from "~/services/effects/run-effects.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

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
  } catch (error) {
    console.error("worker: sweep failed; retrying", error);
  }
  if (once) break;
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
} while (!stopping);
await disconnectDb();
