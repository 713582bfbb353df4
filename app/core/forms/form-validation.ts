import type { ErrorObject } from "ajv";
import localizeTh from "ajv-i18n/localize/th/index.js";
import { customizeValidator } from "@rjsf/validator-ajv8";
import type { RJSFSchema } from "@rjsf/utils";
import { thaiCustomFormats, findInvalidThaiAddresses } from "../thai/formats";
import type { Lang, LocalizedText } from "../text";

/**
 * One validator configuration for the browser (RJSF live validation) and the server (authoritative):
 * draft-07 + ajv-formats + the Thai custom formats, with Thai messages from ajv-i18n.
 */
const options = {
  customFormats: { ...thaiCustomFormats },
  ajvOptionsOverrides: { allErrors: true, strict: false, logger: false as const },
};

const validators = {
  th: customizeValidator(options, localizeTh as never),
  en: customizeValidator(options),
};

export function formValidator(lang: Lang) {
  return validators[lang];
}

export type FieldError = { pointer: string; message: LocalizedText };

/** Friendlier words than ajv's for the formats citizens meet most. */
const FORMAT_MESSAGES: Record<string, LocalizedText> = {
  "thai-national-id": {
    th: "เลขประจำตัวประชาชนไม่ถูกต้อง ต้องมี 13 หลักและหลักสุดท้ายต้องตรงตามการคำนวณ",
    en: "Invalid national ID: it must have 13 digits with a correct check digit",
  },
  "thai-mobile": {
    th: "หมายเลขโทรศัพท์มือถือไม่ถูกต้อง ต้องมี 10 หลักและขึ้นต้นด้วย 06, 08 หรือ 09",
    en: "Invalid mobile number: 10 digits starting with 06, 08 or 09",
  },
  email: { th: "รูปแบบอีเมลไม่ถูกต้อง", en: "Invalid e-mail address" },
  date: { th: "วันที่ไม่ถูกต้อง", en: "Invalid date" },
  "data-url": { th: "ไฟล์แนบไม่ถูกต้อง", en: "Invalid attachment" },
};

function pointerOf(error: ErrorObject): string {
  if (error.keyword === "required") return `${error.instancePath}/${String(error.params.missingProperty)}`;
  return error.instancePath || "/";
}

/** RJSF's transformErrors hook: the same friendly words in the browser as the server returns. */
export function friendlyErrors(lang: Lang) {
  return <E extends { name?: string; params?: Record<string, unknown>; message?: string; stack: string }>(errors: E[]): E[] =>
    errors.map((error) => {
      const message = messageOf({ keyword: error.name ?? "", params: error.params ?? {}, message: error.message, instancePath: "", schemaPath: "" } as ErrorObject, lang);
      return { ...error, message, stack: message };
    });
}

function messageOf(error: ErrorObject, lang: Lang): string {
  if (error.keyword === "format") {
    const friendly = FORMAT_MESSAGES[String(error.params.format)];
    if (friendly) return friendly[lang];
  }
  if (error.keyword === "required") return lang === "th" ? "จำเป็นต้องกรอก" : "This field is required";
  if (error.keyword === "const" && error.params.allowedValue === true) {
    return lang === "th" ? "ต้องยืนยันก่อนยื่นคำขอ" : "You must confirm this before submitting";
  }
  return error.message ?? error.keyword;
}

/** Validates form data against a form schema; returns per-field errors in both languages (empty = valid). */
export async function validateFormData(schema: RJSFSchema, data: unknown): Promise<FieldError[]> {
  const byLang = (lang: Lang) =>
    (validators[lang].rawValidation(schema, data).errors ?? []).filter((e) => e.keyword !== "if") as ErrorObject[];
  const th = byLang("th");
  const en = byLang("en");
  const errors: FieldError[] = en.map((error, i) => ({
    pointer: pointerOf(error),
    message: { en: messageOf(error, "en"), th: th[i] ? messageOf(th[i], "th") : messageOf(error, "en") },
  }));
  for (const { pointer } of await findInvalidThaiAddresses(schema, data)) {
    errors.push({
      pointer,
      message: {
        th: "ที่อยู่ไม่ถูกต้อง: จังหวัด อำเภอ ตำบล และรหัสไปรษณีย์ไม่สอดคล้องกัน",
        en: "Invalid address: province, district, subdistrict and postcode do not match",
      },
    });
  }
  // One message per field is enough for people; keep the first.
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.pointer) ? false : (seen.add(e.pointer), true)));
}

type SchemaLike = Record<string, unknown>;

/** Applies the `x-en` overlays (title, description, enumNames) when rendering in English. */
export function localizeSchema<T>(schema: T, lang: Lang): T {
  if (lang === "th" || !schema || typeof schema !== "object") return schema;
  if (Array.isArray(schema)) return schema.map((s) => localizeSchema(s, lang)) as T;
  const node = schema as SchemaLike;
  const out: SchemaLike = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === "x-en" ? value : localizeSchema(value, lang);
  const overlay = node["x-en"];
  if (overlay && typeof overlay === "object") Object.assign(out, overlay);
  return out as T;
}

/**
 * RJSF 6 reads option labels from `ui:enumNames` only; definitions keep them beside the enum in the schema
 * (`enumNames`, English in `x-en.enumNames`), so they are lifted into the UI schema for rendering.
 */
export function localizeUiSchema(schema: unknown, uiSchema: unknown, lang: Lang): Record<string, unknown> {
  const node = (schema ?? {}) as SchemaLike;
  const ui: SchemaLike = { ...((uiSchema ?? {}) as SchemaLike) };
  const overlay = (lang === "en" ? node["x-en"] : undefined) as SchemaLike | undefined;
  const names = (overlay?.enumNames ?? node.enumNames) as unknown;
  if (Array.isArray(names) && !ui["ui:enumNames"]) ui["ui:enumNames"] = names;
  const properties = node.properties as Record<string, unknown> | undefined;
  for (const [key, child] of Object.entries(properties ?? {})) ui[key] = localizeUiSchema(child, ui[key], lang);
  return ui;
}
