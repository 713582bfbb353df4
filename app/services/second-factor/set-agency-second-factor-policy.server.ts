import type { Actor } from "~/core/actor";
import { forbidden, notFound } from "~/core/errors";
import { setAgencySecondFactorForAllStaff } from "~/models/agency.server";
import { connectDb } from "~/utils/db.server";
import { recordAudit } from "../audit/record-audit.server";

/**
 * An agency admin decides whether every staff member of their agency must have a second factor (beyond those
 * SECOND_FACTOR_REQUIRED_ROLES names). It applies from each person's next sign-in. Errors: FORBIDDEN, NOT_FOUND.
 */
export async function setAgencySecondFactorPolicy(admin: Actor, requiredForAllStaff: boolean): Promise<{ agencyId: string; secondFactorForAllStaff: boolean }> {
  if (admin.kind !== "staff" || !admin.isAdmin) throw forbidden();
  await connectDb();
  const agency = await setAgencySecondFactorForAllStaff(admin.agencyId, requiredForAllStaff);
  if (!agency) throw notFound({ th: "หน่วยงาน", en: "Agency" });
  await recordAudit(admin, { action: "agency.second-factor-policy", target: { type: "agency", id: admin.agencyId }, details: { secondFactorForAllStaff: requiredForAllStaff } });
  return { agencyId: admin.agencyId, secondFactorForAllStaff: requiredForAllStaff };
}
