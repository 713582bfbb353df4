import type { LocalizedText } from "../text";
import { addCalendarDays, bangkokDate, calendarDaysBetween, startOfBangkokDay } from "../time/bangkok-clock";

/**
 * The periods of OPDC's notices under s.22 of the Electronic Government Administration Act B.E. 2565: a
 * progress notice to each agency every 15 days, a report over all agencies every 60 days. Periods are counted
 * in Bangkok calendar days from one fixed epoch, so every process, on every restart, agrees on the period of an
 * instant: period 1 starts at 00:00 Bangkok on the epoch day, and a period's notice is due from its first day.
 * Pure: the instant is given.
 */

/** 1 October 2025 (B.E. 2568), the first day of fiscal year 2569: the first day of period 1 of both kinds. */
export const REPORT_EPOCH_DAY = "2025-10-01";

export type PeriodKind = "progress" | "report";
export const PERIOD_DAYS: Record<PeriodKind, number> = { progress: 15, report: 60 };

export type ReportPeriod = {
  kind: PeriodKind;
  /** 1, 2, 3 …; 0 never occurs (an instant before the epoch has no period). */
  number: number;
  /** Bangkok days, ISO, inclusive. */
  firstDay: string;
  lastDay: string;
  /** 00:00 Bangkok on the first day; the start of the next period. */
  startsAt: Date;
  endsAt: Date;
};

/** The period of `kind` with this number. */
export function reportPeriod(kind: PeriodKind, number: number): ReportPeriod {
  if (!Number.isInteger(number) || number < 1) throw new RangeError(`no ${kind} period ${number}`);
  const days = PERIOD_DAYS[kind];
  const firstDay = addCalendarDays(REPORT_EPOCH_DAY, (number - 1) * days);
  const nextDay = addCalendarDays(firstDay, days);
  return { kind, number, firstDay, lastDay: addCalendarDays(nextDay, -1), startsAt: startOfBangkokDay(firstDay), endsAt: startOfBangkokDay(nextDay) };
}

/** The period of `kind` that `instant` falls in (Bangkok time), or null before the epoch. */
export function periodAt(kind: PeriodKind, instant: Date): ReportPeriod | null {
  const days = calendarDaysBetween(startOfBangkokDay(REPORT_EPOCH_DAY), instant);
  if (days < 0) return null;
  return reportPeriod(kind, Math.floor(days / PERIOD_DAYS[kind]) + 1);
}

/** The period's number from a path segment ("12"), or null when it is not one. */
export function parsePeriodNumber(text: string | undefined): number | null {
  if (!text || !/^[1-9][0-9]{0,5}$/.test(text)) return null;
  return Number(text);
}

/** The claim and record key of one send: `progress:<agencyId>:<period>` or `report:<period>`. */
export function periodKey(period: Pick<ReportPeriod, "kind" | "number">, agencyId?: string): string {
  if (period.kind === "progress") {
    if (!agencyId) throw new Error("a progress notice is per agency");
    return `progress:${agencyId}:${period.number}`;
  }
  return `report:${period.number}`;
}

const TH_MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];
const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function dayText(iso: string): LocalizedText {
  const [year, month, day] = iso.split("-").map(Number) as [number, number, number];
  return { th: `${day} ${TH_MONTHS[month - 1]} ${year + 543}`, en: `${day} ${EN_MONTHS[month - 1]} ${year}` };
}

/** "รอบที่ 12 (11 ก.พ. 2569 – 25 ก.พ. 2569)" / "Period 12 (11 Feb 2026 – 25 Feb 2026)". */
export function periodLabel(period: ReportPeriod): LocalizedText {
  const first = dayText(period.firstDay);
  const last = dayText(period.lastDay);
  return { th: `รอบที่ ${period.number} (${first.th} – ${last.th})`, en: `Period ${period.number} (${first.en} – ${last.en})` };
}

/** The Bangkok day of an instant, for "figures as of". */
export const asOfDay = (instant: Date): LocalizedText => dayText(bangkokDate(instant));
