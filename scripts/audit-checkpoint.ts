// Signs each audit chain's head now with its agency's key (the worker does this every AUDIT_CHECKPOINT_MINUTES).
//   npm run audit:checkpoint        (connects with MONGODB_URI)
// Exit code: 0 signed or nothing new · 1 a chain is broken and was not signed · 2 could not run.
import { signAllAuditCheckpoints } from "~/services/audit/sign-audit-checkpoint.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

let exitCode = 0;
try {
  await connectDb();
  for (const outcome of await signAllAuditCheckpoints()) {
    if (outcome.signed) console.log(`${outcome.agencyId}: signed checkpoint #${outcome.seq}`);
    else if (outcome.reason === "broken") {
      exitCode = 1;
      console.log(`${outcome.agencyId}: NOT signed — the chain is broken: run npm run audit:verify`);
    } else console.log(`${outcome.agencyId}: ${outcome.reason === "empty" ? "no entries" : "nothing new since the last checkpoint"}`);
  }
} catch (error) {
  console.error("audit:checkpoint could not run:", error instanceof Error ? error.message : error);
  exitCode = 2;
} finally {
  await disconnectDb().catch(() => undefined);
}
process.exit(exitCode);
