/**
 * The one clock of the platform. Thai offices count days, years and fiscal years in Bangkok time
 * (UTC+7 all year, no daylight saving), whatever zone the server runs in: receipts, tracking, letter,
 * permit and receipt numbers, SLA days and Buddhist-era dates all take their calendar from here.
 *
 * Time is injected: use cases take a `now` (or a `Clock`) so every clock can be tested at a chosen instant.
 * Pure: no I/O, no time-zone database (the offset is fixed).
 */

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** พ.ศ. = ค.ศ. + 543. */
export const BE_OFFSET = 543;
export const BANGKOK_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The calendar reading of an instant on a Bangkok wall clock. Month 1–12; weekday 0 = Sunday. */
export type BangkokParts = { year: number; month: number; day: number; hour: number; minute: number; weekday: number };

export function bangkokParts(instant: Date): BangkokParts {
  const local = new Date(instant.getTime() + BANGKOK_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay(),
  };
}

/** The Gregorian year in Bangkok (at 00:30 on 1 January in Bangkok it is already the new year). */
export const bangkokYear = (instant: Date): number => bangkokParts(instant).year;

/** The Buddhist-era year in Bangkok: the year of every number series (tracking, letters, permits). */
export const bangkokBuddhistYear = (instant: Date): number => bangkokYear(instant) + BE_OFFSET;

/** The Bangkok calendar day as ISO "YYYY-MM-DD". */
export function bangkokDate(instant: Date): string {
  return new Date(instant.getTime() + BANGKOK_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of 00:00 Bangkok time on the ISO day given. */
export function startOfBangkokDay(isoDay: string): Date {
  return new Date(Date.parse(`${isoDay}T00:00:00.000Z`) - BANGKOK_OFFSET_MS);
}

/** The ISO day `days` calendar days after (or before, when negative) the day given. */
export function addCalendarDays(isoDay: string, days: number): string {
  return new Date(Date.parse(`${isoDay}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Bangkok month as "YYYY-MM" (for figures per month). */
export const bangkokMonth = (instant: Date): string => bangkokDate(instant).slice(0, 7);

/**
 * The Thai government fiscal year (ปีงบประมาณ) in the Buddhist era: it runs from 1 October to 30 September
 * and is named after the year it ends in — 1 October 2026 (B.E. 2569) starts fiscal year 2570.
 */
export function thaiFiscalYear(instant: Date): number {
  const { year, month } = bangkokParts(instant);
  return (month >= 10 ? year + 1 : year) + BE_OFFSET;
}

/** Whole calendar days from one Bangkok day to another (0 on the same day). */
export function calendarDaysBetween(from: Date, to: Date): number {
  return Math.round((Date.parse(`${bangkokDate(to)}T00:00:00.000Z`) - Date.parse(`${bangkokDate(from)}T00:00:00.000Z`)) / DAY_MS);
}
