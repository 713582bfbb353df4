import type { Actor } from "~/core/actor";
import { AppError, forbidden } from "~/core/errors";
import type { LocalizedText } from "~/core/text";
import { putDelayReason } from "~/models/delay-reason.server";
import { recordAudit } from "~/services/audit/record-audit.server";
import { loadVisibleCase } from "~/services/case-access.server";

export const DELAY_REASON_LIMITS = { min: 5, max: 1000 } as const;

/**
 * An officer of the case's agency writes why the case is late; the next delay notices quote the latest reason
 * (English is optional: the Thai text is used for both when it is left empty). Audited.
 * Errors: NOT_FOUND (not visible), FORBIDDEN (not staff of the agency), FORM_INVALID (/reasonTh, /reasonEn).
 */
export async function recordDelayReason(actor: Actor, caseId: string, input: { th: unknown; en?: unknown }, now = new Date()): Promise<LocalizedText> {
  const { record } = await loadVisibleCase(actor, caseId);
  if (actor.kind !== "staff" || actor.agencyId !== record.agencyId) throw forbidden();
  const th = typeof input.th === "string" ? input.th.trim() : "";
  const en = typeof input.en === "string" ? input.en.trim() : "";
  const errors: { pointer: string; message: LocalizedText }[] = [];
  const { min, max } = DELAY_REASON_LIMITS;
  const tooShortOrLong = (what: LocalizedText): LocalizedText => ({
    th: `${what.th}ต้องยาว ${min}–${max} ตัวอักษร`,
    en: `${what.en} must be ${min}–${max} characters long`,
  });
  if (th.length < min || th.length > max) errors.push({ pointer: "/reasonTh", message: tooShortOrLong({ th: "เหตุที่ล่าช้า (ภาษาไทย) ", en: "The reason in Thai" }) });
  if (en && (en.length < min || en.length > max)) errors.push({ pointer: "/reasonEn", message: tooShortOrLong({ th: "เหตุที่ล่าช้า (ภาษาอังกฤษ) ", en: "The reason in English" }) });
  if (errors.length > 0) throw new AppError("FORM_INVALID", { th: "เหตุที่ล่าช้ายังไม่ถูกต้อง", en: "The reason for the delay has errors" }, { fields: errors });
  const reason = { th, en: en || th };
  await putDelayReason({ _id: caseId, reason, by: { id: actor.id, name: actor.name }, at: now });
  await recordAudit(actor, {
    action: "case.delay-reason",
    agencyId: record.agencyId,
    at: now,
    target: { type: "case", id: caseId },
    details: { trackingNumber: record.trackingNumber, reason: reason.th },
  });
  return reason;
}
