import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import holidaysJson from "../../../config/holidays.json";
import { forgetWorkingCalendar, getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import {
  addWorkingDays,
  countedFrom,
  holidayOn,
  isWorkingDay,
  loadWorkingCalendar,
  localDate,
  mergeHolidays,
  workingDaysBetween,
  WorkingCalendarConfigError,
  type WorkingCalendar,
} from "~/core/calendar/working-days";

/** An instant given as Bangkok wall-clock time, e.g. bkk("2026-03-06 17:00"). */
function bkk(local: string): Date {
  return new Date(`${local.replace(" ", "T")}:00+07:00`);
}

const cal = loadWorkingCalendar(holidaysJson);

function plainCalendar(overrides: Partial<WorkingCalendar> = {}): WorkingCalendar {
  return loadWorkingCalendar({
    timezone: "Asia/Bangkok",
    officeHours: { start: "08:30", end: "16:30" },
    workingWeekdays: [1, 2, 3, 4, 5],
    holidays: [],
    ...overrides,
  });
}

function configError(run: () => unknown): WorkingCalendarConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkingCalendarConfigError);
    return error as WorkingCalendarConfigError;
  }
  throw new Error("expected a WorkingCalendarConfigError");
}

describe("the shipped holiday file", () => {
  it("loads and lists holidays for 2025, 2026 and 2027 in date order", () => {
    // given config/holidays.json / when it is loaded
    const years = new Set(cal.holidays.map((h) => h.date.slice(0, 4)));
    // then
    expect([...years]).toEqual(["2025", "2026", "2027"]);
    const dates = cal.holidays.map((h) => h.date);
    expect(dates).toEqual([...dates].sort());
    expect(cal.officeHours).toEqual({ start: "08:30", end: "16:30" });
  });

  it("has the three Songkran days and New Year's Day every year, and no substitution day on a weekend", () => {
    for (const year of ["2025", "2026", "2027"]) {
      for (const day of ["01-01", "04-13", "04-14", "04-15"]) {
        expect(holidayOn(`${year}-${day}`, cal), `${year}-${day}`).toBeDefined();
      }
    }
    for (const h of cal.holidays.filter((h) => h.kind === "substitution")) {
      const weekday = new Date(`${h.date}T00:00:00Z`).getUTCDay();
      expect([1, 2, 3, 4, 5], h.date).toContain(weekday);
    }
  });
});

describe("isWorkingDay", () => {
  it("counts as holidays exactly the days whose key a holiday's date is, even for dates a hand-built calendar gets wrong", () => {
    // Given a calendar built in code (not validated) with canonical dates and malformed ones around them
    const name = { th: "วันหยุด", en: "Holiday" };
    const dates = ["2026-03-03", "2026-02-30", "2026-3-10", "2026-03-17T00:00", " 2026-03-24", "2026-03-31"];
    const handBuilt: WorkingCalendar = { ...cal, holidays: dates.map((date) => ({ date, name })) };
    // Then a day is a working day when it is a working weekday and no holiday's date is its key (holidayOn compares keys)
    const start = Date.UTC(2026, 1, 1);
    for (let d = 0; d < 90; d++) {
      const key = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
      const weekday = new Date(start + d * 86_400_000).getUTCDay();
      const expected = handBuilt.workingWeekdays.includes(weekday) && holidayOn(key, handBuilt) === undefined;
      expect(isWorkingDay(key, handBuilt), key).toBe(expected);
    }
    expect(isWorkingDay("2026-03-03", handBuilt)).toBe(false);
    expect(isWorkingDay("2026-03-02", handBuilt)).toBe(true); // 2026-02-30 is no day, not 2 March
    expect(isWorkingDay("2026-03-10", handBuilt)).toBe(true);
  });

  it("treats weekdays as working days and weekends and holidays as not", () => {
    expect(isWorkingDay("2026-03-09", cal)).toBe(true); // Monday
    expect(isWorkingDay("2026-03-07", cal)).toBe(false); // Saturday
    expect(isWorkingDay("2026-03-08", cal)).toBe(false); // Sunday
    expect(isWorkingDay("2026-04-13", cal)).toBe(false); // Songkran, a Monday
    expect(holidayOn("2026-04-13", cal)?.name.th).toBe("วันสงกรานต์");
  });

  it("reads a Date as the Bangkok day, not the UTC day", () => {
    // given 01:00 on Monday in Bangkok, which is still Sunday in UTC
    const instant = new Date("2026-03-08T18:00:00Z");
    // then
    expect(localDate(instant, cal)).toBe("2026-03-09");
    expect(isWorkingDay(instant, cal)).toBe(true);
  });

  it("rejects a string that is not an ISO date", () => {
    expect(() => isWorkingDay("9/3/2026", cal)).toThrow(/YYYY-MM-DD/);
  });
});

