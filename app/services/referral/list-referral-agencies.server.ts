import { listAgencies } from "~/models/agency.server";

/** The agencies on the platform a case of `ownAgencyId` may be referred to (s.10): every other agency but OPDC. */
export async function listReferralAgencies(ownAgencyId: string): Promise<{ id: string; name: { th: string; en: string } }[]> {
  return (await listAgencies()).filter((a) => a._id !== ownAgencyId && a.kind !== "opdc").map((a) => ({ id: a._id, name: a.name }));
}
