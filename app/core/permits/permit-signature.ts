/**
 * Verifying a signed permit (a JWS, EdDSA over Ed25519) against the agencies' published keys. Pure and
 * isomorphic: the same code runs on the server, in the browser for offline verification, and in the CLI.
 */
import { base64url, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import type { LocalizedText } from "~/core/text";
import type { SignedPermitPayload } from "./types";

export const SIGNATURE_ALG = "EdDSA";
export const PERMIT_JWS_TYPE = "borikan-permit+jws";
export const RESULT_JWS_TYPE = "borikan-result+jws";
export const RECEIPT_JWS_TYPE = "borikan-receipt+jws";

/** What /.well-known/borikan-keys.json publishes for each agency. */
export type PublishedKey = { kid: string; agency: string; jwk: JWK & { kid: string } };
export type KeySet = { keys: PublishedKey[] };

export type SignatureCheck<T> =
  | { ok: true; kid: string; agency: string; payload: T }
  | { ok: false; code: "MALFORMED" | "UNKNOWN_KEY" | "BAD_SIGNATURE" | "WRONG_AGENCY"; reason: LocalizedText };

const REASONS: Record<Exclude<SignatureCheck<unknown>, { ok: true }>["code"], LocalizedText> = {
  MALFORMED: { th: "ข้อมูลใน QR ไม่ใช่ลายมือชื่ออิเล็กทรอนิกส์ที่อ่านได้ (ข้อมูลไม่ครบหรือถูกแก้ไข)", en: "The QR data is not a readable electronic signature (incomplete or altered)" },
  UNKNOWN_KEY: { th: "ไม่พบกุญแจสาธารณะของหน่วยงานที่ใช้ลงนาม", en: "The signing key is not one of the agencies' published keys" },
  BAD_SIGNATURE: { th: "ลายมือชื่ออิเล็กทรอนิกส์ไม่ถูกต้อง: ข้อมูลถูกแก้ไขหลังการลงนาม", en: "The electronic signature does not match: the data was changed after signing" },
  WRONG_AGENCY: { th: "ลายมือชื่อเป็นของหน่วยงานอื่น ไม่ใช่หน่วยงานที่ระบุในใบอนุญาต", en: "The signature belongs to a different agency than the one named on the permit" },
};

/** What a verification says of a stored document's signature, as the verify pages and APIs show it. */
export type SignatureVerdict = { valid: boolean; kid?: string; reason?: LocalizedText; mismatchedFields?: string[] };

/**
 * The verdict on a stored document: its signature checks out and the signed fields still equal the stored ones.
 * `mismatchesOf` names the stored fields that differ from the signed payload; `differs` words the failure for
 * this kind of document (th/en) given those field names.
 */
export function signatureVerdict<T>(
  check: SignatureCheck<T>,
  mismatchesOf: (signed: Extract<SignatureCheck<T>, { ok: true }>) => string[],
  differs: (fields: string) => LocalizedText,
): SignatureVerdict {
  if (!check.ok) return { valid: false, reason: check.reason };
  const mismatched = mismatchesOf(check);
  if (mismatched.length === 0) return { valid: true, kid: check.kid };
  return { valid: false, kid: check.kid, mismatchedFields: mismatched, reason: differs(mismatched.join(", ")) };
}

const fail = <T>(code: keyof typeof REASONS): SignatureCheck<T> => ({ ok: false, code, reason: REASONS[code] });

export async function verifySignedDocument<T extends { agency: string }>(jws: string, keySet: KeySet, type: string): Promise<SignatureCheck<T>> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jws.trim());
    if (header.alg !== SIGNATURE_ALG || header.typ !== type) return fail("MALFORMED");
    kid = header.kid;
  } catch {
    return fail("MALFORMED");
  }
  const key = keySet.keys.find((k) => k.kid === kid);
  if (!key) return fail("UNKNOWN_KEY");
  let payload: T;
  try {
    const verified = await compactVerify(jws.trim(), await importJWK(key.jwk, SIGNATURE_ALG));
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as T;
  } catch (error) {
    return fail((error as { code?: string }).code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" ? "BAD_SIGNATURE" : "MALFORMED");
  }
  if (payload.agency !== key.agency) return fail("WRONG_AGENCY");
  return { ok: true, kid: key.kid, agency: key.agency, payload };
}

export function verifyPermitJws(jws: string, keySet: KeySet): Promise<SignatureCheck<SignedPermitPayload>> {
  return verifySignedDocument<SignedPermitPayload>(jws, keySet, PERMIT_JWS_TYPE);
}

/** The payload of a JWS without checking it — for showing what a tampered QR claims. */
export function peekPayload(jws: string): unknown {
  try {
    const [, body] = jws.trim().split(".");
    return JSON.parse(new TextDecoder().decode(base64url.decode(body ?? "")));
  } catch {
    return null;
  }
}

export type SignedDocumentKind = "permit" | "letter" | "receipt";

/** Verifies a permit, a result letter or a payment receipt, telling which it is from the JWS header. */
export async function verifyAnySignedDocument(
  jws: string,
  keySet: KeySet,
): Promise<{ kind: SignedDocumentKind; check: SignatureCheck<Record<string, string> & { agency: string }> }> {
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(jws.trim()).typ;
  } catch {
    typ = undefined;
  }
  const kind: SignedDocumentKind = typ === RESULT_JWS_TYPE ? "letter" : typ === RECEIPT_JWS_TYPE ? "receipt" : "permit";
  const type = { permit: PERMIT_JWS_TYPE, letter: RESULT_JWS_TYPE, receipt: RECEIPT_JWS_TYPE }[kind];
  return { kind, check: await verifySignedDocument(jws, keySet, type) };
}
