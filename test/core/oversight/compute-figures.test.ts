import { describe, expect, it } from "vitest";
import { addWorkingDays, type WorkingCalendar } from "~/core/calendar/working-days";
import { computeFigures, lastMonths, median, percentile, processingDays, type FigureCaseRow, type FigureServiceRow } from "~/core/oversight/compute-figures";

/** A Bangkok wall-clock time, "YYYY-MM-DDTHH:MM". */
const bkk = (local: string) => new Date(`${local}:00+07:00`);

// Monday to Friday, 08:30–16:30; Monday 4 May 2026 is a holiday.
const CAL: WorkingCalendar = {
  timezone: "Asia/Bangkok",
  officeHours: { start: "08:30", end: "16:30" },
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: [{ date: "2026-05-04", name: { th: "วันฉัตรมงคล", en: "Coronation Day" } }],
};
// Monday 15 June 2026, 10:00 in Bangkok.
const NOW = bkk("2026-06-15T10:00");

const SERVICES: FigureServiceRow[] = [
  { slug: "a-1", agencyId: "a", title: { th: "บริการ 1", en: "Service 1" }, level: "initial", statutoryDays: 5 },
  { slug: "a-2", agencyId: "a", title: { th: "บริการ 2", en: "Service 2" }, level: "standard", statutoryDays: 3 },
  { slug: "a-3", agencyId: "a", title: { th: "บริการ 3", en: "Service 3" }, level: "initial", statutoryDays: 10 },
  { slug: "b-1", agencyId: "b", title: { th: "บริการ ข", en: "Service B" }, level: "initial", statutoryDays: 5 },
];
const LIMIT: Record<string, number> = { "a-1": 5, "a-2": 3, "a-retired": 5, "b-1": 5, "opdc-x": 5 };

/** A case filed at `received` (Bangkok), its due dates as the platform computes them, moved on by `pausedDays`. */
function filed(agencyId: string, serviceSlug: string, received: string, more: { decided?: string; pausedDays?: number; pausedAt?: string } = {}): FigureCaseRow {
  const receivedAt = bkk(received);
  const dueAt = addWorkingDays(receivedAt, LIMIT[serviceSlug]!, CAL);
  const statutoryDueAt = more.pausedDays ? addWorkingDays(dueAt, more.pausedDays, CAL) : dueAt;
  const countedFrom = addWorkingDays(receivedAt, 0, CAL);
  return {
    agencyId,
    serviceSlug,
    receivedAt,
    countedFrom,
    dueAt,
    statutoryDueAt,
    status: more.decided ? "done" : "active",
    decidedAt: more.decided ? bkk(more.decided) : null,
    paused: Boolean(more.pausedAt),
    pausedAt: more.pausedAt ? bkk(more.pausedAt) : null,
  };
}

