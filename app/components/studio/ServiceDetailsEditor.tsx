/**
 * The studio's "service details" panel: everything in the manifest that the citizen manual and the
 * permit need, edited without JSON. Controlled: every edit calls onChange with a new manifest.
 * Deterministic on the server and first client render (no window, no random ids); number inputs keep
 * their own text so a half-typed or empty number never reaches the manifest as NaN.
 */
import { useMemo, useState, type ReactNode } from "react";
import type { Fee, PermitTemplate, RequiredDocument, ServiceManifest } from "~/core/definitions/types";
import { listFormFields, type FormField } from "~/core/forms/form-fields";
import { formatPermitNumber } from "~/core/permits/permit-rules";
import { feeConditionsInWords } from "~/core/payments/fee-wording";
import { computeFee, DEFAULT_PAYMENT_TERMS, formatBaht } from "~/core/payments/fees";
import { setAt } from "~/core/json-pointer";
import {
  conditionFields,
  fieldsForGuard,
  guardValueKind,
  isNumericField,
  newFeeCondition,
  parseValueList,
  withField,
  withGuardType,
  withValue,
  type ConditionField,
} from "~/core/studio/fee-conditions";
import type { Lang, LocalizedText } from "~/core/text";
import { GUARDS } from "~/core/workflow/catalogue";
import type { NamedRef } from "~/core/workflow/types";

export type ServiceDetailsEditorProps = {
  manifest: ServiceManifest;
  /** The draft's form schema: the source of the field pickers. */
  formSchema: Record<string, unknown>;
  lang: Lang;
  onChange: (manifest: ServiceManifest) => void;
};

export const DEFAULT_PERMIT_NUMBER_FORMAT = "{agency}-{type}-{yearBE}-{seq:5}";

/** The printed permit fields a template can map (as in the health-hazard licence); others print as details. */
export const PERMIT_FIELD_KEYS = ["holderName", "businessName", "activity", "address", "areaSqm", "workers"] as const;

const PERMIT_FIELD_LABELS: Record<(typeof PERMIT_FIELD_KEYS)[number], LocalizedText> = {
  holderName: { th: "ชื่อผู้ได้รับอนุญาต", en: "Permit holder" },
  businessName: { th: "ชื่อสถานประกอบการ", en: "Business name" },
  activity: { th: "ประเภทกิจการ", en: "Business activity" },
  address: { th: "ที่ตั้งสถานประกอบการ", en: "Premises address" },
  areaSqm: { th: "พื้นที่ประกอบการ (ตารางเมตร)", en: "Floor area (m²)" },
  workers: { th: "จำนวนคนงาน", en: "Number of workers" },
};

// The meta-schema's rules (schemas/meta/manifest.schema.json), to hint before validation does.
const NUMBER_FORMAT =
  /^(?=.*\{agency\})(?=.*\{type\})(?=.*\{yearBE\})(?=.*\{seq(:[1-9])?\})([A-Za-z0-9-]|\{(agency|type|yearBE|seq(:[1-9])?)\})+$/;
const PERMIT_CODE = /^[A-Z]{2,6}$/;
const FIELD_KEY = /^[a-zA-Z][a-zA-Z0-9]*$/;
const EXAMPLE_NUMBER = { agency: "ABC", yearBE: 2569, seq: 12 };

