import { canSeeCase, type Actor } from "~/core/actor";
import { notFound } from "~/core/errors";
import { getCase, type CaseDoc } from "~/models/case.server";
import { getServiceVersion, type PublishedService } from "~/models/service.server";

/**
 * Loads a case the actor may see, with the exact service version it was filed under.
 * A case of another agency is reported as not found: no hint that it exists. `read`: how the case is read
 * (a transition reads it grouped with concurrent transitions' reads: getCaseGrouped).
 */
export async function loadVisibleCase(
  actor: Actor,
  caseId: string,
  read: (id: string) => Promise<CaseDoc | null> = getCase,
): Promise<{ record: CaseDoc; service: PublishedService }> {
  const record = await read(caseId);
  if (!record || !canSeeCase(actor, record)) throw notFound({ th: "คำขอนี้", en: "Application" });
  const service = await getServiceVersion(record.serviceVersionId);
  if (!service) throw new Error(`Service version ${record.serviceVersionId} of case ${caseId} is missing`);
  return { record, service };
}
