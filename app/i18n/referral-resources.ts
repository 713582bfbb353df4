import type { LocalizedText } from "~/core/text";

/** Text of the referral form (s.10) and of what the case page says about a referral. */
export const REFERRAL_TEXT = {
  legend: { th: "หน่วยงานที่มีอำนาจ", en: "The competent agency" },
  hint: {
    th: "เลือกหน่วยงานในระบบเพื่อส่งต่อเรื่องพร้อมข้อมูลและเอกสาร หรือพิมพ์ชื่อหน่วยงานที่ไม่อยู่ในระบบเพื่อออกหนังสือแจ้งผู้ยื่น",
    en: "Choose an agency on the platform to pass the case on with its data and documents, or type the name of one that is not, to send the applicant a letter naming it.",
  },
  platform: { th: "หน่วยงานในระบบ", en: "An agency on the platform" },
  choose: { th: "— เลือกหน่วยงาน —", en: "— choose an agency —" },
  agency: { th: "หน่วยงาน", en: "Agency" },
  external: { th: "หน่วยงานที่ไม่อยู่ในระบบ", en: "An agency not on the platform" },
  nameTh: { th: "ชื่อหน่วยงาน (ภาษาไทย)", en: "Agency name (Thai)" },
  nameEn: { th: "ชื่อหน่วยงาน (ภาษาอังกฤษ ถ้ามี)", en: "Agency name (English, if any)" },
  address: { th: "ที่อยู่หรือช่องทางติดต่อ (ถ้ามี)", en: "Address or contact (if any)" },
  errorSummary: { th: "มีข้อผิดพลาด", en: "There is a problem" },
  referredTo: { th: "ส่งต่อเรื่องไปยัง", en: "Referred to" },
  referredPending: { th: "กำลังส่งต่อเรื่อง", en: "Being referred" },
  newTracking: { th: "เลขที่รับเรื่องใหม่", en: "New tracking number" },
  competent: { th: "หน่วยงานที่มีอำนาจพิจารณาเรื่องนี้", en: "The agency competent for this matter" },
  competentNote: {
    th: "หน่วยงานนี้ไม่อยู่ในระบบ หนังสือแจ้งหน่วยงานที่มีอำนาจอยู่ในรายการเอกสารของคำขอ",
    en: "This agency is not on the platform; the letter naming it is among the case's documents.",
  },
  referredFrom: { th: "เรื่องนี้ส่งต่อมาจาก", en: "Referred from" },
  originalTracking: { th: "เลขที่รับเรื่องเดิม", en: "Original tracking number" },
} satisfies Record<string, LocalizedText>;

/** The referral form's fields, by the JSON pointer of the event data the server's errors name. */
export const REFERRAL_FIELD_IDS: Record<string, string> = {
  "/agencyId": "referral-agency",
  "/agencyName/th": "referral-name-th",
  "/agencyName/en": "referral-name-en",
  "/address": "referral-address",
};
