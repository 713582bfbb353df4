/**
 * The audit chain's entries and their hashes (Act B.E. 2565 s.15–16). Each entry carries the SHA-256 of the
 * one before it, so editing, removing or reordering any entry breaks a link that `verifyChainSegment` finds.
 */
import { createHash } from "node:crypto";
import stringify from "safe-stable-stringify";
import type { AuditAction } from "./actions";

export type AuditActorKind = "staff" | "opdc" | "api" | "citizen" | "anonymous" | "system";
export type AuditActor = { kind: AuditActorKind; id: string; name: string };
export type AuditTarget = { type: string; id: string };
/** JSON values only; masked of national IDs and phone numbers before they get here (see `maskDetails`). */
export type AuditDetails = Record<string, unknown>;

/** What a caller says happened. */
export type AuditEntryInput = {
  at: Date;
  actor: AuditActor;
  action: AuditAction;
  target: AuditTarget;
  details: AuditDetails;
};

export type AuditEntry = AuditEntryInput & { agencyId: string; seq: number; prevHash: string; hash: string };

/** The `prevHash` of entry #1. */
export const GENESIS_HASH = "0".repeat(64);
const ENCODING_VERSION = 1;

export function auditEntryId(agencyId: string, seq: number): string {
  return `${agencyId}:${seq}`;
}

/** The agency and seq an `_id` names, or null when it is not an entry id. */
export function parseAuditEntryId(id: string): { agencyId: string; seq: number } | null {
  const at = id.lastIndexOf(":");
  const seq = Number(id.slice(at + 1));
  return at > 0 && Number.isInteger(seq) && seq > 0 ? { agencyId: id.slice(0, at), seq } : null;
}

/** The exact bytes that are hashed: sorted-key JSON of every field but the hash itself, the date as ISO text. */
export function canonicalEncoding(entry: Omit<AuditEntry, "hash">): string {
  // An object always stringifies; the library types undefined for other inputs.
  return stringify({
    v: ENCODING_VERSION,
    agencyId: entry.agencyId,
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: { kind: entry.actor.kind, id: entry.actor.id, name: entry.actor.name },
    action: entry.action,
    target: { type: entry.target.type, id: entry.target.id },
    details: entry.details ?? {},
    prevHash: entry.prevHash,
  }) as string;
}

export function hashAuditEntry(entry: Omit<AuditEntry, "hash">): string {
  return createHash("sha256").update(canonicalEncoding(entry), "utf8").digest("hex");
}

/** The entry that follows `previous` (null: the first of the chain). */
export function chainEntry(agencyId: string, previous: { seq: number; hash: string } | null, input: AuditEntryInput): AuditEntry {
  const unhashed = { ...input, agencyId, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unhashed, hash: hashAuditEntry(unhashed) };
}
