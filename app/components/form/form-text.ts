import type { LocalizedText } from "~/core/text";

/** The words of the application form's own parts (error summary, check answers, buttons). */
export const FORM_TEXT = {
  problem: { th: "มีข้อผิดพลาด", en: "There is a problem" },
  errorPrefix: { th: "ข้อผิดพลาด:", en: "Error:" },
  checkTitle: { th: "ตรวจสอบข้อมูลก่อนยื่น", en: "Check your answers" },
  checkLead: {
    th: "ตรวจสอบข้อมูลด้านล่างให้ถูกต้องก่อนยื่น แก้ไขได้ด้วยลิงก์ “เปลี่ยน” ของแต่ละรายการ",
    en: "Check the answers below before you send them. Use “Change” to correct any of them.",
  },
  change: { th: "เปลี่ยน", en: "Change" },
  confirm: { th: "ยืนยันและยื่น", en: "Confirm and send" },
  backToForm: { th: "กลับไปแก้ไขแบบฟอร์ม", en: "Back to the form" },
  file: { th: "ไฟล์", en: "File" },
  noAnswers: { th: "ยังไม่ได้กรอกข้อมูล", en: "No answers yet" },
  defaultSubmit: { th: "ยื่นคำขอ", en: "Apply" },
} satisfies Record<string, LocalizedText>;
