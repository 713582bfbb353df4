import type { Actor } from "~/core/actor";
import { findUserByEmail } from "~/models/user.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { cloneSlug } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { actorOfUser } from "~/utils/auth.server";
import { healthHazardApplication } from "./factories";

export const HEALTH_HAZARD_SLUG = cloneSlug("sukjai", "health-hazard-licence");

export async function demoActor(email: string): Promise<Actor> {
  const user = await findUserByEmail(email);
  if (!user) throw new Error(`seeded user ${email} is missing`);
  return actorOfUser(user);
}
export const citizen = () => demoActor("citizen@demo.borikan.local");
/** officer + inspector of Suk Jai municipality. */
export const officer = () => demoActor("officer@sukjai.demo.borikan.local");
export const approver = () => demoActor("approver@sukjai.demo.borikan.local");

/** Files a health-hazard application and takes it to the decision step (accepted, inspected). */
export async function caseAwaitingDecision(n: number, overrides: Parameters<typeof healthHazardApplication>[0] = {}): Promise<string> {
  const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication(overrides, n), "web");
  const staff = await officer();
  await fireCaseEvent(staff, filed.id, { type: "ACCEPT" });
  await fireCaseEvent(staff, filed.id, { type: "RECORD_INSPECTION", comment: "สถานที่ถูกสุขลักษณะ ผ่านการตรวจ" });
  // The notices of these steps are produced off the request path: done before the test's own step.
  await settleCaseEffects(filed.id);
  return filed.id;
}

/** …and approved, waiting only for the fee; FEE_PAID then issues the permit. */
export async function caseAwaitingFee(n: number, overrides: Parameters<typeof healthHazardApplication>[0] = {}): Promise<string> {
  const id = await caseAwaitingDecision(n, overrides);
  await fireCaseEvent(await approver(), id, { type: "APPROVE" });
  await settleCaseEffects(id); // the approval letter and its notice
  return id;
}
