import { describe, expect, it } from "vitest";
import { loadWorkingCalendar, type WorkingCalendar } from "~/core/calendar/working-days";
import { caseClock, delayNoticeDueAt, dueDelayNotice, type ClockCase } from "~/core/cases/case-clocks";
import { slaOnEnter } from "~/core/cases/case-rules";
import type { StateConfig } from "~/core/workflow/types";

/** An instant given as Bangkok wall-clock time, e.g. bkk("2026-03-06 17:00"). */
const bkk = (local: string) => new Date(`${local.replace(" ", "T")}:00+07:00`);

function calendar(holidays: string[] = []): WorkingCalendar {
  return loadWorkingCalendar({
    timezone: "Asia/Bangkok",
    officeHours: { start: "08:30", end: "16:30" },
    workingWeekdays: [1, 2, 3, 4, 5],
    holidays: holidays.map((date) => ({ date, name: { th: "วันหยุด", en: "Holiday" } })),
  });
}
const cal = calendar();

// Filed Monday 2 March 2026 at 10:00 with a limit of 3 working days: due Wednesday 4 March at 16:30.
const filed: ClockCase = { countedFrom: bkk("2026-03-02 10:00"), statutoryDays: 3 };

describe("the statutory limit", () => {
  it("is not passed at the close of the last working day", () => {
    const clock = caseClock(filed, cal, bkk("2026-03-04 16:30"));
    expect(clock.dueAt).toEqual(bkk("2026-03-04 16:30"));
    expect(clock.late).toBe(false);
    expect(dueDelayNotice(filed, cal, bkk("2026-03-04 16:30"), { count: 0 })).toBeNull();
  });

  it("is passed by one working day the next morning, when the first delay notice falls due", () => {
    const clock = caseClock(filed, cal, bkk("2026-03-05 08:30"));
    expect(clock.late).toBe(true);
    expect(clock.overdueWorkingDays).toBe(1);
    expect(clock.firstDelayNoticeAt).toEqual(bkk("2026-03-05 08:30"));
    expect(dueDelayNotice(filed, cal, bkk("2026-03-05 08:29"), { count: 0 })).toBeNull();
    expect(dueDelayNotice(filed, cal, bkk("2026-03-05 08:30"), { count: 0 })).toEqual({ n: 1, dueAt: bkk("2026-03-05 08:30") });
  });

  it("after a Friday limit, the first notice is on Monday", () => {
    const friday: ClockCase = { countedFrom: bkk("2026-03-04 10:00"), statutoryDays: 3 };
    expect(caseClock(friday, cal, bkk("2026-03-07 10:00")).late).toBe(true);
    expect(caseClock(friday, cal, bkk("2026-03-07 10:00")).overdueWorkingDays).toBe(0);
    expect(caseClock(friday, cal, bkk("2026-03-07 10:00")).firstDelayNoticeAt).toEqual(bkk("2026-03-09 08:30"));
    expect(dueDelayNotice(friday, cal, bkk("2026-03-08 23:59"), { count: 0 })).toBeNull();
  });
});

describe("the next delay notices, every 7 calendar days", () => {
  it("falls due on the 7th day after the first, then the 14th", () => {
    const one = { count: 1, lastAt: bkk("2026-03-05 08:30") };
    expect(dueDelayNotice(filed, cal, bkk("2026-03-12 08:29"), one)).toBeNull();
    expect(dueDelayNotice(filed, cal, bkk("2026-03-12 08:30"), one)).toEqual({ n: 2, dueAt: bkk("2026-03-12 08:30") });
    const two = { count: 2, lastAt: bkk("2026-03-12 08:30") };
    expect(dueDelayNotice(filed, cal, bkk("2026-03-18 23:00"), two)).toBeNull();
    expect(dueDelayNotice(filed, cal, bkk("2026-03-19 08:30"), two)).toEqual({ n: 3, dueAt: bkk("2026-03-19 08:30") });
  });

  it("counts calendar days: a notice may fall on a weekend", () => {
    const friday: ClockCase = { countedFrom: bkk("2026-03-04 10:00"), statutoryDays: 3 };
    // Due Friday 16:30, first notice Monday 9 March, the next Monday 16 March.
    expect(dueDelayNotice(friday, cal, bkk("2026-03-16 08:30"), { count: 1, lastAt: bkk("2026-03-09 08:30") })?.n).toBe(2);
    expect(delayNoticeDueAt(bkk("2026-03-07 08:30"), 2)).toEqual(bkk("2026-03-14 08:30"));
  });

  it("a worker that was down sends one notice, and the next comes 7 days after it", () => {
    // Nothing sent by the 20th: one notice (no. 1) then, and no. 2 seven days later, not at once.
    expect(dueDelayNotice(filed, cal, bkk("2026-03-20 10:00"), { count: 0 })?.n).toBe(1);
    const late = { count: 1, lastAt: bkk("2026-03-20 10:00") };
    expect(dueDelayNotice(filed, cal, bkk("2026-03-20 10:15"), late)).toBeNull();
    expect(dueDelayNotice(filed, cal, bkk("2026-03-27 10:00"), late)?.n).toBe(2);
  });

  it("stops once the case is decided; the decision is then to be notified within 7 days", () => {
    const decided = { ...filed, decidedAt: bkk("2026-03-10 11:00") };
    const clock = caseClock(decided, cal, bkk("2026-03-12 08:30"), { count: 1, lastAt: bkk("2026-03-05 08:30") });
    expect(clock.nextDelayNotice).toBeNull();
    expect(clock.late).toBe(true);
    expect(clock.overdueWorkingDays).toBe(4);
    expect(clock.decisionNoticeBy).toEqual(bkk("2026-03-17 11:00"));
    expect(dueDelayNotice(decided, cal, bkk("2026-03-12 08:30"), { count: 1 })).toBeNull();
  });

  it("a case decided on time was never late", () => {
    const clock = caseClock({ ...filed, decidedAt: bkk("2026-03-04 16:00") }, cal, bkk("2026-04-01 10:00"));
    expect(clock.late).toBe(false);
    expect(clock.decisionNoticeBy).toEqual(bkk("2026-03-11 16:00"));
  });
});

