import { AppError } from "../errors";

/** The account kinds that sign in with a password and may (or must) have a second factor. */
export const STAFF_KINDS = ["staff", "agencyAdmin", "opdcAdmin"] as const;

export type SecondFactorSubject = { kind: string; roles: readonly string[] };

/**
 * Must this account have a second factor? Staff kinds only: when its kind or one of its roles is listed in
 * `requiredFor` (SECOND_FACTOR_REQUIRED_ROLES), or when its agency requires one of all its staff.
 */
export function isSecondFactorRequired(user: SecondFactorSubject, requiredFor: readonly string[], agencyRequiresAll: boolean): boolean {
  if (!(STAFF_KINDS as readonly string[]).includes(user.kind)) return false;
  if (agencyRequiresAll) return true;
  return requiredFor.includes(user.kind) || user.roles.some((role) => requiredFor.includes(role));
}

/** What a sign-in with the right password still needs: nothing, the second factor, or enrolling one first. */
export function signInStep(hasFactor: boolean, required: boolean): "secondFactor" | "enrolSecondFactor" | null {
  if (hasFactor) return "secondFactor";
  return required ? "enrolSecondFactor" : null;
}

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes of the step before and after are accepted too (clock drift). */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** A passkey challenge is good for this long and once. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** Crockford's base32 without I, L, O, U: nothing to misread when typed from paper. */
const RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A recovery code from 10 random bytes: `XXXXX-XXXXX` (50 bits). */
export function formatRecoveryCode(bytes: Uint8Array): string {
  const chars = [...bytes.slice(0, 10)].map((b) => RECOVERY_ALPHABET[b % 32]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5, 10)}`;
}

/** What a person typed, as the stored form: upper case, without spaces or dashes; null when it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, "");
  return /^[0-9A-HJKMNP-TV-Z]{10}$/.test(plain) ? plain : null;
}

/** A six-digit code as typed (spaces allowed); null when it is not six digits. */
export function normalizeTotpCode(typed: string): string | null {
  const plain = typed.replace(/\s/g, "");
  return /^\d{6}$/.test(plain) ? plain : null;
}

export type SecondFactorRefusal =
  | "codeMalformed"
  | "codeWrong"
  | "codeReused"
  | "recoveryCodeWrong"
  | "passkeyNotRegistered"
  | "passkeyInvalid"
  | "challengeUnknown"
  | "challengeExpired"
  | "noPendingTotp"
  | "lastFactor"
  | "nameMissing";

const REFUSALS: Record<SecondFactorRefusal, { th: string; en: string }> = {
  codeMalformed: { th: "รหัสต้องเป็นตัวเลข 6 หลัก", en: "The code must be 6 digits" },
  codeWrong: { th: "รหัสจากแอปยืนยันตัวตนไม่ถูกต้องหรือหมดเวลาแล้ว", en: "The authenticator app code is wrong or has expired" },
  codeReused: {
    th: "รหัสนี้ถูกใช้ไปแล้ว กรุณารอรหัสถัดไปจากแอปยืนยันตัวตน",
    en: "This code has already been used: wait for the next code from your authenticator app",
  },
  recoveryCodeWrong: { th: "รหัสกู้คืนไม่ถูกต้องหรือถูกใช้ไปแล้ว", en: "The recovery code is wrong or has already been used" },
  passkeyNotRegistered: {
    th: "พาสคีย์นี้ไม่ได้ลงทะเบียนไว้กับบัญชีนี้",
    en: "This passkey is not registered to this account",
  },
  passkeyInvalid: {
    th: "ยืนยันพาสคีย์ไม่สำเร็จ (เว็บไซต์หรือโดเมนไม่ตรง หรือข้อมูลไม่ถูกต้อง)",
    en: "The passkey could not be verified (wrong site or domain, or invalid data)",
  },
  challengeUnknown: {
    th: "คำขอยืนยันพาสคีย์นี้ไม่ถูกต้องหรือถูกใช้ไปแล้ว กรุณาลองใหม่",
    en: "This passkey request is not valid or was already used: try again",
  },
  challengeExpired: { th: "คำขอยืนยันพาสคีย์หมดเวลาแล้ว กรุณาลองใหม่", en: "The passkey request has expired: try again" },
  noPendingTotp: { th: "ยังไม่ได้เริ่มเพิ่มแอปยืนยันตัวตน", en: "No authenticator app enrolment was started" },
  lastFactor: {
    th: "ไม่สามารถลบวิธียืนยันตัวตนขั้นที่สองวิธีสุดท้ายได้ เพราะบัญชีนี้ต้องมีอย่างน้อยหนึ่งวิธี",
    en: "You cannot remove your last second factor: this account must have one",
  },
  nameMissing: { th: "กรุณาตั้งชื่อพาสคีย์ (1–60 ตัวอักษร)", en: "Give the passkey a name (1–60 characters)" },
};

/** A refused second-factor step: 401 while signing in, 422 (FORM_INVALID) while enrolling or managing. */
export function secondFactorRefused(reason: SecondFactorRefusal, during: "signIn" | "manage"): AppError {
  const text = REFUSALS[reason];
  return new AppError(during === "signIn" ? "UNAUTHENTICATED" : "FORM_INVALID", text, { reason });
}

export function refusalOf(error: AppError): SecondFactorRefusal | null {
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return typeof reason === "string" && Object.hasOwn(REFUSALS, reason) ? (reason as SecondFactorRefusal) : null;
}
