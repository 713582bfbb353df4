import type { ErrorObject } from "ajv";
import localizeTh from "ajv-i18n/localize/th/index.js";
import { customizeValidator } from "@rjsf/validator-ajv8";
import type { RJSFSchema } from "@rjsf/utils";
import { parsePointer, schemaAt } from "../json-pointer";
import { findUndeclaredProperties } from "./declared-data";
import { failurePointer, ruleMessage } from "./error-messages";
import { thaiCustomFormats, findInvalidThaiAddresses } from "../thai/formats";
import { ATTACHMENT_FORMAT, UPLOAD_REF } from "../uploads/upload-rules";
import type { Lang, LocalizedText } from "../text";

/**
 * One validator configuration for the browser (RJSF live validation) and the server (authoritative):
 * draft-07 + ajv-formats + the Thai custom formats, with Thai messages from ajv-i18n.
 */
/** A file field holds a finished upload (`upload:<id>`) or, in older data and small API filings, a data URL. */
const isAttachmentValue = (value: string) => UPLOAD_REF.test(value) || /^data:[^,]*;base64,/.test(value);

const options = {
  customFormats: { ...thaiCustomFormats, [ATTACHMENT_FORMAT]: isAttachmentValue },
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

function pointerOf(error: ErrorObject): string {
  return failurePointer(error) || "/";
}

/** Keywords whose failure shows the field's own `x-message` (set in the form builder) when it has one. */
const CUSTOM_MESSAGE_KEYWORDS = new Set([
  "pattern",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
]);

type SchemaLike = Record<string, unknown>;

/** The schema node an ajv schemaPath ("#/properties/a/pattern") points into, minus the keyword. */
function nodeAtSchemaPath(schema: unknown, schemaPath: string | undefined): unknown {
  if (!schemaPath?.startsWith("#/")) return undefined;
  let node: unknown = schema;
  let parts: string[];
  try {
    parts = parsePointer(decodeURIComponent(schemaPath.slice(1)));
  } catch {
    return undefined;
  }
  for (const part of parts.slice(0, -1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as SchemaLike)[part];
  }
  return node;
}

/** The field's own friendly message for a failed rule, found by schema path or else by data pointer. */
function customMessage(schema: unknown, error: Pick<ErrorObject, "keyword" | "schemaPath" | "instancePath">, lang: Lang): string | undefined {
  if (!schema || !CUSTOM_MESSAGE_KEYWORDS.has(error.keyword)) return undefined;
  const pick = (node: unknown) => {
    const message = node && typeof node === "object" ? (node as SchemaLike)["x-message"] : undefined;
    const text = message && typeof message === "object" ? (message as SchemaLike)[lang] : undefined;
    return typeof text === "string" && text.trim() ? text : undefined;
  };
  let byPointer: unknown;
  try {
    byPointer = schemaAt(schema, error.instancePath ?? "");
  } catch {
    byPointer = undefined;
  }
  return pick(nodeAtSchemaPath(schema, error.schemaPath)) ?? pick(byPointer);
}

/** RJSF's error `property` (".business.code", ".members.0.name") as a JSON pointer. */
export function pointerFromProperty(property: string | undefined): string {
  if (!property || property === ".") return "";
  return property
    .replace(/\['([^']*)'\]/g, ".$1")
    .split(".")
    .filter(Boolean)
    .map((p) => "/" + p.replace(/~/g, "~0").replace(/\//g, "~1"))
    .join("");
}

/**
 * RJSF's transformErrors hook: the same friendly words in the browser as the server returns. With the form's
 * schema, a rule's own message (`x-message`) is shown as the server shows it.
 */
export function friendlyErrors(lang: Lang, schema?: unknown) {
  return <E extends { name?: string; property?: string; schemaPath?: string; params?: Record<string, unknown>; message?: string; stack: string }>(
    errors: E[],
  ): E[] =>
    // ajv's "if" failure only repeats what its "then" branch says about the fields.
    errors.filter((error) => error.name !== "if").map((error) => {
      const pointer = pointerFromProperty(error.property);
      // RJSF names a missing property in `property` already; ajv's instancePath is its parent object.
      const instancePath = error.name === "required" && "missingProperty" in (error.params ?? {}) ? pointer.replace(/\/[^/]*$/, "") : pointer;
      const raw = {
        keyword: error.name ?? "",
        params: error.params ?? {},
        message: error.message,
        instancePath,
        schemaPath: error.schemaPath ?? "",
      } as ErrorObject;
      const message = messageOf(raw, lang, schema);
      return { ...error, message, stack: message };
    });
}

/** The field's own `x-message` for its rule, else plain words built from its title (never the validator's text). */
function messageOf(error: ErrorObject, lang: Lang, schema?: unknown): string {
  return customMessage(schema, error, lang) ?? ruleMessage(error, schema)[lang];
}

export const UNDECLARED_FIELD_MESSAGE: LocalizedText = {
  th: "ข้อมูลนี้ไม่ใช่ช่องหนึ่งของแบบคำขอ จึงไม่รับไว้",
  en: "This is not a field of the form, so it is not accepted",
};

/** One error per property the form does not declare (only declared data is stored). */
export function undeclaredFieldErrors(schema: unknown, data: unknown): FieldError[] {
  return findUndeclaredProperties(schema, data).map((pointer) => ({ pointer, message: UNDECLARED_FIELD_MESSAGE }));
}

/**
 * RJSF's customValidate hook: the browser refuses undeclared properties by the same rule as the server. With
 * `omitExtraData` the form never produces them; this catches any that arrive (say, in an old draft).
 */
export function declaredDataCheck(lang: Lang, schema: unknown) {
  return <E extends { addError: (message: string) => void }>(formData: unknown, errors: E): E => {
    for (const { pointer } of undeclaredFieldErrors(schema, formData)) errors.addError(`${pointer}: ${UNDECLARED_FIELD_MESSAGE[lang]}`);
    return errors;
  };
}

/**
 * Validates form data against a form schema; returns per-field errors in both languages (empty = valid).
 * Properties the form does not declare are errors too, each with its pointer.
 */
export async function validateFormData(schema: RJSFSchema, data: unknown): Promise<FieldError[]> {
  const byLang = (lang: Lang) =>
    (validators[lang].rawValidation(schema, data).errors ?? []).filter((e) => e.keyword !== "if") as ErrorObject[];
  const en = byLang("en");
  // Valid data (the usual case) is validated once; Thai messages are made only when there are errors.
  const th = en.length > 0 ? byLang("th") : [];
  const errors: FieldError[] = en.map((error, i) => ({
    pointer: pointerOf(error),
    message: { en: messageOf(error, "en", schema), th: messageOf(th[i] ?? error, "th", schema) },
  }));
  errors.push(...undeclaredFieldErrors(schema, data));
  for (const { pointer } of await findInvalidThaiAddresses(schema, data)) {
    errors.push({
      pointer,
      message: {
        th: "ที่อยู่ไม่ถูกต้อง: จังหวัด อำเภอ ตำบล และรหัสไปรษณีย์ไม่สอดคล้องกัน",
        en: "Invalid address: province, district, subdistrict and postcode do not match",
      },
    });
  }
  return onePerField(errors);
}

/** One message per field is enough for people; keep the first. */
export function onePerField(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.pointer) ? false : (seen.add(e.pointer), true)));
}

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