describe("countedFrom (s.10: outside office hours counts from the next working day)", () => {
  it("counts a request received on Friday at 17:00 from Monday at 08:30", () => {
    // given Friday 6 March 2026, after closing
    const receivedAt = bkk("2026-03-06 17:00");
    // when / then
    expect(countedFrom(receivedAt, cal)).toEqual(bkk("2026-03-09 08:30"));
  });

  it("counts a request received on Saturday from Monday at 08:30", () => {
    expect(countedFrom(bkk("2026-03-07 10:00"), cal)).toEqual(bkk("2026-03-09 08:30"));
  });

  it("counts a request received before 08:30 on a working day from 08:30 that day", () => {
    expect(countedFrom(bkk("2026-03-10 07:15"), cal)).toEqual(bkk("2026-03-10 08:30"));
    // 01:00 Bangkok is the previous UTC day: still the same Bangkok day's opening
    expect(countedFrom(new Date("2026-03-08T18:00:00Z"), cal)).toEqual(bkk("2026-03-09 08:30"));
  });

  it("counts a request received inside office hours from the moment it was received", () => {
    const receivedAt = new Date("2026-03-10T09:29:59.123Z"); // 16:29:59.123 Bangkok
    expect(countedFrom(receivedAt, cal)).toEqual(receivedAt);
  });

  it("treats closing time itself (16:30) as outside office hours", () => {
    expect(countedFrom(bkk("2026-03-10 16:30"), cal)).toEqual(bkk("2026-03-11 08:30"));
  });

  it("skips a holiday: received during Songkran (Mon 13 April 2026) counts from Thursday", () => {
    // given Songkran is Mon 13 – Wed 15 April 2026
    expect(countedFrom(bkk("2026-04-13 09:00"), cal)).toEqual(bkk("2026-04-16 08:30"));
    // and a request on the Friday evening before waits through the weekend and Songkran
    expect(countedFrom(bkk("2026-04-10 18:00"), cal)).toEqual(bkk("2026-04-16 08:30"));
  });

  it("skips a long weekend with a substitution day (Visakha Bucha on Sunday 31 May 2026)", () => {
    // given Visakha Bucha falls on Sunday, so Monday 1 June is a substitution day
    expect(holidayOn("2026-06-01", cal)?.kind).toBe("substitution");
    // when a request arrives on Friday 29 May after closing
    const start = countedFrom(bkk("2026-05-29 16:45"), cal);
    // then it counts from Tuesday 2 June
    expect(start).toEqual(bkk("2026-06-02 08:30"));
  });
});

