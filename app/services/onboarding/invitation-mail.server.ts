import type { LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { sendMail, type MailOutcome } from "~/services/mail/mailer.server";

export type InvitationMailInput = {
  invitationId: string;
  to: string;
  link: string;
  agencyName: LocalizedText;
  inviterName: string;
  asAdmin: boolean;
  expiresAt: Date;
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** Thai first, English below; the link is the only secret in it and appears once per language. */
export function composeInvitationMail(input: InvitationMailInput) {
  const roleTh = input.asAdmin ? "ผู้ดูแลระบบหน่วยงาน" : "เจ้าหน้าที่";
  const roleEn = input.asAdmin ? "an agency administrator" : "a member of staff";
  const th = [
    `${input.inviterName} เชิญคุณเข้าใช้ระบบบริการ (Borikan) ในฐานะ${roleTh}ของ ${input.agencyName.th}`,
    `ตั้งชื่อและรหัสผ่านของคุณที่ลิงก์นี้ (ใช้ได้ครั้งเดียว ภายใน ${formatDateTime(input.expiresAt, "th")}):`,
  ];
  const en = [
    `${input.inviterName} has invited you to Borikan as ${roleEn} of ${input.agencyName.en}.`,
    `Set your name and password at this link (it works once, until ${formatDateTime(input.expiresAt, "en")}):`,
  ];
  const ignore = { th: "หากคุณไม่ได้คาดว่าจะได้รับคำเชิญนี้ ไม่ต้องดำเนินการใด ๆ", en: "If you did not expect this invitation, you need not do anything." };
  const text = [...th, input.link, ignore.th, "", "—", "", ...en, input.link, ignore.en].join("\n");
  const para = (lines: string[], lang: string) =>
    `<div lang="${lang}">${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}<p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p></div>`;
  const html = `${para(th, "th")}<p>${escapeHtml(ignore.th)}</p><hr>${para(en, "en")}<p>${escapeHtml(ignore.en)}</p>`;
  return {
    to: input.to,
    subject: `คำเชิญเข้าใช้ระบบ ${input.agencyName.th} / Invitation to ${input.agencyName.en}`,
    text,
    html,
    attachments: [],
    messageId: `<invitation-${input.invitationId.slice(0, 32)}@borikan>`,
  };
}

/** Sends the invitation; an SMTP failure is reported as not delivered (the admin then shares the link). */
export async function sendInvitationMail(input: InvitationMailInput): Promise<MailOutcome & { failed?: true }> {
  try {
    return await sendMail(composeInvitationMail(input));
  } catch (error) {
    console.warn(`The invitation e-mail could not be sent (${(error as Error).message}); the inviting admin gets the link.`);
    return { delivered: false, failed: true };
  }
}
