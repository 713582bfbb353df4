import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import { caseClock } from "~/core/cases/case-clocks";
import type { LocalizedText } from "~/core/text";
import { getCaseClock } from "~/models/case-clock.server";
import { decisionNoticeId, delayNoticeId, getCaseNotices } from "~/models/case-notice.server";
import type { CaseDoc } from "~/models/case.server";
import { getDelayReason } from "~/models/delay-reason.server";
import type { PublishedService } from "~/models/service.server";

export type CaseNoticesView = {
  /** The statutory limit (moved on by time waiting on the applicant), and how late the case is. */
  dueAt: Date;
  late: boolean;
  overdueWorkingDays: number;
  nextNoticeAt: Date | null;
  notices: { id: string; kind: "delay" | "decision"; n: number; sentAt: Date; reason: LocalizedText; channel: string }[];
  decision: { decidedAt: Date; notifiedAt: Date | null; notifyBy: Date } | null;
  /** The reason the officers last wrote (shown to staff only). */
  reason: { text: LocalizedText; by: string; at: Date } | null;
};

/** The "Notices" section of a case page: reads the case's clock row and notices by `_id` only. */
export async function getCaseNoticesView(record: CaseDoc, service: PublishedService, forStaff: boolean, now = new Date()): Promise<CaseNoticesView> {
  const caseId = String(record._id);
  const row = await getCaseClock(caseId);
  // One more than the row knows of: a notice whose row update was lost still shows.
  const ids = [...Array.from({ length: (row?.noticesSent ?? 0) + 1 }, (_, i) => delayNoticeId(caseId, i + 1)), decisionNoticeId(caseId)];
  const [found, reason] = await Promise.all([getCaseNotices(ids), forStaff ? getDelayReason(caseId) : null]);
  const notices = found
    .filter((n) => n.kind === "decision" || n.completedAt)
    .map((n) => ({ id: n._id, kind: n.kind, n: n.n, sentAt: n.sentAt, reason: n.reason, channel: n.channel }))
    .sort((a, b) => new Date(b.sentAt).getTime() - new Date(a.sentAt).getTime());
  const decidedAt = record.status === "done" ? new Date(record.closedAt ?? record.updatedAt) : null;
  const clock = caseClock(
    { countedFrom: record.receipt.countedFrom, statutoryDays: service.definition.manifest.statutoryDays, sla: record.sla, decidedAt },
    getWorkingCalendar(),
    now,
    { count: row?.noticesSent ?? 0, lastAt: row?.lastNoticeAt ?? null },
  );
  const decisionNotice = notices.find((n) => n.kind === "decision");
  return {
    dueAt: clock.dueAt,
    late: clock.late,
    overdueWorkingDays: clock.overdueWorkingDays,
    nextNoticeAt: clock.late ? (clock.nextDelayNotice?.dueAt ?? null) : null,
    notices,
    decision: decidedAt ? { decidedAt, notifiedAt: decisionNotice?.sentAt ?? null, notifyBy: clock.decisionNoticeBy! } : null,
    reason: reason ? { text: reason.reason, by: reason.by.name, at: reason.at } : null,
  };
}
