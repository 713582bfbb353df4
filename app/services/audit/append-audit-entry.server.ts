import { chainEntry, type AuditEntry, type AuditEntryInput } from "~/core/audit/chain";
import { auditStore, type AuditStore } from "~/models/audit-entry.server";

/**
 * Appends to an agency's chain without ever forking it: start from the head hint (an `_id` lookup), try to
 * insert seq+1 linked to it; when another writer took that position, read the entry it wrote (another `_id`
 * lookup) — or the head, when it has moved further — and try the next one. Each position is a unique insert, so exactly one entry holds it and it links
 * to the entry that held the position before it. Usually one lookup and one insert.
 */
export async function appendAuditEntry(agencyId: string, input: AuditEntryInput, store: AuditStore = auditStore()): Promise<AuditEntry> {
  const head = await store.findHead(agencyId);
  let previous: { seq: number; hash: string } | null = head && head.seq > 0 ? { seq: head.seq, hash: head.hash } : null;
  for (;;) {
    const entry = chainEntry(agencyId, previous, input);
    if (await store.insertEntry(entry)) {
      await store.raiseHead(agencyId, { seq: entry.seq, hash: entry.hash, at: entry.at });
      return entry;
    }
    // Under contention the head has usually moved past several positions: jump to it rather than step.
    const moved = await store.findHead(agencyId);
    if (moved && moved.seq > entry.seq) {
      previous = { seq: moved.seq, hash: moved.hash };
      continue;
    }
    const taken = await store.findEntry(agencyId, entry.seq);
    // Taken and then gone would mean someone deletes entries: do not build on a hole.
    if (!taken) throw new Error(`audit chain ${agencyId}: position #${entry.seq} was taken but cannot be read`);
    previous = { seq: taken.seq, hash: taken.hash };
  }
}
