// Verifies every agency's audit chain (Act B.E. 2565 s.15–16): recomputes each entry's hash, checks seq
// continuity and every link, and checks each signed checkpoint's signature and hash.
//   npm run audit:verify            (connects with MONGODB_URI)
// Exit code: 0 every chain intact · 1 an entry was edited, removed or reordered, or a checkpoint is bad · 2 could not run.
import { verifyAuditChains } from "~/services/audit/verify-audit-chains.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

let exitCode = 0;
try {
  await connectDb();
  const reports = await verifyAuditChains();
  for (const report of reports) {
    const signed = report.lastCheckpoint ? `last signed checkpoint #${report.lastCheckpoint.seq} at ${report.lastCheckpoint.at.toISOString()}` : "no signed checkpoint yet";
    if (report.problems.length === 0) {
      console.log(`${report.agencyId}: intact — ${report.entries} entries, ${report.checkpoints} checkpoint(s), ${signed}`);
      continue;
    }
    exitCode = 1;
    console.log(`${report.agencyId}: TAMPERED — ${report.problems.length} problem(s) in ${report.entries} entries (${signed})`);
    for (const problem of report.problems) console.log(`  ${report.agencyId} #${problem.seq} ${problem.kind}: ${problem.message}`);
  }
  const broken = reports.filter((r) => r.problems.length > 0).length;
  console.log(broken === 0 ? `audit:verify OK — ${reports.length} chain(s) intact` : `audit:verify FAILED — ${broken} of ${reports.length} chain(s) tampered`);
} catch (error) {
  console.error("audit:verify could not run:", error instanceof Error ? error.message : error);
  exitCode = 2;
} finally {
  await disconnectDb().catch(() => undefined);
}
process.exit(exitCode);