const CASES: FigureCaseRow[] = [
  // 1. Fri 1 May, due Fri 8 May (Mon 4 May is a holiday); decided Wed 6 May: day 3, on time.
  filed("a", "a-1", "2026-05-01T10:00", { decided: "2026-05-06T11:00" }),
  // 2. Mon 11 May, due Fri 15 May; decided Tue 19 May: day 7, late.
  filed("a", "a-1", "2026-05-11T09:00", { decided: "2026-05-19T10:00" }),
  // 3. Mon 11 May, waited 3 working days on the applicant: due Wed 20 May; decided then: day 8 less 3 = 5, on time.
  filed("a", "a-1", "2026-05-11T09:00", { decided: "2026-05-20T15:00", pausedDays: 3 }),
  // 4. Mon 1 June, due Fri 5 June, still open on 15 June: past its limit.
  filed("a", "a-1", "2026-06-01T09:00"),
  // 5. Mon 1 June, waiting on the applicant since Thu 4 June (before its due date): not past its limit.
  filed("a", "a-1", "2026-06-01T09:00", { pausedAt: "2026-06-04T10:00" }),
  // 6. Mon 1 June, waiting on the applicant since Mon 8 June (after its due date): past its limit.
  filed("a", "a-1", "2026-06-01T09:00", { pausedAt: "2026-06-08T10:00" }),
  // 7. Tue 20 May 2025 (more than 12 months ago), decided the next day: day 2, on time; in the totals, in no month.
  filed("a", "a-1", "2025-05-20T10:00", { decided: "2025-05-21T10:00" }),
  // 8. 00:30 on Mon 1 June in Bangkok (still 31 May in UTC): a June filing; due Fri 5 June, open: past its limit.
  filed("a", "a-1", "2026-06-01T00:30"),
  // 9. Tue 2 June, 3-day limit: due Thu 4 June 16:30; decided that day at 17:00: its 3rd day, but after the close: late.
  filed("a", "a-2", "2026-06-02T10:00", { decided: "2026-06-04T17:00" }),
  // 10. A service no longer online: Wed 1 April, decided Thu 2 April: day 2, on time.
  filed("a", "a-retired", "2026-04-01T10:00", { decided: "2026-04-02T10:00" }),
  // Another agency's case: decided the day it was filed (day 1, on time).
  filed("b", "b-1", "2026-06-01T09:00", { decided: "2026-06-01T15:00" }),
  // An agency not listed (OPDC): left out everywhere.
  filed("opdc", "opdc-x", "2026-06-01T09:00"),
];

const INPUT = {
  agencies: [
    { id: "a", code: "AAA", name: { th: "หน่วยงาน ก", en: "Agency A" } },
    { id: "b", code: "BBB", name: { th: "หน่วยงาน ข", en: "Agency B" } },
  ],
  services: SERVICES,
  cases: CASES,
  delayNotices: { a: 4, b: 1, opdc: 9 },
  calendar: CAL,
  now: NOW,
};

