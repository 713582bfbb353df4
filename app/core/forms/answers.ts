import { getAt, schemaAt } from "../json-pointer";
import type { Lang } from "../text";
import { formatDate, isIsoDate } from "../thai/buddhist-date";
import { formatThaiNationalId } from "../thai/national-id";
import { formatThaiMobile } from "../thai/phone";
import { isAttachmentNode } from "../uploads/upload-rules";
import { listFormFields } from "./form-fields";
import { localizeSchema, withConditionalFields } from "./form-validation";

/**
 * "Check your answers": each answered field with its title and its value in words a person reads — choices by
 * their labels, dates in the Thai (Buddhist-era) form, addresses on one line, files left to the page (by name).
 */
export type Answer = {
  pointer: string;
  title: string;
  section: string;
  /** File fields: the values (upload references or data URLs) whose names the page shows. */
  files?: string[];
  /** Every other field: its value as lines of text. */
  lines?: string[];
};

type Node = {
  type?: string;
  title?: string;
  format?: string;
  const?: unknown;
  enum?: unknown[];
  enumNames?: string[];
  items?: Node;
  properties?: Record<string, Node>;
};

const WORDS = {
  yes: { th: "ใช่", en: "Yes" },
  no: { th: "ไม่ใช่", en: "No" },
  confirmed: { th: "ยืนยันแล้ว", en: "Confirmed" },
};

const isBlank = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === "string" && value.trim() === "") ||
  (Array.isArray(value) && value.every(isBlank)) ||
  (typeof value === "object" && !Array.isArray(value) && Object.values(value as object).every(isBlank));

/** One value (not a file) in words, by its schema node. */
export function answerText(node: Node | undefined, value: unknown, lang: Lang): string {
  if (isBlank(value)) return "";
  if (typeof value === "boolean") return node?.const === true && value ? WORDS.confirmed[lang] : value ? WORDS.yes[lang] : WORDS.no[lang];
  if (node?.enum && node.enumNames) {
    const i = node.enum.findIndex((option) => option === value);
    if (i >= 0 && node.enumNames[i]) return node.enumNames[i];
  }
  if (typeof value === "number") return value.toLocaleString(lang === "th" ? "th-TH" : "en-GB");
  if (typeof value === "string") {
    if (node?.format === "date" || (node?.format === undefined && isIsoDate(value))) return isIsoDate(value) ? formatDate(value, lang) : value;
    if (node?.format === "thai-national-id") return formatThaiNationalId(value);
    if (node?.format === "thai-mobile") return formatThaiMobile(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => answerText(node?.items, item, lang)).filter(Boolean).join(", ");
  if (typeof value === "object") {
    const a = value as Record<string, unknown>;
    if (node?.format === "thai-address" || "province" in a) {
      return ["line", "subdistrict", "district", "province", "postcode"].map((k) => a[k]).filter((v) => typeof v === "string" && v.trim()).join(" ");
    }
    return Object.entries(a)
      .filter(([, v]) => !isBlank(v))
      .map(([k, v]) => `${node?.properties?.[k]?.title ?? k}: ${answerText(node?.properties?.[k], v, lang)}`)
      .join("; ");
  }
  return String(value);
}

/** The answered fields of a form, in the form's order, with their values in words. */
export function listAnswers(schema: unknown, data: unknown, lang: Lang): Answer[] {
  const localized = localizeSchema(withConditionalFields(schema), lang);
  const out: Answer[] = [];
  for (const field of listFormFields(schema, lang)) {
    const value = getAt(data, field.pointer);
    if (isBlank(value)) continue;
    const node = schemaAt(localized, field.pointer) as Node | undefined;
    if (field.kind === "attachment" || isAttachmentNode(node) || isAttachmentNode(node?.items)) {
      const files = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string" && v !== "");
      out.push({ pointer: field.pointer, title: field.title, section: field.section, files });
      continue;
    }
    // A repeating group: one line per item.
    const lines = Array.isArray(value) && node?.items?.type === "object" ? value.map((item) => answerText(node.items, item, lang)) : [answerText(node, value, lang)];
    out.push({ pointer: field.pointer, title: field.title, section: field.section, lines: lines.filter(Boolean) });
  }
  return out;
}
