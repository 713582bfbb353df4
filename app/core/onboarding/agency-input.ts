import type { FieldError } from "../forms/form-validation";
import type { LocalizedText } from "../text";

/** The kinds of agency OPDC onboards (OPDC itself is not added through the form). */
export const AGENCY_KINDS = ["municipality", "sao", "provincialOffice", "department"] as const;
export type OnboardedAgencyKind = (typeof AGENCY_KINDS)[number];
export const READINESS_LEVELS = ["initial", "standard"] as const;
export type ReadinessLevel = (typeof READINESS_LEVELS)[number];

export type AgencyContact = { name: string; email: string; phone: string };
export type NewAgencyInput = {
  code: string;
  name: LocalizedText;
  kind: OnboardedAgencyKind;
  /** Required except for a national department. */
  province?: string;
  contact: AgencyContact;
  targetLevel: ReadinessLevel;
};

/** Upper-case letters and digits, starting with a letter: it also becomes the agency's id (lower-cased). */
export const AGENCY_CODE = /^[A-Z][A-Z0-9]{1,11}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_TEXT = 200;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** A Thai telephone number, landline or mobile: 9 or 10 digits starting with 0 (or +66), spaces and dashes allowed. */
export function normalizeThaiPhone(value: string): string | null {
  const digits = value.replace(/[\s-]/g, "");
  const local = digits.startsWith("+66") ? `0${digits.slice(3)}` : digits;
  return /^0\d{8,9}$/.test(local) ? local : null;
}

const text = (value: unknown): string => (typeof value === "string" ? value.trim() : "");
const msg = (th: string, en: string): LocalizedText => ({ th, en });

/**
 * Checks the "add an agency" form (page or API) against the rules and the list of provinces; every problem is
 * reported at once with its JSON pointer, so the page can show each beside its field.
 */
export function parseNewAgency(input: unknown, provinces: readonly string[]): { agency: NewAgencyInput } | { fields: FieldError[] } {
  const body = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const name = (typeof body.name === "object" && body.name !== null ? body.name : {}) as Record<string, unknown>;
  const contact = (typeof body.contact === "object" && body.contact !== null ? body.contact : {}) as Record<string, unknown>;
  const fields: FieldError[] = [];
  const fail = (pointer: string, message: LocalizedText) => fields.push({ pointer, message });

  const code = text(body.code).toUpperCase();
  if (!AGENCY_CODE.test(code)) fail("/code", msg("รหัสหน่วยงานต้องเป็นอักษรภาษาอังกฤษตัวพิมพ์ใหญ่หรือตัวเลข 2–12 ตัว ขึ้นต้นด้วยตัวอักษร เช่น BKN01", "The agency code must be 2–12 upper-case letters or digits, starting with a letter, e.g. BKN01"));
  const nameTh = text(name.th);
  const nameEn = text(name.en);
  if (!nameTh || nameTh.length > MAX_TEXT) fail("/name/th", msg("กรอกชื่อหน่วยงานภาษาไทย (ไม่เกิน 200 ตัวอักษร)", "Enter the agency's name in Thai (at most 200 characters)"));
  if (!nameEn || nameEn.length > MAX_TEXT) fail("/name/en", msg("กรอกชื่อหน่วยงานภาษาอังกฤษ (ไม่เกิน 200 ตัวอักษร)", "Enter the agency's name in English (at most 200 characters)"));
  const kind = text(body.kind) as OnboardedAgencyKind;
  if (!AGENCY_KINDS.includes(kind)) fail("/kind", msg("เลือกประเภทหน่วยงาน", "Choose the kind of agency"));
  const province = text(body.province);
  if (province ? !provinces.includes(province) : kind !== "department") {
    fail("/province", msg("เลือกจังหวัดจากรายการ", "Choose a province from the list"));
  }
  const contactName = text(contact.name);
  if (!contactName || contactName.length > MAX_TEXT) fail("/contact/name", msg("กรอกชื่อผู้ติดต่อ", "Enter the contact person's name"));
  const contactEmail = text(contact.email).toLowerCase();
  if (!isEmailAddress(contactEmail)) fail("/contact/email", msg("กรอกอีเมลผู้ติดต่อให้ถูกต้อง เช่น name@example.go.th", "Enter the contact's e-mail address, like name@example.go.th"));
  const phone = normalizeThaiPhone(text(contact.phone));
  if (!phone) fail("/contact/phone", msg("กรอกหมายเลขโทรศัพท์ 9–10 หลัก ขึ้นต้นด้วย 0 เช่น 02 123 4567", "Enter a 9 or 10 digit phone number starting with 0, like 02 123 4567"));
  const targetLevel = text(body.targetLevel) as ReadinessLevel;
  if (!READINESS_LEVELS.includes(targetLevel)) fail("/targetLevel", msg("เลือกระดับความพร้อมเป้าหมาย", "Choose the target readiness level"));

  if (fields.length > 0) return { fields };
  return {
    agency: {
      code,
      name: { th: nameTh, en: nameEn },
      kind,
      ...(province ? { province } : {}),
      contact: { name: contactName, email: contactEmail, phone: phone! },
      targetLevel,
    },
  };
}
