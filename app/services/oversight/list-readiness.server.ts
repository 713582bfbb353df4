import type { Actor } from "~/core/actor";
import { forbidden } from "~/core/errors";
import { assessReadiness, CRITERIA, type ServiceReadiness } from "~/core/oversight/readiness";
import type { LocalizedText } from "~/core/text";
import { getAgency, listAgencies, type Agency } from "~/models/agency.server";
import { getCurrentService, listServices } from "~/models/service.server";
import { loadAgencyFiguresOf } from "./agency-figures.server";

export type AgencyReadiness = { agencyId: string; code: string; name: LocalizedText; services: ServiceReadiness[] };

async function readinessOf(agency: Agency): Promise<AgencyReadiness> {
  // The use comes from the worker's figures (OVERSIGHT_REFRESH_MINUTES old at most): reading the cases here would
  // scan the whole collection on the embedded database at every page load.
  const [summaries, figures] = await Promise.all([listServices({ agencyId: agency._id, isTemplate: false }), loadAgencyFiguresOf(agency._id)]);
  const uses = new Map((figures?.services ?? []).map((f) => [f.slug, f.use] as const));
  const services: ServiceReadiness[] = [];
  for (const summary of summaries) {
    const current = await getCurrentService(summary._id);
    if (current) services.push(assessReadiness(summary._id, current.service.definition, uses.get(summary._id)));
  }
  return { agencyId: agency._id, code: agency.code, name: agency.name, services };
}

/** The agency admin's own services. */
export async function listOwnReadiness(actor: Actor): Promise<AgencyReadiness> {
  if (actor.kind !== "staff" || !actor.isAdmin) throw forbidden();
  const agency = await getAgency(actor.agencyId);
  if (!agency) throw forbidden();
  return readinessOf(agency);
}

/** OPDC: every agency's services, or one agency's when `agencyId` names one. */
export async function listAllReadiness(actor: Actor, agencyId?: string | null): Promise<{ agencies: { id: string; code: string; name: LocalizedText }[]; rows: AgencyReadiness[] }> {
  if (actor.kind !== "opdc") throw forbidden();
  const agencies = (await listAgencies()).filter((a) => a.kind !== "opdc");
  const chosen = agencyId ? agencies.filter((a) => a._id === agencyId) : agencies;
  const rows: AgencyReadiness[] = [];
  for (const agency of chosen) rows.push(await readinessOf(agency));
  return { agencies: agencies.map((a) => ({ id: a._id, code: a.code, name: a.name })), rows };
}

/** One CSV row per service: the agency, the levels and each criterion's status. */
export function readinessCsvRows(rows: AgencyReadiness[]): string[][] {
  const header = ["agency_code", "agency_th", "agency_en", "service", "title_th", "title_en", "declared_level", "reached_level", "meets_declared", ...CRITERIA];
  const body = rows.flatMap((a) =>
    a.services.map((s) => [
      a.code,
      a.name.th,
      a.name.en,
      s.slug,
      s.title.th,
      s.title.en,
      s.declaredLevel,
      s.reachedLevel,
      s.meetsDeclared ? "yes" : "no",
      ...CRITERIA.map((id) => s.criteria.find((c) => c.id === id)?.status ?? ""),
    ]),
  );
  return [header, ...body];
}
