import { payloadMismatches } from "~/core/permits/permit-rules";
import { verifyPermitJws, type SignatureCheck } from "~/core/permits/permit-signature";
import { publicPermitView, type PublicPermitView } from "~/core/permits/public-view";
import type { EffectiveStatus, SignedPermitPayload } from "~/core/permits/types";
import type { LocalizedText } from "~/core/text";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { getPermit } from "~/models/permit.server";
import { publishedKeySet } from "./document-signing.server";

export type PermitVerification = {
  /** True only when the permit exists, its signature matches its stored content, and it is in force today. */
  valid: boolean;
  status: EffectiveStatus | "unknown";
  permit: PublicPermitView | null;
  signature: { valid: boolean; kid?: string; reason?: LocalizedText; mismatchedFields?: string[] };
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
  let signature: PermitVerification["signature"];
  if (!check.ok) signature = { valid: false, reason: check.reason };
  else {
    const mismatched = check.payload.number === permit.number && check.agency === permit.agencyId ? payloadMismatches(check.payload, permit) : ["number"];
    signature =
      mismatched.length === 0
        ? { valid: true, kid: check.kid }
        : {
            valid: false,
            kid: check.kid,
            mismatchedFields: mismatched,
            reason: {
              th: `ข้อมูลในทะเบียนไม่ตรงกับที่หน่วยงานลงนามไว้ (${mismatched.join(", ")})`,
              en: `The registry's data differs from what the agency signed (${mismatched.join(", ")})`,
            },
          };
  }
  return { valid: signature.valid && view.status === "valid", status: view.status, permit: view, signature };
}
