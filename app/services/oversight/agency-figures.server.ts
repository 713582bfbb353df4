/**
 * OPDC's figures per agency: computed by the worker from every case (never on a request) and stored as
 * snapshots in `oversight_figures`; read by the dashboard, the public statistics, the progress notices and
 * the reports through loadAgencyFigures / loadAgencyFiguresOf.
 */
import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import { ALL_AGENCIES_ID, computeFigures, type FigureCaseRow, type FigureServiceRow } from "~/core/oversight/compute-figures";
import type { AgencyFigures } from "~/core/oversight/figures";
import { addCaseToUse, NO_USE, type ServiceUse } from "~/core/oversight/readiness";
import { listAgencies } from "~/models/agency.server";
import { forEachCaseBatch, type CaseDoc } from "~/models/case.server";
import { countDelayNoticesByAgency } from "~/models/case-notice.server";
import { deleteFiguresSnapshotsExcept, getFiguresSnapshot, listFiguresSnapshots, saveFiguresSnapshots } from "~/models/oversight-figures.server";
import { getServiceVersion, listServices, versionId } from "~/models/service.server";

type CaseFields = Pick<CaseDoc, "agencyId" | "serviceSlug" | "status" | "outcome" | "receipt" | "sla" | "closedAt" | "updatedAt"> & { effects?: { type: string }[] };
const CASE_FIELDS = "agencyId serviceSlug status outcome receipt sla closedAt updatedAt effects.type";

function toRow(c: CaseFields): FigureCaseRow {
  const statutoryDueAt = c.sla?.statutoryDueAt ?? c.receipt.dueAt;
  return {
    agencyId: c.agencyId,
    serviceSlug: c.serviceSlug,
    receivedAt: c.receipt.receivedAt,
    countedFrom: c.receipt.countedFrom,
    dueAt: c.receipt.dueAt,
    statutoryDueAt,
    status: c.status,
    // Cases closed before closedAt was recorded: their last change is when they closed.
    decidedAt: c.status === "done" ? (c.closedAt ?? c.updatedAt) : null,
    paused: Boolean(c.sla?.paused),
    pausedAt: c.sla?.pausedAt ?? null,
  };
}

async function onlineServices(): Promise<FigureServiceRow[]> {
  const rows: FigureServiceRow[] = [];
  for (const summary of await listServices({ isTemplate: false })) {
    const current = await getServiceVersion(versionId(summary._id, summary.currentVersion));
    rows.push({
      slug: summary._id,
      agencyId: summary.agencyId,
      title: summary.title,
      level: summary.level,
      statutoryDays: current?.definition.manifest.statutoryDays ?? null,
    });
  }
  return rows;
}

/**
 * Reads every case (in `_id` batches of the few fields needed), computes every agency's figures and the
 * figures over all agencies, and replaces the stored snapshots. Returns what it stored. Safe to run in
 * several processes at once: each writes whole, correct snapshots.
 */
export async function refreshAgencyFigures(now = new Date()): Promise<{ agencies: AgencyFigures[]; all: AgencyFigures }> {
  const agencies = (await listAgencies()).filter((a) => a.kind !== "opdc").sort((a, b) => a.code.localeCompare(b.code));
  const [services, delayNotices] = await Promise.all([onlineServices(), countDelayNoticesByAgency()]);
  const cases: FigureCaseRow[] = [];
  // The readiness check's use per service, counted in the same pass (its page never reads the cases).
  const uses = new Map<string, ServiceUse>();
  await forEachCaseBatch<CaseFields>(CASE_FIELDS, async (batch) => {
    for (const c of batch) {
      if (c.receipt?.receivedAt) cases.push(toRow(c));
      uses.set(c.serviceSlug, addCaseToUse(uses.get(c.serviceSlug) ?? NO_USE, c));
    }
  });
  const figures = computeFigures({
    agencies: agencies.map((a) => ({ id: a._id, code: a.code, name: a.name })),
    services,
    cases,
    delayNotices,
    calendar: getWorkingCalendar(),
    now,
  });
  for (const agency of figures.agencies) for (const service of agency.services) service.use = uses.get(service.slug) ?? NO_USE;
  await saveFiguresSnapshots([...figures.agencies, figures.all], now);
  await deleteFiguresSnapshotsExcept([ALL_AGENCIES_ID, ...agencies.map((a) => a._id)]);
  return figures;
}

/** At the worker's start: computes the figures when there is no snapshot yet. True when it computed them. */
export async function ensureAgencyFigures(now = new Date()): Promise<boolean> {
  if (await getFiguresSnapshot(ALL_AGENCIES_ID)) return false;
  await refreshAgencyFigures(now);
  return true;
}

/** Every agency's figures from the last snapshot, by agency code (not the figures over all agencies). */
export async function loadAgencyFigures(): Promise<AgencyFigures[]> {
  return (await listFiguresSnapshots()).filter((f) => f.agencyId !== ALL_AGENCIES_ID).sort((a, b) => a.agencyCode.localeCompare(b.agencyCode));
}

/** One agency's figures from the last snapshot ("all": over all agencies); null before the first snapshot. */
export async function loadAgencyFiguresOf(agencyId: string): Promise<AgencyFigures | null> {
  return getFiguresSnapshot(agencyId);
}

/** The figures over all agencies from the last snapshot; null before the first one. */
export async function loadAllAgencyFigures(): Promise<AgencyFigures | null> {
  return getFiguresSnapshot(ALL_AGENCIES_ID);
}

/** One agency's figures by its code (case-insensitive), from the snapshots; null when unknown. */
export async function loadAgencyFiguresByCode(code: string): Promise<AgencyFigures | null> {
  const wanted = code.trim().toUpperCase();
  if (!wanted || wanted === "ALL") return null;
  return (await loadAgencyFigures()).find((f) => f.agencyCode.toUpperCase() === wanted) ?? null;
}
