import type { Actor } from "~/core/actor";
import { applyAccountPrefill } from "~/core/forms/account-prefill";
import { applyPrefill, fillablePrefillPointers, markPrefilledUi, prefillFields } from "~/core/identity/verified-claims";
import { env } from "~/utils/env.server";
import { verifiedClaimsOfUser } from "./verified-identity.server";

export type PrefilledForm = { data: Record<string, unknown>; uiSchema: Record<string, unknown>; prefilled: string[] };

/**
 * The apply page's starting data and UI schema: fields marked `x-prefill` hold the signed-in citizen's verified
 * claims, read-only and marked with the provider ("จาก ThaID / from ThaID"). Fields marked `x-prefill: "email"`
 * (and `"name"` when no verified name filled it) start from the account, editable since the account is not a
 * verified identity. Nothing changes for a form without such fields.
 */
export async function prefillApplication(actor: Actor, schema: unknown, uiSchema: unknown, data: unknown): Promise<PrefilledForm> {
  const plain = { data: (data ?? {}) as Record<string, unknown>, uiSchema: (uiSchema ?? {}) as Record<string, unknown>, prefilled: [] };
  if (actor.kind !== "citizen") return plain;
  const verified = await prefillFromClaims(actor, schema, uiSchema, data, plain);
  // The account fills what is still empty: its e-mail, and its name where no verified name did.
  const fromAccount = applyAccountPrefill(schema, verified.data, { name: actor.name, email: actor.email });
  return { ...verified, data: fromAccount.data };
}

async function prefillFromClaims(actor: Actor, schema: unknown, uiSchema: unknown, data: unknown, plain: PrefilledForm): Promise<PrefilledForm> {
  if (prefillFields(schema).length === 0) return plain;
  const claims = await verifiedClaimsOfUser(actor.id);
  const pointers = fillablePrefillPointers(schema, claims);
  if (!claims || pointers.length === 0) return plain;
  const provider = env().oidcProviders.find((p) => p.id === claims.provider);
  const label = provider?.label ?? { th: claims.provider, en: claims.provider };
  const note = `✓ จาก ${label.th} / from ${label.en}`;
  return { data: applyPrefill(schema, data, claims), uiSchema: markPrefilledUi(uiSchema, pointers, note), prefilled: pointers };
}
