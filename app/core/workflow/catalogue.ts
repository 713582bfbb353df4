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

/**
 * One action of the catalogue: everything the platform knows about it, in one place. The effect's runner
 * lives with the database code (app/services/effects/run-effects.server.ts keeps one runner per name, typed
 * against ActionName, so `tsc` finds an action without one).
 */
export type ActionSpec = {
  label: LocalizedText;
  /** JSON Schema of the params a definition gives it. */
  params: JsonSchema;
  /**
   * "transition": the use case applies it while writing the transition (its effect only records that it ran);
   * "effect": the effect runner does the work after the transition is written, off the request path.
   */
  appliesIn: "transition" | "effect";
  /** What the applicant sees on the case page while the effect has not run yet. */
  pending?: { kind: "permit" | "letter" | "receipt" | "notice"; label: LocalizedText };
  /** Whether the studio offers it: some actions only make sense for some services. */
  offeredFor?: (manifest: { issuesPermit?: boolean; fees?: readonly unknown[] }) => boolean;
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
export const ACTIONS = {
  notifyApplicant: {
    label: { th: "แจ้งผู้ยื่นคำขอ", en: "Notify the applicant" },
    appliesIn: "effect",
    pending: { kind: "notice", label: { th: "การแจ้งทางอีเมล (กำลังส่ง)", en: "E-mail notice (being sent)" } },
    params: {
      type: "object",
      additionalProperties: false,
      properties: { message: { $ref: "https://borikan.local/schemas/meta/localized-text.schema.json" } },
    },
  },
  requestMissingItems: {
    label: { th: "ขอเอกสาร/ข้อมูลเพิ่มเติม", en: "Request missing items" },
    appliesIn: "transition",
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  acceptResubmission: {
    label: { th: "รับข้อมูลที่ผู้ยื่นแก้ไข", en: "Accept the applicant's corrections" },
    appliesIn: "transition",
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  // Fees paid electronically: computes the fee from the manifest's fee table and the form data, and opens a
  // payment request with its own reference (PromptPay bill payment QR and pay-in slip on the case page).
  requestPayment: {
    label: { th: "แจ้งชำระค่าธรรมเนียม", en: "Ask for the fee" },
    appliesIn: "effect",
    pending: { kind: "notice", label: { th: "รายละเอียดการชำระค่าธรรมเนียม (กำลังจัดทำ)", en: "Payment details (being prepared)" } },
    offeredFor: (manifest) => (manifest.fees?.length ?? 0) > 0,
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  // Records the payment (money taken at the counter when the request is still due) and issues the signed
  // electronic receipt, numbered per agency and Thai fiscal year.
  recordPayment: {
    label: { th: "บันทึกการชำระค่าธรรมเนียม", en: "Record the fee payment" },
    appliesIn: "effect",
    pending: { kind: "receipt", label: { th: "ใบเสร็จรับเงิน (กำลังจัดทำ)", en: "Receipt (being prepared)" } },
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  issuePermit: {
    label: { th: "ออกใบอนุญาต", en: "Issue the permit" },
    appliesIn: "effect",
    pending: { kind: "permit", label: { th: "ใบอนุญาต (กำลังจัดทำ)", en: "Permit (being prepared)" } },
    offeredFor: (manifest) => Boolean(manifest.issuesPermit),
    params: { type: "object", additionalProperties: false, properties: {} },
  },
  issueResult: {
    label: { th: "ออกหนังสือแจ้งผล", en: "Issue the result letter" },
    appliesIn: "effect",
    pending: { kind: "letter", label: { th: "หนังสือแจ้งผล (กำลังจัดทำ)", en: "Result letter (being prepared)" } },
    params: {
      type: "object",
      required: ["kind"],
      additionalProperties: false,
      properties: { kind: { enum: ["approval", "rejection", "answer", "acknowledgement"] } },
    },
  },
  // s.10: a matter sent to the wrong agency is passed on. The officer names the target when firing the event
  // (event data `{ agencyId }` or `{ agencyName: { th, en }, address? }`); the transition checks it and the
  // effect files a new case there, or issues a referral letter naming an agency that is not on the platform.
  referToAgency: {
    label: { th: "ส่งต่อเรื่องไปยังหน่วยงานที่มีอำนาจ", en: "Refer to the competent agency" },
    appliesIn: "effect",
    pending: { kind: "letter", label: { th: "การส่งต่อเรื่อง (กำลังดำเนินการ)", en: "Referral (being sent)" } },
    params: { type: "object", additionalProperties: false, properties: {} },
  },
} as const satisfies Record<string, ActionSpec>;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

export function isActionName(name: unknown): name is ActionName {
  return typeof name === "string" && Object.hasOwn(ACTIONS, name);
}

/** The catalogue entry of an action, typed as the general spec (optional fields readable). */
export const actionSpec = (name: ActionName): ActionSpec => ACTIONS[name];

/** Whether running the effect issues a document the applicant receives (a permit, a letter or a receipt). */
export function issuesDocument(type: string): boolean {
  if (!isActionName(type)) return false;
  const kind = actionSpec(type).pending?.kind;
  return kind === "permit" || kind === "letter" || kind === "receipt";
}

/**
 * Effects the platform adds on its own (not named by definitions): the receipt at filing. Each has a runner
 * beside the actions' ones.
 */
// publishEvent: the webhooks of a filing or transition (queued only when the agency has a subscribed endpoint).
export const SYSTEM_EFFECTS = ["sendReceipt", "publishEvent"] as const;
export type SystemEffectName = (typeof SYSTEM_EFFECTS)[number];
export type EffectName = ActionName | SystemEffectName;

export function isEffectName(name: unknown): name is EffectName {
  return isActionName(name) || (SYSTEM_EFFECTS as readonly unknown[]).includes(name);
}
