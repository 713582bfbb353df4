/**
 * OPDC's figures per agency, computed from lean case rows (pure: no I/O; the calendar and `now` are passed in).
 *
 * Definitions (the README's "OPDC's dashboard and public statistics" says the same):
 * - filed: cases received, by the Bangkok month of `receivedAt`; decided: cases that reached a final state, by
 *   the Bangkok month of `decidedAt`. Totals are since records began; `months` are the last 12 Bangkok months.
 * - processing time: the working day of the time limit on which the case was decided — decided on the day it
 *   counts from is 1 — less the working days the clock stood paused while waiting on the applicant (how far
 *   the statutory due date moved on: `statutoryDueAt` against the receipt's first `dueAt`).
 * - on time: decided no later than its statutory due date (moved on by pauses), the Act's own clock.
 * - open past limit: in progress and past the statutory due date; a paused case is judged at the instant it
 *   was paused (its clock stands still while it waits on the applicant).
 * - median: the middle value (the mean of the two middle values for an even count); 90th percentile: the
 *   nearest-rank value (the smallest value with at least 90 % of the values at or below it).
 */
import { workingDaysBetween, type WorkingCalendar } from "../calendar/working-days";
import type { LocalizedText } from "../text";
import { bangkokMonth } from "../time/bangkok-clock";
import type { AgencyFigures, MonthFigures, ServiceFigures } from "./figures";

export type FigureCaseRow = {
  agencyId: string;
  serviceSlug: string;
  receivedAt: Date;
  countedFrom: Date;
  /** The receipt's statutory due date, as first computed at filing. */
  dueAt: Date;
  /** The statutory due date now: moved on by the working days spent waiting on the applicant. */
  statutoryDueAt: Date;
  status: "active" | "done";
  /** When it reached a final state; null while in progress. */
  decidedAt: Date | null;
  paused: boolean;
  pausedAt: Date | null;
};

export type FigureServiceRow = {
  slug: string;
  agencyId: string;
  title: LocalizedText;
  level: "initial" | "standard";
  /** The current version's statutory time limit in working days. */
  statutoryDays: number | null;
};

export type FigureAgencyRow = { id: string; code: string; name: LocalizedText };

export type FiguresInput = {
  agencies: FigureAgencyRow[];
  /** Published (online) services, not templates. */
  services: FigureServiceRow[];
  cases: Iterable<FigureCaseRow>;
  /** Delay notices sent, by agency id. */
  delayNotices: Record<string, number>;
  calendar: WorkingCalendar;
  now: Date;
};

export const ALL_AGENCIES_ID = "all";
export const ALL_AGENCIES_CODE = "ALL";
export const ALL_AGENCIES_NAME: LocalizedText = { th: "ทุกหน่วยงาน", en: "All agencies" };
export const MONTHS_SHOWN = 12;

