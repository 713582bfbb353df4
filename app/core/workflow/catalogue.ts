import { getAt } from "../json-pointer";
import type { LocalizedText } from "../text";

/**
 * The low-code building blocks: every guard and action a workflow definition may name.
 * Definitions refer to them by name with params; params are checked against `params` (JSON Schema).
 */
export type CaseContext = { data: Record<string, unknown> };

type JsonSchema = Record<string, unknown>;

export type GuardEntry = {
  label: LocalizedText;
  params: JsonSchema;
  /** JSON pointers into the form data that the guard reads (checked against the form at load time). */
  fieldsRead: (params: Record<string, unknown>) => string[];
  test: (context: CaseContext, params: Record<string, unknown>) => boolean;
};

export type ActionEntry = {
  label: LocalizedText;
  params: JsonSchema;
};

const fieldParam = { type: "string", pattern: "^(/[A-Za-z0-9_]+)+$" };
const readField = (p: Record<string, unknown>) => [String(p.field)];
const numeric = (v: unknown) => (typeof v === "number" ? v : Number.NaN);

export const GUARDS: Record<string, GuardEntry> = {
  fieldEquals: {
    label: { th: "ค่าในช่องเท่ากับ", en: "Field equals" },
    params: { type: "object", required: ["field", "value"], additionalProperties: false, properties: { field: fieldParam, value: {} } },
    fieldsRead: readField,
    test: ({ data }, p) => getAt(data, String(p.field)) === p.value,
  },
  fieldNotEquals: {
    label: { th: "ค่าในช่องไม่เท่ากับ", en: "Field does not equal" },
    params: { type: "object", required: ["field", "value"], additionalProperties: false, properties: { field: fieldParam, value: {} } },
    fieldsRead: readField,
    test: ({ data }, p) => getAt(data, String(p.field)) !== p.value,
  },
  fieldGreaterThan: {
    label: { th: "ค่าในช่องมากกว่า", en: "Field greater than" },
    params: { type: "object", required: ["field", "value"], additionalProperties: false, properties: { field: fieldParam, value: { type: "number" } } },
    fieldsRead: readField,
    test: ({ data }, p) => numeric(getAt(data, String(p.field))) > Number(p.value),
  },
  fieldAtMost: {
    label: { th: "ค่าในช่องไม่เกิน", en: "Field at most" },
    params: { type: "object", required: ["field", "value"], additionalProperties: false, properties: { field: fieldParam, value: { type: "number" } } },
    fieldsRead: readField,
    test: ({ data }, p) => numeric(getAt(data, String(p.field))) <= Number(p.value),
  },
  fieldIn: {
    label: { th: "ค่าในช่องเป็นหนึ่งใน", en: "Field is one of" },
    params: {
      type: "object",
      required: ["field", "values"],
      additionalProperties: false,
      properties: { field: fieldParam, values: { type: "array", minItems: 1 } },
    },
    fieldsRead: readField,
    test: ({ data }, p) => (p.values as unknown[]).includes(getAt(data, String(p.field))),
  },
  fieldIsSet: {
    label: { th: "มีการกรอกช่อง", en: "Field is filled in" },
    params: { type: "object", required: ["field"], additionalProperties: false, properties: { field: fieldParam } },
    fieldsRead: readField,
    test: ({ data }, p) => {
      const value = getAt(data, String(p.field));
      return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
    },
  },
};

/** Actions do nothing inside the machine; the runner turns them into effects that the outbox carries out. */
export const ACTIONS: Record<string, ActionEntry> = {
  notifyApplicant: {
    label: { th: "แจ้งผู้ยื่นคำขอ", en: "Notify the applicant" },
    params: {
      type: "object",
      additionalProperties: false,
      properties: { message: { $ref: "https://borikan.local/schemas/meta/localized-text.schema.json" } },
    },
  },
  requestMissingItems: {
    label: { th: "ขอเอกสาร/ข้อมูลเพิ่มเติม", en: "Request missing items" },
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  acceptResubmission: {
    label: { th: "รับข้อมูลที่ผู้ยื่นแก้ไข", en: "Accept the applicant's corrections" },
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  recordPayment: {
    label: { th: "บันทึกการชำระค่าธรรมเนียม", en: "Record the fee payment" },
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  issuePermit: {
    label: { th: "ออกใบอนุญาต", en: "Issue the permit" },
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  issueResult: {
    label: { th: "ออกหนังสือแจ้งผล", en: "Issue the result letter" },
    params: {
      type: "object",
      required: ["kind"],
      additionalProperties: false,
      properties: { kind: { enum: ["approval", "rejection", "answer", "acknowledgement"] } },
    },
  },
};
