/**
 * Thai working-day calendar (pure: no I/O, the calendar is always passed in).
 *
 * Electronic Government Administration Act B.E. 2565 s.10: a request is received when it enters
 * the system; one that arrives outside office hours counts from the next working day. Service
 * time limits are stated in working days.
 *
 * Times are computed on a fixed UTC offset. Asia/Bangkok is UTC+7 all year (no DST), so a fixed
 * offset is exact and keeps this module free of time-zone database look-ups.
 */
import type { LocalizedText } from "../text";

export type Holiday = {
  /** Gregorian local date, "YYYY-MM-DD". */
  date: string;
  name: LocalizedText;
  /** Informational: fixed | lunar | substitution | special | royal | agency … */
  kind?: string;
  /** True when the date is a best estimate still to be confirmed by the official announcement. */
  provisional?: boolean;
};

export type WorkingCalendar = {
  timezone: "Asia/Bangkok";
  /** Local "HH:MM", 24-hour; a request is inside office hours when start <= time < end. */
  officeHours: { start: string; end: string };
  /** 0 = Sunday … 6 = Saturday (JavaScript's getDay numbering). */
  workingWeekdays: number[];
  holidays: Holiday[];
  /**
   * Which working day is "day 1" of a time limit (see addWorkingDays). Default true: the day the
   * request counts from is day 1. Set false for the Administrative Procedure Act s.64 reading
   * ("start counting on the day after the first day"), where day 1 is the next working day.
   */
  countedDayIsDayOne?: boolean;
};

/** Time zones whose offset never changes; only these can be computed with a fixed offset. */
const FIXED_OFFSET_MINUTES: Record<WorkingCalendar["timezone"], number> = {
  "Asia/Bangkok": 7 * 60,
};

const MINUTE = 60_000;
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Local-day arithmetic. A "day number" is the count of local days since 1970-01-01.

function offsetMs(cal: WorkingCalendar): number {
  return FIXED_OFFSET_MINUTES[cal.timezone] * MINUTE;
}

function localDayNumber(instant: Date, cal: WorkingCalendar): number {
  return Math.floor((instant.getTime() + offsetMs(cal)) / DAY);
}

/** Milliseconds since local midnight. */
function localTimeOfDay(instant: Date, cal: WorkingCalendar): number {
  const local = instant.getTime() + offsetMs(cal);
  return local - Math.floor(local / DAY) * DAY;
}

function dayKey(dayNumber: number): string {
  return new Date(dayNumber * DAY).toISOString().slice(0, 10);
}

function dayNumberOfKey(key: string): number {
  return Date.UTC(+key.slice(0, 4), +key.slice(5, 7) - 1, +key.slice(8, 10)) / DAY;
}

