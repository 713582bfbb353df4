import type { Actor } from "~/core/actor";
import { forbidden } from "~/core/errors";
import type { LocalizedText } from "~/core/text";
import { listAgencies } from "~/models/agency.server";
import { listCaseNotices, type CaseNotice } from "~/models/case-notice.server";

export const NOTICE_COPIES_PAGE_SIZE = 25;

/**
 * OPDC's copies of the delay notices sent to applicants, newest first, optionally of one agency; reads
 * case_notices only. OPDC admins only (FORBIDDEN otherwise).
 */
export async function listDelayNoticeCopies(
  actor: Actor,
  filter: { agencyId?: string; page?: number },
): Promise<{ rows: CaseNotice[]; total: number; page: number; pageSize: number; agencies: { id: string; name: LocalizedText }[] }> {
  if (actor.kind !== "opdc") throw forbidden();
  const page = Number.isInteger(filter.page) && filter.page! >= 1 ? filter.page! : 1;
  const agencyId = filter.agencyId && /^[A-Za-z0-9_-]{1,64}$/.test(filter.agencyId) ? filter.agencyId : undefined;
  const [{ rows, total }, agencies] = await Promise.all([listCaseNotices({ kind: "delay", agencyId }, page, NOTICE_COPIES_PAGE_SIZE), listAgencies()]);
  return {
    rows,
    total,
    page,
    pageSize: NOTICE_COPIES_PAGE_SIZE,
    // The agencies to filter by (a small collection); OPDC itself files no cases.
    agencies: agencies.filter((a) => a.kind !== "opdc").map((a) => ({ id: a._id, name: a.name })),
  };
}
