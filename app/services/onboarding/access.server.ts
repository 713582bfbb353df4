import type { Actor } from "~/core/actor";
import { forbidden } from "~/core/errors";

export type OpdcActor = Extract<Actor, { kind: "opdc" }>;
export type AgencyAdminActor = Extract<Actor, { kind: "staff" }> & { isAdmin: true };

/** OPDC administrators only (an API key or any other account: 403). */
export function requireOpdcAdmin(actor: Actor): OpdcActor {
  if (actor.kind !== "opdc") throw forbidden();
  return actor;
}

/** Agency administrators only; everything they do is scoped to `agencyId`. */
export function requireAgencyAdmin(actor: Actor): AgencyAdminActor {
  if (actor.kind !== "staff" || !actor.isAdmin) throw forbidden();
  return actor as AgencyAdminActor;
}

/** Invitations may be handled by OPDC (any agency) or an agency admin (their own). */
export function requireInvitationManager(actor: Actor): OpdcActor | AgencyAdminActor {
  if (actor.kind === "opdc") return actor;
  return requireAgencyAdmin(actor);
}
