import { createHmac, timingSafeEqual } from "node:crypto";
import { parseCallbackBody, SIGNATURE_PATTERN, signedText, timestampFresh } from "~/core/payments/bank-callback";
import { AppError } from "~/core/errors";
import { getAgencyBankCallbackSecret, listAgencies } from "~/models/agency.server";
import { unseal } from "~/utils/encryption.server";
import { logError } from "~/utils/log.server";
import { applyBankLine, type ApplyOutcome } from "./apply-bank-payment.server";

export const CALLBACK_SECRET_PURPOSE = "bank-callback-secret";

/** One answer for every authentication failure: nothing in it tells an attacker which part was wrong. */
const unauthenticated = () =>
  new AppError("UNAUTHENTICATED", { th: "ไม่สามารถยืนยันผู้ส่งการแจ้งชำระเงินได้", en: "The payment notification could not be authenticated" });

export type CallbackAnswer = { transactionId: string; outcome: ApplyOutcome["outcome"]; reason?: string; paymentReference?: string; replay: boolean };

/**
 * A bank's signed payment notification. Checked in this order: the agency has a secret, the timestamp is within
 * five minutes, the signature (timing-safe) — any failure 401 with the same message. Then the body, then the
 * transaction is applied exactly once: the same transaction id again answers its first outcome (a replay) and
 * applies nothing. Errors: UNAUTHENTICATED, BAD_REQUEST.
 */
export async function receiveBankCallback(input: { agencyCode: string; timestamp: string | null; signature: string | null; rawBody: string; now?: Date }): Promise<CallbackAnswer> {
  const now = input.now ?? new Date();
  const code = input.agencyCode.trim().toUpperCase();
  // Agencies are few (dozens); a lookup by code reads them all, as the statistics pages do.
  const agency = code ? (await listAgencies()).find((a) => a.code.toUpperCase() === code) : undefined;
  const sealed = agency ? await getAgencyBankCallbackSecret(agency._id) : null;
  if (!agency || !sealed || !timestampFresh(input.timestamp, now)) throw unauthenticated();
  const given = SIGNATURE_PATTERN.exec(input.signature ?? "")?.[1];
  let secret: string;
  try {
    secret = unseal(CALLBACK_SECRET_PURPOSE, sealed);
  } catch (error) {
    // Sealed under another KEY_ENCRYPTION_SECRET: the admin must generate a new secret.
    logError(`bank callback secret of ${agency._id} cannot be unsealed; generate a new one`, error);
    throw unauthenticated();
  }
  const expected = createHmac("sha256", secret).update(signedText(input.timestamp!, input.rawBody)).digest();
  if (!given || !timingSafeEqual(Buffer.from(given, "hex"), expected)) throw unauthenticated();

  let json: unknown;
  try {
    json = JSON.parse(input.rawBody);
  } catch {
    throw new AppError("BAD_REQUEST", { th: "เนื้อหาไม่ใช่ JSON ที่ถูกต้อง", en: "The body is not valid JSON" });
  }
  const parsed = parseCallbackBody(json);
  if (!parsed.ok) throw new AppError("BAD_REQUEST", { th: `ข้อมูล ${parsed.pointer} ไม่ถูกต้อง`, en: `${parsed.pointer} is missing or not valid` }, { pointer: parsed.pointer });
  const body = parsed.value;
  const result = await applyBankLine({
    agencyId: agency._id,
    source: "callback",
    transactionId: body.transactionId,
    now,
    line: { lineNumber: 0, bankCode: "callback", paidAt: body.paidAt, ref1: body.ref1, ref2: body.ref2, amountSatang: body.amountSatang, bankReference: body.transactionId, kind: "credit" },
  });
  return {
    transactionId: body.transactionId,
    outcome: result.outcome,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.paymentReference ? { paymentReference: result.paymentReference } : {}),
    replay: result.replay ?? false,
  };
}
