import type { LocalizedText } from "~/core/text";

/** Text of the applicant's payment panel on the case page (PromptPay bill payment and the pay-in slip). */
export const PAYMENT_TEXT = {
  heading: { th: "ชำระค่าธรรมเนียม", en: "Pay the fee" },
  preparing: { th: "กำลังจัดทำรายละเอียดการชำระค่าธรรมเนียม", en: "The payment details are being prepared" },
  caption: { th: "รายการค่าธรรมเนียม", en: "Fees" },
  item: { th: "รายการ", en: "Item" },
  amount: { th: "จำนวนเงิน (บาท)", en: "Amount (THB)" },
  total: { th: "รวมทั้งสิ้น", en: "Total" },
  dueBy: { th: "ชำระภายใน", en: "Pay by" },
  dueNote: { th: "ภายในเวลา 23:59 น.", en: "by 23:59 Bangkok time" },
  status: { th: "สถานะ", en: "Status" },
  due: { th: "รอชำระเงิน", en: "Awaiting payment" },
  paid: { th: "ชำระแล้วเมื่อ", en: "Paid on" },
  expired: { th: "พ้นกำหนดชำระ — โปรดติดต่อหน่วยงาน", en: "Expired — contact the agency" },
  expiredNote: {
    th: "เลขอ้างอิงนี้ใช้ชำระไม่ได้แล้ว หากท่านชำระเงินไปแล้ว หน่วยงานจะตรวจสอบและแจ้งให้ทราบ",
    en: "This reference can no longer be paid. If you have already paid, the agency will check it and tell you.",
  },
  cancelled: { th: "ยกเลิกแล้ว", en: "Cancelled" },
  scan: { th: "สแกนด้วยแอปธนาคารใดก็ได้", en: "Scan with any Thai bank app" },
  scanNote: {
    th: "คิวอาร์โค้ดพร้อมเพย์ (ชำระบิล) มีจำนวนเงินและเลขอ้างอิงครบแล้ว ไม่ต้องพิมพ์เอง",
    en: "The PromptPay bill-payment QR code carries the amount and references: there is nothing to type.",
  },
  qrAlt: { th: "คิวอาร์โค้ดชำระเงิน Thai QR Payment จำนวน", en: "Thai QR Payment code for" },
  orCounter: { th: "หรือชำระที่เคาน์เตอร์ธนาคาร / แอปธนาคาร (เมนูชำระบิล) ด้วยเลขเหล่านี้", en: "Or pay at a bank counter, or in a bank app's bill payment, with these numbers" },
  billerId: { th: "รหัสผู้รับชำระ (Biller ID)", en: "Biller ID" },
  ref1: { th: "เลขอ้างอิง 1 (Ref1)", en: "Reference 1 (Ref1)" },
  ref2: { th: "เลขอ้างอิง 2 (Ref2)", en: "Reference 2 (Ref2)" },
  slip: { th: "ดาวน์โหลดใบแจ้งการชำระเงิน (PDF)", en: "Download the pay-in slip (PDF)" },
  noBiller: {
    th: "หน่วยงานยังไม่ได้เปิดรับชำระเงินทางอิเล็กทรอนิกส์ โปรดติดต่อหน่วยงานเพื่อชำระค่าธรรมเนียม",
    en: "The agency does not take electronic payment yet: please contact it to pay the fee.",
  },
  receipt: { th: "ใบเสร็จรับเงินอิเล็กทรอนิกส์ (PDF)", en: "Electronic receipt (PDF)" },
  receiptPending: { th: "ใบเสร็จรับเงินกำลังจัดทำ", en: "The receipt is being prepared" },
  staffNote: { th: "มุมมองของเจ้าหน้าที่ (อ่านอย่างเดียว)", en: "Staff view (read only)" },
} satisfies Record<string, LocalizedText>;
