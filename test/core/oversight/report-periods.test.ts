import { describe, expect, it } from "vitest";
import { parsePeriodNumber, periodAt, periodKey, periodLabel, reportPeriod, REPORT_EPOCH_DAY } from "~/core/oversight/report-periods";

/** An instant on the Bangkok wall clock. */
const bkk = (local: string) => new Date(`${local}+07:00`);

describe("the periods of s.22 notices, in Bangkok time", () => {
  it("period 1 of both kinds starts at 00:00 Bangkok on the epoch day", () => {
    expect(REPORT_EPOCH_DAY).toBe("2025-10-01");
    expect(periodAt("progress", bkk("2025-10-01T00:00:00"))?.number).toBe(1);
    expect(periodAt("report", bkk("2025-10-01T00:00:00"))?.number).toBe(1);
    expect(reportPeriod("progress", 1).startsAt.toISOString()).toBe("2025-09-30T17:00:00.000Z");
  });

  it("one second before the epoch (23:59:59 Bangkok, 30 September) has no period", () => {
    expect(periodAt("progress", bkk("2025-09-30T23:59:59"))).toBeNull();
    expect(periodAt("report", bkk("2025-09-30T23:59:59"))).toBeNull();
  });

  it("a progress period is 15 Bangkok days: the 15th day is the last of period 1, the 16th opens period 2", () => {
    expect(periodAt("progress", bkk("2025-10-15T23:59:59"))?.number).toBe(1);
    expect(periodAt("progress", bkk("2025-10-16T00:00:00"))?.number).toBe(2);
    expect(reportPeriod("progress", 1)).toMatchObject({ firstDay: "2025-10-01", lastDay: "2025-10-15" });
    expect(reportPeriod("progress", 2)).toMatchObject({ firstDay: "2025-10-16", lastDay: "2025-10-30" });
  });

  it("the day is Bangkok's, not UTC's: 00:30 on 16 October in Bangkok is still 15 October in UTC", () => {
    const instant = bkk("2025-10-16T00:30:00");
    expect(instant.toISOString().slice(0, 10)).toBe("2025-10-15");
    expect(periodAt("progress", instant)?.number).toBe(2);
    // …and 23:30 on 15 October in Bangkok is 16:30 UTC the same day: period 1.
    expect(periodAt("progress", bkk("2025-10-15T23:30:00"))?.number).toBe(1);
  });

  it("a report period is 60 days: 29 November is the last day of period 1, 30 November opens period 2", () => {
    expect(reportPeriod("report", 1)).toMatchObject({ firstDay: "2025-10-01", lastDay: "2025-11-29" });
    expect(periodAt("report", bkk("2025-11-29T23:59:59"))?.number).toBe(1);
    expect(periodAt("report", bkk("2025-11-30T00:00:00"))?.number).toBe(2);
  });

  it("periods run on across years (a leap day included): 1 March 2028", () => {
    // 2025-10-01 → 2028-03-01 is 882 days (29 February 2028 included): progress period 59, report period 15.
    expect(periodAt("progress", bkk("2028-03-01T12:00:00"))?.number).toBe(59);
    expect(periodAt("report", bkk("2028-03-01T12:00:00"))?.number).toBe(15);
    const p = reportPeriod("report", 15);
    expect(p.firstDay <= "2028-03-01" && "2028-03-01" <= p.lastDay).toBe(true);
  });

  it("consecutive periods meet: the end of one is the start of the next", () => {
    for (let n = 1; n < 30; n++) expect(reportPeriod("progress", n).endsAt.getTime()).toBe(reportPeriod("progress", n + 1).startsAt.getTime());
  });

  it("labels in Thai (Buddhist year) and English", () => {
    expect(periodLabel(reportPeriod("progress", 2))).toEqual({ th: "รอบที่ 2 (16 ต.ค. 2568 – 30 ต.ค. 2568)", en: "Period 2 (16 Oct 2025 – 30 Oct 2025)" });
  });

  it("keys of the claims: per agency for progress notices, one per period for reports", () => {
    expect(periodKey(reportPeriod("progress", 7), "sukjai")).toBe("progress:sukjai:7");
    expect(periodKey(reportPeriod("report", 3))).toBe("report:3");
    expect(() => periodKey(reportPeriod("progress", 7))).toThrow();
  });

  it("period numbers from a URL: positive whole numbers only", () => {
    expect(parsePeriodNumber("12")).toBe(12);
    for (const bad of ["0", "-1", "1.5", "01", "abc", "", undefined, "9999999"]) expect(parsePeriodNumber(bad)).toBeNull();
    expect(() => reportPeriod("report", 0)).toThrow(RangeError);
  });
});
