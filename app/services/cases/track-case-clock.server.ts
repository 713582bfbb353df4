import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import { caseClock, type NoticesSent } from "~/core/cases/case-clocks";
import { insertNewCaseClock, keepCaseClockFromCase, setCaseClockFromCase, type CaseClockRow } from "~/models/case-clock.server";
import type { CaseDoc } from "~/models/case.server";
import { env } from "~/utils/env.server";
import { logError } from "~/utils/log.server";

export type ClockedCase = Pick<CaseDoc, "_id" | "agencyId" | "receipt" | "sla" | "status" | "closedAt" | "updatedAt">;

/**
 * The case_clocks row of a case as it stands at `now`: when its next delay notice falls due, whether it is
 * decided, and when the worker should next look at it (the next notice, or the end of the decision's grace).
 */
export function clockRowOf(
  record: ClockedCase,
  statutoryDays: number,
  state: { sent: NoticesSent; decisionNotifiedAt: Date | null },
  now: Date,
): CaseClockRow {
  const decided = record.status === "done";
  const decidedAt = decided ? new Date(record.closedAt ?? record.updatedAt ?? now) : null;
  const clock = caseClock({ countedFrom: record.receipt.countedFrom, statutoryDays, sla: record.sla, decidedAt }, getWorkingCalendar(), now, state.sent);
  const nextNoticeAt = clock.nextDelayNotice?.dueAt ?? null;
  const graceMs = env().DECISION_NOTICE_GRACE_MINUTES * 60_000;
  const checkAt = decided ? (state.decisionNotifiedAt ? null : new Date(decidedAt!.getTime() + graceMs)) : nextNoticeAt;
  return {
    _id: String(record._id),
    agencyId: record.agencyId,
    nextNoticeAt,
    noticesSent: state.sent.count,
    lastNoticeAt: state.sent.lastAt ?? null,
    decided,
    decidedAt,
    decisionNotifiedAt: state.decisionNotifiedAt,
    checkAt,
    updatedAt: now,
  };
}

const sameTime = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

/**
 * Keeps the case's clock row in step after it moves (fireCaseEvent), from `before` to `after`. One write and no
 * read: the fields that follow from the case are set, the notices sent are left to the sweep that sends them. The
 * next notice is computed as if none had been sent yet, which is never later than the real one — the row is a
 * hint, and the sweep counts the notices from case_notices, sends only what is due and rewrites the row. The case
 * is already written: a failure here is logged, not thrown — the next transition rewrites the row.
 * When the move changes none of the row's fields (most moves: the clock follows the statutory limit, pauses and
 * the decision, not the step), the row is written only if it is missing or differs from the case
 * (keepCaseClockFromCase), instead of rewritten with a new `updatedAt`.
 */
export async function trackCaseClockMove(before: ClockedCase, after: ClockedCase, statutoryDays: number, now: Date): Promise<void> {
  try {
    const state = { sent: { count: 0, lastAt: null }, decisionNotifiedAt: null };
    const [was, row] = [clockRowOf(before, statutoryDays, state, now), clockRowOf(after, statutoryDays, state, now)];
    const unchanged =
      was.agencyId === row.agencyId &&
      was.decided === row.decided &&
      sameTime(was.nextNoticeAt, row.nextNoticeAt) &&
      sameTime(was.decidedAt, row.decidedAt) &&
      sameTime(was.checkAt, row.checkAt);
    await (unchanged ? keepCaseClockFromCase(row) : setCaseClockFromCase(row));
  } catch (error) {
    logError(`case clock of ${String(after._id)} not written; the notice sweep may miss it until the case moves again`, error);
  }
}

/**
 * The clock row of a case just filed (submitApplication, a referral's new case): inserted rather than upserted
 * (`insertNewCaseClock`), the row `trackCaseClockMove` would write. Logged, not thrown, as there; a row that never arrives is written by the
 * new-case sweep (decision 032).
 */
export async function trackNewCaseClock(record: ClockedCase, statutoryDays: number, now: Date): Promise<void> {
  try {
    await insertNewCaseClock(clockRowOf(record, statutoryDays, { sent: { count: 0, lastAt: null }, decisionNotifiedAt: null }, now));
  } catch (error) {
    logError(`case clock of ${String(record._id)} not written; the notice sweep may miss it until the case moves again`, error);
  }
}