describe("OPDC's figures from generated cases", () => {
  const { agencies, all } = computeFigures(INPUT);
  const a = agencies.find((x) => x.agencyId === "a")!;
  const b = agencies.find((x) => x.agencyId === "b")!;

  it("counts an agency's filings, decisions, on-time share and open cases past their limit", () => {
    expect(a).toMatchObject({
      agencyCode: "AAA",
      computedAt: NOW.toISOString(),
      servicesOnline: { initial: 2, standard: 1 },
      filed: 10,
      decided: 6,
      decidedOnTime: 4,
      onTimeShare: 4 / 6,
      // Days 3, 7, 5, 2, 3, 2 → sorted 2 2 3 3 5 7: median (3+3)/2, nearest-rank 90th = the 6th.
      medianDays: 3,
      p90Days: 7,
      openCases: 4,
      openPastLimit: 3,
      delayNoticesSent: 4,
    });
  });

  it("counts per service against its own limit, with a retired service under its slug and an idle one at zero", () => {
    expect(a.services.map((s) => s.slug)).toEqual(["a-1", "a-2", "a-3", "a-retired"]);
    const [one, two, three, retired] = a.services;
    // Days 3, 7, 5, 2 → median 4, 90th the 4th of 4 = 7.
    expect(one).toMatchObject({ statutoryDays: 5, level: "initial", filed: 8, decided: 4, decidedOnTime: 3, medianDays: 4, p90Days: 7, openPastLimit: 3 });
    expect(two).toMatchObject({ statutoryDays: 3, level: "standard", filed: 1, decided: 1, decidedOnTime: 0, medianDays: 3, p90Days: 3, openPastLimit: 0 });
    expect(three).toMatchObject({ filed: 0, decided: 0, medianDays: null, p90Days: null, openPastLimit: 0 });
    expect(retired).toMatchObject({ title: { th: "a-retired", en: "a-retired" }, statutoryDays: null, filed: 1, decided: 1, decidedOnTime: 1, medianDays: 2 });
  });

  it("puts each filing and decision in its Bangkok month, the last 12 only", () => {
    expect(a.months.map((m) => m.month)).toEqual(["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]);
    const month = (m: string) => a.months.find((x) => x.month === m);
    expect(month("2026-04")).toEqual({ month: "2026-04", filed: 1, decided: 1, decidedOnTime: 1 });
    expect(month("2026-05")).toEqual({ month: "2026-05", filed: 3, decided: 3, decidedOnTime: 2 });
    // Case 8 (00:30 on 1 June in Bangkok) is a June filing.
    expect(month("2026-06")).toEqual({ month: "2026-06", filed: 5, decided: 1, decidedOnTime: 0 });
    expect(a.months.reduce((sum, m) => sum + m.filed, 0)).toBe(9); // case 7 is older than 12 months
  });

  it("keeps each agency's cases to itself, and leaves out agencies not listed", () => {
    expect(b).toMatchObject({ filed: 1, decided: 1, decidedOnTime: 1, onTimeShare: 1, medianDays: 1, p90Days: 1, openCases: 0, openPastLimit: 0, delayNoticesSent: 1 });
    expect(b.services.map((s) => s.slug)).toEqual(["b-1"]);
    expect(b.servicesOnline).toEqual({ initial: 1, standard: 0 });
  });

  it("adds up every listed agency under 'all'", () => {
    expect(all).toMatchObject({
      agencyId: "all",
      agencyCode: "ALL",
      servicesOnline: { initial: 3, standard: 1 },
      filed: 11,
      decided: 7,
      decidedOnTime: 5,
      onTimeShare: 5 / 7,
      // 1 2 2 3 3 5 7: median 3, 90th the 7th.
      medianDays: 3,
      p90Days: 7,
      openCases: 4,
      openPastLimit: 3,
      delayNoticesSent: 5,
    });
    expect(all.services).toHaveLength(5);
    expect(all.months.find((m) => m.month === "2026-06")).toEqual({ month: "2026-06", filed: 6, decided: 2, decidedOnTime: 1 });
  });

  it("gives null shares and times, not zeros, when nothing is decided", () => {
    const { agencies: [empty] } = computeFigures({ ...INPUT, agencies: [{ id: "c", code: "CCC", name: { th: "ค", en: "C" } }], delayNotices: {} });
    expect(empty).toMatchObject({ filed: 0, decided: 0, onTimeShare: null, medianDays: null, p90Days: null, delayNoticesSent: 0, servicesOnline: { initial: 0, standard: 0 } });
    expect(empty!.months).toHaveLength(12);
  });
});

describe("the pieces", () => {
  it("takes the last 12 Bangkok months, across the new year at 00:30 Bangkok time on 1 January", () => {
    const newYearNight = new Date("2026-12-31T17:30:00Z");
    expect(lastMonths(newYearNight)).toEqual(["2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]);
    expect(lastMonths(bkk("2026-03-10T12:00"), 3)).toEqual(["2026-01", "2026-02", "2026-03"]);
  });

  it("takes the median and the nearest-rank percentile", () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([4, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([], 90)).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11], 90)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
  });

  it("counts processing days from the counted-from day as day 1, less the days waiting on the applicant", () => {
    // Filed on Saturday: counted from Monday 08:30; decided Monday = day 1.
    const row = filed("a", "a-1", "2026-06-13T10:00");
    expect(processingDays(row, bkk("2026-06-15T11:00"), CAL)).toBe(1);
    // Across the holiday on Monday 4 May: Fri 1 → Tue 5 is day 2.
    expect(processingDays(filed("a", "a-1", "2026-05-01T10:00"), bkk("2026-05-05T09:00"), CAL)).toBe(2);
    const paused = filed("a", "a-1", "2026-06-01T09:00", { pausedDays: 2 });
    // Mon 1 → Wed 10 June is day 8, less 2 days waiting.
    expect(processingDays(paused, bkk("2026-06-10T09:00"), CAL)).toBe(8 - 2);
  });
});
