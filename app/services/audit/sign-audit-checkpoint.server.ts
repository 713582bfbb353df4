import { PLATFORM_CHAIN } from "~/core/audit/actions";
import { CHECKPOINT_JWS_TYPE, verifyChainSegment, type ChainProblem, type CheckpointPayload } from "~/core/audit/verify";
import { auditStore, type AuditStore } from "~/models/audit-entry.server";
import { signDocument } from "../document-signing.server";
import { lastAuditEntry } from "./append-audit-entry.server";

export { lastAuditEntry };

export type CheckpointOutcome =
  | { agencyId: string; signed: true; seq: number }
  | { agencyId: string; signed: false; reason: "empty" | "unchanged" }
  | { agencyId: string; signed: false; reason: "broken"; problems: ChainProblem[] };

/**
 * Signs the chain's head with the agency's Ed25519 key: a JWS over {agency, seq, hash, at}, kept in
 * `audit_checkpoints`. The entries since the previous checkpoint are verified first, so a checkpoint never
 * vouches for an entry that was already tampered with. Signing the same seq twice (two workers) is a no-op.
 */
export async function signAuditCheckpoint(agencyId: string, now = new Date(), store: AuditStore = auditStore()): Promise<CheckpointOutcome> {
  const last = await lastAuditEntry(agencyId, store);
  if (!last) return { agencyId, signed: false, reason: "empty" };
  const previous = await store.latestCheckpoint(agencyId);
  if (previous && previous.seq >= last.seq) return { agencyId, signed: false, reason: "unchanged" };
  const from = (previous?.seq ?? 0) + 1;
  const entries = await store.findEntries(agencyId, from, last.seq);
  const before = from > 1 ? await store.findEntry(agencyId, from - 1) : undefined;
  const problems = verifyChainSegment({ agencyId, from, to: last.seq, entries, before });
  if (problems.length > 0) return { agencyId, signed: false, reason: "broken", problems };
  const payload: CheckpointPayload = { agency: agencyId, seq: last.seq, hash: last.hash, at: now.toISOString() };
  const { kid, jws } = await signDocument(agencyId, payload, CHECKPOINT_JWS_TYPE);
  const inserted = await store.insertCheckpoint({ agencyId, seq: last.seq, hash: last.hash, at: now, kid, jws });
  return inserted ? { agencyId, signed: true, seq: last.seq } : { agencyId, signed: false, reason: "unchanged" };
}

/** Every chain's checkpoint (the worker's periodic run, and `npm run audit:checkpoint`). */
export async function signAllAuditCheckpoints(now = new Date(), store: AuditStore = auditStore()): Promise<CheckpointOutcome[]> {
  const agencies = new Set((await store.listHeads()).map((h) => h._id));
  agencies.add(PLATFORM_CHAIN);
  const outcomes: CheckpointOutcome[] = [];
  for (const agencyId of [...agencies].sort()) outcomes.push(await signAuditCheckpoint(agencyId, now, store));
  return outcomes;
}
