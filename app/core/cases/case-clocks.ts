/**
 * The law's clocks on one case (Licensing Facilitation Act B.E. 2558 s.10–11): whether the case is past its
 * statutory time limit, when the applicant must be told of the delay (the first working day after the limit
 * passes, then every 7 calendar days until the case is decided), and by when the decision must be notified
 * (7 days after it is made). Pure: the calendar and `now` are passed in.
 *
 * Time waiting on the applicant does not count: `sla.statutoryDueAt` already moves on by the working days of
 * every pause that ended (see slaOnEnter in case-rules.ts); while a pause is under way the limit moves on with
 * it, and no delay notice falls due (the agency is not the one keeping the applicant waiting).
 */
import { addWorkingDays, countedFrom, workingDaysBetween, type WorkingCalendar } from "../calendar/working-days";
import { DAY_MS } from "../time/bangkok-clock";
import type { Sla } from "./case-rules";

/** Calendar days between two delay notices. */
export const DELAY_NOTICE_INTERVAL_DAYS = 7;
/** Calendar days within which a decision is notified to the applicant. */
export const DECISION_NOTICE_DAYS = 7;

export type ClockCase = {
  /** The receipt's counted-from instant (s.10). */
  countedFrom: Date;
  /** The manifest's statutory time limit, in working days. */
  statutoryDays: number;
  /** The case's SLA fields; without them the limit is counted from the receipt alone. */
  sla?: Pick<Sla, "paused" | "pausedAt" | "statutoryDueAt"> | null;
  /** When the case reached a final state; null/absent while it is open. */
  decidedAt?: Date | null;
};

/** The delay notices already sent: how many, and when the last one went. */
export type NoticesSent = { count: number; lastAt?: Date | null };

export type CaseClock = {
  /** The statutory limit, moved on by the time spent waiting on the applicant (up to `now` for a pause under way). */
  dueAt: Date;
  /** Past the limit and not decided (or decided after it). */
  late: boolean;
  /** Whole working days past the limit (0 when not late). */
  overdueWorkingDays: number;
  paused: boolean;
  /** The first working day (office opening) after the limit passes. */
  firstDelayNoticeAt: Date;
  /** The next delay notice to send (number and when it falls due), or null when none will fall due as things stand. */
  nextDelayNotice: { n: number; dueAt: Date } | null;
  /** By when the decision must be notified; null while the case is open. */
  decisionNoticeBy: Date | null;
};

/** The statutory limit of the case, moved on by the pause under way (if any) as if it ended at `now`. */
export function statutoryDueAt(c: ClockCase, cal: WorkingCalendar, now: Date): Date {
  const base = c.sla?.statutoryDueAt ? new Date(c.sla.statutoryDueAt) : addWorkingDays(c.countedFrom, c.statutoryDays, cal);
  const pausedAt = c.sla?.paused && c.sla.pausedAt ? new Date(c.sla.pausedAt) : null;
  const pausedDays = pausedAt && now > pausedAt ? workingDaysBetween(pausedAt, now, cal) : 0;
  return pausedDays > 0 ? addWorkingDays(base, pausedDays, cal) : base;
}

/**
 * When delay notice `n` (1, 2, …) falls due: the first on the first working day after the limit, each next
 * one 7 calendar days after the one before in the schedule — and never sooner than 7 days after the last
 * notice actually sent (a worker that was down catches up with one notice, not several at once).
 */
export function delayNoticeDueAt(firstAt: Date, n: number, lastSentAt?: Date | null): Date {
  const scheduled = firstAt.getTime() + (n - 1) * DELAY_NOTICE_INTERVAL_DAYS * DAY_MS;
  const spaced = lastSentAt ? new Date(lastSentAt).getTime() + DELAY_NOTICE_INTERVAL_DAYS * DAY_MS : 0;
  return new Date(Math.max(scheduled, spaced));
}

/** The decision must be notified within 7 days of being made. */
export const decisionNoticeBy = (decidedAt: Date): Date => new Date(new Date(decidedAt).getTime() + DECISION_NOTICE_DAYS * DAY_MS);

/** Every clock of a case at `now`. */
export function caseClock(c: ClockCase, cal: WorkingCalendar, now: Date, sent: NoticesSent = { count: 0 }): CaseClock {
  const paused = Boolean(c.sla?.paused) && !c.decidedAt;
  const dueAt = statutoryDueAt(c, cal, c.decidedAt ? new Date(c.decidedAt) : now);
  const until = c.decidedAt ? new Date(c.decidedAt) : now;
  const late = until > dueAt;
  const firstDelayNoticeAt = countedFrom(dueAt, cal);
  const nextDelayNotice =
    c.decidedAt || paused ? null : { n: sent.count + 1, dueAt: delayNoticeDueAt(firstDelayNoticeAt, sent.count + 1, sent.lastAt) };
  return {
    dueAt,
    late,
    overdueWorkingDays: late ? workingDaysBetween(dueAt, until, cal) : 0,
    paused,
    firstDelayNoticeAt,
    nextDelayNotice,
    decisionNoticeBy: c.decidedAt ? decisionNoticeBy(c.decidedAt) : null,
  };
}

/** The delay notice due at `now` (its number), or null: the case is open, its clock runs, and the notice's day has come. */
export function dueDelayNotice(c: ClockCase, cal: WorkingCalendar, now: Date, sent: NoticesSent): { n: number; dueAt: Date } | null {
  const next = caseClock(c, cal, now, sent).nextDelayNotice;
  return next && next.dueAt <= now ? next : null;
}
