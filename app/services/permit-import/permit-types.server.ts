import type { ImportPermitType } from "~/core/permits/permit-import";
import { getServiceVersion, listServices, versionId } from "~/models/service.server";

export type AgencyPermitType = ImportPermitType & { code: string; numberFormat: string; serviceSlug: string };

/**
 * The permit types an agency issues, from the permit templates of its services' current versions, by code.
 * The first service of a code wins (two services issuing the same type share its name and conditions).
 */
export async function agencyPermitTypes(agencyId: string): Promise<Record<string, AgencyPermitType>> {
  const types: Record<string, AgencyPermitType> = {};
  for (const summary of await listServices({ agencyId, isTemplate: false })) {
    const service = await getServiceVersion(versionId(summary._id, summary.currentVersion));
    const permit = service?.definition.manifest.permit;
    if (!service?.definition.manifest.issuesPermit || !permit?.code || types[permit.code]) continue;
    types[permit.code] = {
      code: permit.code,
      typeName: permit.type,
      displayRequired: permit.displayRequired,
      conditions: permit.conditions ?? [],
      numberFormat: permit.numberFormat,
      serviceSlug: summary._id,
    };
  }
  return types;
}