const TEXT = {
  th: {
    general: "ข้อมูลทั่วไป",
    generalHint: "ข้อมูลเหล่านี้แสดงในคู่มือสำหรับประชาชน",
    readOnly: "กำหนดจากส่วนอื่นของสตูดิโอ (แก้ไขที่นี่ไม่ได้)",
    id: "รหัสบริการ",
    form: "แบบฟอร์ม",
    workflow: "ขั้นตอนงาน",
    roles: "บทบาทเจ้าหน้าที่ (จากขั้นตอนงาน)",
    sourceTemplate: "สร้างจากแม่แบบ",
    none: "—",
    thai: "ภาษาไทย",
    english: "ภาษาอังกฤษ",
    title: "ชื่อบริการ",
    description: "คำอธิบาย",
    level: "ระดับบริการ",
    levels: { initial: "ระดับเริ่มต้น", standard: "ระดับมาตรฐาน" },
    category: "ประเภทบริการ",
    categories: { licence: "ใบอนุญาต", petition: "คำร้อง", certificate: "หนังสือรับรอง", information: "ขอข้อมูล" },
    law: "กฎหมายที่เกี่ยวข้อง",
    responsibleUnit: "หน่วยงานที่รับผิดชอบ",
    criteria: "หลักเกณฑ์ วิธีการ และเงื่อนไข",
    statutoryDays: "ระยะเวลาดำเนินการตามกฎหมาย (วันทำการ)",
    statutoryDaysHint: "นับเฉพาะวันทำการ ตั้งแต่ได้รับคำขอที่ครบถ้วนจนแจ้งผล",
    optionalText: "ไม่บังคับ: เว้นว่างทั้งสองภาษาเพื่อไม่แสดง",
    fees: "ค่าธรรมเนียม",
    feesEmpty: "ไม่มีค่าธรรมเนียม",
    fee: (n: number) => `ค่าธรรมเนียมรายการที่ ${n}`,
    feeLabel: "รายการ",
    amount: "จำนวนเงิน (บาท)",
    amountMax: "จำนวนเงินสูงสุด (บาท)",
    amountMaxHint: "กรณีอัตราเป็นช่วง เว้นว่างถ้าเป็นอัตราเดียว",
    note: "หมายเหตุ",
    addFee: "เพิ่มค่าธรรมเนียม",
    chargedWhen: "เรียกเก็บเมื่อ",
    chargedWhenHint: "ทุกเงื่อนไขต้องเป็นจริง จึงเรียกเก็บรายการนี้ ถ้าไม่มีเงื่อนไข เรียกเก็บทุกคำขอ",
    alwaysCharged: "เรียกเก็บทุกคำขอ (ไม่มีเงื่อนไข)",
    feeCondition: (n: number) => `เงื่อนไขที่ ${n}`,
    guard: "เงื่อนไข",
    conditionField: "ช่องในแบบฟอร์ม",
    conditionValue: "ค่า",
    conditionNumber: "ตัวเลข",
    conditionValues: "ค่าใดค่าหนึ่งต่อไปนี้",
    conditionValuesHint: "คั่นด้วยจุลภาค หรือบรรทัดละค่า",
    noNumericFields: "แบบฟอร์มไม่มีช่องตัวเลข",
    addFeeCondition: "เพิ่มเงื่อนไข",
    removeFeeCondition: "ลบเงื่อนไข",
    inWords: "อ่านว่า",
    preview: "ลองคำนวณค่าธรรมเนียม",
    previewHint: "กรอกค่าตัวอย่างของช่องที่เงื่อนไขใช้ เพื่อดูว่าคำขอนั้นต้องชำระเท่าใด (ไม่บันทึก)",
    previewEmpty: "— ไม่กรอก —",
    previewTotal: "ค่าธรรมเนียมรวม",
    previewNone: "ไม่มีรายการที่ต้องชำระ",
    baht: "บาท",
    payment: "การชำระค่าธรรมเนียมทางอิเล็กทรอนิกส์",
    paymentHint: "ผู้ยื่นคำขอชำระด้วย QR พร้อมเพย์หรือใบแจ้งชำระเงินที่เคาน์เตอร์ธนาคาร หลังได้รับอนุมัติ (การกระทำ “แจ้งชำระค่าธรรมเนียม” ในขั้นตอนงาน)",
    dueDays: "ระยะเวลาชำระ (วัน นับแต่วันที่แจ้งให้ชำระ)",
    dueDaysHint: (n: number) => `1–90 วัน เว้นว่างเพื่อใช้ค่ามาตรฐาน ${n} วัน`,
    remove: "ลบ",
    documents: "เอกสารหลักฐานที่ต้องใช้",
    documentsEmpty: "ไม่มีเอกสารที่ต้องแนบ",
    document: (n: number) => `เอกสารรายการที่ ${n}`,
    docLabel: "ชื่อเอกสาร",
    docRequired: "ต้องแนบ (ถ้าไม่เลือก คือแนบเฉพาะบางกรณี)",
    docField: "ช่องแนบไฟล์ในแบบฟอร์ม",
    docFieldNone: "— ไม่ผูกกับช่องใด —",
    noAttachments: "แบบฟอร์มยังไม่มีช่องแนบไฟล์",
    addDocument: "เพิ่มเอกสาร",
    summary: "ข้อมูลสรุปของคำขอ",
    summaryHint: "ช่องของแบบฟอร์มที่แสดงในรายการงานของเจ้าหน้าที่และในใบรับคำขอ",
    applicantName: "ชื่อผู้ยื่นคำขอ",
    subject: "เรื่อง / ชื่อกิจการ",
    email: "อีเมลสำหรับแจ้งผล",
    choose: "— เลือกช่อง —",
    notSet: "— ไม่ระบุ —",
    notInForm: "ไม่มีในแบบฟอร์ม",
    noSection: "ช่องทั่วไป",
    permit: "ใบอนุญาต",
    issuesPermit: "บริการนี้ออกใบอนุญาต",
    permitRemoved:
      "นำแม่แบบใบอนุญาตออกจากบริการแล้ว หากบันทึกตอนนี้แม่แบบจะหายไป เปิด “บริการนี้ออกใบอนุญาต” อีกครั้งก่อนบันทึกเพื่อกู้คืน และอย่าลืมนำการออกใบอนุญาต (issuePermit) ออกจากขั้นตอนงาน",
    permitType: "ชื่อประเภทใบอนุญาต",
    permitCode: "รหัสประเภทใบอนุญาต",
    permitCodeHint: "อักษรภาษาอังกฤษตัวพิมพ์ใหญ่ 2–6 ตัว เช่น HH ใช้ใน {type} ของเลขที่ใบอนุญาต",
    displayRequired: "ต้องแสดงใบอนุญาตไว้ในที่เปิดเผย ณ สถานประกอบการ",
    validityMonths: "อายุใบอนุญาต (เดือน)",
    numberFormat: "รูปแบบเลขที่ใบอนุญาต",
    numberFormatHelp: [
      ["{agency}", "รหัสหน่วยงาน"],
      ["{type}", "รหัสประเภทใบอนุญาตด้านบน"],
      ["{yearBE}", "ปีพุทธศักราชที่ออกใบอนุญาต"],
      ["{seq:5}", "เลขลำดับ นับใหม่ทุกปี เติม 0 ให้ครบ 5 หลัก ({seq} คือไม่เติม 0, ได้ 1–9 หลัก)"],
    ],
    numberFormatRule: "ต้องมีครบทั้ง 4 ส่วน เพื่อให้เลขที่ไม่ซ้ำกันทั้งระบบ อักขระอื่นใช้ได้เฉพาะ A-Z a-z 0-9 และ -",
    numberFormatInvalid: "รูปแบบไม่ถูกต้อง: ต้องมี {agency} {type} {yearBE} และ {seq} และอักขระอื่นเป็น A-Z a-z 0-9 หรือ - เท่านั้น",
    useDefault: "ใช้รูปแบบมาตรฐาน",
    example: "ตัวอย่าง",
    renewalOf: "เป็นบริการต่ออายุ: ช่องเลขที่ใบอนุญาตเดิม",
    renewalNone: "— ไม่ใช่บริการต่ออายุ —",
    permitFields: "ข้อมูลที่พิมพ์บนใบอนุญาต",
    permitFieldsHint: "เลือกช่องของแบบฟอร์มที่ใช้พิมพ์แต่ละรายการบนใบอนุญาต รายการอื่นพิมพ์เป็นรายละเอียดพร้อมชื่อช่อง",
    otherKey: (key: string) => `รายละเอียด “${key}”`,
    newKey: "ชื่อรายการใหม่ (ภาษาอังกฤษ เช่น seats)",
    addKey: "เพิ่มรายการ",
    keyInvalid: "ต้องขึ้นต้นด้วยตัวอักษร และมีเฉพาะ A-Z a-z 0-9 และต้องไม่ซ้ำ",
    conditions: "เงื่อนไขท้ายใบอนุญาต",
    conditionsEmpty: "ไม่มีเงื่อนไข",
    condition: (n: number) => `เงื่อนไขข้อ ${n}`,
    addCondition: "เพิ่มเงื่อนไข",
    required: "ต้องกรอก",
    requiredNumber: "ต้องกรอกตัวเลข (ยังใช้ค่าเดิมอยู่จนกว่าจะกรอก)",
    integer: "ต้องเป็นจำนวนเต็ม",
    range: (min: number, max?: number) => (max === undefined ? `ต้องไม่น้อยกว่า ${min}` : `ต้องอยู่ระหว่าง ${min}–${max}`),
    maxBelowMin: "ต้องไม่น้อยกว่าจำนวนเงิน",
    codeInvalid: "ต้องเป็นอักษรภาษาอังกฤษตัวพิมพ์ใหญ่ 2–6 ตัว",
  },
  en: {
    general: "General",
    generalHint: "Shown in the citizen manual",
    readOnly: "Set elsewhere in the studio (not editable here)",
    id: "Service id",
    form: "Form",
    workflow: "Workflow",
    roles: "Staff roles (from the workflow)",
    sourceTemplate: "Created from template",
    none: "—",
    thai: "Thai",
    english: "English",
    title: "Service title",
    description: "Description",
    level: "Service level",
    levels: { initial: "Initial level", standard: "Standard level" },
    category: "Category",
    categories: { licence: "Licence", petition: "Petition", certificate: "Certificate", information: "Information request" },
    law: "Governing law",
    responsibleUnit: "Responsible unit",
    criteria: "Criteria, procedure and conditions",
    statutoryDays: "Statutory time limit (working days)",
    statutoryDaysHint: "Working days only, from a complete application to the decision",
    optionalText: "Optional: leave both languages empty to omit",
    fees: "Fees",
    feesEmpty: "No fees",
    fee: (n: number) => `Fee ${n}`,
    feeLabel: "Item",
    amount: "Amount (THB)",
    amountMax: "Maximum amount (THB)",
    amountMaxHint: "For a range of rates; leave empty for a single rate",
    note: "Note",
    addFee: "Add a fee",
    chargedWhen: "Charged when",
    chargedWhenHint: "The line is charged when every condition holds; without conditions it is charged on every application",
    alwaysCharged: "Charged on every application (no conditions)",
    feeCondition: (n: number) => `Condition ${n}`,
    guard: "Condition",
    conditionField: "Form field",
    conditionValue: "Value",
    conditionNumber: "Number",
    conditionValues: "Any of these values",
    conditionValuesHint: "Separated by commas, or one per line",
    noNumericFields: "The form has no number fields",
    addFeeCondition: "Add a condition",
    removeFeeCondition: "Remove the condition",
    inWords: "Reads",
    preview: "Try the fee",
    previewHint: "Enter example values of the fields the conditions read to see what that application would pay (not saved)",
    previewEmpty: "— not filled in —",
    previewTotal: "Total fee",
    previewNone: "No line is charged",
    baht: "THB",
    payment: "Paying fees electronically",
    paymentHint: "Applicants pay by PromptPay QR or with a pay-in slip at a bank counter after approval (the “Ask for the fee” action of the workflow)",
    dueDays: "Time to pay (days from the payment request)",
    dueDaysHint: (n: number) => `1–90 days; leave empty for the standard ${n} days`,
    remove: "Remove",
    documents: "Required documents",
    documentsEmpty: "No documents to attach",
    document: (n: number) => `Document ${n}`,
    docLabel: "Document",
    docRequired: "Required (unticked: only in some cases)",
    docField: "Attachment field in the form",
    docFieldNone: "— not linked to a field —",
    noAttachments: "The form has no attachment fields yet",
    addDocument: "Add a document",
    summary: "Application summary",
    summaryHint: "Form fields shown in staff inboxes and on the receipt",
    applicantName: "Applicant name",
    subject: "Subject / business name",
    email: "E-mail for notifications",
    choose: "— choose a field —",
    notSet: "— not set —",
    notInForm: "not in the form",
    noSection: "General fields",
    permit: "Permit",
    issuesPermit: "This service issues a permit",
    permitRemoved:
      "The permit template was removed from the service and will be lost if you save now. Turn “This service issues a permit” back on before saving to restore it, and remove issuing the permit (issuePermit) from the workflow.",
    permitType: "Permit type name",
    permitCode: "Permit type code",
    permitCodeHint: "2–6 capital letters, e.g. HH; used as {type} in permit numbers",
    displayRequired: "The permit must be displayed openly at the premises",
    validityMonths: "Validity (months)",
    numberFormat: "Permit number format",
    numberFormatHelp: [
      ["{agency}", "the agency's code"],
      ["{type}", "the permit type code above"],
      ["{yearBE}", "the Buddhist-era year of issue"],
      ["{seq:5}", "the running number, restarting every year, zero-padded to 5 digits ({seq} without padding; 1–9 digits)"],
    ],
    numberFormatRule: "All four parts are needed so numbers are unique in the whole registry; other characters: A-Z a-z 0-9 and -",
    numberFormatInvalid: "Invalid format: it needs {agency}, {type}, {yearBE} and {seq}, and other characters may only be A-Z a-z 0-9 or -",
    useDefault: "Use the standard format",
    example: "Example",
    renewalOf: "Renewal service: field with the previous permit number",
    renewalNone: "— not a renewal service —",
    permitFields: "Printed on the permit",
    permitFieldsHint: "Pick the form field printed for each item; other items print as details under the field's title",
    otherKey: (key: string) => `Detail “${key}”`,
    newKey: "New item name (e.g. seats)",
    addKey: "Add item",
    keyInvalid: "Must start with a letter, use only A-Z a-z 0-9 and be new",
    conditions: "Permit conditions",
    conditionsEmpty: "No conditions",
    condition: (n: number) => `Condition ${n}`,
    addCondition: "Add a condition",
    required: "Required",
    requiredNumber: "Enter a number (the previous value is kept until you do)",
    integer: "Must be a whole number",
    range: (min: number, max?: number) => (max === undefined ? `Must be at least ${min}` : `Must be between ${min} and ${max}`),
    maxBelowMin: "Must not be less than the amount",
    codeInvalid: "Must be 2–6 capital letters",
  },
} as const;