describe("holidays", () => {
  it("a holiday within the limit moves it on by a working day", () => {
    const withHoliday = calendar(["2026-03-03"]);
    const clock = caseClock(filed, withHoliday, bkk("2026-03-05 10:00"));
    expect(clock.dueAt).toEqual(bkk("2026-03-05 16:30"));
    expect(clock.late).toBe(false);
  });

  it("a holiday the day after the limit moves the first notice to the next working day", () => {
    const withHoliday = calendar(["2026-03-05"]);
    const clock = caseClock(filed, withHoliday, bkk("2026-03-05 10:00"));
    expect(clock.late).toBe(true);
    expect(clock.overdueWorkingDays).toBe(0);
    expect(clock.firstDelayNoticeAt).toEqual(bkk("2026-03-06 08:30"));
    expect(dueDelayNotice(filed, withHoliday, bkk("2026-03-05 23:00"), { count: 0 })).toBeNull();
    expect(dueDelayNotice(filed, withHoliday, bkk("2026-03-06 08:30"), { count: 0 })?.n).toBe(1);
    // The 7th day counts from that first notice.
    expect(dueDelayNotice(filed, withHoliday, bkk("2026-03-13 08:30"), { count: 1, lastAt: bkk("2026-03-06 08:30") })?.n).toBe(2);
  });
});

describe("a case waiting on the applicant", () => {
  const waiting = { type: "atomic", meta: { label: { th: "รอ", en: "Waiting" }, pausesSla: true } } as unknown as StateConfig;
  const working = { type: "atomic", meta: { label: { th: "พิจารณา", en: "Review" } } } as unknown as StateConfig;
  const start = { paused: false, pausedAt: null, statutoryDueAt: bkk("2026-03-04 16:30") };
  // The officer asks for missing items on Wednesday 4 March at 09:00: the clock stops.
  const paused = slaOnEnter(waiting, bkk("2026-03-04 09:00"), start, cal, 0);

  it("gets no delay notice while paused, and the limit moves on with the pause", () => {
    const c: ClockCase = { ...filed, sla: paused };
    const clock = caseClock(c, cal, bkk("2026-03-09 10:00"));
    expect(clock.paused).toBe(true);
    expect(clock.late).toBe(false);
    // Thu, Fri, Mon spent waiting: due three working days later than Wednesday.
    expect(clock.dueAt).toEqual(bkk("2026-03-09 16:30"));
    expect(clock.nextDelayNotice).toBeNull();
    expect(dueDelayNotice(c, cal, bkk("2026-03-20 10:00"), { count: 0 })).toBeNull();
  });

  it("after the applicant answers, the limit is later by the working days waited", () => {
    // Answered Monday 9 March at 10:00: three working days waited (Thu, Fri, Mon).
    const resumed = slaOnEnter(working, bkk("2026-03-09 10:00"), paused, cal, 3);
    const c: ClockCase = { ...filed, sla: resumed };
    expect(caseClock(c, cal, bkk("2026-03-09 16:30")).late).toBe(false);
    const clock = caseClock(c, cal, bkk("2026-03-10 08:30"));
    expect(clock.dueAt).toEqual(bkk("2026-03-09 16:30"));
    expect(clock.late).toBe(true);
    expect(clock.overdueWorkingDays).toBe(1);
    expect(dueDelayNotice(c, cal, bkk("2026-03-10 08:30"), { count: 0 })).toEqual({ n: 1, dueAt: bkk("2026-03-10 08:30") });
  });
});
