import { schemaAt } from "../json-pointer";
import type { Lang, LocalizedText } from "../text";
import { isAttachmentNode } from "../uploads/upload-rules";

/**
 * What a citizen reads when a field is wrong: words that say what to do, built from the field's own title
 * (GOV.UK Design System's error messages) — "กรอกชื่อ-นามสกุล / Enter full name", "เลือกประเภทเรื่อง / Select
 * type of matter", "แนบแผนที่ / Attach site map". No validator wording and no JSON pointers.
 */

/** The parts of an ajv error the wording needs (also what RJSF passes to transformErrors). */
export type RuleFailure = { keyword: string; params: Record<string, unknown>; instancePath: string };

type Node = {
  type?: string | string[];
  title?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  oneOf?: unknown[];
  anyOf?: unknown[];
  items?: Node;
  "x-en"?: { title?: string };
};

/** How a field is answered, which decides the verb of its message. */
export type FieldKind = "text" | "choice" | "file" | "consent";

export function fieldKindOf(node: Node | undefined): FieldKind {
  if (!node) return "text";
  if (node.type === "boolean" && node.const === true) return "consent";
  if (isAttachmentNode(node) || isAttachmentNode(node.items)) return "file";
  if (node.enum || node.oneOf || node.anyOf || node.type === "boolean" || node.items?.enum || node.items?.oneOf) return "choice";
  return "text";
}

/** The field's title in one language, without a trailing note in brackets ("อีเมล (สำหรับรับแจ้งผล)" → "อีเมล"). */
export function plainTitle(node: Node | undefined, lang: Lang): string {
  const title = (lang === "en" ? (node?.["x-en"]?.title ?? node?.title) : node?.title) ?? "";
  const plain = title.replace(/\s*\([^()]*\)\s*$/u, "").trim() || title.trim();
  return plain;
}

