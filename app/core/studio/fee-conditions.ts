import { schemaAt } from "../json-pointer";
import { listFormFields, type FormField } from "../forms/form-fields";
import type { Lang } from "../text";
import { GUARDS } from "../workflow/catalogue";
import type { NamedRef } from "../workflow/types";

/*
 * The studio's "charged when" editor of a fee line, as pure edits: the conditions are guards of the catalogue
 * (GUARDS) on form fields, and each edit returns the new condition with params the guard's schema accepts
 * (a number for the numeric guards, one of the field's choices for a choice field, a list for fieldIn).
 */

/** What a value of the guard is: one number, one value, a list of values, or none (fieldIsSet). */
export type GuardValueKind = "number" | "value" | "values" | "none";

export function guardValueKind(type: string): GuardValueKind {
  const properties = ((Object.hasOwn(GUARDS, type) ? GUARDS[type].params.properties : undefined) ?? {}) as Record<string, { type?: string }>;
  if ("values" in properties) return "values";
  if ("value" in properties) return properties.value.type === "number" ? "number" : "value";
  return "none";
}

/** A form field a condition can read, with its value type and, for a choice, its values with their labels. */
export type ConditionField = FormField & {
  valueType: "number" | "integer" | "string" | "boolean" | "other";
  choices?: { value: unknown; label: string }[];
};

const YES_NO: Record<Lang, [string, string]> = { th: ["ใช่", "ไม่ใช่"], en: ["Yes", "No"] };

/** The form's value fields (no attachments, no addresses) that fee conditions can read. */
export function conditionFields(formSchema: unknown, lang: Lang): ConditionField[] {
  let fields: FormField[];
  try {
    fields = listFormFields(formSchema, lang);
  } catch {
    return []; // a form schema broken mid-edit elsewhere
  }
  return fields
    .filter((f) => f.kind === "value")
    .map((f) => {
      const node = (schemaAt(formSchema, f.pointer) ?? {}) as { type?: unknown; enum?: unknown[] };
      const type = node.type;
      const valueType = type === "number" || type === "integer" || type === "string" || type === "boolean" ? type : "other";
      let choices: ConditionField["choices"];
      if (Array.isArray(node.enum)) choices = node.enum.map((value) => ({ value, label: f.options?.[String(value)] ?? String(value) }));
      else if (valueType === "boolean") choices = [{ value: true, label: YES_NO[lang][0] }, { value: false, label: YES_NO[lang][1] }];
      return { ...f, valueType, ...(choices ? { choices } : {}) };
    });
}

export const isNumericField = (field: ConditionField | undefined) => field?.valueType === "number" || field?.valueType === "integer";

/** The fields offered for a guard: numbers only for the numeric guards. */
export function fieldsForGuard(type: string, fields: readonly ConditionField[]): ConditionField[] {
  return guardValueKind(type) === "number" ? fields.filter(isNumericField) : [...fields];
}

/** A value of the right kind for the field, keeping `previous` when it still fits. */
function fittingValue(field: ConditionField | undefined, previous: unknown): unknown {
  if (field?.choices) return field.choices.some((c) => Object.is(c.value, previous)) ? previous : field.choices[0]?.value;
  if (isNumericField(field)) return typeof previous === "number" ? previous : 0;
  if (field?.valueType === "boolean") return typeof previous === "boolean" ? previous : true;
  return typeof previous === "string" ? previous : "";
}

function paramsFor(type: string, pointer: string, field: ConditionField | undefined, previous: Record<string, unknown>): Record<string, unknown> {
  const kind = guardValueKind(type);
  const params: Record<string, unknown> = { field: pointer };
  if (kind === "number") params.value = typeof previous.value === "number" ? previous.value : 0;
  if (kind === "value") params.value = fittingValue(field, previous.value ?? (Array.isArray(previous.values) ? previous.values[0] : undefined));
  if (kind === "values") {
    const before = Array.isArray(previous.values) ? previous.values : previous.value !== undefined ? [previous.value] : [];
    const kept = field?.choices ? before.filter((v) => field.choices!.some((c) => Object.is(c.value, v))) : before;
    params.values = kept.length > 0 ? kept : [fittingValue(field, undefined)];
  }
  return params;
}

/** A new condition: "is at most" on the first numeric field, else "equals" on the first field. */
export function newFeeCondition(fields: readonly ConditionField[]): NamedRef {
  const numeric = fields.find(isNumericField);
  if (numeric) return { type: "fieldAtMost", params: { field: numeric.pointer, value: 0 } };
  const first = fields[0];
  return { type: "fieldEquals", params: paramsFor("fieldEquals", first?.pointer ?? "", first, {}) };
}

/** The condition with another guard; the field stays when the guard can read it, the value when it fits. */
export function withGuardType(condition: NamedRef, type: string, fields: readonly ConditionField[]): NamedRef {
  const previous = condition.params ?? {};
  const offered = fieldsForGuard(type, fields);
  const current = typeof previous.field === "string" ? previous.field : "";
  const pointer = offered.some((f) => f.pointer === current) || offered.length === 0 ? current : offered[0].pointer;
  return { type, params: paramsFor(type, pointer, fields.find((f) => f.pointer === pointer), previous) };
}

/** The condition on another field; the value is kept when it fits the field, else the field's first choice. */
export function withField(condition: NamedRef, pointer: string, fields: readonly ConditionField[]): NamedRef {
  return { type: condition.type, params: paramsFor(condition.type, pointer, fields.find((f) => f.pointer === pointer), condition.params ?? {}) };
}

/** The condition with another value (or list of values, for fieldIn). */
export function withValue(condition: NamedRef, value: unknown): NamedRef {
  const kind = guardValueKind(condition.type);
  const params = { ...(condition.params ?? {}) };
  if (kind === "values") params.values = value;
  else if (kind !== "none") params.value = value;
  return { type: condition.type, params };
}

/** A typed list ("a, b; c" or one per line) as fieldIn's values: numbers for a numeric field. */
export function parseValueList(text: string, field: ConditionField | undefined): unknown[] {
  const parts = text.split(/[\n,;]/).map((s) => s.trim()).filter(Boolean);
  return isNumericField(field) ? parts.map(Number).filter(Number.isFinite) : parts;
}
