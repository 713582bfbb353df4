import type { Actor } from "~/core/actor";
import { recordAudit } from "../audit/record-audit.server";
import { requireOpdcAdmin } from "../onboarding/access.server";
import { enforceRateLimit } from "../security/rate-limits.server";
import { refreshAgencyFigures } from "./agency-figures.server";

/**
 * OPDC's "recompute now": the figures at once instead of at the worker's next refresh. It reads every case,
 * so it is limited per account (figuresRecompute) and audited. Errors: FORBIDDEN, RATE_LIMITED.
 */
export async function recomputeAgencyFigures(actor: Actor, now = new Date()): Promise<{ agencies: number; computedAt: string }> {
  const opdc = requireOpdcAdmin(actor);
  await enforceRateLimit("figuresRecompute", opdc.id);
  const figures = await refreshAgencyFigures(now);
  await recordAudit(opdc, {
    action: "oversight.recompute",
    at: now,
    target: { type: "oversight-figures", id: "all" },
    details: { agencies: figures.agencies.length, filed: figures.all.filed, decided: figures.all.decided },
  });
  return { agencies: figures.agencies.length, computedAt: now.toISOString() };
}
