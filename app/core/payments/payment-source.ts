import type { LocalizedText } from "../text";

/** How the money came in: a bank statement line, a bank's signed callback, or taken by a cashier. */
export type PaymentSource = "statement" | "callback" | "counter";

export const PAYMENT_SOURCE_LABELS: Record<PaymentSource, LocalizedText> = {
  statement: { th: "ชำระผ่านธนาคาร (รายการเดินบัญชี)", en: "Paid at a bank (bank statement)" },
  callback: { th: "ชำระผ่านพร้อมเพย์/แอปธนาคาร", en: "Paid by PromptPay / banking app" },
  counter: { th: "ชำระที่เคาน์เตอร์หน่วยงาน", en: "Paid at the agency's counter" },
};
