import { withDerivedRoles } from "~/core/studio/derived-roles";
import { STAFF_ROLES, type StaffRole } from "~/core/workflow/types";
import { getAgency } from "~/models/agency.server";
import { getServiceVersion, listServices, versionId, type ServiceSummary } from "~/models/service.server";

async function rolesOf(services: ServiceSummary[]): Promise<Set<string>> {
  const used = new Set<string>();
  for (const summary of services) {
    const published = await getServiceVersion(versionId(summary._id, summary.currentVersion));
    // The roles the workflow gives work to, derived as the studio derives the manifest's.
    if (published) for (const role of withDerivedRoles(published.definition).manifest.roles) used.add(role);
  }
  return used;
}

/**
 * The staff roles an agency can give: those its published services' workflows use. A new agency has published
 * nothing yet; it starts from OPDC's templates at its target readiness level, so it is offered their roles.
 */
export async function offeredRoles(agencyId: string): Promise<StaffRole[]> {
  let used = await rolesOf(await listServices({ agencyId, isTemplate: false }));
  if (used.size === 0) {
    const agency = await getAgency(agencyId);
    const templates = await listServices({ isTemplate: true });
    const atLevel = templates.filter((t) => !agency?.targetLevel || t.level === agency.targetLevel);
    used = await rolesOf(atLevel.length > 0 ? atLevel : templates);
  }
  return STAFF_ROLES.filter((role) => used.has(role));
}