/** The "YYYY-MM" Bangkok months of the last `count` months, oldest first, ending with `now`'s. */
export function lastMonths(now: Date, count = MONTHS_SHOWN): string[] {
  const [year, month] = bangkokMonth(now).split("-").map(Number) as [number, number];
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = year * 12 + (month - 1) - i;
    months.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`);
  }
  return months;
}

/** The middle value; the mean of the two middle ones for an even count; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank percentile (0 < p <= 100); null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Working days a decided case took against its limit (see the module's definitions). */
export function processingDays(row: Pick<FigureCaseRow, "countedFrom" | "dueAt" | "statutoryDueAt">, decidedAt: Date, cal: WorkingCalendar): number {
  const paused = Math.max(0, workingDaysBetween(row.dueAt, row.statutoryDueAt, cal));
  return Math.max(0, workingDaysBetween(row.countedFrom, decidedAt, cal) + 1 - paused);
}

/** Whether an open case is past its statutory limit at `now` (a paused case: at the instant it was paused). */
export function isOpenPastLimit(row: FigureCaseRow, now: Date): boolean {
  if (row.status !== "active") return false;
  const at = row.paused && row.pausedAt ? row.pausedAt : now;
  return at.getTime() > row.statutoryDueAt.getTime();
}

type Tally = {
  filed: number;
  decided: number;
  decidedOnTime: number;
  open: number;
  openPastLimit: number;
  days: number[];
  months: Map<string, MonthFigures>;
};

function newTally(months: readonly string[]): Tally {
  return {
    filed: 0,
    decided: 0,
    decidedOnTime: 0,
    open: 0,
    openPastLimit: 0,
    days: [],
    months: new Map(months.map((month) => [month, { month, filed: 0, decided: 0, decidedOnTime: 0 }])),
  };
}

function count(tally: Tally, row: FigureCaseRow, input: FiguresInput): void {
  tally.filed++;
  const filedIn = tally.months.get(bangkokMonth(row.receivedAt));
  if (filedIn) filedIn.filed++;
  if (row.status === "done" && row.decidedAt) {
    const onTime = row.decidedAt.getTime() <= row.statutoryDueAt.getTime();
    tally.decided++;
    if (onTime) tally.decidedOnTime++;
    tally.days.push(processingDays(row, row.decidedAt, input.calendar));
    const decidedIn = tally.months.get(bangkokMonth(row.decidedAt));
    if (decidedIn) {
      decidedIn.decided++;
      if (onTime) decidedIn.decidedOnTime++;
    }
  } else if (row.status === "active") {
    tally.open++;
    if (isOpenPastLimit(row, input.now)) tally.openPastLimit++;
  }
}

function serviceFigures(service: FigureServiceRow, tally: Tally): ServiceFigures {
  return {
    slug: service.slug,
    title: service.title,
    level: service.level,
    statutoryDays: service.statutoryDays,
    filed: tally.filed,
    decided: tally.decided,
    decidedOnTime: tally.decidedOnTime,
    medianDays: median(tally.days),
    p90Days: percentile(tally.days, 90),
    openPastLimit: tally.openPastLimit,
  };
}

function agencyFigures(
  agency: FigureAgencyRow,
  tally: Tally,
  services: ServiceFigures[],
  servicesOnline: AgencyFigures["servicesOnline"],
  delayNoticesSent: number,
  now: Date,
): AgencyFigures {
  return {
    agencyId: agency.id,
    agencyCode: agency.code,
    name: agency.name,
    computedAt: now.toISOString(),
    servicesOnline,
    filed: tally.filed,
    decided: tally.decided,
    decidedOnTime: tally.decidedOnTime,
    onTimeShare: tally.decided > 0 ? tally.decidedOnTime / tally.decided : null,
    medianDays: median(tally.days),
    p90Days: percentile(tally.days, 90),
    openCases: tally.open,
    openPastLimit: tally.openPastLimit,
    delayNoticesSent,
    months: [...tally.months.values()],
    services,
  };
}

/**
 * Every agency's figures (in the order given) and the figures over all of them (`agencyId` "all"). Cases of
 * an agency not listed are left out; a case of a service no longer online is listed under its slug.
 */
export function computeFigures(input: FiguresInput): { agencies: AgencyFigures[]; all: AgencyFigures } {
  const months = lastMonths(input.now);
  const byAgency = new Map<string, Tally>(input.agencies.map((a) => [a.id, newTally(months)]));
  const byService = new Map<string, Tally>();
  const serviceOf = new Map(input.services.map((s) => [s.slug, s]));
  const extraServices = new Map<string, FigureServiceRow>();
  const all = newTally(months);
  for (const row of input.cases) {
    const agencyTally = byAgency.get(row.agencyId);
    // Only the agencies listed count (OPDC's own templates take no cases).
    if (!agencyTally) continue;
    count(all, row, input);
    count(agencyTally, row, input);
    let serviceTally = byService.get(row.serviceSlug);
    if (!serviceTally) byService.set(row.serviceSlug, (serviceTally = newTally([])));
    count(serviceTally, row, input);
    if (!serviceOf.has(row.serviceSlug) && !extraServices.has(row.serviceSlug)) {
      // Not online any more (or never published here): still counted, named by its slug.
      extraServices.set(row.serviceSlug, { slug: row.serviceSlug, agencyId: row.agencyId, title: { th: row.serviceSlug, en: row.serviceSlug }, level: "initial", statutoryDays: null });
    }
  }
  const servicesOf = (agencyId: string) =>
    [...input.services.filter((s) => s.agencyId === agencyId), ...[...extraServices.values()].filter((s) => s.agencyId === agencyId)]
      .sort((a, b) => a.slug.localeCompare(b.slug))
      .map((s) => serviceFigures(s, byService.get(s.slug) ?? newTally([])));
  const onlineOf = (agencyId: string | null) => {
    const online = input.services.filter((s) => (agencyId === null ? listed.has(s.agencyId) : s.agencyId === agencyId));
    return { initial: online.filter((s) => s.level === "initial").length, standard: online.filter((s) => s.level === "standard").length };
  };
  const listed = new Set(input.agencies.map((a) => a.id));
  const agencies = input.agencies.map((agency) =>
    agencyFigures(agency, byAgency.get(agency.id)!, servicesOf(agency.id), onlineOf(agency.id), input.delayNotices[agency.id] ?? 0, input.now),
  );
  const allServices = [...input.services, ...extraServices.values()]
    .filter((s) => listed.has(s.agencyId))
    .sort((a, b) => a.slug.localeCompare(b.slug))
    .map((s) => serviceFigures(s, byService.get(s.slug) ?? newTally([])));
  const allNotices = agencies.reduce((sum, a) => sum + a.delayNoticesSent, 0);
  return {
    agencies,
    all: agencyFigures({ id: ALL_AGENCIES_ID, code: ALL_AGENCIES_CODE, name: ALL_AGENCIES_NAME }, all, allServices, onlineOf(null), allNotices, input.now),
  };
}
