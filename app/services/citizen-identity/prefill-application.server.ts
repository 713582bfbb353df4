import type { Actor } from "~/core/actor";
import { applyPrefill, fillablePrefillPointers, markPrefilledUi, prefillFields } from "~/core/identity/verified-claims";
import { env } from "~/utils/env.server";
import { verifiedClaimsOfUser } from "./verified-identity.server";

export type PrefilledForm = { data: Record<string, unknown>; uiSchema: Record<string, unknown>; prefilled: string[] };

/**
 * The apply page's starting data and UI schema: fields marked `x-prefill` hold the signed-in citizen's verified
 * claims, read-only and marked with the provider ("จาก ThaID / from ThaID"). Nothing changes for a citizen who
 * signed in without a provider, or for a form without such fields.
 */
export async function prefillApplication(actor: Actor, schema: unknown, uiSchema: unknown, data: unknown): Promise<PrefilledForm> {
  const plain = { data: (data ?? {}) as Record<string, unknown>, uiSchema: (uiSchema ?? {}) as Record<string, unknown>, prefilled: [] };
  if (actor.kind !== "citizen" || prefillFields(schema).length === 0) return plain;
  const claims = await verifiedClaimsOfUser(actor.id);
  const pointers = fillablePrefillPointers(schema, claims);
  if (!claims || pointers.length === 0) return plain;
  const provider = env().oidcProviders.find((p) => p.id === claims.provider);
  const label = provider?.label ?? { th: claims.provider, en: claims.provider };
  const note = `✓ จาก ${label.th} / from ${label.en}`;
  return { data: applyPrefill(schema, data, claims), uiSchema: markPrefilledUi(uiSchema, pointers, note), prefilled: pointers };
}
