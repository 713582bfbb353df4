import type { Actor } from "~/core/actor";
import { forbidden } from "~/core/errors";

export type FinanceActor = Extract<Actor, { kind: "staff" }>;

/**
 * The agency's finance work (statements, unmatched payments, receipts, payment figures): cashiers and the
 * agency's administrators, always scoped to their own `agencyId`. Anyone else: 403.
 */
export function requireFinanceStaff(actor: Actor): FinanceActor {
  if (actor.kind !== "staff" || !(actor.isAdmin || actor.roles.includes("cashier"))) throw forbidden();
  return actor;
}

export const isFinanceStaff = (actor: Actor): boolean => actor.kind === "staff" && (actor.isAdmin || actor.roles.includes("cashier"));
