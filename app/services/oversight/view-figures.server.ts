import type { Actor } from "~/core/actor";
import { AppError, notFound } from "~/core/errors";
import type { AgencyFigures } from "~/core/oversight/figures";
import { publicStatistics, type PublicStatistics } from "~/core/oversight/figure-tables";
import { requireOpdcAdmin } from "../onboarding/access.server";
import { listAgencies } from "~/models/agency.server";
import { loadAgencyFigures, loadAgencyFiguresByCode, loadAllAgencyFigures } from "./agency-figures.server";

/**
 * The agency's figures from the last snapshot. An agency that exists but is not in it yet (the worker's first
 * computation, or an agency added since) is being prepared: 503, like the registry before its first snapshot.
 */
async function figuresByCode(agencyCode: string, what: { th: string; en: string }): Promise<AgencyFigures> {
  const figures = await loadAgencyFiguresByCode(agencyCode);
  if (figures) return figures;
  const wanted = agencyCode.trim().toUpperCase();
  const known = (await listAgencies()).some((a) => a.kind !== "opdc" && a.code.toUpperCase() === wanted);
  if (!known) throw notFound(what);
  throw new AppError("UNAVAILABLE", {
    th: "กำลังจัดทำสถิติของหน่วยงานนี้ โปรดลองใหม่ในอีกสักครู่",
    en: "This agency's figures are being prepared; please try again in a few minutes",
  });
}

/** OPDC's dashboard: every agency's figures and those over all agencies, from the last snapshot. Errors: FORBIDDEN. */
export async function viewOpdcDashboard(actor: Actor): Promise<{ agencies: AgencyFigures[]; all: AgencyFigures | null }> {
  requireOpdcAdmin(actor);
  const [agencies, all] = await Promise.all([loadAgencyFigures(), loadAllAgencyFigures()]);
  return { agencies, all };
}

/** One agency's figures for OPDC. Errors: FORBIDDEN, NOT_FOUND, UNAVAILABLE (not computed yet). */
export async function viewAgencyDashboard(actor: Actor, agencyCode: string): Promise<AgencyFigures> {
  requireOpdcAdmin(actor);
  return figuresByCode(agencyCode, { th: "หน่วยงาน", en: "Agency" });
}

/** An agency's public statistics (no sign-in). Errors: NOT_FOUND (unknown code), UNAVAILABLE (not computed yet). */
export async function viewPublicStatistics(agencyCode: string): Promise<PublicStatistics> {
  return publicStatistics(await figuresByCode(agencyCode, { th: "สถิติของหน่วยงาน", en: "Agency statistics" }));
}
