import { describe, expect, it } from "vitest";
import { letterNumber, letterSequenceName, trackingNumber, trackingSequenceName } from "~/core/numbering/document-numbers";
import { addCalendarDays, bangkokDate, bangkokParts, bangkokYear, calendarDaysBetween, startOfBangkokDay, thaiFiscalYear } from "~/core/time/bangkok-clock";
import { latestExpiry } from "~/core/api-keys";

// 00:30 on 1 January 2027 in Bangkok is still 31 December 2026 in UTC.
const NEW_YEAR_NIGHT = new Date("2026-12-31T17:30:00Z");

describe("the Bangkok clock", () => {
  it("reads the new year in Bangkok while UTC is still in the old one", () => {
    expect(NEW_YEAR_NIGHT.getUTCFullYear()).toBe(2026);
    expect(bangkokYear(NEW_YEAR_NIGHT)).toBe(2027);
    expect(bangkokDate(NEW_YEAR_NIGHT)).toBe("2027-01-01");
    expect(bangkokParts(NEW_YEAR_NIGHT)).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 30, weekday: 5 });
    // One minute before midnight in Bangkok it is still the old year.
    expect(bangkokYear(new Date("2026-12-31T16:59:00Z"))).toBe(2026);
  });

  it("numbers a result letter issued at 00:30 on 1 January in the new year's series", () => {
    expect(letterSequenceName("sukjai", NEW_YEAR_NIGHT)).toBe("letter:sukjai:2570");
    expect(letterNumber("SKJ", NEW_YEAR_NIGHT, 1)).toBe("SKJ-L-2570-00001");
    expect(letterNumber("SKJ", new Date("2026-12-31T16:59:59Z"), 812)).toBe("SKJ-L-2569-00812");
    expect(trackingSequenceName("sukjai", NEW_YEAR_NIGHT)).toBe("tracking:sukjai:2570");
    expect(trackingNumber("SKJ", NEW_YEAR_NIGHT, 7)).toBe("SKJ-2570-000007");
  });

  it("names the fiscal year after the year it ends in: October starts the next one", () => {
    expect(thaiFiscalYear(new Date("2026-09-30T16:59:59Z"))).toBe(2569); // 23:59:59 on 30 September, Bangkok
    expect(thaiFiscalYear(new Date("2026-09-30T17:00:00Z"))).toBe(2570); // 00:00 on 1 October, Bangkok
    expect(thaiFiscalYear(NEW_YEAR_NIGHT)).toBe(2570);
  });

  it("counts calendar days between Bangkok days, and finds a day's start", () => {
    expect(startOfBangkokDay("2027-01-01").toISOString()).toBe("2026-12-31T17:00:00.000Z");
    expect(addCalendarDays("2026-12-28", 7)).toBe("2027-01-04");
    expect(addCalendarDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(calendarDaysBetween(new Date("2026-12-31T16:00:00Z"), NEW_YEAR_NIGHT)).toBe(1);
    expect(calendarDaysBetween(NEW_YEAR_NIGHT, new Date("2027-01-01T16:59:00Z"))).toBe(0);
  });

  it("ends an API key's longest life at the end of a Bangkok day", () => {
    const expiry = latestExpiry(NEW_YEAR_NIGHT);
    expect(bangkokParts(expiry)).toMatchObject({ hour: 23, minute: 59 });
    expect(bangkokDate(expiry) > "2027-01-01").toBe(true);
  });
});