function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function hhmmToMs(hhmm: string): number {
  return (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MINUTE;
}

/** The instant at local time `hhmm` on local day `dayNumber`. */
function instantAt(dayNumber: number, hhmm: string, cal: WorkingCalendar): Date {
  return new Date(dayNumber * DAY + hhmmToMs(hhmm) - offsetMs(cal));
}

// Holiday look-ups are by far the hottest path; keep one Set per holidays array. Calendars are
// treated as immutable: change one with mergeHolidays (a new array), never by pushing onto it.
// The set holds day numbers, not "YYYY-MM-DD" keys: formatting each day scanned as a key (toISOString) was most of
// a filing's deadline arithmetic (decision 029). Only a date that is its own day's key can equal dayKey(n), so
// only those enter the set: the same days match as when keys were compared.
const holidaySets = new WeakMap<readonly Holiday[], Set<number>>();
function holidaySet(cal: WorkingCalendar): Set<number> {
  let set = holidaySets.get(cal.holidays);
  if (!set) {
    set = new Set();
    for (const { date } of cal.holidays) {
      const day = Date.parse(`${date}T00:00:00.000Z`) / DAY;
      if (Number.isInteger(day) && dayKey(day) === date) set.add(day);
    }
    holidaySets.set(cal.holidays, set);
  }
  return set;
}

function isWorkingDayNumber(dayNumber: number, cal: WorkingCalendar): boolean {
  return cal.workingWeekdays.includes(weekdayOf(dayNumber)) && !holidaySet(cal).has(dayNumber);
}

// A calendar with no working days in a year is a configuration error, not an endless loop.
const MAX_SCAN_DAYS = 366;
function nextWorkingDayNumber(afterDayNumber: number, cal: WorkingCalendar): number {
  for (let d = afterDayNumber + 1; d <= afterDayNumber + MAX_SCAN_DAYS; d++) {
    if (isWorkingDayNumber(d, cal)) return d;
  }
  throw new Error(`No working day within ${MAX_SCAN_DAYS} days after ${dayKey(afterDayNumber)}`);
}

function toDayNumber(date: Date | string, cal: WorkingCalendar): number {
  if (typeof date === "string") {
    if (!isIsoDate(date)) throw new Error(`Not an ISO date "YYYY-MM-DD": ${JSON.stringify(date)}`);
    return dayNumberOfKey(date);
  }
  return localDayNumber(date, cal);
}

// ---------------------------------------------------------------------------------------------
// Public API

/** The local date ("YYYY-MM-DD", Gregorian) of an instant in the calendar's time zone. */
export function localDate(instant: Date, cal: WorkingCalendar): string {
  return dayKey(localDayNumber(instant, cal));
}

/**
 * Whether a day is a working day: a working weekday that is not a holiday. A Date is read as the
 * local day it falls on in the calendar's time zone; a string must be "YYYY-MM-DD".
 */
export function isWorkingDay(date: Date | string, cal: WorkingCalendar): boolean {
  return isWorkingDayNumber(toDayNumber(date, cal), cal);
}

/** The holiday on a day, if any (the first one listed when several share the date). */
export function holidayOn(date: Date | string, cal: WorkingCalendar): Holiday | undefined {
  const key = dayKey(toDayNumber(date, cal));
  return cal.holidays.find((h) => h.date === key);
}

/**
 * When the time limit of a request received at `receivedAt` starts to run (s.10):
 * - on a working day inside office hours (start <= time < end) → `receivedAt` itself;
 * - on a working day before opening → that day's opening time;
 * - otherwise (after closing, at closing time exactly, on a weekend or holiday) → the opening
 *   time of the next working day.
 */
export function countedFrom(receivedAt: Date, cal: WorkingCalendar): Date {
  const day = localDayNumber(receivedAt, cal);
  if (isWorkingDayNumber(day, cal)) {
    const time = localTimeOfDay(receivedAt, cal);
    if (time < hhmmToMs(cal.officeHours.start)) return instantAt(day, cal.officeHours.start, cal);
    if (time < hhmmToMs(cal.officeHours.end)) return new Date(receivedAt.getTime());
  }
  return instantAt(nextWorkingDayNumber(day, cal), cal.officeHours.start, cal);
}

/**
 * The due instant of a time limit of `days` working days for a request received at `from`.
 *
 * Rule ("within N working days" = by the close of the Nth working day):
 * 1. Find the counted-from instant with countedFrom(from).
 * 2. The working day it falls on is day 1 (by default; see `countedDayIsDayOne`), whatever the
 *    time on that day. Each following working day adds one; weekends and holidays are skipped.
 * 3. The limit ends at the close of office hours (officeHours.end) of day N.
 *
 * Examples with office hours 08:30–16:30, Mon–Fri, no holidays:
 * - received Mon 10:00, 1 day  → due Mon 16:30
 * - received Mon 10:00, 3 days → due Wed 16:30
 * - received Fri 17:00, 1 day  → counted from Mon 08:30 → due Mon 16:30
 * - received Thu 11:00, 3 days → due Mon 16:30 (Thu, Fri, Mon)
 * With `countedDayIsDayOne: false`, day 1 is the working day after the counted-from day, so each
 * due date above moves one working day later.
 * `days` = 0 means "immediately": the counted-from instant is returned.
 */
export function addWorkingDays(from: Date, days: number, cal: WorkingCalendar): Date {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`days must be a whole number >= 0 (got ${days})`);
  }
  const start = countedFrom(from, cal);
  if (days === 0) return start;
  let day = localDayNumber(start, cal);
  if (cal.countedDayIsDayOne === false) day = nextWorkingDayNumber(day, cal);
  for (let n = 1; n < days; n++) day = nextWorkingDayNumber(day, cal);
  return instantAt(day, cal.officeHours.end, cal);
}

/**
 * Whole working days between two instants, for "elapsed" and "overdue by" displays: the number of
 * working days d with localDate(from) < d <= localDate(to). The same local day gives 0; Friday to
 * the next Monday gives 1; negative when `to` is before `from`. Times of day are ignored.
 * Elapsed working days since a request counted from day X, shown as "day k of N", is this + 1;
 * a case due on D and still open on T is overdue by workingDaysBetween(D, T) working days.
 */
export function workingDaysBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  const a = localDayNumber(from, cal);
  const b = localDayNumber(to, cal);
  if (b < a) return -workingDaysBetween(to, from, cal);
  let count = 0;
  for (let d = a + 1; d <= b; d++) if (isWorkingDayNumber(d, cal)) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Loading and validating configuration

