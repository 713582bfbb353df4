import { isSecondFactorRequired, signInStep } from "~/core/security/second-factor";
import { getAgency } from "~/models/agency.server";
import { findSecondFactorSet, hasAnyFactor } from "~/models/second-factor.server";
import type { User } from "~/models/user.server";
import { env } from "~/utils/env.server";

/** Must `user` have a second factor (the setting, or their agency's rule for all its staff)? */
export async function secondFactorRequiredFor(user: Pick<User, "kind" | "roles" | "agencyId">): Promise<boolean> {
  const agency = user.agencyId && user.kind !== "citizen" ? await getAgency(user.agencyId) : null;
  return isSecondFactorRequired({ kind: user.kind, roles: user.roles ?? [] }, env().secondFactor.requiredFor, agency?.secondFactorForAllStaff === true);
}

/** After the right password: give the second factor, enrol one first, or nothing more. */
export async function secondFactorStepFor(user: User): Promise<"secondFactor" | "enrolSecondFactor" | null> {
  if (user.kind === "citizen") return null;
  const set = await findSecondFactorSet(String(user._id));
  return signInStep(hasAnyFactor(set), await secondFactorRequiredFor(user));
}
