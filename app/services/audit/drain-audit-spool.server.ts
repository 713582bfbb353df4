import type { AuditEntryInput } from "~/core/audit/chain";
import { acquireLease, releaseClaim } from "~/models/claim.server";
import { auditStore, type AuditStore } from "~/models/audit-entry.server";
import { appendAuditEntry } from "./append-audit-entry.server";

/**
 * Appends the entries that `recordAudit` spooled because the chain could not be written at the time. Each is
 * leased first so two workers do not both append it; one appended and then not unspooled (a crash in between)
 * is appended again — a duplicate line is better than a missing one.
 */
export async function drainAuditSpool(store: AuditStore = auditStore()): Promise<number> {
  let appended = 0;
  for (const spooled of await store.listSpooled()) {
    const lease = `audit-spool:${spooled._id}`;
    if (!(await acquireLease(lease, async () => true))) continue;
    const parsed = JSON.parse(spooled.input) as AuditEntryInput & { at: string };
    await appendAuditEntry(spooled.agencyId, { ...parsed, at: new Date(parsed.at) }, store);
    await store.removeSpooled(spooled._id);
    await releaseClaim(lease);
    appended += 1;
  }
  return appended;
}
