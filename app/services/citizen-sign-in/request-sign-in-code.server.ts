import { randomUUID } from "node:crypto";
import { AppError } from "~/core/errors";
import { SIGN_IN_CODE, normalizeEmail } from "~/core/security/sign-in-code";
import { replaceSignInCode } from "~/models/sign-in-code.server";
import { findUserByEmail } from "~/models/user.server";
import { sendMail } from "~/services/mail/mailer.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { connectDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { logError } from "~/utils/log.server";
import { codeHash, emailKey, newSignInCode } from "./sign-in-code-keys.server";
import { signInCodeMode } from "./sign-in-code-mode.server";

export type SignInCodeMail = { subject: string; text: string };

/** `demoMail` is what would have been e-mailed, shown on the page in a demo without SMTP_URL. */
export type RequestCodeResult = { email: string; delivery: "email" } | { email: string; delivery: "demo"; demoMail: SignInCodeMail };

/**
 * Sends a sign-in code to an address. The answer is the same whether or not the address has an account (a
 * first use creates one). A staff address gets a code stored like any other, so that entering codes behaves
 * alike, but its e-mail carries no code: it tells the owner to sign in with password and second factor.
 * Errors: UNAVAILABLE (no way to deliver, or the mail server refused), FORM_INVALID (/email), RATE_LIMITED.
 */
export async function requestSignInCode(input: { email: unknown; address: string }, now = new Date()): Promise<RequestCodeResult> {
  const mode = signInCodeMode();
  if (mode === "unavailable") throw signInByEmailUnavailable();
  const email = normalizeEmail(input.email);
  if (!email) {
    throw new AppError("FORM_INVALID", { th: "กรุณาตรวจสอบข้อมูล", en: "Check the form" }, { fields: [{ pointer: "/email", message: { th: "กรุณากรอกอีเมลให้ถูกต้อง เช่น name@example.com", en: "Enter an e-mail address in the right form, like name@example.com" } }] });
  }
  await enforceRateLimit("signInCodePerAddress", input.address);
  const key = emailKey(email);
  await enforceRateLimit("signInCodePerEmail", key);
  await connectDb();
  const user = await findUserByEmail(email);
  const staff = !!user && user.kind !== "citizen";
  const code = newSignInCode();
  const issueId = randomUUID();
  await replaceSignInCode({ _id: key, issueId, codeHash: codeHash(issueId, code), expiresAt: new Date(now.getTime() + SIGN_IN_CODE.ttlMs), createdAt: now });
  const mail = staff ? staffMail() : codeMail(code);
  if (mode === "demo") return { email, delivery: "demo", demoMail: mail };
  try {
    await sendMail({ to: email, ...mail, html: htmlOf(mail.text), attachments: [], messageId: `<sign-in-${issueId}@borikan>` });
  } catch (error) {
    logError(error);
    throw new AppError("UNAVAILABLE", {
      th: "ส่งอีเมลไม่สำเร็จในขณะนี้ กรุณาลองใหม่ภายหลัง",
      en: "The e-mail could not be sent just now: try again later",
    });
  }
  return { email, delivery: "email" };
}

export function signInByEmailUnavailable(): AppError {
  return new AppError("UNAVAILABLE", {
    th: "ขณะนี้ยังไม่เปิดให้เข้าสู่ระบบด้วยรหัสทางอีเมล (ระบบยังไม่ได้ตั้งค่าการส่งอีเมล) กรุณาเข้าสู่ระบบด้วย ThaID",
    en: "Signing in with an e-mail code is not available here (sending e-mail is not set up): sign in with ThaID",
  });
}

function codeMail(code: string): SignInCodeMail {
  const minutes = SIGN_IN_CODE.ttlMs / 60_000;
  return {
    subject: "รหัสเข้าสู่ระบบ Borikan / Your Borikan sign-in code",
    text: [
      `รหัสเข้าสู่ระบบของคุณคือ ${code}`,
      `ใช้ได้ครั้งเดียวภายใน ${minutes} นาที อย่าบอกรหัสนี้กับผู้อื่น เจ้าหน้าที่จะไม่ขอรหัสนี้จากคุณ`,
      "หากคุณไม่ได้ขอรหัสนี้ ไม่ต้องทำอะไร",
      "",
      `Your sign-in code is ${code}`,
      `It works once, within ${minutes} minutes. Do not share it: staff will never ask you for it.`,
      "If you did not ask for this code, you need not do anything.",
      "",
      `${env().PUBLIC_URL}/login/email`,
    ].join("\n"),
  };
}

function staffMail(): SignInCodeMail {
  return {
    subject: "การเข้าสู่ระบบ Borikan / Signing in to Borikan",
    text: [
      "มีผู้ขอรหัสเข้าสู่ระบบทางอีเมลสำหรับที่อยู่นี้ แต่บัญชีเจ้าหน้าที่เข้าสู่ระบบด้วยรหัสทางอีเมลไม่ได้",
      "กรุณาเข้าสู่ระบบด้วยรหัสผ่านและปัจจัยที่สอง หากคุณไม่ได้ขอ โปรดแจ้งผู้ดูแลระบบของหน่วยงาน",
      "",
      "Someone asked for an e-mail sign-in code for this address, but staff accounts cannot sign in with e-mail codes.",
      "Sign in with your password and second factor. If it was not you, tell your agency's administrator.",
      "",
      `${env().PUBLIC_URL}/login`,
    ].join("\n"),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const htmlOf = (text: string) => `<p>${escapeHtml(text).replace(/\n\n/g, "</p><p>").replace(/\n/g, "<br>")}</p>`;
