import { createHash } from "node:crypto";
import type { Actor } from "~/core/actor";
import { isAppError } from "~/core/errors";
import { transitionsOf } from "~/core/workflow/types";
import type { Role } from "~/core/workflow/types";
import { getCase, type CaseDoc } from "~/models/case.server";
import { getServiceVersion } from "~/models/service.server";
import { fireCaseEvent } from "../fire-case-event.server";

export const FEE_PAID = "FEE_PAID";

/** The roles the case's current FEE_PAID transition requires; null when its current state takes no FEE_PAID. */
export async function feePaidRoles(record: CaseDoc): Promise<Role[] | null> {
  const service = await getServiceVersion(record.serviceVersionId);
  if (!service || record.status !== "active") return null;
  const found = transitionsOf(service.definition.workflow.states[record.stateValue]).find(([event]) => event === FEE_PAID);
  return found ? found[1].meta.roles : null;
}

/** The bank, acting on the agency's behalf: an API actor holding exactly the roles FEE_PAID asks for. */
export function bankActor(agencyId: string, roles: Role[]): Actor {
  return { kind: "api", id: `bank:${agencyId}`, name: "การชำระผ่านธนาคาร / Bank payment", agencyId, roles };
}

/**
 * Sends FEE_PAID to the case for a paid request, resumably: when the case no longer waits for the fee, the event
 * was sent already (by an earlier run of the same line) and nothing is sent again. A concurrent change of the case
 * (a stale revision) is retried on the fresh case.
 */
export async function fireFeePaid(input: { agencyId: string; caseId: string; paymentReference: string; comment?: string; now?: Date }): Promise<"fired" | "already"> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = await getCase(input.caseId);
    if (!record) return "already";
    const roles = await feePaidRoles(record);
    if (!roles) return "already";
    try {
      await fireCaseEvent(
        bankActor(input.agencyId, roles),
        input.caseId,
        { type: FEE_PAID, rev: record.rev, data: { paymentReference: input.paymentReference }, ...(input.comment ? { comment: input.comment } : {}) },
        input.now,
      );
      return "fired";
    } catch (error) {
      if (isAppError(error) && error.code === "STALE_REVISION") continue;
      throw error;
    }
  }
  throw new Error(`FEE_PAID for case ${input.caseId} kept meeting concurrent changes`);
}

export const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");
