import type { Fee, PaymentTerms } from "../definitions/types";
import { listFormFields, type FormField } from "../forms/form-fields";
import type { Lang, LocalizedText } from "../text";
import type { NamedRef } from "../workflow/types";
import { DEFAULT_PAYMENT_TERMS } from "./fees";

/*
 * A fee line's conditions in words, for the citizen manual and the studio: "when floor area (m²) is at most 50" /
 * "เมื่อพื้นที่ประกอบการ (ตารางเมตร) ไม่เกิน 50". Field titles and choice labels come from the form schema in the
 * reader's language. Pure: no I/O.
 */

/** What the wording needs to know of a form field: its title and, for a choice, the label of each value. */
export type FieldWording = Pick<FormField, "title" | "options">;

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** "Floor area (m²)" → "floor area (m²)"; an acronym ("ID card") keeps its capitals. */
function lowerFirst(title: string): string {
  if (title.length > 1 && title[1] === title[1].toUpperCase() && title[1] !== title[1].toLowerCase()) return title;
  return title.charAt(0).toLowerCase() + title.slice(1);
}

function valueInWords(value: unknown, field: FieldWording | undefined, lang: Lang): string {
  const label = field?.options?.[String(value)];
  if (label !== undefined) return `“${label}”`;
  if (typeof value === "boolean") return lang === "th" ? (value ? "ใช่" : "ไม่ใช่") : value ? "yes" : "no";
  if (typeof value === "number") return NUMBER.format(value);
  return `“${String(value)}”`;
}

function listInWords(values: string[], lang: Lang): string {
  if (values.length <= 1) return values.join("");
  const or = lang === "th" ? " หรือ " : " or ";
  return `${values.slice(0, -1).join(", ")}${or}${values[values.length - 1]}`;
}

/** The predicate of one condition, without the field: "is at most 50" / "ไม่เกิน 50". */
function predicate(condition: NamedRef, field: FieldWording | undefined, lang: Lang): string {
  const p = condition.params ?? {};
  const value = () => valueInWords(p.value, field, lang);
  const th = lang === "th";
  switch (condition.type) {
    case "fieldEquals":
      return th ? `เป็น ${value()}` : `is ${value()}`;
    case "fieldNotEquals":
      return th ? `ไม่ใช่ ${value()}` : `is not ${value()}`;
    case "fieldGreaterThan":
      return th ? `เกิน ${value()}` : `is more than ${value()}`;
    case "fieldAtMost":
      return th ? `ไม่เกิน ${value()}` : `is at most ${value()}`;
    case "fieldIn": {
      const values = Array.isArray(p.values) ? p.values.map((v) => valueInWords(v, field, lang)) : [];
      return th ? `เป็น ${listInWords(values, lang)}` : `is ${listInWords(values, lang)}`;
    }
    case "fieldIsSet":
      return th ? "มีการกรอกข้อมูล" : "is filled in";
    default:
      return th ? `ตรงตามเงื่อนไข ${condition.type}` : `meets the condition ${condition.type}`;
  }
}

/**
 * The conditions of one fee line in words, or null when the line is always charged. Conditions on the same field
 * that follow each other share it: "when floor area (m²) is more than 50 and is at most 100".
 */
export function feeConditionsInWords(when: readonly NamedRef[] | undefined, fields: ReadonlyMap<string, FieldWording>, lang: Lang): string | null {
  if (!when || when.length === 0) return null;
  const groups: { pointer: string; predicates: string[] }[] = [];
  for (const condition of when) {
    const pointer = String(condition.params?.field ?? "");
    const field = fields.get(pointer);
    const last = groups[groups.length - 1];
    const words = predicate(condition, field, lang);
    if (last && last.pointer === pointer) last.predicates.push(words);
    else groups.push({ pointer, predicates: [words] });
  }
  const and = lang === "th" ? " และ" : " and ";
  const clauses = groups.map(({ pointer, predicates }) => {
    const title = fields.get(pointer)?.title ?? pointer;
    return lang === "th" ? `${title} ${predicates.join(" และ")}` : `${lowerFirst(title)} ${predicates.join(" and ")}`;
  });
  return lang === "th" ? `เมื่อ${clauses.join(`${and}`)}` : `when ${clauses.join(and)}`;
}

/** The form's fields by JSON pointer, in one language, for feeConditionsInWords. */
export function fieldWordings(formSchema: unknown, lang: Lang): Map<string, FieldWording> {
  try {
    return new Map(listFormFields(formSchema, lang).map((f) => [f.pointer, { title: f.title, options: f.options }]));
  } catch {
    return new Map(); // a broken schema mid-edit: pointers stand in for titles
  }
}

/** One line of the manual's fee table. */
export type FeeRow = { label: LocalizedText; amount: number; amountMax?: number; note?: LocalizedText; when: LocalizedText | null };

/** The fee table as the manual shows it: every line with its conditions in Thai and English. */
export function feeRows(fees: readonly Fee[], formSchema: unknown): FeeRow[] {
  const th = fieldWordings(formSchema, "th");
  const en = fieldWordings(formSchema, "en");
  return fees.map((fee) => {
    const words = { th: feeConditionsInWords(fee.when, th, "th"), en: feeConditionsInWords(fee.when, en, "en") };
    return {
      label: fee.label,
      amount: fee.amount,
      ...(fee.amountMax !== undefined ? { amountMax: fee.amountMax } : {}),
      ...(fee.note ? { note: fee.note } : {}),
      when: words.th !== null && words.en !== null ? { th: words.th, en: words.en } : null,
    };
  });
}

/** How and when fees are paid, for a service whose workflow asks for them electronically (requestPayment). */
export function paymentTermsInWords(terms: PaymentTerms | undefined): LocalizedText {
  const days = (terms ?? DEFAULT_PAYMENT_TERMS).dueDays;
  return {
    th: `ชำระค่าธรรมเนียมหลังได้รับอนุมัติ ด้วย QR พร้อมเพย์ (ชำระบิล) ผ่านแอปธนาคาร หรือด้วยใบแจ้งชำระเงินที่เคาน์เตอร์ธนาคาร ภายใน ${days} วันนับแต่วันที่แจ้งให้ชำระ`,
    en: `Fees are paid after approval, by PromptPay QR (bill payment) in any banking app or with the pay-in slip at a bank counter, within ${days} days of the payment request.`,
  };
}
