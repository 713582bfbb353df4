import type { LocalizedText } from "~/core/text";

/**
 * Every action the audit log records, with its label: the one typed place other code names an action from.
 * Adding an action is adding a line here.
 */
export const AUDIT_ACTIONS = {
  "case.file": { label: { th: "ยื่นคำขอผ่าน API", en: "Filed through the API" } },
  // Written beside "case.file" when the case's own insert then failed (decision 032): that filing was not stored.
  "case.file-failed": { label: { th: "ยื่นคำขอผ่าน API ไม่สำเร็จ (ไม่ได้บันทึกคำขอ)", en: "Filing through the API not stored" } },
  "case.transition": { label: { th: "ดำเนินการกับคำขอ", en: "Case transition" } },
  "case.delay-reason": { label: { th: "บันทึกเหตุที่ล่าช้า", en: "Delay reason written" } },
  "case.delay-notice": { label: { th: "แจ้งเหตุล่าช้าแก่ผู้ยื่นคำขอ", en: "Delay notice sent" } },
  "case.decision-notice": { label: { th: "แจ้งผลการพิจารณาแก่ผู้ยื่นคำขอ", en: "Decision notice sent" } },
  "case.refer": { label: { th: "ส่งต่อเรื่องไปยังหน่วยงานอื่น", en: "Case referred to another agency" } },
  "service.publish": { label: { th: "เผยแพร่บริการ", en: "Service published" } },
  "permit.import": { label: { th: "นำเข้าใบอนุญาต", en: "Permits imported" } },
  "permit.status": { label: { th: "เปลี่ยนสถานะใบอนุญาต", en: "Permit status changed" } },
  "api-key.create": { label: { th: "สร้าง API key", en: "API key created" } },
  "api-key.rotate": { label: { th: "เปลี่ยน API key", en: "API key rotated" } },
  "api-key.revoke": { label: { th: "ยกเลิก API key", en: "API key revoked" } },
  "api-key.roles": { label: { th: "เปลี่ยนบทบาทของ API key", en: "API key roles changed" } },
  "webhook.create": { label: { th: "เพิ่มปลายทาง webhook", en: "Webhook endpoint added" } },
  "webhook.rotate": { label: { th: "เปลี่ยนรหัสลับของ webhook", en: "Webhook secret rotated" } },
  "webhook.status": { label: { th: "เปิดหรือปิดปลายทาง webhook", en: "Webhook endpoint enabled or disabled" } },
  "webhook.delete": { label: { th: "ลบปลายทาง webhook", en: "Webhook endpoint deleted" } },
  "webhook.resend": { label: { th: "ส่ง webhook ซ้ำ", en: "Webhook delivery resent" } },
  "webhook.test": { label: { th: "ส่ง webhook ทดสอบ", en: "Test webhook sent" } },
  "user.invite": { label: { th: "เชิญเจ้าหน้าที่", en: "Staff invited" } },
  "agency.create": { label: { th: "เพิ่มหน่วยงาน", en: "Agency added" } },
  "invitation.resend": { label: { th: "ส่งคำเชิญใหม่", en: "Invitation resent" } },
  "invitation.revoke": { label: { th: "ยกเลิกคำเชิญ", en: "Invitation revoked" } },
  "invitation.accept": { label: { th: "รับคำเชิญและสร้างบัญชี", en: "Invitation accepted" } },
  "user.reactivate": { label: { th: "เปิดใช้บัญชีผู้ใช้อีกครั้ง", en: "User reactivated" } },
  "user.roles": { label: { th: "เปลี่ยนบทบาทผู้ใช้", en: "User roles changed" } },
  "user.deactivate": { label: { th: "ระงับบัญชีผู้ใช้", en: "User deactivated" } },
  "user.password": { label: { th: "เปลี่ยนรหัสผ่าน", en: "Password changed" } },
  "second-factor.enrol": { label: { th: "เพิ่มการยืนยันตัวตนขั้นที่สอง", en: "Second factor added" } },
  "second-factor.remove": { label: { th: "ลบการยืนยันตัวตนขั้นที่สอง", en: "Second factor removed" } },
  "second-factor.recovery-codes": { label: { th: "สร้างรหัสกู้คืนใหม่", en: "Recovery codes regenerated" } },
  "second-factor.verify": { label: { th: "ยืนยันตัวตนขั้นที่สองสำเร็จ", en: "Second factor verified" } },
  "second-factor.failed": { label: { th: "ยืนยันตัวตนขั้นที่สองไม่สำเร็จ", en: "Failed second factor" } },
  "second-factor.reset": { label: { th: "รีเซ็ตการยืนยันตัวตนขั้นที่สอง", en: "Second factor reset" } },
  "agency.second-factor-policy": { label: { th: "เปลี่ยนนโยบายการยืนยันตัวตนขั้นที่สองของหน่วยงาน", en: "Agency second-factor policy changed" } },
  "finance.export": { label: { th: "ดาวน์โหลดรายการรับชำระค่าธรรมเนียม (CSV)", en: "Fee payments exported (CSV)" } },
  "oversight.recompute": { label: { th: "คำนวณตัวชี้วัดของหน่วยงานใหม่", en: "OPDC's figures recomputed" } },
  "payment.import": { label: { th: "นำเข้ารายการเดินบัญชีจากธนาคาร", en: "Bank statement imported" } },
  "payment.unmatched.apply": { label: { th: "ยอมรับรายการที่จับคู่ไม่ได้เข้ากับรายการเรียกเก็บ", en: "Unmatched bank line applied to a request" } },
  "payment.unmatched.set-aside": { label: { th: "กันรายการที่จับคู่ไม่ได้ไว้คืนเงินนอกระบบ", en: "Unmatched bank line set aside" } },
  "payment.settings.biller": { label: { th: "เปลี่ยนรหัสผู้เรียกเก็บเงิน (Biller ID)", en: "Biller ID changed" } },
  "payment.settings.callback-secret": { label: { th: "สร้างรหัสลับการแจ้งชำระจากธนาคารใหม่", en: "Bank callback secret generated" } },
  "sign-in": { label: { th: "เข้าสู่ระบบ", en: "Signed in" } },
  "sign-in.failed": { label: { th: "เข้าสู่ระบบไม่สำเร็จ", en: "Failed sign-in" } },
  "sign-out": { label: { th: "ออกจากระบบ", en: "Signed out" } },
  "sign-out.everywhere": { label: { th: "ออกจากระบบทุกอุปกรณ์", en: "Signed out everywhere" } },
} as const satisfies Record<string, { label: LocalizedText }>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && Object.hasOwn(AUDIT_ACTIONS, value);
}

/** The chain of OPDC's own actions and of sign-in attempts that belong to no agency. */
export const PLATFORM_CHAIN = "opdc";
