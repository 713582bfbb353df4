import { payloadMismatches } from "~/core/permits/permit-rules";
import { signatureVerdict, verifyPermitJws, type SignatureCheck, type SignatureVerdict } from "~/core/permits/permit-signature";
import { publicPermitView, type PublicPermitView } from "~/core/permits/public-view";
import type { EffectiveStatus, SignedPermitPayload } from "~/core/permits/types";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { getPermit } from "~/models/permit.server";
import { publishedKeySet } from "./document-signing.server";

export type PermitVerification = {
  /** True only when the permit exists, its signature matches its stored content, and it is in force today. */
  valid: boolean;
  status: EffectiveStatus | "unknown";
  permit: PublicPermitView | null;
  signature: SignatureVerdict;
};

/**
 * Online verification (GET /api/v1/permits/:number/verify): the live status from the store and a check
 * that the stored content is still what the agency signed.
 */
export async function verifyPermitNumber(number: string, now = new Date()): Promise<PermitVerification | null> {
  const permit = await getPermit(number);
  if (!permit) return null;
  const view = publicPermitView(permit, todayInBangkok(now));
  const check: SignatureCheck<SignedPermitPayload> = await verifyPermitJws(permit.signature.jws, await publishedKeySet(permit.signature.kid));
  const signature = signatureVerdict(
    check,
    (signed) => (signed.payload.number === permit.number && signed.agency === permit.agencyId ? payloadMismatches(signed.payload, permit) : ["number"]),
    (fields) => ({
      th: `ข้อมูลในทะเบียนไม่ตรงกับที่หน่วยงานลงนามไว้ (${fields})`,
      en: `The registry's data differs from what the agency signed (${fields})`,
    }),
  );
  return { valid: signature.valid && view.status === "valid", status: view.status, permit: view, signature };
}