/** A calendar configuration that does not have the expected shape. `field` is a path like holidays[3].date. */
export class WorkingCalendarConfigError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid working calendar: ${field} ${problem}`);
    this.name = "WorkingCalendarConfigError";
  }
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  // Reject 2026-02-30 and friends: the date must survive a round trip.
  return dayKey(dayNumberOfKey(value)) === value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function readHhmm(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) {
    throw new WorkingCalendarConfigError(field, `must be a time "HH:MM" (got ${show(value)})`);
  }
  return value;
}

function readText(value: unknown, field: string): LocalizedText {
  if (!isObject(value)) {
    throw new WorkingCalendarConfigError(field, `must be an object { th, en } (got ${show(value)})`);
  }
  for (const lang of ["th", "en"] as const) {
    const text = value[lang];
    if (typeof text !== "string" || text.trim() === "") {
      throw new WorkingCalendarConfigError(`${field}.${lang}`, `must be a non-empty string (got ${show(text)})`);
    }
  }
  return { th: value.th as string, en: value.en as string };
}

function readHolidays(value: unknown, field: string): Holiday[] {
  if (!Array.isArray(value)) {
    throw new WorkingCalendarConfigError(field, `must be an array (got ${show(value)})`);
  }
  return value.map((item: unknown, i): Holiday => {
    const at = `${field}[${i}]`;
    if (!isObject(item)) throw new WorkingCalendarConfigError(at, `must be an object (got ${show(item)})`);
    if (typeof item.date !== "string" || !isIsoDate(item.date)) {
      throw new WorkingCalendarConfigError(
        `${at}.date`,
        `must be a real Gregorian date "YYYY-MM-DD" (got ${show(item.date)})`,
      );
    }
    const holiday: Holiday = { date: item.date, name: readText(item.name, `${at}.name`) };
    if (item.kind !== undefined) {
      if (typeof item.kind !== "string") {
        throw new WorkingCalendarConfigError(`${at}.kind`, `must be a string (got ${show(item.kind)})`);
      }
      holiday.kind = item.kind;
    }
    if (item.provisional !== undefined) {
      if (typeof item.provisional !== "boolean") {
        throw new WorkingCalendarConfigError(`${at}.provisional`, `must be true or false (got ${show(item.provisional)})`);
      }
      holiday.provisional = item.provisional;
    }
    return holiday;
  });
}

function byDate(a: Holiday, b: Holiday): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/**
 * Validates parsed JSON (see config/holidays.json) and returns a WorkingCalendar. Throws a
 * WorkingCalendarConfigError naming the first bad field. Keys starting with "_" are comments.
 */
export function loadWorkingCalendar(json: unknown): WorkingCalendar {
  if (!isObject(json)) throw new WorkingCalendarConfigError("(root)", `must be an object (got ${show(json)})`);

  const timezone = json.timezone;
  if (typeof timezone !== "string" || !(timezone in FIXED_OFFSET_MINUTES)) {
    throw new WorkingCalendarConfigError(
      "timezone",
      `must be one of ${Object.keys(FIXED_OFFSET_MINUTES).join(", ")} (got ${show(timezone)})`,
    );
  }

  if (!isObject(json.officeHours)) {
    throw new WorkingCalendarConfigError("officeHours", `must be an object { start, end } (got ${show(json.officeHours)})`);
  }
  const start = readHhmm(json.officeHours.start, "officeHours.start");
  const end = readHhmm(json.officeHours.end, "officeHours.end");
  if (end <= start) {
    throw new WorkingCalendarConfigError("officeHours.end", `must be later than officeHours.start (${start}–${end})`);
  }

  const weekdays = json.workingWeekdays;
  if (!Array.isArray(weekdays) || weekdays.length === 0) {
    throw new WorkingCalendarConfigError("workingWeekdays", `must be a non-empty array of 0–6 (got ${show(weekdays)})`);
  }
  weekdays.forEach((d: unknown, i) => {
    if (!Number.isInteger(d) || (d as number) < 0 || (d as number) > 6) {
      throw new WorkingCalendarConfigError(
        `workingWeekdays[${i}]`,
        `must be a weekday number 0–6, 0 = Sunday (got ${show(d)})`,
      );
    }
    if (weekdays.indexOf(d) !== i) {
      throw new WorkingCalendarConfigError(`workingWeekdays[${i}]`, `repeats ${show(d)}`);
    }
  });

  const countedDayIsDayOne = json.countedDayIsDayOne;
  if (countedDayIsDayOne !== undefined && typeof countedDayIsDayOne !== "boolean") {
    throw new WorkingCalendarConfigError("countedDayIsDayOne", `must be true or false (got ${show(countedDayIsDayOne)})`);
  }

  const calendar: WorkingCalendar = {
    timezone: timezone as WorkingCalendar["timezone"],
    officeHours: { start, end },
    workingWeekdays: [...(weekdays as number[])].sort((a, b) => a - b),
    holidays: readHolidays(json.holidays, "holidays").sort(byDate),
  };
  if (countedDayIsDayOne !== undefined) calendar.countedDayIsDayOne = countedDayIsDayOne;
  return calendar;
}

/**
 * A new calendar with an agency's own days added (e.g. a provincial festival). `extra` is
 * validated like the file (it may come from an agency's own settings); an entry with the same date and English name as an existing one is
 * dropped. The input calendar is not modified.
 */
export function mergeHolidays(cal: WorkingCalendar, extra: readonly Holiday[]): WorkingCalendar {
  const added = readHolidays(extra, "extra");
  const seen = new Set(cal.holidays.map((h) => `${h.date}|${h.name.en}`));
  const holidays = [...cal.holidays];
  for (const h of added) {
    const key = `${h.date}|${h.name.en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    holidays.push(h);
  }
  return { ...cal, holidays: holidays.sort(byDate) };
}
