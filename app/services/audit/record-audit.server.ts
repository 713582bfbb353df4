/**
 * What the rest of the code calls to put an action on the audit log. The business action has already
 * happened when these run (docs/decisions/008-audit-chain.md): they never throw; an append that fails is
 * logged loudly and spooled for the worker to append.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "~/core/actor";
import { PLATFORM_CHAIN, type AuditAction } from "~/core/audit/actions";
import type { AuditActor, AuditEntryInput, AuditTarget } from "~/core/audit/chain";
import { maskDetails } from "~/core/audit/mask";
import { auditStore } from "~/models/audit-entry.server";
import { appendAuditEntry } from "./append-audit-entry.server";

export type AuditRecord = {
  action: AuditAction;
  target: AuditTarget;
  /** Summary facts; national IDs and phones are masked, long text cut. */
  details?: Record<string, unknown>;
  /** The chain to append to; by default the actor's agency ("opdc" for OPDC admins and actors of no agency). */
  agencyId?: string;
  at?: Date;
};

export function auditActorOf(actor: Actor): AuditActor {
  return { kind: actor.kind, id: actor.id, name: actor.name };
}


const APPEND_ATTEMPTS = 3;

/** Appends one entry; returns its seq, or null when it could only be spooled. */
export async function recordAudit(actor: Actor | AuditActor, record: AuditRecord): Promise<number | null> {
  const agencyId = record.agencyId ?? ("agencyId" in actor ? actor.agencyId : PLATFORM_CHAIN);
  const input: AuditEntryInput = {
    at: record.at ?? new Date(),
    actor: { kind: actor.kind, id: actor.id, name: actor.name },
    action: record.action,
    target: { type: record.target.type, id: record.target.id },
    details: maskDetails(record.details ?? {}),
  };
  let lastError: unknown;
  for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
    try {
      return (await appendAuditEntry(agencyId, input)).seq;
    } catch (error) {
      lastError = error;
    }
  }
  await spoolAuditEntry(agencyId, input, lastError);
  return null;
}

async function spoolAuditEntry(agencyId: string, input: AuditEntryInput, cause: unknown): Promise<void> {
  const line = JSON.stringify({ agencyId, ...input });
  console.error(`AUDIT APPEND FAILED (${agencyId}); spooling for the worker: ${line}`, cause);
  try {
    await auditStore().spool({ _id: randomUUID(), agencyId, input: JSON.stringify(input), at: new Date(), attempts: 0 });
  } catch (error) {
    // The database is gone: the log line above is the only record left; operators replay it.
    console.error(`AUDIT ENTRY LOST unless replayed from this log: ${line}`, error);
  }
}
