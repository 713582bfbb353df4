import { parseAuditEntryId } from "~/core/audit/chain";
import { verifyChainSegment, verifyCheckpoint, type ChainProblem, type StoredAuditEntry } from "~/core/audit/verify";
import { auditStore, type AuditStore } from "~/models/audit-entry.server";
import { publishedKeySet } from "../document-signing.server";

export type ChainReport = {
  agencyId: string;
  entries: number;
  checkpoints: number;
  lastCheckpoint: { seq: number; at: Date } | null;
  problems: ChainProblem[];
};

const BATCH = 200;

/**
 * Walks every agency's whole chain (`npm run audit:verify`): each position from #1 to the chain's end by `_id`,
 * every hash and link, and every signed checkpoint against the entry it signed.
 */
export async function verifyAuditChains(store: AuditStore = auditStore()): Promise<ChainReport[]> {
  const heads = await store.listHeads();
  const agencies = new Set([...heads.map((h) => h._id), ...(await store.listChainIds())]);
  const reports: ChainReport[] = [];
  for (const agencyId of [...agencies].sort()) {
    const headSeq = heads.find((h) => h._id === agencyId)?.seq ?? 0;
    const end = Math.max(headSeq, await store.lastStoredSeq(agencyId));
    const problems: ChainProblem[] = [];
    const bySeq = new Map<number, StoredAuditEntry>();
    let before: StoredAuditEntry | null | undefined;
    for (let from = 1; from <= end; from += BATCH) {
      const to = Math.min(end, from + BATCH - 1);
      const entries = await store.findEntries(agencyId, from, to);
      problems.push(...verifyChainSegment({ agencyId, from, to, entries, before }));
      for (const e of entries) bySeq.set(parseAuditEntryId(e._id)?.seq ?? 0, e);
      before = bySeq.get(to) ?? null;
    }
    const checkpoints = await store.listCheckpoints(agencyId);
    for (const checkpoint of checkpoints) {
      const entry = bySeq.get(checkpoint.seq) ?? (await store.findEntry(agencyId, checkpoint.seq));
      problems.push(...(await verifyCheckpoint(checkpoint, await publishedKeySet(checkpoint.kid), entry)));
    }
    const last = checkpoints.at(-1);
    reports.push({ agencyId, entries: bySeq.size, checkpoints: checkpoints.length, lastCheckpoint: last ? { seq: last.seq, at: new Date(last.at) } : null, problems });
  }
  return reports;
}
