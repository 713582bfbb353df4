import type { Actor } from "~/core/actor";
import { notFound } from "~/core/errors";
import type { AgencyFigures } from "~/core/oversight/figures";
import { publicStatistics, type PublicStatistics } from "~/core/oversight/figure-tables";
import { requireOpdcAdmin } from "../onboarding/access.server";
import { loadAgencyFigures, loadAgencyFiguresByCode, loadAllAgencyFigures } from "./agency-figures.server";

/** OPDC's dashboard: every agency's figures and those over all agencies, from the last snapshot. Errors: FORBIDDEN. */
export async function viewOpdcDashboard(actor: Actor): Promise<{ agencies: AgencyFigures[]; all: AgencyFigures | null }> {
  requireOpdcAdmin(actor);
  const [agencies, all] = await Promise.all([loadAgencyFigures(), loadAllAgencyFigures()]);
  return { agencies, all };
}

/** One agency's figures for OPDC. Errors: FORBIDDEN, NOT_FOUND. */
export async function viewAgencyDashboard(actor: Actor, agencyCode: string): Promise<AgencyFigures> {
  requireOpdcAdmin(actor);
  const figures = await loadAgencyFiguresByCode(agencyCode);
  if (!figures) throw notFound({ th: "หน่วยงาน", en: "Agency" });
  return figures;
}

/** An agency's public statistics (no sign-in). Errors: NOT_FOUND (unknown code, or no figures yet). */
export async function viewPublicStatistics(agencyCode: string): Promise<PublicStatistics> {
  const figures = await loadAgencyFiguresByCode(agencyCode);
  if (!figures) throw notFound({ th: "สถิติของหน่วยงาน", en: "Agency statistics" });
  return publicStatistics(figures);
}