const isRecord = (value: unknown): value is SchemaLike => typeof value === "object" && value !== null && !Array.isArray(value);

/** Keys that make a node inside a `then` a field of its own (not a path to one, nor a tweak like `required`). */
const FIELD_KEYS = ["type", "title", "enum", "const", "format", "$ref", "oneOf", "anyOf"];

function mergeBranch(base: SchemaLike, branch: SchemaLike): SchemaLike {
  if (!isRecord(branch.properties)) return base;
  const properties: SchemaLike = { ...(isRecord(base.properties) ? base.properties : {}) };
  let changed = false;
  for (const [key, child] of Object.entries(branch.properties)) {
    if (!isRecord(child)) continue;
    const existing = properties[key];
    if (isRecord(existing)) {
      const merged = mergeBranch(existing, child);
      if (merged !== existing) [properties[key], changed] = [merged, true];
    } else if (FIELD_KEYS.some((k) => k in child)) {
      [properties[key], changed] = [child, true];
    }
  }
  return changed ? { ...base, properties } : base;
}

/**
 * The schema with every object's `properties` also holding the fields that only its conditional branches
 * (`allOf[].then`, `then`) add: a field shown by a condition is still one of the form's fields. Conditional
 * fields come after the base ones; a schema without such fields comes back unchanged.
 */
export function withConditionalFields<T>(schema: T): T {
  if (!isRecord(schema)) return schema;
  const branches = [...(Array.isArray(schema.allOf) ? schema.allOf : []).map((e) => (isRecord(e) ? e.then : undefined)), schema.then];
  let out: SchemaLike = schema;
  for (const branch of branches) if (isRecord(branch)) out = mergeBranch(out, branch);
  let changed = out !== schema;
  const properties = isRecord(out.properties) ? { ...out.properties } : undefined;
  for (const [key, child] of Object.entries(properties ?? {})) {
    const next = withConditionalFields(child);
    if (next !== child) [properties![key], changed] = [next, true];
  }
  const items = isRecord(out.items) ? withConditionalFields(out.items) : out.items;
  if (items !== out.items) changed = true;
  if (!changed) return schema;
  return { ...out, ...(properties ? { properties } : {}), ...(items !== undefined ? { items } : {}) } as T;
}

/**
 * RJSF 6 reads option labels from `ui:enumNames` only; definitions keep them beside the enum in the schema
 * (`enumNames`, English in `x-en.enumNames`), so they are lifted into the UI schema for rendering — for
 * conditional fields and array items (multiple choice, repeating groups) too.
 */
export function localizeUiSchema(schema: unknown, uiSchema: unknown, lang: Lang): Record<string, unknown> {
  return liftEnumNames(withConditionalFields(schema ?? {}), uiSchema, lang);
}

function liftEnumNames(schema: unknown, uiSchema: unknown, lang: Lang): Record<string, unknown> {
  const node = (schema ?? {}) as SchemaLike;
  const ui: SchemaLike = { ...((uiSchema ?? {}) as SchemaLike) };
  const overlay = (lang === "en" ? node["x-en"] : undefined) as SchemaLike | undefined;
  const names = (overlay?.enumNames ?? node.enumNames) as unknown;
  if (Array.isArray(names) && !ui["ui:enumNames"]) ui["ui:enumNames"] = names;
  const properties = node.properties as Record<string, unknown> | undefined;
  for (const [key, child] of Object.entries(properties ?? {})) ui[key] = liftEnumNames(child, ui[key], lang);
  if (node.type === "array" && isRecord(node.items)) {
    const items = liftEnumNames(node.items, ui.items, lang);
    // Only add an items entry when there is something to say: RJSF falls back to the array's own entry without one.
    if (ui.items !== undefined || Object.keys(items).length > 0) ui.items = items;
  }
  return ui;
}
