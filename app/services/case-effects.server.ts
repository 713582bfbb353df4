import { randomUUID } from "node:crypto";
import type { Effect } from "~/core/workflow/runner";
import type { CaseEffect } from "~/models/case.server";

/** Effects are queued on the case in the same update as the transition (an outbox), each with its own id. */
export function newEffects(effects: Effect[], now: Date): CaseEffect[] {
  return effects.map((effect) => ({
    id: randomUUID(),
    type: effect.type,
    paramsJson: JSON.stringify(effect.params ?? {}),
    status: "pending" as const,
    createdAt: now,
  }));
}
