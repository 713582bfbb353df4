/**
 * A STAND-IN for OPDC's figures per agency, computed directly from the cases on each call. The dashboard's
 * version (snapshots written by the worker) replaces this file at merge; callers depend only on the two exports.
 */
import { workingDaysBetween } from "~/core/calendar/working-days";
import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import type { AgencyFigures, MonthFigures, ServiceFigures } from "~/core/oversight/figures";
import { bangkokMonth } from "~/core/time/bangkok-clock";
import { getAgency, listAgencies, type Agency } from "~/models/agency.server";
import { listCaseFacts, type CaseFact } from "~/models/case-facts.server";
import { listServices } from "~/models/service.server";

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

type Tally = { filed: number; decided: number; decidedOnTime: number; days: number[]; openCases: number; openPastLimit: number };
const emptyTally = (): Tally => ({ filed: 0, decided: 0, decidedOnTime: 0, days: [], openCases: 0, openPastLimit: 0 });

function tallyCase(t: Tally, c: CaseFact, now: Date): void {
  const cal = getWorkingCalendar();
  t.filed++;
  if (c.status === "done") {
    if (c.outcome === "withdrawn" || !c.closedAt) return;
    t.decided++;
    if (c.closedAt.getTime() <= c.sla.statutoryDueAt.getTime()) t.decidedOnTime++;
    t.days.push(workingDaysBetween(c.receipt.countedFrom, c.closedAt, cal));
  } else {
    t.openCases++;
    if (!c.sla.paused && c.sla.statutoryDueAt.getTime() < now.getTime()) t.openPastLimit++;
  }
}

async function figuresOf(agency: Agency, now: Date): Promise<AgencyFigures> {
  const [services, cases] = await Promise.all([listServices({ agencyId: agency._id, isTemplate: false }), listCaseFacts(agency._id)]);
  const all = emptyTally();
  const bySlug = new Map<string, Tally>();
  const months = new Map<string, MonthFigures>();
  const month = (key: string) => months.get(key) ?? months.set(key, { month: key, filed: 0, decided: 0, decidedOnTime: 0 }).get(key)!;
  for (const c of cases) {
    tallyCase(all, c, now);
    const t = bySlug.get(c.serviceSlug) ?? bySlug.set(c.serviceSlug, emptyTally()).get(c.serviceSlug)!;
    tallyCase(t, c, now);
    month(bangkokMonth(c.receipt.receivedAt)).filed++;
    if (c.status === "done" && c.outcome !== "withdrawn" && c.closedAt) {
      const m = month(bangkokMonth(c.closedAt));
      m.decided++;
      if (c.closedAt.getTime() <= c.sla.statutoryDueAt.getTime()) m.decidedOnTime++;
    }
  }
  const sortedDays = (t: Tally) => [...t.days].sort((a, b) => a - b);
  const serviceFigures: ServiceFigures[] = services.map((s) => {
    const t = bySlug.get(s._id) ?? emptyTally();
    const days = sortedDays(t);
    return {
      slug: s._id,
      title: s.title,
      level: s.level,
      statutoryDays: null,
      filed: t.filed,
      decided: t.decided,
      decidedOnTime: t.decidedOnTime,
      medianDays: quantile(days, 0.5),
      p90Days: quantile(days, 0.9),
      openPastLimit: t.openPastLimit,
    };
  });
  const days = sortedDays(all);
  return {
    agencyId: agency._id,
    agencyCode: agency.code,
    name: agency.name,
    computedAt: now.toISOString(),
    servicesOnline: { initial: services.filter((s) => s.level === "initial").length, standard: services.filter((s) => s.level === "standard").length },
    filed: all.filed,
    decided: all.decided,
    decidedOnTime: all.decidedOnTime,
    onTimeShare: all.decided > 0 ? all.decidedOnTime / all.decided : null,
    medianDays: quantile(days, 0.5),
    p90Days: quantile(days, 0.9),
    openCases: all.openCases,
    openPastLimit: all.openPastLimit,
    delayNoticesSent: 0,
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    services: serviceFigures,
  };
}

/** Every agency on the platform (OPDC itself excluded), by id. */
export async function loadAgencyFigures(): Promise<AgencyFigures[]> {
  const now = new Date();
  const agencies = (await listAgencies()).filter((a) => a.kind !== "opdc");
  return Promise.all(agencies.map((a) => figuresOf(a, now)));
}

/** One agency's figures, or null for an unknown agency. */
export async function loadAgencyFiguresOf(agencyId: string): Promise<AgencyFigures | null> {
  const agency = await getAgency(agencyId);
  return agency && agency.kind !== "opdc" ? figuresOf(agency, new Date()) : null;
}
