import type { Actor } from "~/core/actor";
import { isAuditAction, PLATFORM_CHAIN, type AuditAction } from "~/core/audit/actions";
import type { AuditActor, AuditDetails, AuditTarget } from "~/core/audit/chain";
import { matchesAuditFilter, verifyChainSegment, verifyCheckpoint, type AuditFilter, type ChainProblem, type StoredAuditEntry } from "~/core/audit/verify";
import { AppError } from "~/core/errors";
import type { LocalizedText } from "~/core/text";
import { listAgencies } from "~/models/agency.server";
import { auditStore } from "~/models/audit-entry.server";
import { publishedKeySet } from "../document-signing.server";
import { lastAuditEntry } from "./sign-audit-checkpoint.server";

export const AUDIT_PAGE_SIZE = 50;
/** How many entries one page request reads at most while looking for filter matches. */
const SCAN_LIMIT = 2_000;
const SCAN_BATCH = 200;

export type AuditLogQuery = { agency?: string | null; before?: string | null; action?: string | null; actor?: string | null; target?: string | null; from?: string | null; to?: string | null };

export type AuditLogRow = { seq: number; at: string; actor: AuditActor; action: AuditAction; target: AuditTarget; details: AuditDetails };

export type AuditLogView = {
  agencyId: string;
  /** The chains an OPDC admin may pick; null for an agency admin (their own only). */
  agencies: { id: string; name: LocalizedText }[] | null;
  rows: AuditLogRow[];
  /** The `before` of the next (older) page, null at the chain's start. */
  olderBefore: number | null;
  lastSeq: number;
  /** What this request checked: the entries it read (a contiguous stretch) and the latest checkpoint. */
  status: {
    checkedFrom: number;
    checkedTo: number;
    problems: ChainProblem[];
    checkpoint: { seq: number; at: string; ok: boolean; problem?: string } | null;
  };
};

/** Agency admins read their own agency's chain; OPDC admins any chain. Everyone else: 403. */
export function auditChainFor(actor: Actor, requested?: string | null): string {
  if (actor.kind === "opdc") return requested || PLATFORM_CHAIN;
  if (actor.kind === "staff" && actor.isAdmin && (!requested || requested === actor.agencyId)) return actor.agencyId;
  throw new AppError("FORBIDDEN", {
    th: "เฉพาะผู้ดูแลระบบของหน่วยงาน (เฉพาะหน่วยงานของตน) และ ก.พ.ร. เท่านั้นที่ดูบันทึกการตรวจสอบได้",
    en: "Only agency admins (for their own agency) and OPDC admins may read the audit log",
  });
}

function bangkokDay(value: string | null | undefined, endOfDay: boolean): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}+07:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function auditFilterOf(query: AuditLogQuery): AuditFilter {
  return {
    action: isAuditAction(query.action) ? query.action : undefined,
    actorId: query.actor?.trim() || undefined,
    targetId: query.target?.trim() || undefined,
    fromDate: bangkokDay(query.from, false),
    toDate: bangkokDay(query.to, true),
  };
}

/**
 * One page of a chain, newest first, read by `_id` lookups a window of seqs at a time (never a scan of the
 * collection). With filters, older windows are read until a page is full or SCAN_LIMIT entries were read;
 * the next page continues below the last seq read. The stretch read is verified, with its link to the entry
 * before it, and so is the latest signed checkpoint: cheap, and enough to show the page is not tampered.
 */
export async function auditLogView(actor: Actor, query: AuditLogQuery): Promise<AuditLogView> {
  const agencyId = auditChainFor(actor, query.agency);
  const store = auditStore();
  const filter = auditFilterOf(query);
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const last = await lastAuditEntry(agencyId, store);
  const lastSeq = last?.seq ?? 0;
  const before = Number(query.before);
  const top = Number.isInteger(before) && before > 0 ? Math.min(before - 1, lastSeq) : lastSeq;

  const read: StoredAuditEntry[] = [];
  const rows: AuditLogRow[] = [];
  let low = top + 1;
  while (low > 1 && rows.length < AUDIT_PAGE_SIZE && top - low + 1 < SCAN_LIMIT) {
    const batch = filtered ? SCAN_BATCH : AUDIT_PAGE_SIZE;
    const from = Math.max(1, low - batch);
    const entries = (await store.findEntries(agencyId, from, low - 1)).sort((a, b) => b.seq - a.seq);
    read.push(...entries);
    for (const entry of entries) {
      if (rows.length >= AUDIT_PAGE_SIZE) {
        low = entry.seq + 1;
        break;
      }
      low = entry.seq;
      if (!matchesAuditFilter(entry, filter)) continue;
      rows.push({ seq: entry.seq, at: entry.at.toISOString(), actor: entry.actor, action: entry.action, target: entry.target, details: entry.details });
    }
    if (rows.length < AUDIT_PAGE_SIZE) low = from;
    // Entries are in time order: past the start of the date range, older windows cannot match.
    if (filter.fromDate && entries.length > 0 && entries[entries.length - 1].at < filter.fromDate) break;
  }

  const checkedFrom = Math.min(low, top);
  const inWindow = read.filter((e) => e.seq >= checkedFrom && e.seq <= top);
  const problems =
    top > 0 ? verifyChainSegment({ agencyId, from: checkedFrom, to: top, entries: inWindow, before: checkedFrom > 1 ? await store.findEntry(agencyId, checkedFrom - 1) : undefined }) : [];

  let checkpoint: AuditLogView["status"]["checkpoint"] = null;
  const latest = await store.latestCheckpoint(agencyId);
  if (latest) {
    const signedEntry = read.find((e) => e.seq === latest.seq) ?? (await store.findEntry(agencyId, latest.seq));
    const [problem] = await verifyCheckpoint(latest, await publishedKeySet(latest.kid), signedEntry);
    checkpoint = { seq: latest.seq, at: new Date(latest.at).toISOString(), ok: !problem, ...(problem ? { problem: problem.message } : {}) };
  }

  const agencies =
    actor.kind === "opdc"
      ? [{ id: PLATFORM_CHAIN, name: { th: "ก.พ.ร. (แพลตฟอร์ม)", en: "OPDC (platform)" } }, ...(await listAgencies()).filter((a) => a._id !== PLATFORM_CHAIN).map((a) => ({ id: a._id, name: a.name }))]
      : null;
  return {
    agencyId,
    agencies,
    rows,
    olderBefore: checkedFrom > 1 && top > 0 ? checkedFrom : null,
    lastSeq,
    status: { checkedFrom: top > 0 ? checkedFrom : 0, checkedTo: top, problems, checkpoint },
  };
}