type Text = (typeof TEXT)[Lang];

const EMPTY_TEXT: LocalizedText = { th: "", en: "" };

/** A copy of obj with key set, or removed when value is undefined (so JSON never carries empty optionals). */
function withOptional<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): T {
  const copy = { ...obj };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}

const isBlank = (text: LocalizedText | undefined) => !text || (text.th.trim() === "" && text.en.trim() === "");

function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

function defaultPermit(manifest: ServiceManifest): PermitTemplate {
  return {
    type: { ...EMPTY_TEXT },
    code: "",
    displayRequired: true,
    validityMonths: 12,
    numberFormat: DEFAULT_PERMIT_NUMBER_FORMAT,
    fields: { holderName: manifest.summary.applicantName },
    conditions: [],
  };
}

function Hint({ children, error }: { children: ReactNode; error?: boolean }) {
  return <span className={`bk-sd-hint${error ? " error" : " bk-muted"}`}>{children}</span>;
}

/** Thai and English side by side. Optional texts become undefined when both are empty. */
function TextPair({
  label,
  value,
  onChange,
  t,
  multiline,
  optional,
  testId,
}: {
  label: string;
  value: LocalizedText | undefined;
  onChange: (value: LocalizedText | undefined) => void;
  t: Text;
  multiline?: boolean;
  optional?: boolean;
  testId?: string;
}) {
  const current = value ?? EMPTY_TEXT;
  const change = (lang: Lang, text: string) => {
    const next = { ...current, [lang]: text };
    onChange(optional && isBlank(next) ? undefined : next);
  };
  const input = (lang: Lang) => {
    const props = {
      lang,
      value: current[lang],
      "data-testid": testId ? `${testId}-${lang}` : undefined,
      "aria-invalid": !optional && current[lang].trim() === "" ? true : undefined,
    };
    return multiline ? (
      <textarea {...props} rows={3} onChange={(e) => change(lang, e.target.value)} />
    ) : (
      <input type="text" {...props} onChange={(e) => change(lang, e.target.value)} />
    );
  };
  return (
    <div className="bk-sd-pair">
      {(["th", "en"] as const).map((lang) => (
        <label key={lang} className="bk-field">
          <span>
            {label} <span className="bk-sd-lang">({lang === "th" ? t.thai : t.english})</span>
          </span>
          {input(lang)}
          {!optional && current[lang].trim() === "" ? <Hint error>{t.required}</Hint> : null}
        </label>
      ))}
      {optional ? <Hint>{t.optionalText}</Hint> : null}
    </div>
  );
}

