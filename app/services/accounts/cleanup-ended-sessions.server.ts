import { deleteEndedSessions, type SessionKind } from "~/models/session.server";
import { connectDb } from "~/utils/db.server";
import { sessionLimits } from "~/utils/session.server";

const KINDS: SessionKind[] = ["citizen", "staff", "opdc"];

/**
 * Removes session records that can no longer be used (past their absolute end or idle too long), so records of
 * browsers that never came back do not pile up. Ended sessions are already refused when presented; this is
 * housekeeping, run by the worker.
 */
export async function cleanupEndedSessions(now = new Date()): Promise<number> {
  await connectDb();
  const cutoff = Object.fromEntries(KINDS.map((kind) => [kind, new Date(now.getTime() - sessionLimits(kind).idleMs)])) as Record<SessionKind, Date>;
  return deleteEndedSessions(now, cutoff);
}
