import type { LocalizedText } from "../text";

/** An invitation link works for 72 hours after it is sent. */
export const INVITATION_TTL_MS = 72 * 60 * 60 * 1000;

export type InvitationRecordStatus = "pending" | "accepted" | "revoked";
/** What a link is now: usable, or why not. */
export type InvitationState = "pending" | "accepted" | "revoked" | "expired";

export function invitationState(record: { status: InvitationRecordStatus; expiresAt: Date }, now: Date): InvitationState {
  if (record.status !== "pending") return record.status;
  return record.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

/** Why a link cannot be used, for the invitee's page and the API's error (unknown = no such link). */
export const INVITATION_REFUSALS: Record<Exclude<InvitationState, "pending"> | "unknown", { title: LocalizedText; text: LocalizedText }> = {
  expired: {
    title: { th: "คำเชิญหมดอายุแล้ว", en: "This invitation has expired" },
    text: {
      th: "ลิงก์คำเชิญใช้ได้ 72 ชั่วโมงหลังส่ง กรุณาขอให้ผู้ดูแลระบบที่เชิญคุณส่งคำเชิญใหม่",
      en: "An invitation link works for 72 hours after it is sent. Ask the administrator who invited you to send a new one.",
    },
  },
  accepted: {
    title: { th: "คำเชิญนี้ถูกใช้ไปแล้ว", en: "This invitation has already been used" },
    text: {
      th: "ลิงก์คำเชิญใช้ได้ครั้งเดียว หากคุณตั้งรหัสผ่านแล้ว ให้เข้าสู่ระบบด้วยอีเมลและรหัสผ่านของคุณ",
      en: "An invitation link works once. If you have set your password, sign in with your e-mail address and password.",
    },
  },
  revoked: {
    title: { th: "คำเชิญนี้ถูกยกเลิกแล้ว", en: "This invitation was withdrawn" },
    text: {
      th: "ผู้ดูแลระบบยกเลิกคำเชิญนี้หรือส่งคำเชิญใหม่แทนแล้ว ใช้ลิงก์ในอีเมลฉบับล่าสุด หรือติดต่อผู้ดูแลระบบที่เชิญคุณ",
      en: "The administrator withdrew this invitation or sent a newer one. Use the link in the latest e-mail, or contact the administrator who invited you.",
    },
  },
  unknown: {
    title: { th: "ไม่พบคำเชิญนี้", en: "Invitation not found" },
    text: {
      th: "ลิงก์นี้ไม่ถูกต้อง ตรวจสอบว่าคัดลอกลิงก์จากอีเมลมาครบถ้วน หรือติดต่อผู้ดูแลระบบที่เชิญคุณ",
      en: "This link is not valid. Check that you copied the whole link from the e-mail, or contact the administrator who invited you.",
    },
  },
};

/** The shape of the link's token: 32 random bytes in base64url. Anything else is unknown without a look-up. */
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
