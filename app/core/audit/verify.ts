/**
 * Checks a stretch of an agency's audit chain as stored: every position holds its own entry, every entry
 * still matches its hash, every entry links to the one before, and signed checkpoints still match. Pure: the
 * caller fetches the entries (by `_id`) and the key set.
 */
import { verifySignedDocument, type KeySet } from "~/core/permits/permit-signature";
import { GENESIS_HASH, hashAuditEntry, parseAuditEntryId, type AuditEntry } from "./chain";

export type StoredAuditEntry = AuditEntry & { _id: string };

/**
 * edited — the entry's content no longer matches its hash, or it was rewritten with a recomputed hash (the
 * next entry's link to it broke); missing — no entry at a position below the chain's end; reordered — a
 * position holds another entry (moved or swapped); checkpoint — a signed checkpoint is invalid or no longer
 * matches the entry it signed.
 */
export type ChainProblemKind = "edited" | "missing" | "reordered" | "checkpoint";
export type ChainProblem = { agencyId: string; seq: number; kind: ChainProblemKind; message: string };

export type SegmentInput = {
  agencyId: string;
  from: number;
  to: number;
  /** The entries found under the ids `${agencyId}:${from..to}`, in any order. */
  entries: StoredAuditEntry[];
  /** The entry at `from - 1` when `from > 1` (null: it is missing), to check the first link. */
  before?: StoredAuditEntry | null;
};

type SlotState = "ok" | "edited" | "absent" | "misplaced";

export function verifyChainSegment({ agencyId, from, to, entries, before }: SegmentInput): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const report = (seq: number, kind: ChainProblemKind, message: string) => problems.push({ agencyId, seq, kind, message });
  const byPosition = new Map<number, StoredAuditEntry>();
  for (const entry of entries) {
    const id = parseAuditEntryId(entry._id);
    if (id && id.agencyId === agencyId) byPosition.set(id.seq, entry);
  }
  const states = new Map<number, SlotState>();
  if (from > 1) states.set(from - 1, before ? (slotState(agencyId, from - 1, before) ?? "ok") : "absent");
  if (before) byPosition.set(from - 1, before);

  for (let seq = from; seq <= to; seq++) {
    const entry = byPosition.get(seq);
    if (!entry) {
      states.set(seq, "absent");
      report(seq, "missing", `entry #${seq} is missing (removed)`);
      continue;
    }
    const state = slotState(agencyId, seq, entry);
    states.set(seq, state ?? "ok");
    if (state === "misplaced") {
      report(seq, "reordered", `position #${seq} holds entry #${entry.seq}${entry.agencyId !== agencyId ? ` of ${entry.agencyId}` : ""} (moved or swapped)`);
      continue;
    }
    if (state === "edited") {
      report(seq, "edited", `entry #${seq} was changed after it was written: its content no longer matches its hash`);
      continue;
    }
    // The entry is intact by itself; does it follow the one before?
    if (seq === 1) {
      if (entry.prevHash !== GENESIS_HASH) report(seq, "reordered", "entry #1 does not start the chain: its prevHash is not the genesis hash");
      continue;
    }
    const previous = byPosition.get(seq - 1);
    const previousState = states.get(seq - 1);
    if (!previous || previousState === "absent" || previousState === "misplaced") continue; // reported at seq - 1
    if (entry.prevHash !== previous.hash) {
      if (seq - 1 < from) report(seq - 1, "edited", `entry #${seq - 1} was rewritten (hash recomputed): entry #${seq} no longer links to it`);
      else if (previousState === "ok") report(seq - 1, "edited", `entry #${seq - 1} was rewritten (hash recomputed): entry #${seq} no longer links to it`);
    }
  }
  return problems.sort((a, b) => a.seq - b.seq);
}

function slotState(agencyId: string, seq: number, entry: StoredAuditEntry): "edited" | "misplaced" | null {
  if (entry.agencyId !== agencyId || entry.seq !== seq) return "misplaced";
  let computed: string;
  try {
    computed = hashAuditEntry(entry);
  } catch {
    return "edited"; // unreadable fields (a date that is no longer a date, …)
  }
  return computed === entry.hash ? null : "edited";
}

export const CHECKPOINT_JWS_TYPE = "borikan-audit-checkpoint+jws";

/** What a checkpoint signs. `agency` (not agencyId) so the key set's agency check applies. */
export type CheckpointPayload = { agency: string; seq: number; hash: string; at: string };
export type StoredCheckpoint = { agencyId: string; seq: number; hash: string; at: Date; jws: string };

/** A checkpoint is good when the agency's key signed it, its stored fields are what was signed, and the entry it names still has that hash. */
export async function verifyCheckpoint(checkpoint: StoredCheckpoint, keySet: KeySet, entryAtSeq: StoredAuditEntry | null): Promise<ChainProblem[]> {
  const { agencyId, seq } = checkpoint;
  const problem = (message: string): ChainProblem[] => [{ agencyId, seq, kind: "checkpoint", message }];
  const check = await verifySignedDocument<CheckpointPayload>(checkpoint.jws, keySet, CHECKPOINT_JWS_TYPE);
  if (!check.ok) return problem(`the checkpoint at #${seq} has no valid signature of ${agencyId} (${check.code})`);
  const signed = check.payload;
  if (signed.agency !== agencyId || signed.seq !== seq || signed.hash !== checkpoint.hash || signed.at !== new Date(checkpoint.at).toISOString()) {
    return problem(`the checkpoint record at #${seq} differs from what was signed`);
  }
  if (!entryAtSeq) return problem(`the checkpoint at #${seq} signed an entry that is missing`);
  if (entryAtSeq.hash !== signed.hash) return problem(`entry #${seq} differs from the one signed at ${signed.at} (the chain up to it was rewritten)`);
  return [];
}

export type AuditFilter = { action?: string; actorId?: string; targetId?: string; fromDate?: Date; toDate?: Date };

export function matchesAuditFilter(entry: Pick<AuditEntry, "action" | "actor" | "target" | "at">, filter: AuditFilter): boolean {
  if (filter.action && entry.action !== filter.action) return false;
  if (filter.actorId && entry.actor.id !== filter.actorId && !entry.actor.name.toLowerCase().includes(filter.actorId.toLowerCase())) return false;
  if (filter.targetId && entry.target.id !== filter.targetId) return false;
  const at = new Date(entry.at).getTime();
  if (filter.fromDate && at < filter.fromDate.getTime()) return false;
  if (filter.toDate && at > filter.toDate.getTime()) return false;
  return true;
}
