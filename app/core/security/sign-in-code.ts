import type { LocalizedText } from "../text";

/** E-mail one-time codes for citizens without ThaID: the rules, without I/O. */
export const SIGN_IN_CODE = {
  digits: 6,
  ttlMs: 10 * 60_000,
  /** Wrong entries a code survives; the one that reaches this number voids it. */
  maxWrongTries: 5,
} as const;

/** Accepts the code as people type or paste it ("123 456", "123-456"); null unless six digits remain. */
export function normalizeSignInCode(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const digits = value.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** A loose shape check (one @, a dot in the domain, no spaces, at most 254 characters); the mailbox decides the rest. */
export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return null;
  return email;
}

export type CodeRefusal = "malformed" | "none" | "wrong" | "expired" | "used" | "void" | "staff" | "inactive";

export type CodeCheck = { ok: true } | { ok: false; refusal: CodeRefusal; triesLeft?: number };

/**
 * What to answer for an entered code, given the stored code's state. `wrongSoFar` counts wrong entries before
 * this one. The order matters: a voided or expired code is refused before the code itself is compared, so a
 * guess after the limit learns nothing.
 */
export function judgeSignInCode(state: { expiresAt: Date; wrongSoFar: number; matches: boolean }, now: Date): CodeCheck {
  if (state.wrongSoFar >= SIGN_IN_CODE.maxWrongTries) return { ok: false, refusal: "void" };
  if (now.getTime() >= state.expiresAt.getTime()) return { ok: false, refusal: "expired" };
  if (state.matches) return { ok: true };
  const triesLeft = SIGN_IN_CODE.maxWrongTries - state.wrongSoFar - 1;
  return triesLeft <= 0 ? { ok: false, refusal: "void" } : { ok: false, refusal: "wrong", triesLeft };
}

/** The message for each refusal, in Thai and English. */
export function codeRefusalText(refusal: CodeRefusal, triesLeft = 0): LocalizedText {
  switch (refusal) {
    case "malformed":
      return { th: "กรุณากรอกรหัส 6 หลักที่ได้รับทางอีเมล", en: "Enter the 6-digit code from the e-mail" };
    case "none":
      return { th: "ไม่มีรหัสที่ใช้ได้สำหรับอีเมลนี้ กรุณาขอรหัสใหม่", en: "There is no usable code for this e-mail address: ask for a new code" };
    case "wrong":
      return { th: `รหัสไม่ถูกต้อง กรอกได้อีก ${triesLeft} ครั้ง`, en: `The code is wrong: ${triesLeft} ${triesLeft === 1 ? "try" : "tries"} left` };
    case "expired":
      return { th: "รหัสหมดอายุแล้ว (ใช้ได้ 10 นาที) กรุณาขอรหัสใหม่", en: "The code has expired (codes last 10 minutes): ask for a new code" };
    case "used":
      return { th: "รหัสนี้ถูกใช้ไปแล้ว กรุณาขอรหัสใหม่", en: "This code has already been used: ask for a new code" };
    case "void":
      return {
        th: `กรอกรหัสผิดครบ ${SIGN_IN_CODE.maxWrongTries} ครั้ง รหัสนี้จึงถูกยกเลิก กรุณาขอรหัสใหม่`,
        en: `The code was entered wrongly ${SIGN_IN_CODE.maxWrongTries} times and is now void: ask for a new code`,
      };
    case "staff":
      return {
        th: "บัญชีนี้เข้าสู่ระบบด้วยรหัสทางอีเมลไม่ได้ กรุณาเข้าสู่ระบบด้วยรหัสผ่านและปัจจัยที่สองที่หน้าเข้าสู่ระบบ",
        en: "This account cannot sign in with an e-mail code: sign in with your password and second factor on the sign-in page",
      };
    case "inactive":
      return { th: "บัญชีนี้ถูกระงับ จึงเข้าสู่ระบบไม่ได้", en: "This account is deactivated and cannot sign in" };
  }
}
