import type { LocalizedText } from "~/core/text";

/** Text of the "applying for a company" section and where a declared company is shown. */
export const ON_BEHALF_OF_TEXT = {
  legend: { th: "ยื่นในนามใคร", en: "Who is this application for?" },
  hint: {
    th: "หากยื่นในนามนิติบุคคล ใบอนุญาตจะออกในนามนิติบุคคลนั้น และระบุว่าเป็นข้อมูลที่ผู้ยื่นแจ้งเอง",
    en: "If you apply for a company, the permit is issued to the company and marked as declared by you.",
  },
  self: { th: "ยื่นในนามตนเอง", en: "For myself" },
  juristic: { th: "ยื่นในนามนิติบุคคล", en: "Applying for a company" },
  juristicId: { th: "เลขทะเบียนนิติบุคคล (13 หลัก)", en: "Juristic person registration number (13 digits)" },
  juristicIdHint: { th: "ตามหนังสือรับรองของกรมพัฒนาธุรกิจการค้า เช่น 0-1055-56012-34-5", en: "As on the DBD certificate, e.g. 0-1055-56012-34-5" },
  name: { th: "ชื่อนิติบุคคลตามที่จดทะเบียน", en: "Registered name" },
  nameHint: { th: "เช่น บริษัท ตัวอย่าง จำกัด", en: "For example, Example Company Limited" },
  caseHeading: { th: "ยื่นในนาม", en: "Filed for" },
  declared: { th: "นิติบุคคล (แจ้งเอง)", en: "company (declared)" },
  declaredNote: {
    th: "ผู้ยื่นแจ้งข้อมูลนี้เอง ระบบไม่ได้ตรวจสอบกับทะเบียนนิติบุคคล",
    en: "Declared by the applicant; not checked against the company register.",
  },
} satisfies Record<string, LocalizedText>;
