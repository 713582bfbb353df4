import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../scripts/seeded-random";
import {
  daysInMonth,
  formatBuddhistDateShort,
  formatDate,
  formatDateTime,
  formatDateTimeByIntl,
  isIsoDate,
  monthNames,
  parseBuddhistDateShort,
  todayInBangkok,
  toBuddhistYear,
  toGregorianYear,
} from "~/core/thai/buddhist-date";

describe("Buddhist-era dates", () => {
  it("converts years both ways with the 543-year offset", () => {
    expect(toBuddhistYear(2026)).toBe(2569);
    expect(toGregorianYear(2569)).toBe(2026);
  });

  it("shows an ISO date in Thai with the BE year and in English with the Gregorian year", () => {
    expect(formatDate("2026-11-25", "th")).toBe("25 พฤศจิกายน 2569");
    expect(formatDate("2026-11-25", "en")).toBe("25 November 2026");
  });

  it("formats and parses the short BE form dd/mm/yyyy", () => {
    expect(formatBuddhistDateShort("2026-11-25")).toBe("25/11/2569");
    expect(formatBuddhistDateShort("2027-01-05")).toBe("05/01/2570");
    expect(parseBuddhistDateShort("25/11/2569")).toBe("2026-11-25");
    expect(parseBuddhistDateShort("5/1/2570")).toBe("2027-01-05");
  });

  it("round-trips the leap day of a leap year and rejects it otherwise", () => {
    expect(formatBuddhistDateShort("2024-02-29")).toBe("29/02/2567");
    expect(parseBuddhistDateShort("29/02/2567")).toBe("2024-02-29");
    expect(formatDate("2024-02-29", "th")).toBe("29 กุมภาพันธ์ 2567");
    expect(parseBuddhistDateShort("29/02/2569")).toBeNull(); // 2026 is not a leap year
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2000-02-29")).toBe(true); // divisible by 400
    expect(isIsoDate("1900-02-29")).toBe(false); // divisible by 100 only
  });

  it("crosses the year boundary: 31 Dec 2569 is followed by 1 Jan 2570", () => {
    expect(formatDate("2026-12-31", "th")).toBe("31 ธันวาคม 2569");
    expect(formatDate("2027-01-01", "th")).toBe("1 มกราคม 2570");
    expect(parseBuddhistDateShort("31/12/2569")).toBe("2026-12-31");
    expect(parseBuddhistDateShort("01/01/2570")).toBe("2027-01-01");
  });

  it("rejects malformed and impossible input", () => {
    expect(parseBuddhistDateShort("2569-11-25")).toBeNull();
    expect(parseBuddhistDateShort("32/01/2570")).toBeNull();
    expect(parseBuddhistDateShort("01/13/2570")).toBeNull();
    expect(isIsoDate("2026-1-5")).toBe(false);
    expect(formatDate("not a date", "th")).toBe("not a date");
  });

  it("knows month lengths", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it("names the months in Thai and English", () => {
    expect(monthNames("th")[0]).toBe("มกราคม");
    expect(monthNames("th")[11]).toBe("ธันวาคม");
    expect(monthNames("en")[10]).toBe("November");
    expect(monthNames("th", "short")[10]).toBe("พ.ย.");
  });

  it("shows timestamps in Bangkok time, which can already be the next BE year", () => {
    // 20:30 UTC on 31 Dec 2026 is 03:30 on 1 Jan 2027 in Bangkok (UTC+7).
    expect(formatDateTime("2026-12-31T20:30:00Z", "th")).toBe("1 มกราคม 2570 03:30 น.");
    expect(formatDateTime("2026-12-31T20:30:00Z", "en")).toBe("1 January 2027, 03:30");
    expect(formatDateTime(new Date("2026-11-25T02:05:00Z"), "th")).toBe("25 พฤศจิกายน 2569 09:05 น.");
    expect(formatDateTime("garbage", "en")).toBe("garbage");
  });

  it("reads timestamps from the fixed offset exactly as Intl's time-zone data and calendar do", () => {
    const rnd = seededRandom(7);
    const from = Date.UTC(1921, 0, 1);
    const until = Date.UTC(2300, 0, 1);
    const instants = Array.from({ length: 4000 }, () => new Date(from + Math.floor(rnd() * (until - from))));
    // Around Bangkok's midnight (17:00 UTC) at a year's and a leap day's end, and the first instant read by offset.
    for (const edge of ["2026-12-31T16:59:59.999Z", "2026-12-31T17:00:00Z", "2028-02-28T17:00:00Z", "2028-02-29T16:59:00Z", "1921-01-01T00:00:00Z"]) {
      instants.push(new Date(edge));
    }
    for (const lang of ["th", "en"] as const) {
      for (const instant of instants) expect(formatDateTime(instant, lang), instant.toISOString()).toBe(formatDateTimeByIntl(instant, lang));
    }
    // Before 1921 Bangkok's clock was not UTC+7: read through Intl.
    const early = new Date("1900-06-01T12:00:00Z");
    expect(formatDateTime(early, "en")).toBe(formatDateTimeByIntl(early, "en"));
  });

  it("takes today's date in Bangkok, not the server's zone", () => {
    expect(todayInBangkok(new Date("2026-12-31T17:00:00Z"))).toBe("2027-01-01");
    expect(todayInBangkok(new Date("2026-12-31T16:59:59Z"))).toBe("2026-12-31");
  });
});
