import { CaseModel, type CaseDoc } from "./case.server";

/**
 * The few fields of a case that oversight counts (readiness use, the stand-in agency figures): no form data,
 * no history. Agency-scoped reads use the inbox index's `agencyId` prefix on MongoDB; on the embedded database
 * any read but `_id` scans the collection, so only rarely opened pages and the worker call this.
 */
export type CaseFact = Pick<CaseDoc, "agencyId" | "serviceSlug" | "channel" | "status" | "outcome" | "receipt" | "sla" | "closedAt"> & {
  effects: { type: string }[];
};

export async function listCaseFacts(agencyId?: string): Promise<CaseFact[]> {
  return CaseModel.find(agencyId ? { agencyId } : {})
    .select("agencyId serviceSlug channel status outcome receipt sla closedAt effects.type")
    .lean<CaseFact[]>();
}
