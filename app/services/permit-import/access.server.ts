import type { Actor } from "~/core/actor";
import { requireSessionActor } from "~/utils/auth.server";

export type AgencyAdmin = Extract<Actor, { kind: "staff" }>;

/** Importing permits is for the agency's admins: others get 403, visitors the login page. */
export async function requireAgencyAdmin(request: Request): Promise<AgencyAdmin> {
  const actor = await requireSessionActor(request);
  if (actor.kind !== "staff" || !actor.isAdmin) {
    throw new Response("เฉพาะผู้ดูแลระบบของหน่วยงาน / Agency administrators only", { status: 403 });
  }
  return actor;
}
