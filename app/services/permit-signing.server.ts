import { signedPayloadOf } from "~/core/permits/permit-rules";
import { PERMIT_JWS_TYPE } from "~/core/permits/permit-signature";
import type { PermitSignature, PublicPermit, StoredPermit } from "~/core/permits/types";
import { signDocument } from "./document-signing.server";

/** Signs a permit's canonical printed content with its agency's key. */
export function signPermit(permit: PublicPermit): Promise<PermitSignature> {
  return signDocument(permit.agencyId, signedPayloadOf(permit), PERMIT_JWS_TYPE);
}

/** A new store record for a permit: signed, revision 0, no status history yet. */
export async function newStoredPermit(
  permit: PublicPermit,
  origin: Pick<StoredPermit, "caseId" | "effectId" | "serviceSlug"> = {},
  now = new Date(),
): Promise<StoredPermit> {
  return { ...permit, ...origin, signature: await signPermit(permit), history: [], rev: 0, createdAt: now, updatedAt: now };
}
