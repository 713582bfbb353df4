import type { FieldError } from "../forms/form-validation";
import type { LocalizedText } from "../text";

/**
 * Referral to another agency (Act B.E. 2565 s.10: a matter sent to the wrong agency is passed on). Pure rules:
 * what the officer asked for, and which of the target agency's services receives the case.
 */

/** What the officer asked for, read from the event data. */
export type ReferralRequest =
  | { kind: "platform"; agencyId: string }
  | { kind: "external"; name: LocalizedText; address?: string };

/** The checked target, carried in the referToAgency effect's params. */
export type ReferralTarget =
  | { kind: "platform"; agencyId: string; agencyName: LocalizedText; serviceSlug: string }
  | { kind: "external"; name: LocalizedText; address?: string };

export const REFERRAL_NAME_MAX = 200;
export const REFERRAL_ADDRESS_MAX = 500;

/** The template every agency's general petition is cloned from: the fallback that receives any matter. */
export const GENERAL_PETITION_TEMPLATE = "general-petition";

const say = (pointer: string, th: string, en: string): FieldError => ({ pointer, message: { th, en } });
const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/**
 * Reads `{ agencyId }` (an agency on the platform) or `{ agencyName: { th, en }, address? }` (one that is not).
 * Errors carry JSON pointers into the event data. Whether the agency exists is for the caller to check.
 */
export function readReferralRequest(data: unknown, ownAgencyId: string): { value?: ReferralRequest; errors: FieldError[] } {
  const input = (typeof data === "object" && data !== null && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
  const agencyId = text(input.agencyId);
  const name = (typeof input.agencyName === "object" && input.agencyName !== null ? input.agencyName : {}) as Record<string, unknown>;
  const nameTh = text(name.th);
  const nameEn = text(name.en);
  const address = text(input.address);
  if (agencyId) {
    if (nameTh || nameEn) {
      return { errors: [say("/agencyId", "เลือกหน่วยงานในระบบ หรือพิมพ์ชื่อหน่วยงานนอกระบบ อย่างใดอย่างหนึ่ง", "Choose an agency on the platform or type the name of one that is not, not both")] };
    }
    if (agencyId === ownAgencyId) {
      return { errors: [say("/agencyId", "ส่งต่อเรื่องไปยังหน่วยงานของท่านเองไม่ได้ เลือกหน่วยงานอื่น", "You cannot refer a case to your own agency; choose another agency")] };
    }
    return { value: { kind: "platform", agencyId }, errors: [] };
  }
  if (!nameTh && !nameEn && input.agencyName !== undefined) {
    // "Not on the platform" chosen, and no name typed.
    return { errors: [say("/agencyName/th", "พิมพ์ชื่อหน่วยงานที่มีอำนาจเป็นภาษาไทย", "Enter the name of the competent agency in Thai")] };
  }
  if (!nameTh && !nameEn) {
    return { errors: [say("/agencyId", "เลือกหน่วยงานที่จะส่งต่อเรื่อง หรือพิมพ์ชื่อหน่วยงานที่ไม่อยู่ในระบบ", "Choose the agency to refer the case to, or type the name of one that is not on the platform")] };
  }
  const errors: FieldError[] = [];
  if (!nameTh) errors.push(say("/agencyName/th", "พิมพ์ชื่อหน่วยงานเป็นภาษาไทย", "Enter the agency's name in Thai"));
  for (const [pointer, value] of [["/agencyName/th", nameTh], ["/agencyName/en", nameEn]] as const) {
    if (value.length > REFERRAL_NAME_MAX) errors.push(say(pointer, `ชื่อหน่วยงานยาวเกิน ${REFERRAL_NAME_MAX} ตัวอักษร`, `The agency's name is longer than ${REFERRAL_NAME_MAX} characters`));
  }
  if (address.length > REFERRAL_ADDRESS_MAX) errors.push(say("/address", `ที่อยู่ยาวเกิน ${REFERRAL_ADDRESS_MAX} ตัวอักษร`, `The address is longer than ${REFERRAL_ADDRESS_MAX} characters`));
  if (errors.length > 0) return { errors };
  // A name given in Thai only is printed in Thai in the English lines too: it is a proper name.
  return { value: { kind: "external", name: { th: nameTh, en: nameEn || nameTh }, ...(address ? { address } : {}) }, errors: [] };
}

/**
 * The target agency's service that receives the case: its clone of the same OPDC template when it has one,
 * otherwise its general petition. Null when it has neither.
 */
export function receivingService(
  services: readonly { _id: string; isTemplate: boolean; sourceTemplate?: { id: string } }[],
  templateId: string | undefined,
): string | null {
  const own = services.filter((s) => !s.isTemplate);
  const same = templateId ? own.find((s) => s.sourceTemplate?.id === templateId) : undefined;
  const general = own.find((s) => s.sourceTemplate?.id === GENERAL_PETITION_TEMPLATE);
  return (same ?? general)?._id ?? null;
}

/** How the agency is named to the applicant: "name, address". */
export function describeReferralTarget(target: ReferralTarget, lang: "th" | "en"): string {
  if (target.kind === "platform") return target.agencyName[lang];
  return [target.name[lang], target.address].filter(Boolean).join(", ");
}

/** What the case page says about referrals: where the case went (or is going), and where it came from. */
export type CaseReferrals = {
  to?: { agencyName: LocalizedText; address?: string; onPlatform: boolean; caseId?: string; trackingNumber?: string };
  from?: { agencyName: LocalizedText; caseId: string; trackingNumber: string };
};

type LinkedEntry = { event: string; link?: { caseId: string; trackingNumber: string; agencyName: LocalizedText } };

/** Reads a case's referrals from its effects (the checked target) and its history (the linked cases). Pure. */
export function referralsOf(record: { effects: readonly { type: string; paramsJson: string }[]; history: readonly LinkedEntry[] }): CaseReferrals {
  const out: CaseReferrals = {};
  const incoming = record.history.find((h) => h.event === "REFERRED_FROM" && h.link);
  if (incoming?.link) out.from = { agencyName: incoming.link.agencyName, caseId: incoming.link.caseId, trackingNumber: incoming.link.trackingNumber };
  const effect = [...record.effects].reverse().find((e) => e.type === "referToAgency");
  const target = effect ? (JSON.parse(effect.paramsJson || "{}") as { target?: ReferralTarget }).target : undefined;
  if (target?.kind === "external") {
    out.to = { agencyName: target.name, ...(target.address ? { address: target.address } : {}), onPlatform: false };
  } else if (target) {
    const outgoing = [...record.history].reverse().find((h) => h.event === "REFERRED_TO" && h.link);
    out.to = {
      agencyName: target.agencyName,
      onPlatform: true,
      ...(outgoing?.link ? { caseId: outgoing.link.caseId, trackingNumber: outgoing.link.trackingNumber } : {}),
    };
  }
  return out;
}
