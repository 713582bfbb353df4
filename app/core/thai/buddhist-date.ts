/**
 * Dates as we store them (ISO YYYY-MM-DD, Gregorian) and as people read them: the Buddhist era
 * (พ.ศ. = ค.ศ. + 543) in Thai, the Gregorian year in English.
 *
 * Names come from Intl, but we assemble "day month year" ourselves from formatToParts so the
 * layout never depends on the ICU version (Node and the browser must render the same text, or
 * hydration fails).
 */
import type { Lang } from "../text";

import { bangkokDate, bangkokParts, BE_OFFSET } from "../time/bangkok-clock";

export { BE_OFFSET };
export const BANGKOK_TIME_ZONE = "Asia/Bangkok";

export type DateParts = { year: number; month: number; day: number }; // Gregorian, month 1-12

export const toBuddhistYear = (gregorianYear: number): number => gregorianYear + BE_OFFSET;
export const toGregorianYear = (buddhistYear: number): number => buddhistYear - BE_OFFSET;

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a Gregorian month (1-12); 0 for a month out of range. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return MONTH_LENGTHS[month - 1] ?? 0;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Parses a real calendar date "YYYY-MM-DD"; null for anything else (2026-02-29, 2026-13-01, "2026-1-5"). */
export function parseIsoDate(iso: string): DateParts | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== null;
}

export function toIsoDate({ year, month, day }: DateParts): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** A UTC midnight Date; setUTCFullYear because Date.UTC maps years 0-99 to 1900-1999. */
function utcDate({ year, month, day }: DateParts): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    // th: Buddhist calendar; en: en-GB for day-before-month Gregorian names.
    f = new Intl.DateTimeFormat(lang === "th" ? "th-TH-u-ca-buddhist" : "en-GB", options);
    formatters.set(key, f);
  }
  return f;
}

function part(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((p) => p.type === type)?.value ?? "";
}

/** Month names, January first: "มกราคม"… or "January"…; style "short" gives "ม.ค."/"Jan". */
export function monthNames(lang: Lang, style: "long" | "short" = "long"): string[] {
  const f = formatter(lang, { month: style, timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, i) => part(f.formatToParts(utcDate({ year: 2000, month: i + 1, day: 1 })), "month"));
}

const dayFormatters: Partial<Record<Lang, Intl.DateTimeFormat>> = {};

/**
 * "25 พฤศจิกายน 2569" (th) or "25 November 2026" (en) for "2026-11-25".
 * Input that is not an ISO date is returned unchanged, so bad data stays visible rather than vanishing.
 */
export function formatDate(iso: string, lang: Lang): string {
  const date = parseIsoDate(iso);
  if (!date) return iso;
  const parts = (dayFormatters[lang] ??= formatter(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })).formatToParts(utcDate(date));
  return `${part(parts, "day")} ${part(parts, "month")} ${part(parts, "year")}`;
}

/** "25/11/2569" — the short Buddhist-era form used on Thai paper forms. */
export function formatBuddhistDateShort(iso: string): string {
  const date = parseIsoDate(iso);
  if (!date) return iso;
  return `${String(date.day).padStart(2, "0")}/${String(date.month).padStart(2, "0")}/${toBuddhistYear(date.year)}`;
}

/** "25/11/2569" or "5/1/2570" (BE, day first) → "2026-11-25"; null when not a real date. */
export function parseBuddhistDateShort(text: string): string | null {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!match) return null;
  const [day, month, buddhistYear] = match.slice(1).map(Number);
  const iso = toIsoDate({ year: toGregorianYear(buddhistYear), month, day });
  return isIsoDate(iso) ? iso : null;
}

/** Bangkok has kept UTC+7 since 1920 (the clock module's fixed offset); Intl's time-zone data reads earlier instants. */
const FIXED_OFFSET_FROM = Date.UTC(1921, 0, 1);
const FIXED_OFFSET_UNTIL = Date.UTC(9999, 0, 1);
const longMonths: Partial<Record<Lang, string[]>> = {};

/**
 * A timestamp in Bangkok time: "1 มกราคม 2570 03:30 น." / "1 January 2027, 03:30".
 * Accepts an ISO timestamp string or a Date; an unparseable string is returned unchanged.
 * Pages show dozens a render (the inbox, a case's history), so the wall clock is read from the fixed offset and the
 * month's name from Intl once per language; instants before 1921 go through Intl's time-zone data, as all once did.
 */
export function formatDateTime(value: string | Date, lang: Lang): string {
  const date = value instanceof Date ? value : new Date(value);
  const time = date.getTime();
  if (Number.isNaN(time)) return String(value);
  if (time < FIXED_OFFSET_FROM || time >= FIXED_OFFSET_UNTIL) return formatDateTimeByIntl(date, lang);
  const at = bangkokParts(date);
  const month = (longMonths[lang] ??= monthNames(lang))[at.month - 1];
  const year = lang === "th" ? toBuddhistYear(at.year) : at.year;
  const clock = `${String(at.hour).padStart(2, "0")}:${String(at.minute).padStart(2, "0")}`;
  return lang === "th" ? `${at.day} ${month} ${year} ${clock} น.` : `${at.day} ${month} ${year}, ${clock}`;
}

/** formatDateTime's reading through Intl's time-zone data and calendar (exported for the test that compares both). */
export function formatDateTimeByIntl(date: Date, lang: Lang): string {
  const parts = formatter(lang, {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: BANGKOK_TIME_ZONE,
  }).formatToParts(date);
  const day = `${part(parts, "day")} ${part(parts, "month")} ${part(parts, "year")}`;
  const time = `${part(parts, "hour")}:${part(parts, "minute")}`;
  return lang === "th" ? `${day} ${time} น.` : `${day}, ${time}`;
}

/** Today's date in Bangkok as ISO — what "today" means for a Thai office, whatever the server's zone. */
export function todayInBangkok(now: Date = new Date()): string {
  return bangkokDate(now);
}