const numberText = (value: number | undefined) => (value === undefined ? "" : String(value));

/**
 * A number input that keeps its own text: empty or unparsable text is never written as NaN. Empty
 * means undefined when optional; when required the previous value stays until a number is typed.
 */
function NumberField({
  label,
  value,
  onChange,
  t,
  optional,
  integer,
  min,
  max,
  hint,
  testId,
  extraError,
}: {
  label: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  t: Text;
  optional?: boolean;
  integer?: boolean;
  min?: number;
  max?: number;
  hint?: string;
  testId?: string;
  extraError?: string;
}) {
  const [draft, setDraft] = useState(numberText(value));
  const [synced, setSynced] = useState(value);
  if (value !== synced) {
    // Changed from outside (another panel, Reset): show it unless the draft already means it.
    setSynced(value);
    const parsed = draft.trim() === "" ? undefined : Number(draft);
    if (parsed !== value) setDraft(numberText(value));
  }

  const trimmed = draft.trim();
  const parsed = trimmed === "" ? undefined : Number(trimmed);
  let problem: string | undefined;
  if (parsed === undefined) problem = optional ? undefined : t.requiredNumber;
  else if (!Number.isFinite(parsed)) problem = t.requiredNumber;
  else if (integer && !Number.isInteger(parsed)) problem = t.integer;
  else if ((min !== undefined && parsed < min) || (max !== undefined && parsed > max)) problem = t.range(min ?? 0, max);
  problem ??= extraError;

  return (
    <label className="bk-field bk-sd-number">
      <span>{label}</span>
      <input
        type="number"
        inputMode={integer ? "numeric" : "decimal"}
        step={integer ? 1 : "any"}
        min={min}
        max={max}
        value={draft}
        data-testid={testId}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          const raw = e.target.value;
          setDraft(raw);
          // A browser reports "" for text it cannot read as a number ("1e"): keep the previous value then.
          if (e.target.validity.badInput) return;
          const text = raw.trim();
          if (text === "") {
            if (optional) {
              setSynced(undefined);
              onChange(undefined);
            }
            return;
          }
          const n = Number(text);
          if (!Number.isFinite(n)) return;
          setSynced(n);
          onChange(n);
        }}
      />
      {problem ? <Hint error>{problem}</Hint> : hint ? <Hint>{hint}</Hint> : null}
    </label>
  );
}