/** "Full name" → "full name" inside a sentence; acronyms ("ID card") keep their capitals. */
function lowerFirst(text: string): string {
  return /^[A-Z](?![A-Z])/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

const upperFirst = (text: string) => (text ? text[0].toUpperCase() + text.slice(1) : text);

/** The schema node a failure is about: the missing property for `required`, else the failing value's. */
export function failurePointer(failure: RuleFailure): string {
  if (failure.keyword === "required") return `${failure.instancePath}/${String(failure.params.missingProperty)}`;
  return failure.instancePath;
}

const num = (value: unknown) => Number(value).toLocaleString("en-US");

/** The message for one failed rule, in both languages. `schema` is the whole form schema. */
export function ruleMessage(failure: RuleFailure, schema: unknown): LocalizedText {
  let node: Node | undefined;
  try {
    node = schemaAt(schema, failurePointer(failure)) as Node | undefined;
  } catch {
    node = undefined;
  }
  const kind = fieldKindOf(node);
  const th = plainTitle(node, "th") || (kind === "file" ? "ไฟล์" : "ข้อมูลช่องนี้");
  const enTitle = plainTitle(node, "en");
  const en = enTitle ? lowerFirst(enTitle) : kind === "file" ? "the file" : "this field";
  const forEn = enTitle ? ` for ${en}` : "";
  const En = upperFirst(en);
  const p = failure.params;
  switch (failure.keyword) {
    case "required":
      if (kind === "consent") return CONSENT_MESSAGE;
      if (kind === "file") return { th: `แนบ${th}`, en: `Attach ${en}` };
      if (kind === "choice") return { th: `เลือก${th}`, en: `Select ${en}` };
      return { th: `กรอก${th}`, en: `Enter ${en}` };
    case "const":
      if (p.allowedValue === true) return CONSENT_MESSAGE;
      return { th: `เลือก${th}ให้ถูกต้อง`, en: `Select a valid ${en}` };
    case "enum":
      return { th: `เลือก${th}จากรายการ`, en: `Select ${en} from the list` };
    case "type": {
      const wanted = String(p.type);
      if (wanted === "integer") return { th: `${th}ต้องเป็นจำนวนเต็ม`, en: `${En} must be a whole number` };
      if (wanted === "number") return { th: `${th}ต้องเป็นตัวเลข`, en: `${En} must be a number` };
      if (kind === "choice") return { th: `เลือก${th}`, en: `Select ${en}` };
      return { th: `กรอก${th}ให้ถูกต้อง`, en: `Enter ${en} correctly` };
    }
    case "format":
      return formatMessage(String(p.format), th, en, En);
    case "pattern":
      return { th: `กรอก${th}ให้ถูกรูปแบบ`, en: `Enter ${en} in the correct format` };
    case "minLength":
      return Number(p.limit) <= 1
        ? { th: `กรอก${th}`, en: `Enter ${en}` }
        : { th: `${th}ต้องมีอย่างน้อย ${num(p.limit)} ตัวอักษร`, en: `${En} must be ${num(p.limit)} characters or more` };
    case "maxLength":
      return { th: `${th}ต้องมีไม่เกิน ${num(p.limit)} ตัวอักษร`, en: `${En} must be ${num(p.limit)} characters or fewer` };
    case "minimum":
      return { th: `${th}ต้องไม่น้อยกว่า ${num(p.limit)}`, en: `${En} must be ${num(p.limit)} or more` };
    case "maximum":
      return { th: `${th}ต้องไม่เกิน ${num(p.limit)}`, en: `${En} must be ${num(p.limit)} or less` };
    case "exclusiveMinimum":
      return { th: `${th}ต้องมากกว่า ${num(p.limit)}`, en: `${En} must be more than ${num(p.limit)}` };
    case "exclusiveMaximum":
      return { th: `${th}ต้องน้อยกว่า ${num(p.limit)}`, en: `${En} must be less than ${num(p.limit)}` };
    case "multipleOf":
      return { th: `${th}ต้องเป็นผลคูณของ ${num(p.multipleOf)}`, en: `${En} must be a multiple of ${num(p.multipleOf)}` };
    case "minItems":
      if (kind === "file") return { th: `แนบ${th}อย่างน้อย ${num(p.limit)} ไฟล์`, en: `Attach at least ${num(p.limit)} files${forEn}` };
      return { th: `เลือก${th}อย่างน้อย ${num(p.limit)} รายการ`, en: `Select at least ${num(p.limit)}${forEn}` };
    case "maxItems":
      if (kind === "file") return { th: `แนบ${th}ได้ไม่เกิน ${num(p.limit)} ไฟล์`, en: `Attach at most ${num(p.limit)} files${forEn}` };
      return { th: `เลือก${th}ได้ไม่เกิน ${num(p.limit)} รายการ`, en: `Select at most ${num(p.limit)}${forEn}` };
    case "uniqueItems":
      return { th: `${th}มีรายการซ้ำกัน`, en: `${En} has the same item twice` };
    default:
      return { th: `ตรวจสอบ${th}อีกครั้ง`, en: `Check ${en}` };
  }
}

export const CONSENT_MESSAGE: LocalizedText = {
  th: "ทำเครื่องหมายในช่องยืนยันก่อนยื่น",
  en: "Tick the box to confirm before you send",
};

function formatMessage(format: string, th: string, en: string, En: string): LocalizedText {
  switch (format) {
    case "thai-national-id":
      return {
        th: `กรอก${th}ให้ถูกต้อง: 13 หลัก และหลักสุดท้ายต้องตรงตามการคำนวณ`,
        en: `Enter ${en} correctly: 13 digits with the right check digit`,
      };
    case "thai-mobile":
      return {
        th: `กรอก${th}ให้ถูกต้อง: 10 หลัก ขึ้นต้นด้วย 06, 08 หรือ 09`,
        en: `Enter ${en} correctly: 10 digits starting with 06, 08 or 09`,
      };
    case "email":
      return { th: `กรอก${th}ให้ถูกรูปแบบ เช่น name@example.com`, en: `Enter ${en} in the correct format, like name@example.com` };
    case "date":
      return { th: `${th}ต้องเป็นวันที่ที่มีอยู่จริง`, en: `${En} must be a real date` };
    case "attachment":
    case "data-url":
      return { th: `แนบ${th}ใหม่: ไฟล์เดิมใช้ไม่ได้`, en: `Attach ${en} again: the file is not valid` };
    default:
      return { th: `กรอก${th}ให้ถูกรูปแบบ`, en: `Enter ${en} in the correct format` };
  }
}
