// Child process for the webhook crash test: one delivery sweep, as the worker runs it. With
// BORIKAN_CRASH_AT=webhook:sent it dies right after the receiver answered, before anything is recorded.
import { deliverDueWebhooks } from "~/services/webhooks/deliver-webhooks.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

await connectDb();
const result = await deliverDueWebhooks();
process.stdout.write(`${JSON.stringify(result)}\n`);
await disconnectDb();
