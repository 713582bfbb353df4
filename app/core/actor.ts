import type { ActingParty } from "./workflow/separation-of-duties";
import type { Role, StaffRole } from "./workflow/types";

/** Who is acting: a signed-in person or an agency's API client. */
export type Actor =
  | { kind: "citizen"; id: string; name: string; email?: string }
  | { kind: "staff"; id: string; name: string; agencyId: string; roles: StaffRole[]; isAdmin: boolean }
  | { kind: "opdc"; id: string; name: string }
  /** `services`: the slugs an API key may act on; absent means every service of its agency. */
  | { kind: "api"; id: string; name: string; agencyId: string; roles: Role[]; services?: string[] };

export type CaseParties = { agencyId: string; applicant: { kind: string; id: string } };

/** The roles an actor holds on one case: staff roles only inside their own agency, "applicant" only on their own case. */
export function rolesOnCase(actor: Actor, target: CaseParties): Role[] {
  const roles = new Set<Role>();
  if (target.applicant.id === actor.id) roles.add("applicant");
  if ((actor.kind === "staff" || actor.kind === "api") && actor.agencyId === target.agencyId) {
    for (const role of actor.roles) if (role !== "applicant") roles.add(role);
  }
  return [...roles];
}

/** May the actor see the case at all? The applicant, or staff/API clients of the case's agency. */
export function canSeeCase(actor: Actor, target: CaseParties): boolean {
  if (target.applicant.id === actor.id) return true;
  return (actor.kind === "staff" || actor.kind === "api") && actor.agencyId === target.agencyId;
}

/**
 * The actor as the workflow core sees them on one case: their roles there, and who filed the case and took
 * each earlier event, so the four-eyes rules can be decided (identities: person or API key id).
 */
export function actingOnCase(
  actor: Actor,
  target: CaseParties & { history: readonly { event: string; actor: { id: string } }[] },
): ActingParty {
  return {
    roles: rolesOnCase(actor, target),
    actor: actor.id,
    filer: target.applicant.id,
    history: target.history.map((h) => ({ event: h.event, actor: h.actor.id })),
  };
}

export function actorRef(actor: Actor): { kind: "citizen" | "staff" | "api"; id: string; name: string } {
  return { kind: actor.kind === "opdc" ? "staff" : actor.kind, id: actor.id, name: actor.name };
}