/** A select of form fields, grouped by section; a value the form no longer has stays visible. */
function FieldPicker({
  label,
  value,
  onChange,
  fields,
  t,
  emptyLabel,
  required,
  testId,
}: {
  label: string;
  value: string | undefined;
  onChange: (pointer: string | undefined) => void;
  fields: readonly FormField[];
  t: Text;
  emptyLabel: string;
  required?: boolean;
  testId?: string;
}) {
  const sections: { section: string; fields: FormField[] }[] = [];
  for (const field of fields) {
    const last = sections[sections.length - 1];
    if (last && last.section === field.section) last.fields.push(field);
    else sections.push({ section: field.section, fields: [field] });
  }
  const missing = value && !fields.some((f) => f.pointer === value);
  return (
    <label className="bk-field bk-sd-picker">
      <span>{label}</span>
      <select
        value={value ?? ""}
        data-testid={testId}
        aria-invalid={(required && !value) || missing ? true : undefined}
        onChange={(e) => {
          const next = e.target.value;
          if (next === "" && required) return;
          onChange(next === "" ? undefined : next);
        }}
      >
        {!required || !value ? <option value="">{emptyLabel}</option> : null}
        {missing ? (
          <option value={value}>
            {value} ({t.notInForm})
          </option>
        ) : null}
        {sections.map((group, i) => (
          <optgroup key={`${i}:${group.section}`} label={group.section || t.noSection}>
            {group.fields.map((f) => (
              <option key={f.pointer} value={f.pointer}>
                {f.title} ({f.pointer})
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {missing ? <Hint error>{t.notInForm}</Hint> : required && !value ? <Hint error>{t.required}</Hint> : null}
    </label>
  );
}

function RemoveButton({ t, testId, onClick, label }: { t: Text; testId?: string; onClick: () => void; label?: string }) {
  return (
    <button type="button" className="bk-button danger bk-sd-remove" data-testid={testId} onClick={onClick}>
      {label ?? t.remove}
    </button>
  );
}

/**
 * The fees, the documents and the permit's conditions: numbered entries, each with a heading and a remove button
 * above its fields, and a button that adds one. Test ids: `<testIdPrefix>-remove-<index>` and `<testIdPrefix>-add`.
 */
function RemovableList<T>({
  items,
  onChange,
  newItem,
  itemTitle,
  addLabel,
  testIdPrefix,
  t,
  children,
}: {
  items: readonly T[];
  onChange: (items: T[]) => void;
  newItem: () => NoInfer<T>;
  itemTitle: (n: number) => string;
  addLabel: string;
  testIdPrefix: string;
  t: Text;
  /** The fields of one entry. */
  children: (item: T, index: number) => ReactNode;
}) {
  return (
    <>
      <ol className="bk-sd-list">
        {items.map((item, i) => (
          <li key={i} className="bk-sd-item" aria-label={itemTitle(i + 1)}>
            <div className="bk-sd-item-head">
              <strong>{itemTitle(i + 1)}</strong>
              <RemoveButton t={t} testId={`${testIdPrefix}-remove-${i}`} onClick={() => onChange(items.filter((_, j) => j !== i))} />
            </div>
            {children(item, i)}
          </li>
        ))}
      </ol>
      <button type="button" className="bk-button secondary" data-testid={`${testIdPrefix}-add`} onClick={() => onChange([...items, newItem()])}>
        {addLabel}
      </button>
    </>
  );
}

/** fieldIn's values for a field without choices, as typed text (its own draft, so "a, " is not eaten mid-typing). */
function ValueListField({ value, field, onChange, t, testId }: { value: unknown[]; field: ConditionField | undefined; onChange: (values: unknown[]) => void; t: Text; testId: string }) {
  const shown = value.map(String).join(", ");
  const [draft, setDraft] = useState(shown);
  const [synced, setSynced] = useState(shown);
  if (shown !== synced) {
    setSynced(shown);
    if (parseValueList(draft, field).map(String).join(", ") !== shown) setDraft(shown);
  }
  return (
    <label className="bk-field">
      <span>{t.conditionValues}</span>
      <input
        type="text"
        value={draft}
        data-testid={testId}
        aria-invalid={value.length === 0 ? true : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          const values = parseValueList(e.target.value, field);
          setSynced(values.map(String).join(", "));
          onChange(values);
        }}
      />
      {value.length === 0 ? <Hint error>{t.required}</Hint> : <Hint>{t.conditionValuesHint}</Hint>}
    </label>
  );
}

/** The value(s) of one condition, as the guard and the field call for: a number, a choice, a list, or nothing. */
function ConditionValue({ condition, field, onChange, t, testId }: { condition: NamedRef; field: ConditionField | undefined; onChange: (c: NamedRef) => void; t: Text; testId: string }) {
  const kind = guardValueKind(condition.type);
  const params = condition.params ?? {};
  if (kind === "none") return null;
  if (kind === "number" || (kind === "value" && isNumericField(field))) {
    return (
      <NumberField
        label={kind === "number" ? t.conditionNumber : t.conditionValue}
        value={typeof params.value === "number" ? params.value : undefined}
        onChange={(v) => v !== undefined && onChange(withValue(condition, v))}
        t={t}
        integer={field?.valueType === "integer"}
        testId={testId}
      />
    );
  }
  const choices = field?.choices;
  if (kind === "values") {
    const list = Array.isArray(params.values) ? params.values : [];
    if (!choices) return <ValueListField value={list} field={field} onChange={(values) => onChange(withValue(condition, values))} t={t} testId={testId} />;
    return (
      <fieldset className="bk-sd-choices" data-testid={testId}>
        <legend>{t.conditionValues}</legend>
        {choices.map((choice, k) => (
          <label key={k} className="bk-sd-check">
            <input
              type="checkbox"
              checked={list.some((v) => Object.is(v, choice.value))}
              data-testid={`${testId}-${k}`}
              onChange={(e) => onChange(withValue(condition, choices.filter((c) => (c === choice ? e.target.checked : list.some((v) => Object.is(v, c.value)))).map((c) => c.value)))}
            />
            <span>{choice.label}</span>
          </label>
        ))}
        {list.length === 0 ? <Hint error>{t.required}</Hint> : null}
      </fieldset>
    );
  }
  if (choices) {
    const index = choices.findIndex((c) => Object.is(c.value, params.value));
    return (
      <label className="bk-field bk-sd-picker">
        <span>{t.conditionValue}</span>
        <select value={index < 0 ? "" : String(index)} data-testid={testId} aria-invalid={index < 0 ? true : undefined} onChange={(e) => e.target.value !== "" && onChange(withValue(condition, choices[Number(e.target.value)].value))}>
          {index < 0 ? <option value="">{String(params.value ?? "")} ({t.notInForm})</option> : null}
          {choices.map((choice, k) => (
            <option key={k} value={String(k)}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <label className="bk-field">
      <span>{t.conditionValue}</span>
      <input type="text" value={String(params.value ?? "")} data-testid={testId} onChange={(e) => onChange(withValue(condition, e.target.value))} />
    </label>
  );
}

/**
 * A fee line's "charged when": conditions from the workflow's guard catalogue on the form's fields, all of which
 * must hold. Test ids: `sd-fee-<i>-when-<j>-guard|field|value|remove`, `sd-fee-<i>-when-add`, `sd-fee-<i>-when-words`.
 */
function FeeConditionsEditor({ fee, index, fields, lang, t, onChange }: { fee: Fee; index: number; fields: ConditionField[]; lang: Lang; t: Text; onChange: (when: NamedRef[] | undefined) => void }) {
  const when = fee.when ?? [];
  const prefix = `sd-fee-${index}-when`;
  const replace = (j: number, condition: NamedRef) => onChange(replaceAt(when, j, condition));
  const wordings = useMemo(() => new Map(fields.map((f) => [f.pointer, { title: f.title, options: f.options }])), [fields]);
  const words = feeConditionsInWords(when, wordings, lang);
  return (
    <fieldset className="bk-sd-when" data-testid={prefix}>
      <legend>{t.chargedWhen}</legend>
      <p className="bk-muted bk-sd-hint">{t.chargedWhenHint}</p>
      {when.length === 0 ? <p className="bk-muted">{t.alwaysCharged}</p> : null}
      <ol className="bk-sd-list">
        {when.map((condition, j) => {
          const base = `${prefix}-${j}`;
          const pointer = typeof condition.params?.field === "string" ? condition.params.field : undefined;
          const offered = fieldsForGuard(condition.type, fields);
          const current = fields.find((f) => f.pointer === pointer);
          // A field of the wrong type for the guard stays visible (the verifier or the words show the problem).
          if (current && !offered.includes(current)) offered.push(current);
          const known = Object.hasOwn(GUARDS, condition.type);
          return (
            <li key={j} className="bk-sd-condition" aria-label={t.feeCondition(j + 1)}>
              <div className="bk-sd-row">
                <label className="bk-field bk-sd-picker">
                  <span>{t.guard}</span>
                  <select value={condition.type} data-testid={`${base}-guard`} aria-invalid={known ? undefined : true} onChange={(e) => replace(j, withGuardType(condition, e.target.value, fields))}>
                    {Object.entries(GUARDS).map(([name, guard]) => (
                      <option key={name} value={name}>
                        {guard.label[lang]}
                      </option>
                    ))}
                    {known ? null : <option value={condition.type}>{condition.type}</option>}
                  </select>
                </label>
                <FieldPicker
                  label={t.conditionField}
                  value={pointer}
                  onChange={(next) => next && replace(j, withField(condition, next, fields))}
                  fields={offered}
                  t={t}
                  emptyLabel={t.choose}
                  required
                  testId={`${base}-field`}
                />
                <ConditionValue condition={condition} field={current} onChange={(c) => replace(j, c)} t={t} testId={`${base}-value`} />
              </div>
              {guardValueKind(condition.type) === "number" && !fields.some(isNumericField) ? <Hint error>{t.noNumericFields}</Hint> : null}
              <RemoveButton t={t} testId={`${base}-remove`} onClick={() => onChange(when.length > 1 ? when.filter((_, k) => k !== j) : undefined)} label={t.removeFeeCondition} />
            </li>
          );
        })}
      </ol>
      <button type="button" className="bk-button secondary" data-testid={`${prefix}-add`} disabled={fields.length === 0} onClick={() => onChange([...when, newFeeCondition(fields)])}>
        {t.addFeeCondition}
      </button>
      {words ? (
        <p className="bk-sd-words" data-testid={`${prefix}-words`}>
          {t.inWords}: {words}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A live "fee for an example": values for the fields the conditions read, and what computeFee charges for them. */
function FeePreview({ fees, fields, lang, t }: { fees: readonly Fee[]; fields: ConditionField[]; lang: Lang; t: Text }) {
  const [texts, setTexts] = useState<Record<string, string>>({});
  const pointers = [...new Set(fees.flatMap((fee) => (fee.when ?? []).map((c) => c.params?.field)).filter((p): p is string => typeof p === "string"))];
  const used = pointers.map((p) => fields.find((f) => f.pointer === p)).filter((f): f is ConditionField => Boolean(f));
  let data: Record<string, unknown> = {};
  for (const field of used) {
    const text = texts[field.pointer] ?? "";
    if (text === "") continue;
    const value = field.choices ? field.choices[Number(text)]?.value : isNumericField(field) ? Number(text) : text;
    if (value !== undefined && !(typeof value === "number" && !Number.isFinite(value))) data = setAt(data, field.pointer, value);
  }
  const fee = computeFee(fees, data);
  const set = (pointer: string, text: string) => setTexts({ ...texts, [pointer]: text });
  return (
    <div className="bk-sd-preview" data-testid="sd-fee-preview">
      <h4 className="bk-sd-subheading">{t.preview}</h4>
      <p className="bk-muted bk-sd-intro">{t.previewHint}</p>
      <div className="bk-sd-row">
        {used.map((field) => (
          <label key={field.pointer} className="bk-field">
            <span>{field.title}</span>
            {field.choices ? (
              <select value={texts[field.pointer] ?? ""} data-testid={`sd-fee-preview-${field.pointer}`} onChange={(e) => set(field.pointer, e.target.value)}>
                <option value="">{t.previewEmpty}</option>
                {field.choices.map((choice, k) => (
                  <option key={k} value={String(k)}>
                    {choice.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                type={isNumericField(field) ? "number" : "text"}
                inputMode={isNumericField(field) ? "decimal" : undefined}
                value={texts[field.pointer] ?? ""}
                data-testid={`sd-fee-preview-${field.pointer}`}
                onChange={(e) => set(field.pointer, e.target.value.trim())}
              />
            )}
          </label>
        ))}
      </div>
      <p className="bk-sd-words" role="status" data-testid="sd-fee-preview-total" data-satang={fee.totalSatang}>
        <strong>
          {t.previewTotal}: {formatBaht(fee.totalSatang)} {t.baht}
        </strong>
        {fee.lines.length === 0 ? <> — {t.previewNone}</> : null}
      </p>
      {fee.lines.length > 0 ? (
        <ul className="bk-sd-preview-lines">
          {fee.lines.map((line, i) => (
            <li key={i}>
              {line.label[lang] || line.label.th}: {formatBaht(line.amountSatang)} {t.baht}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Section({ title, hint, children, className }: { title: string; hint?: string; children: ReactNode; className?: string }) {
  return (
    <section className={`bk-card bk-sd-section${className ? ` ${className}` : ""}`}>
      <h3 className="bk-sd-heading">{title}</h3>
      {hint ? <p className="bk-muted bk-sd-intro">{hint}</p> : null}
      {children}
    </section>
  );
}

export function ServiceDetailsEditor({ manifest, formSchema, lang, onChange }: ServiceDetailsEditorProps) {
  const t = TEXT[lang];
  const fields = useMemo(() => {
    try {
      return listFormFields(formSchema, lang);
    } catch {
      return []; // a form schema broken mid-edit elsewhere: the pickers still show the current values
    }
  }, [formSchema, lang]);
  const valueFields = useMemo(() => fields.filter((f) => f.kind !== "attachment"), [fields]);
  const attachmentFields = useMemo(() => fields.filter((f) => f.kind === "attachment"), [fields]);
  const feeFields = useMemo(() => conditionFields(formSchema, lang), [formSchema, lang]);

  // The permit template while issuing is switched off, so switching it back on before saving restores it.
  const [stashedPermit, setStashedPermit] = useState<PermitTemplate | undefined>(undefined);
  const [newKey, setNewKey] = useState("");

  const set = <K extends keyof ServiceManifest>(key: K, value: ServiceManifest[K] | undefined) => onChange(withOptional(manifest, key, value));

  const fees = manifest.fees ?? [];
  const documents = manifest.documents ?? [];
  const setFee = (index: number, fee: Fee) => set("fees", replaceAt(fees, index, fee));
  const setDocument = (index: number, doc: RequiredDocument) => set("documents", replaceAt(documents, index, doc));

  const permit = manifest.permit ?? stashedPermit ?? defaultPermit(manifest);
  const setPermit = (next: PermitTemplate) => onChange({ ...manifest, permit: next });
  const setPermitField = (key: string, pointer: string | undefined) => {
    const next = { ...permit.fields } as Record<string, string>;
    if (pointer === undefined) delete next[key];
    else next[key] = pointer;
    setPermit({ ...permit, fields: next as PermitTemplate["fields"] });
  };
  const conditions = permit.conditions ?? [];

  function toggleIssuesPermit(on: boolean) {
    if (on) {
      onChange({ ...manifest, issuesPermit: true, permit: manifest.permit ?? stashedPermit ?? defaultPermit(manifest) });
      setStashedPermit(undefined);
    } else {
      if (manifest.permit) setStashedPermit(manifest.permit);
      const next = withOptional(manifest, "permit", undefined);
      onChange({ ...next, issuesPermit: false });
    }
  }

  const otherKeys = Object.keys(permit.fields).filter((k) => !(PERMIT_FIELD_KEYS as readonly string[]).includes(k));
  const newKeyTrimmed = newKey.trim();
  const newKeyValid = FIELD_KEY.test(newKeyTrimmed) && !(newKeyTrimmed in permit.fields) && !(PERMIT_FIELD_KEYS as readonly string[]).includes(newKeyTrimmed);
  const numberFormatValid = NUMBER_FORMAT.test(permit.numberFormat);
  const example = numberFormatValid
    ? formatPermitNumber(permit.numberFormat, { ...EXAMPLE_NUMBER, type: permit.code || "XX" })
    : undefined;

  const readOnly: [string, string][] = [
    [t.id, manifest.id],
    [t.form, manifest.form],
    [t.workflow, manifest.workflow],
    [t.roles, (manifest.roles ?? []).join(", ") || t.none],
    [t.sourceTemplate, manifest.sourceTemplate ? `${manifest.sourceTemplate.id} (v${manifest.sourceTemplate.version})` : t.none],
  ];

  return (
    <div className="bk-sd" data-service={manifest.id}>
      <Section title={t.general} hint={t.generalHint}>
        <dl className="bk-sd-readonly" title={t.readOnly}>
          {readOnly.map(([label, value]) => (
            <div key={label} className="bk-sd-readonly-item">
              <dt>{label}</dt>
              <dd>
                <code>{value}</code>
              </dd>
            </div>
          ))}
        </dl>
        <p className="bk-muted bk-sd-hint">{t.readOnly}</p>

        <TextPair label={t.title} value={manifest.title} onChange={(v) => set("title", v ?? { ...EMPTY_TEXT })} t={t} testId="sd-title" />
        <TextPair
          label={t.description}
          value={manifest.description}
          onChange={(v) => set("description", v ?? { ...EMPTY_TEXT })}
          t={t}
          multiline
        />
        <div className="bk-sd-row">
          <label className="bk-field">
            <span>{t.level}</span>
            <select
              value={manifest.level}
              data-testid="sd-level"
              onChange={(e) => set("level", e.target.value as ServiceManifest["level"])}
            >
              {(["initial", "standard"] as const).map((level) => (
                <option key={level} value={level}>
                  {t.levels[level]}
                </option>
              ))}
            </select>
          </label>
          <label className="bk-field">
            <span>{t.category}</span>
            <select
              value={manifest.category}
              data-testid="sd-category"
              onChange={(e) => set("category", e.target.value as ServiceManifest["category"])}
            >
              {(["licence", "petition", "certificate", "information"] as const).map((category) => (
                <option key={category} value={category}>
                  {t.categories[category]}
                </option>
              ))}
            </select>
          </label>
          <NumberField
            label={t.statutoryDays}
            value={manifest.statutoryDays}
            onChange={(v) => v !== undefined && set("statutoryDays", v)}
            t={t}
            integer
            min={1}
            max={365}
            hint={t.statutoryDaysHint}
            testId="sd-statutory-days"
          />
        </div>
        <TextPair label={t.law} value={manifest.law} onChange={(v) => set("law", v)} t={t} optional multiline testId="sd-law" />
        <TextPair label={t.responsibleUnit} value={manifest.responsibleUnit} onChange={(v) => set("responsibleUnit", v)} t={t} optional />
        <TextPair label={t.criteria} value={manifest.criteria} onChange={(v) => set("criteria", v)} t={t} optional multiline />
      </Section>

      <Section title={t.fees}>
        {fees.length === 0 ? <p className="bk-muted">{t.feesEmpty}</p> : null}
        <RemovableList
          items={fees}
          onChange={(next) => set("fees", next)}
          newItem={() => ({ label: { ...EMPTY_TEXT }, amount: 0 })}
          itemTitle={t.fee}
          addLabel={t.addFee}
          testIdPrefix="sd-fee"
          t={t}
        >
          {(fee, i) => (
            <>
              <TextPair label={t.feeLabel} value={fee.label} onChange={(v) => setFee(i, { ...fee, label: v ?? { ...EMPTY_TEXT } })} t={t} />
              <div className="bk-sd-row">
                <NumberField
                  label={t.amount}
                  value={fee.amount}
                  onChange={(v) => v !== undefined && setFee(i, { ...fee, amount: v })}
                  t={t}
                  min={0}
                  testId={`sd-fee-${i}-amount`}
                />
                <NumberField
                  label={t.amountMax}
                  value={fee.amountMax}
                  onChange={(v) => setFee(i, withOptional(fee, "amountMax", v))}
                  t={t}
                  optional
                  min={0}
                  hint={t.amountMaxHint}
                  extraError={fee.amountMax !== undefined && fee.amountMax < fee.amount ? t.maxBelowMin : undefined}
                  testId={`sd-fee-${i}-amount-max`}
                />
              </div>
              <TextPair label={t.note} value={fee.note} onChange={(v) => setFee(i, withOptional(fee, "note", v))} t={t} optional />
              <FeeConditionsEditor fee={fee} index={i} fields={feeFields} lang={lang} t={t} onChange={(when) => setFee(i, withOptional(fee, "when", when))} />
            </>
          )}
        </RemovableList>
        {fees.length > 0 ? <FeePreview fees={fees} fields={feeFields} lang={lang} t={t} /> : null}
        <h4 className="bk-sd-subheading">{t.payment}</h4>
        <p className="bk-muted bk-sd-intro">{t.paymentHint}</p>
        <NumberField
          label={t.dueDays}
          value={manifest.payment?.dueDays}
          onChange={(v) => set("payment", v === undefined ? undefined : { ...manifest.payment, dueDays: v })}
          t={t}
          optional
          integer
          min={1}
          max={90}
          hint={t.dueDaysHint(DEFAULT_PAYMENT_TERMS.dueDays)}
          testId="sd-payment-due-days"
        />
      </Section>

      <Section title={t.documents}>
        {documents.length === 0 ? <p className="bk-muted">{t.documentsEmpty}</p> : null}
        {attachmentFields.length === 0 ? <p className="bk-muted">{t.noAttachments}</p> : null}
        <RemovableList
          items={documents}
          onChange={(next) => set("documents", next)}
          newItem={() => ({ label: { ...EMPTY_TEXT }, required: true })}
          itemTitle={t.document}
          addLabel={t.addDocument}
          testIdPrefix="sd-doc"
          t={t}
        >
          {(doc, i) => (
            <>
              <TextPair label={t.docLabel} value={doc.label} onChange={(v) => setDocument(i, { ...doc, label: v ?? { ...EMPTY_TEXT } })} t={t} />
              <div className="bk-sd-row">
                <label className="bk-sd-check">
                  <input
                    type="checkbox"
                    checked={doc.required}
                    data-testid={`sd-doc-${i}-required`}
                    onChange={(e) => setDocument(i, { ...doc, required: e.target.checked })}
                  />
                  <span>{t.docRequired}</span>
                </label>
                <FieldPicker
                  label={t.docField}
                  value={doc.field}
                  onChange={(pointer) => setDocument(i, withOptional(doc, "field", pointer))}
                  fields={attachmentFields}
                  t={t}
                  emptyLabel={t.docFieldNone}
                  testId={`sd-doc-${i}-field`}
                />
              </div>
            </>
          )}
        </RemovableList>
      </Section>

      <Section title={t.summary} hint={t.summaryHint}>
        <div className="bk-sd-row">
          <FieldPicker
            label={t.applicantName}
            value={manifest.summary?.applicantName || undefined}
            onChange={(pointer) => pointer && set("summary", { ...manifest.summary, applicantName: pointer })}
            fields={valueFields}
            t={t}
            emptyLabel={t.choose}
            required
            testId="sd-summary-applicant"
          />
          <FieldPicker
            label={t.subject}
            value={manifest.summary?.subject}
            onChange={(pointer) => set("summary", withOptional(manifest.summary, "subject", pointer))}
            fields={valueFields}
            t={t}
            emptyLabel={t.notSet}
            testId="sd-summary-subject"
          />
          <FieldPicker
            label={t.email}
            value={manifest.summary?.email}
            onChange={(pointer) => set("summary", withOptional(manifest.summary, "email", pointer))}
            fields={valueFields}
            t={t}
            emptyLabel={t.notSet}
            testId="sd-summary-email"
          />
        </div>
      </Section>

      <Section title={t.permit} className="bk-sd-permit">
        <label className="bk-sd-check bk-sd-toggle">
          <input
            type="checkbox"
            checked={manifest.issuesPermit}
            data-testid="sd-issues-permit"
            onChange={(e) => toggleIssuesPermit(e.target.checked)}
          />
          <span>{t.issuesPermit}</span>
        </label>
        {!manifest.issuesPermit && stashedPermit ? (
          <div className="bk-alert warn" role="alert">
            {t.permitRemoved}
          </div>
        ) : null}

        {manifest.issuesPermit ? (
          <div className="bk-sd-permit-body">
            <TextPair
              label={t.permitType}
              value={permit.type}
              onChange={(v) => setPermit({ ...permit, type: v ?? { ...EMPTY_TEXT } })}
              t={t}
              testId="sd-permit-type"
            />
            <div className="bk-sd-row">
              <label className="bk-field bk-sd-code">
                <span>{t.permitCode}</span>
                <input
                  type="text"
                  value={permit.code}
                  maxLength={6}
                  autoCapitalize="characters"
                  spellCheck={false}
                  data-testid="sd-permit-code"
                  aria-invalid={PERMIT_CODE.test(permit.code) ? undefined : true}
                  onChange={(e) => setPermit({ ...permit, code: e.target.value.toUpperCase().trim() })}
                />
                {PERMIT_CODE.test(permit.code) ? <Hint>{t.permitCodeHint}</Hint> : <Hint error>{t.codeInvalid}</Hint>}
              </label>
              <NumberField
                label={t.validityMonths}
                value={permit.validityMonths}
                onChange={(v) => v !== undefined && setPermit({ ...permit, validityMonths: v })}
                t={t}
                integer
                min={1}
                max={600}
                testId="sd-permit-validity"
              />
              <label className="bk-sd-check">
                <input
                  type="checkbox"
                  checked={permit.displayRequired}
                  data-testid="sd-permit-display"
                  onChange={(e) => setPermit({ ...permit, displayRequired: e.target.checked })}
                />
                <span>{t.displayRequired}</span>
              </label>
            </div>

            <div className="bk-sd-number-format">
              <label className="bk-field">
                <span>{t.numberFormat}</span>
                <input
                  type="text"
                  value={permit.numberFormat}
                  spellCheck={false}
                  data-testid="sd-permit-number-format"
                  aria-invalid={numberFormatValid ? undefined : true}
                  onChange={(e) => setPermit({ ...permit, numberFormat: e.target.value.trim() })}
                />
                {numberFormatValid ? (
                  <Hint>
                    {t.example}: <code data-testid="sd-permit-number-example">{example}</code>
                  </Hint>
                ) : (
                  <Hint error>{t.numberFormatInvalid}</Hint>
                )}
              </label>
              {permit.numberFormat !== DEFAULT_PERMIT_NUMBER_FORMAT ? (
                <button
                  type="button"
                  className="bk-button secondary"
                  onClick={() => setPermit({ ...permit, numberFormat: DEFAULT_PERMIT_NUMBER_FORMAT })}
                >
                  {t.useDefault}
                </button>
              ) : null}
              <dl className="bk-sd-placeholders">
                {t.numberFormatHelp.map(([placeholder, meaning]) => (
                  <div key={placeholder}>
                    <dt>
                      <code>{placeholder}</code>
                    </dt>
                    <dd>{meaning}</dd>
                  </div>
                ))}
              </dl>
              <p className="bk-muted bk-sd-hint">{t.numberFormatRule}</p>
            </div>

            <h4 className="bk-sd-subheading">{t.permitFields}</h4>
            <p className="bk-muted bk-sd-intro">{t.permitFieldsHint}</p>
            <div className="bk-sd-grid">
              {PERMIT_FIELD_KEYS.map((key) => (
                <FieldPicker
                  key={key}
                  label={`${PERMIT_FIELD_LABELS[key][lang]} (${key})`}
                  value={permit.fields[key] || undefined}
                  onChange={(pointer) => {
                    if (key === "holderName" && !pointer) return;
                    setPermitField(key, pointer);
                  }}
                  fields={valueFields}
                  t={t}
                  emptyLabel={key === "holderName" ? t.choose : t.notSet}
                  required={key === "holderName"}
                  testId={key === "holderName" ? "sd-permit-holder" : `sd-permit-field-${key}`}
                />
              ))}
              {otherKeys.map((key) => (
                <div key={key} className="bk-sd-other-key">
                  <FieldPicker
                    label={t.otherKey(key)}
                    value={permit.fields[key] || undefined}
                    onChange={(pointer) => pointer && setPermitField(key, pointer)}
                    fields={valueFields}
                    t={t}
                    emptyLabel={t.choose}
                    required
                    testId={`sd-permit-field-${key}`}
                  />
                  <RemoveButton t={t} onClick={() => setPermitField(key, undefined)} />
                </div>
              ))}
            </div>
            <div className="bk-sd-row bk-sd-add-key">
              <label className="bk-field">
                <span>{t.newKey}</span>
                <input
                  type="text"
                  value={newKey}
                  spellCheck={false}
                  data-testid="sd-permit-new-key"
                  aria-invalid={newKeyTrimmed !== "" && !newKeyValid ? true : undefined}
                  onChange={(e) => setNewKey(e.target.value)}
                />
                {newKeyTrimmed !== "" && !newKeyValid ? <Hint error>{t.keyInvalid}</Hint> : null}
              </label>
              <button
                type="button"
                className="bk-button secondary"
                disabled={!newKeyValid || valueFields.length === 0}
                onClick={() => {
                  setPermitField(newKeyTrimmed, valueFields[0]?.pointer);
                  setNewKey("");
                }}
              >
                {t.addKey}
              </button>
            </div>

            <FieldPicker
              label={t.renewalOf}
              value={permit.renewalOf}
              onChange={(pointer) => setPermit(withOptional(permit, "renewalOf", pointer))}
              fields={valueFields}
              t={t}
              emptyLabel={t.renewalNone}
              testId="sd-permit-renewal-of"
            />

            <h4 className="bk-sd-subheading">{t.conditions}</h4>
            {conditions.length === 0 ? <p className="bk-muted">{t.conditionsEmpty}</p> : null}
            <RemovableList
              items={conditions}
              onChange={(next) => setPermit({ ...permit, conditions: next })}
              newItem={() => ({ ...EMPTY_TEXT })}
              itemTitle={t.condition}
              addLabel={t.addCondition}
              testIdPrefix="sd-condition"
              t={t}
            >
              {(condition, i) => (
                <TextPair
                  label={t.condition(i + 1)}
                  value={condition}
                  onChange={(v) => setPermit({ ...permit, conditions: replaceAt(conditions, i, v ?? { ...EMPTY_TEXT }) })}
                  t={t}
                  multiline
                />
              )}
            </RemovableList>
          </div>
        ) : null}
      </Section>
    </div>
  );
}