describe("addWorkingDays (due at the close of the Nth working day; the counted-from day is day 1)", () => {
  it("makes a 1-day limit counted from Monday due on Monday at 16:30", () => {
    expect(addWorkingDays(bkk("2026-03-09 08:30"), 1, cal)).toEqual(bkk("2026-03-09 16:30"));
    expect(addWorkingDays(bkk("2026-03-09 14:00"), 1, cal)).toEqual(bkk("2026-03-09 16:30"));
  });

  it("crosses a weekend: 3 days from Thursday are due on Monday", () => {
    // Thu 12 (1), Fri 13 (2), Mon 16 (3)
    expect(addWorkingDays(bkk("2026-03-12 11:00"), 3, cal)).toEqual(bkk("2026-03-16 16:30"));
  });

  it("starts from the next working day when received outside office hours", () => {
    // received Fri 6 March 17:00 → counted from Mon 9 March, day 1 = Monday
    expect(addWorkingDays(bkk("2026-03-06 17:00"), 1, cal)).toEqual(bkk("2026-03-09 16:30"));
  });

  it("skips Songkran: 5 days from Thursday 9 April 2026 are due on Monday 20 April", () => {
    // Thu 9 (1), Fri 10 (2), Mon 13–Wed 15 Songkran, Thu 16 (3), Fri 17 (4), Mon 20 (5)
    expect(addWorkingDays(bkk("2026-04-09 10:00"), 5, cal)).toEqual(bkk("2026-04-20 16:30"));
  });

  it("skips a substitution day and a holiday in the same week", () => {
    // received Fri 29 May 17:00 → Tue 2 June (1), Wed 3 June is the Queen's birthday,
    // Thu 4 (2), Fri 5 (3)
    expect(addWorkingDays(bkk("2026-05-29 17:00"), 3, cal)).toEqual(bkk("2026-06-05 16:30"));
  });

  it("runs over the New Year holidays into the next year", () => {
    // Tue 30 Dec 2025 (1), Wed 31 Dec, Thu 1 Jan, Fri 2 Jan are holidays, Mon 5 Jan (2)
    expect(addWorkingDays(bkk("2025-12-30 15:00"), 2, cal)).toEqual(bkk("2026-01-05 16:30"));
  });

  it("returns the counted-from instant for a limit of 0 days and rejects negative or fractional limits", () => {
    expect(addWorkingDays(bkk("2026-03-07 10:00"), 0, cal)).toEqual(bkk("2026-03-09 08:30"));
    expect(() => addWorkingDays(bkk("2026-03-09 10:00"), -1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(bkk("2026-03-09 10:00"), 1.5, cal)).toThrow(RangeError);
  });

  it("starts day 1 on the following working day when countedDayIsDayOne is false", () => {
    // given the Administrative Procedure Act s.64 reading
    const nextDay = { ...cal, countedDayIsDayOne: false };
    // then Mon 10:00 with 1 day is due Tue, and Thu with 3 days is due Tue
    expect(addWorkingDays(bkk("2026-03-09 10:00"), 1, nextDay)).toEqual(bkk("2026-03-10 16:30"));
    expect(addWorkingDays(bkk("2026-03-12 11:00"), 3, nextDay)).toEqual(bkk("2026-03-17 16:30"));
  });
});

describe("workingDaysBetween", () => {
  it("counts working days after the first date up to and including the second", () => {
    expect(workingDaysBetween(bkk("2026-03-09 08:30"), bkk("2026-03-09 16:00"), cal)).toBe(0);
    expect(workingDaysBetween(bkk("2026-03-06 10:00"), bkk("2026-03-09 09:00"), cal)).toBe(1);
    // Fri 10 April → Thu 16 April: only Thursday, Songkran and the weekend are skipped
    expect(workingDaysBetween(bkk("2026-04-10 10:00"), bkk("2026-04-16 10:00"), cal)).toBe(1);
  });

  it("is negative when the second date is earlier", () => {
    expect(workingDaysBetween(bkk("2026-03-16 10:00"), bkk("2026-03-12 10:00"), cal)).toBe(-2);
  });

  it("agrees with addWorkingDays: the due day is N-1 working days after the counted-from day", () => {
    for (const received of ["2026-03-06 17:00", "2026-04-09 10:00", "2026-05-29 17:00", "2025-12-30 15:00"]) {
      for (const days of [1, 2, 5, 15, 30]) {
        const start = countedFrom(bkk(received), cal);
        const due = addWorkingDays(bkk(received), days, cal);
        expect(workingDaysBetween(start, due, cal), `${received} + ${days}`).toBe(days - 1);
        expect(isWorkingDay(due, cal)).toBe(true);
      }
    }
  });
});

describe("mergeHolidays", () => {
  it("adds an agency's own day without changing the national calendar", () => {
    // given an agency closes on Tue 10 March 2026 for a provincial festival
    const agency = mergeHolidays(cal, [
      { date: "2026-03-10", kind: "agency", name: { th: "งานประจำปีจังหวัด", en: "Provincial festival" } },
    ]);
    // then that day is skipped for the agency only
    expect(isWorkingDay("2026-03-10", agency)).toBe(false);
    expect(isWorkingDay("2026-03-10", cal)).toBe(true);
    expect(countedFrom(bkk("2026-03-09 17:00"), agency)).toEqual(bkk("2026-03-11 08:30"));
    expect(agency.holidays.length).toBe(cal.holidays.length + 1);
  });

  it("drops an exact duplicate and rejects a bad extra day, naming it", () => {
    const same = mergeHolidays(cal, [cal.holidays[0]!]);
    expect(same.holidays.length).toBe(cal.holidays.length);
    const error = configError(() =>
      mergeHolidays(cal, [{ date: "2026-3-10", name: { th: "x", en: "x" } }]),
    );
    expect(error.field).toBe("extra[0].date");
  });
});

describe("loadWorkingCalendar", () => {
  const valid = {
    timezone: "Asia/Bangkok",
    officeHours: { start: "08:30", end: "16:30" },
    workingWeekdays: [1, 2, 3, 4, 5],
    holidays: [{ date: "2026-01-01", name: { th: "วันขึ้นปีใหม่", en: "New Year's Day" } }],
  };

  it("accepts a minimal valid calendar", () => {
    expect(loadWorkingCalendar(valid).holidays).toHaveLength(1);
    expect(plainCalendar().countedDayIsDayOne).toBeUndefined();
  });

  it.each([
    ["not an object", "[]", "(root)"],
    ["an unsupported time zone", { ...valid, timezone: "Europe/London" }, "timezone"],
    ["a missing time zone", { ...valid, timezone: undefined }, "timezone"],
    ["missing office hours", { ...valid, officeHours: undefined }, "officeHours"],
    ["a malformed opening time", { ...valid, officeHours: { start: "8:30", end: "16:30" } }, "officeHours.start"],
    ["closing before opening", { ...valid, officeHours: { start: "16:30", end: "08:30" } }, "officeHours.end"],
    ["no working weekdays", { ...valid, workingWeekdays: [] }, "workingWeekdays"],
    ["a weekday out of range", { ...valid, workingWeekdays: [1, 2, 7] }, "workingWeekdays[2]"],
    ["a repeated weekday", { ...valid, workingWeekdays: [1, 1] }, "workingWeekdays[1]"],
    ["holidays not an array", { ...valid, holidays: {} }, "holidays"],
    ["an impossible date", { ...valid, holidays: [...valid.holidays, { date: "2026-02-30", name: valid.holidays[0]!.name }] }, "holidays[1].date"],
    ["a holiday without a Thai name", { ...valid, holidays: [{ date: "2026-01-01", name: { th: " ", en: "x" } }] }, "holidays[0].name.th"],
    ["a holiday without a name", { ...valid, holidays: [{ date: "2026-01-01" }] }, "holidays[0].name"],
    ["a non-boolean provisional flag", { ...valid, holidays: [{ ...valid.holidays[0], provisional: "yes" }] }, "holidays[0].provisional"],
    ["a non-boolean countedDayIsDayOne", { ...valid, countedDayIsDayOne: 1 }, "countedDayIsDayOne"],
  ])("rejects %s, naming the field", (_what, json, field) => {
    // given a bad configuration / when it is loaded
    const error = configError(() => loadWorkingCalendar(json === "[]" ? [] : json));
    // then the error names the field
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });
});

describe("getWorkingCalendar (server)", () => {
  const saved = process.env.BORIKAN_HOLIDAYS_FILE;
  afterEach(() => {
    if (saved === undefined) delete process.env.BORIKAN_HOLIDAYS_FILE;
    else process.env.BORIKAN_HOLIDAYS_FILE = saved;
    forgetWorkingCalendar();
  });

  it("reads config/holidays.json by default and caches it", () => {
    delete process.env.BORIKAN_HOLIDAYS_FILE;
    const first = getWorkingCalendar();
    expect(first.holidays.length).toBe(cal.holidays.length);
    expect(getWorkingCalendar()).toBe(first);
  });

  it("reads the file named by BORIKAN_HOLIDAYS_FILE and names the bad field when it is invalid", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "borikan-cal-"));
    try {
      const good = path.join(dir, "good.json");
      writeFileSync(good, JSON.stringify({ ...holidaysJson, holidays: [] }));
      process.env.BORIKAN_HOLIDAYS_FILE = good;
      expect(getWorkingCalendar().holidays).toEqual([]);

      const bad = path.join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ ...holidaysJson, workingWeekdays: "Mon-Fri" }));
      process.env.BORIKAN_HOLIDAYS_FILE = bad;
      expect(() => getWorkingCalendar()).toThrow(/bad\.json: .*workingWeekdays/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
