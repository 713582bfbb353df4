import type { LocalizedText } from "~/core/text";

/** Text of the e-mail code sign-in page (/login/email). */
export const SIGN_IN_CODE_TEXT = {
  title: { th: "เข้าสู่ระบบด้วยรหัสทางอีเมล", en: "Sign in with a code by e-mail" },
  intro: {
    th: "สำหรับผู้ที่ไม่มี ThaID เช่น ชาวต่างชาติ เราจะส่งรหัส 6 หลักไปที่อีเมลของคุณ หากยังไม่มีบัญชี ระบบจะสร้างบัญชีประชาชนให้เมื่อใช้รหัสครั้งแรก",
    en: "For people without ThaID, such as foreigners. We send a 6-digit code to your e-mail. If you have no account yet, a citizen account is made the first time you use a code.",
  },
  email: { th: "อีเมล", en: "E-mail address" },
  emailHint: { th: "เราจะส่งรหัสไปที่อีเมลนี้", en: "We will send the code to this address" },
  send: { th: "ส่งรหัส", en: "Send the code" },
  sent: {
    th: "หากอีเมลนี้รับรหัสได้ เราได้ส่งรหัส 6 หลักไปที่ {{email}} แล้ว รหัสใช้ได้ครั้งเดียวภายใน 10 นาที",
    en: "If this address can receive codes, we have sent a 6-digit code to {{email}}. It works once, within 10 minutes.",
  },
  code: { th: "รหัส 6 หลัก", en: "6-digit code" },
  codeHint: { th: "ดูในอีเมลที่เพิ่งได้รับ (ตรวจกล่องจดหมายขยะด้วย)", en: "From the e-mail we just sent (check your spam folder too)" },
  signIn: { th: "เข้าสู่ระบบ", en: "Sign in" },
  again: { th: "ขอรหัสใหม่ หรือใช้อีเมลอื่น", en: "Get a new code or use another address" },
  errorSummary: { th: "มีปัญหา", en: "There is a problem" },
  demoTitle: { th: "สำหรับการสาธิตเท่านั้น", en: "Demo only" },
  demoText: {
    th: "ระบบนี้ไม่ได้ตั้งค่าการส่งอีเมล (SMTP_URL) จึงแสดงอีเมลที่จะส่งไว้ที่นี่แทน ระบบจริงจะไม่แสดงรหัสบนหน้าเว็บ",
    en: "Sending e-mail (SMTP_URL) is not set up here, so the e-mail that would be sent is shown instead. A real deployment never shows the code on the page.",
  },
  staffNote: {
    th: "เจ้าหน้าที่เข้าสู่ระบบด้วยรหัสผ่านและปัจจัยที่สองที่หน้าเข้าสู่ระบบ",
    en: "Staff sign in with their password and second factor on the sign-in page.",
  },
  backToLogin: { th: "กลับไปหน้าเข้าสู่ระบบ", en: "Back to sign-in" },
  unavailableTitle: { th: "ยังไม่เปิดให้เข้าสู่ระบบด้วยอีเมล", en: "E-mail sign-in is not available" },
} satisfies Record<string, LocalizedText>;

/** `{{name}}` placeholders filled in. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? "");
}
