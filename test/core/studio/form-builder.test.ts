import { retrieveSchema, type RJSFSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { describe, expect, it } from "vitest";
import healthHazardSchema from "../../../schemas/services/health-hazard-licence.form.json";
import healthHazardUi from "../../../schemas/services/health-hazard-licence.ui.json";
import { AppError } from "~/core/errors";
import { listFormFields } from "~/core/forms/form-fields";
import { formValidator, friendlyErrors, localizeUiSchema, validateFormData } from "~/core/forms/form-validation";
import {
  FIELD_KINDS,
  UPLOAD_TYPE_CHOICES,
  addField,
  findBuilderField,
  keyFromLabel,
  listBuilderFields,
  listContainers,
  moveField,
  removeField,
  setCondition,
  suggestKey,
  updateField,
  type BuilderForm,
  type FieldKind,
} from "~/core/studio/form-builder";

// ---- factories --------------------------------------------------------------------------------------------

function emptyForm(): BuilderForm {
  return {
    schema: { $schema: "http://json-schema.org/draft-07/schema#", type: "object", title: "แบบทดสอบ", "x-en": { title: "Test form" }, properties: {} },
    uiSchema: {},
  };
}

function healthHazard(): BuilderForm {
  return structuredClone({ schema: healthHazardSchema as Record<string, unknown>, uiSchema: healthHazardUi as Record<string, unknown> });
}

/** Adds a field and returns the new form (the pointer is checked by the caller when it matters). */
function add(form: BuilderForm, parent: string, kind: FieldKind, th: string, en: string, extra: { key?: string; required?: boolean } = {}) {
  return addField(form, parent, kind, { label: { th, en }, ...extra });
}

/** Applicant section with a person-type choice and a company-ID field shown only for juristic persons. */
function juristicForm(): BuilderForm {
  let form = emptyForm();
  form = add(form, "", "section", "ผู้ขอ", "Applicant").form;
  form = add(form, "/applicant", "choice", "ประเภทผู้ขอ", "Applicant type", { required: true }).form;
  form = updateField(form, "/applicant/applicantType", {
    options: [
      { value: "natural", label: { th: "บุคคลธรรมดา", en: "Natural person" } },
      { value: "juristic", label: { th: "นิติบุคคล", en: "Juristic person" } },
    ],
  });
  form = add(form, "/applicant", "text", "เลขทะเบียนนิติบุคคล", "Company ID", { required: true }).form;
  form = updateField(form, "/applicant/companyId", { rules: { pattern: "^[0-9]{13}$" } });
  form = add(form, "/applicant", "text", "ชื่อ", "Full name", { required: true }).form;
  return setCondition(form, "/applicant/companyId", { when: "/applicant/applicantType", equals: "juristic" });
}

const pointers = (form: BuilderForm) => listBuilderFields(form).map((f) => f.pointer);

function expectAppError(fn: () => unknown, code: string): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe(code);
    expect(appError.text.th).toBeTruthy();
    expect(appError.text.en).toBeTruthy();
    return appError;
  }
  throw new Error("expected an AppError");
}

/** An upload reference as the tus server hands it out: `upload:` and 32 hex characters. */
const UPLOAD = "upload:0f3a9c1e5b7d42a8b6c0e1f2a3b4c5d6";
const UPLOAD_2 = "upload:9e8d7c6b5a4f43e2d1c0b9a8f7e6d5c4";
const PDF = "application/pdf";
const JPEG = "image/jpeg";
const PNG = "image/png";
const DWG = "image/vnd.dwg";
const MB = 1024 * 1024;

const silom = { line: "99/1 ถนนสีลม", province: "กรุงเทพมหานคร", district: "บางรัก", subdistrict: "สีลม", postcode: "10500" };

// ---- kinds ------------------------------------------------------------------------------------------------

const SAMPLES: Record<FieldKind, { good: unknown; bad: unknown }> = {
  text: { good: "ร้านสมใจ", bad: 42 },
  longText: { good: "รายละเอียด\nหลายบรรทัด", bad: "x".repeat(2001) },
  number: { good: 12.5, bad: "สิบ" },
  date: { good: "2025-02-28", bad: "2025-02-30" },
  choice: { good: "option2", bad: "option9" },
  multiChoice: { good: ["option1", "option2"], bad: ["option1", "option1"] },
  yesNo: { good: false, bad: "yes" },
  nationalId: { good: "1103700123458", bad: "1103700123459" },
  mobile: { good: "0812345678", bad: "0212345678" },
  email: { good: "somchai@example.go.th", bad: "somchai-at-example" },
  address: { good: silom, bad: { ...silom, postcode: "50200" } },
  file: { good: UPLOAD, bad: "plan.pdf" },
  // Required several files: at least one.
  files: { good: [UPLOAD, UPLOAD_2], bad: [] },
  section: { good: {}, bad: "not a section" },
  group: { good: [{}, {}], bad: { not: "a list" } },
};

describe("field kinds", () => {
  it("have Thai and English names", () => {
    for (const spec of Object.values(FIELD_KINDS)) {
      expect(spec.label.th).toBeTruthy();
      expect(spec.label.en).toBeTruthy();
    }
  });

  for (const kind of Object.keys(FIELD_KINDS) as FieldKind[]) {
    it(`${kind}: the validator accepts a good value and rejects a bad one, and the builder recognises the kind`, async () => {
      const { form, pointer } = add(emptyForm(), "", kind, "ช่องทดสอบ", "Sample", { key: "f", required: true });
      expect(pointer).toBe("/f");
      expect(await validateFormData(form.schema as RJSFSchema, { f: SAMPLES[kind].good })).toEqual([]);
      const errors = await validateFormData(form.schema as RJSFSchema, { f: SAMPLES[kind].bad });
      expect(errors.map((e) => e.pointer)).toEqual(["/f"]);
      expect((await validateFormData(form.schema as RJSFSchema, {})).map((e) => e.pointer)).toEqual(["/f"]);
      const [field] = listBuilderFields(form);
      expect(field).toMatchObject({ pointer: "/f", kind, label: { th: "ช่องทดสอบ", en: "Sample" }, required: true });
    });
  }

  it("creates the Thai widgets and the exact address shape of the repository forms", () => {
    let form = emptyForm();
    for (const kind of ["date", "nationalId", "mobile", "address", "file", "files", "multiChoice", "yesNo", "longText"] as const) {
      form = add(form, "", kind, kind, kind, { key: kind }).form;
    }
    const ui = form.uiSchema as Record<string, Record<string, unknown>>;
    expect(ui.date["ui:widget"]).toBe("buddhistDate");
    expect(ui.nationalId["ui:widget"]).toBe("nationalId");
    expect(ui.mobile["ui:widget"]).toBe("thaiMobile");
    expect(ui.address["ui:field"]).toBe("thaiAddress");
    expect(ui.file).toEqual({ "ui:widget": "upload" });
    expect(ui.files).toEqual({ "ui:widget": "upload" });
    expect(ui.multiChoice["ui:widget"]).toBe("checkboxes");
    expect(ui.yesNo["ui:widget"]).toBe("radio");
    expect(ui.longText["ui:widget"]).toBe("textarea");
    const props = form.schema.properties as Record<string, Record<string, unknown>>;
    expect(props.file).toEqual({ type: "string", format: "attachment", "x-upload": { maxBytes: 50 * MB, types: [PDF, JPEG, PNG] }, title: "file", "x-en": { title: "file" } });
    // Several files: the health-hazard form's buildingPlans shape.
    expect(props.files).toMatchObject({ type: "array", maxItems: 5, items: { type: "string", format: "attachment", "x-upload": { maxBytes: 50 * MB, types: [PDF, JPEG, PNG] } } });
    const address = props.address;
    const reference = (healthHazardSchema.properties.applicant.properties as Record<string, Record<string, unknown>>).address;
    const { title: _t, "x-en": _e, ...shape } = address;
    const { title: _rt, "x-en": _re, ...referenceShape } = reference;
    expect(shape).toEqual(referenceShape);
  });

  it("lifts the labels of multiple-choice and yes/no options into the UI schema in both languages", () => {
    let form = add(emptyForm(), "", "multiChoice", "บริการ", "Services", { key: "services" }).form;
    form = add(form, "", "yesNo", "มีลูกจ้าง", "Has employees", { key: "hasEmployees" }).form;
    const th = localizeUiSchema(form.schema, form.uiSchema, "th") as Record<string, Record<string, unknown>>;
    const en = localizeUiSchema(form.schema, form.uiSchema, "en") as Record<string, Record<string, unknown>>;
    expect((th.services.items as Record<string, unknown>)["ui:enumNames"]).toEqual(["ตัวเลือกที่ 1", "ตัวเลือกที่ 2"]);
    expect((en.services.items as Record<string, unknown>)["ui:enumNames"]).toEqual(["Option 1", "Option 2"]);
    expect(th.hasEmployees["ui:enumNames"]).toEqual(["ใช่", "ไม่ใช่"]);
    expect(en.hasEmployees["ui:enumNames"]).toEqual(["Yes", "No"]);
  });
});

// ---- keys -------------------------------------------------------------------------------------------------

describe("field keys", () => {
  it("are derived from the English label in camelCase and kept unique within the parent", () => {
    expect(keyFromLabel("Business name")).toBe("businessName");
    expect(keyFromLabel("  National ID number (13 digits) ")).toBe("nationalIdNumber13Digits");
    expect(keyFromLabel("2nd address", "address")).toBe("address2ndAddress");
    expect(keyFromLabel("ชื่อร้าน", "text")).toBe("text");

    let form = add(emptyForm(), "", "text", "ชื่อร้าน", "Business name").form;
    const second = add(form, "", "text", "ชื่อร้าน (สำรอง)", "Business name");
    expect(second.pointer).toBe("/businessName2");
    form = second.form;
    expect(suggestKey(form, "", "Business name")).toBe("businessName3");
    form = add(form, "", "section", "หัวข้อ", "Details").form;
    // The same key is free inside another object.
    expect(add(form, "/details", "text", "ชื่อร้าน", "Business name").pointer).toBe("/details/businessName");
    // A Thai-only label falls back to the kind.
    expect(add(form, "", "date", "วันที่เริ่ม", "").pointer).toBe("/date");
  });

  it("refuses an invalid or duplicate key with a Thai and English message", () => {
    const form = add(emptyForm(), "", "text", "ชื่อ", "Name", { key: "name" }).form;
    for (const key of ["1name", "first-name", "ชื่อ", "", "a.b", "$where"]) {
      const error = expectAppError(() => add(form, "", "text", "ชื่อ", "Name", { key }), "BAD_REQUEST");
      expect(error.text.en).toContain("A-Z a-z 0-9");
      expect(error.text.th).toContain("A-Z a-z 0-9");
    }
    const duplicate = expectAppError(() => add(form, "", "text", "ชื่อ", "Name", { key: "name" }), "BAD_REQUEST");
    expect(duplicate.text.en).toContain('"name" already exists');
  });

  it("refuses a field without any label and a parent that cannot hold fields", () => {
    const form = add(emptyForm(), "", "text", "ชื่อ", "Name", { key: "name" }).form;
    expectAppError(() => add(form, "", "text", "  ", ""), "BAD_REQUEST");
    expectAppError(() => add(form, "/name", "text", "ย่อย", "Sub"), "BAD_REQUEST");
    expectAppError(() => add(form, "/missing", "text", "ย่อย", "Sub"), "NOT_FOUND");
  });
});

// ---- add / update / move / remove ---------------------------------------------------------------------------

describe("editing fields", () => {
  it("adds fields to the root, a section and a repeating group, in order, without touching the input", async () => {
    const start = emptyForm();
    const before = JSON.stringify(start);
    let form = add(start, "", "section", "กิจการ", "Business").form;
    form = add(form, "/business", "text", "ชื่อกิจการ", "Name").form;
    form = add(form, "", "group", "หุ้นส่วน", "Partners").form;
    const partner = add(form, "/partners", "text", "ชื่อหุ้นส่วน", "Partner name", { required: true });
    expect(partner.pointer).toBe("/partners/items/partnerName");
    form = add(partner.form, "/partners/items", "mobile", "โทรศัพท์", "Phone").form;
    expect(JSON.stringify(start)).toBe(before);

    expect(pointers(form)).toEqual(["/business", "/business/name", "/partners", "/partners/items/partnerName", "/partners/items/phone"]);
    const fields = listBuilderFields(form);
    expect(fields.map((f) => [f.depth, f.parent])).toEqual([
      [0, ""],
      [1, "/business"],
      [0, ""],
      [1, "/partners/items"],
      [1, "/partners/items"],
    ]);
    expect(fields[3].inGroup).toBe(true);
    expect(form.uiSchema["ui:order"]).toEqual(["business", "partners"]);
    expect((form.uiSchema.partners as Record<string, Record<string, unknown>>).items["ui:order"]).toEqual(["partnerName", "phone"]);
    expect(listContainers(form).map((c) => c.pointer)).toEqual(["", "/business", "/partners/items"]);

    const errors = await validateFormData(form.schema as RJSFSchema, { partners: [{ partnerName: "ก" }, {}] });
    expect(errors.map((e) => e.pointer)).toEqual(["/partners/1/partnerName"]);
  });

  it("updates labels, help, required, rules, options, upload limits and widget — and reads them back", () => {
    let form = add(emptyForm(), "", "section", "กิจการ", "Business").form;
    form = add(form, "/business", "number", "พื้นที่", "Area", { key: "area" }).form;
    form = add(form, "/business", "choice", "ประเภท", "Type", { key: "type" }).form;
    form = add(form, "/business", "file", "แผนที่", "Map", { key: "map" }).form;
    const input = JSON.stringify(form);

    let next = updateField(form, "/business/area", {
      label: { th: "พื้นที่ (ตร.ม.)", en: "Area (m²)" },
      help: { th: "ไม่รวมที่จอดรถ", en: "Excluding parking" },
      required: true,
      rules: { minimum: 1, maximum: 5000, message: { th: "พื้นที่ต้องอยู่ระหว่าง 1 ถึง 5,000", en: "Area must be 1 to 5,000" } },
    });
    next = updateField(next, "/business/type", {
      options: [
        { value: "shop", label: { th: "ร้านค้า", en: "Shop" } },
        { value: "factory", label: { th: "โรงงาน", en: "" } },
      ],
      widget: "select",
    });
    next = updateField(next, "/business/map", { upload: { maxBytes: 10 * MB, types: [PDF] } });
    expect(JSON.stringify(form)).toBe(input);

    const area = findBuilderField(next, "/business/area")!;
    expect(area).toMatchObject({
      label: { th: "พื้นที่ (ตร.ม.)", en: "Area (m²)" },
      help: { th: "ไม่รวมที่จอดรถ", en: "Excluding parking" },
      required: true,
      rules: { minimum: 1, maximum: 5000, message: { th: "พื้นที่ต้องอยู่ระหว่าง 1 ถึง 5,000", en: "Area must be 1 to 5,000" } },
    });
    const type = findBuilderField(next, "/business/type")!;
    expect(type.options).toEqual([
      { value: "shop", label: { th: "ร้านค้า", en: "Shop" } },
      { value: "factory", label: { th: "โรงงาน", en: "" } },
    ]);
    expect(type.widget).toBe("select");
    expect(findBuilderField(next, "/business/map")!.upload).toEqual({ maxBytes: 10 * MB, types: [PDF] });

    // Clearing comes back to the original shape.
    next = updateField(next, "/business/area", {
      label: { en: "" },
      help: { th: "", en: "" },
      required: false,
      rules: { minimum: null, maximum: null, message: null },
    });
    const node = (next.schema.properties as Record<string, Record<string, Record<string, unknown>>>).business.properties.area;
    expect(node).toEqual({ type: "number", title: "พื้นที่ (ตร.ม.)" });
    expect((next.schema.properties as Record<string, Record<string, unknown>>).business.required).toBeUndefined();
  });

  it("refuses rules that do not fit the field", () => {
    let form = add(emptyForm(), "", "number", "อายุ", "Age", { key: "age" }).form;
    form = add(form, "", "text", "รหัส", "Code", { key: "code" }).form;
    expectAppError(() => updateField(form, "/age", { rules: { pattern: "^a" } }), "BAD_REQUEST");
    expectAppError(() => updateField(form, "/code", { rules: { pattern: "^[0-9" } }), "BAD_REQUEST");
    expectAppError(() => updateField(form, "/code", { rules: { minLength: 5, maxLength: 2 } }), "BAD_REQUEST");
    expectAppError(() => updateField(form, "/code", { rules: { minLength: -1 } }), "BAD_REQUEST");
    expectAppError(() => updateField(form, "/code", { options: [] }), "BAD_REQUEST");
    expectAppError(() => updateField(form, "/code", { upload: { types: [PDF] } }), "BAD_REQUEST");
    expectAppError(() => updateField(form, "/nothing", { required: true }), "NOT_FOUND");
  });

  it("refuses choice options without a value or with the same value twice", () => {
    const form = add(emptyForm(), "", "choice", "ประเภท", "Type", { key: "type" }).form;
    const option = (value: string) => ({ value, label: { th: value, en: value } });
    expectAppError(() => updateField(form, "/type", { options: [option("a"), option("a")] }), "BAD_REQUEST");
    expectAppError(() => updateField(form, "/type", { options: [option(" ")] }), "BAD_REQUEST");
  });

  it("moves a field within its parent through ui:order", () => {
    let form = emptyForm();
    for (const name of ["A", "B", "C"]) form = add(form, "", "text", name, name).form;
    form = moveField(form, "/c", 0);
    expect(form.uiSchema["ui:order"]).toEqual(["c", "a", "b"]);
    expect(pointers(form)).toEqual(["/c", "/a", "/b"]);
    form = moveField(form, "/c", 99);
    expect(pointers(form)).toEqual(["/a", "/b", "/c"]);
    form = moveField(form, "/b", -3);
    expect(pointers(form)).toEqual(["/b", "/a", "/c"]);
    expect(listBuilderFields(form).map((f) => f.index)).toEqual([0, 1, 2]);
  });

  it("keeps ui:order names it does not know and the * wildcard when moving", () => {
    let form = emptyForm();
    for (const name of ["A", "B"]) form = add(form, "", "text", name, name).form;
    form = { ...form, uiSchema: { "ui:order": ["b", "ghost", "*"] } };
    expect(pointers(form)).toEqual(["/b", "/a"]);
    form = moveField(form, "/a", 0);
    expect(form.uiSchema["ui:order"]).toEqual(["a", "b", "ghost", "*"]);
  });

  it("removes a field with its required entry, UI entry and place in ui:order", () => {
    let form = add(emptyForm(), "", "section", "ผู้ขอ", "Applicant").form;
    form = add(form, "/applicant", "nationalId", "เลขบัตร", "ID", { key: "id", required: true }).form;
    form = add(form, "/applicant", "text", "ชื่อ", "Name", { key: "name", required: true }).form;
    const next = removeField(form, "/applicant/id");
    const applicant = (next.schema.properties as Record<string, Record<string, unknown>>).applicant;
    expect(Object.keys(applicant.properties as object)).toEqual(["name"]);
    expect(applicant.required).toEqual(["name"]);
    expect(next.uiSchema.applicant).toEqual({ "ui:order": ["name"] });
    expect(pointers(removeField(next, "/applicant"))).toEqual([]);
    expect(pointers(form)).toContain("/applicant/id");
  });
});

// ---- conditions -------------------------------------------------------------------------------------------

describe("conditional fields", () => {
  it("writes one root allOf entry and keeps the field out of its section's base properties", () => {
    const form = juristicForm();
    const applicant = (form.schema.properties as Record<string, Record<string, unknown>>).applicant;
    expect(Object.keys(applicant.properties as object)).toEqual(["applicantType", "fullName"]);
    expect(applicant.required).toEqual(["applicantType", "fullName"]);
    expect(form.schema.allOf).toEqual([
      {
        if: { properties: { applicant: { properties: { applicantType: { const: "juristic" } }, required: ["applicantType"] } }, required: ["applicant"] },
        then: {
          properties: {
            applicant: {
              properties: { companyId: { type: "string", maxLength: 200, title: "เลขทะเบียนนิติบุคคล", "x-en": { title: "Company ID" }, pattern: "^[0-9]{13}$" } },
              required: ["companyId"],
            },
          },
        },
      },
    ]);
    expect((form.uiSchema.applicant as Record<string, unknown>)["ui:order"]).toEqual(["applicantType", "companyId", "fullName"]);
    expect(findBuilderField(form, "/applicant/companyId")).toMatchObject({
      required: true,
      conditional: true,
      condition: { when: "/applicant/applicantType", equals: "juristic" },
      index: 1,
    });
  });

  it("is hidden and not required when the condition is false, required and validated when true (ajv)", async () => {
    const { schema } = juristicForm();
    expect(await validateFormData(schema as RJSFSchema, { applicant: { applicantType: "natural", fullName: "สมชาย" } })).toEqual([]);
    const missing = await validateFormData(schema as RJSFSchema, { applicant: { applicantType: "juristic", fullName: "บริษัท ก จำกัด" } });
    expect(missing.map((e) => e.pointer)).toEqual(["/applicant/companyId"]);
    const wrong = await validateFormData(schema as RJSFSchema, { applicant: { applicantType: "juristic", fullName: "บริษัท ก", companyId: "12" } });
    expect(wrong.map((e) => e.pointer)).toEqual(["/applicant/companyId"]);
    const right = await validateFormData(schema as RJSFSchema, { applicant: { applicantType: "juristic", fullName: "บริษัท ก", companyId: "0105551234567" } });
    expect(right).toEqual([]);
  });

  it("is hidden and not required when the condition is false, shown and required when true (RJSF retrieveSchema)", () => {
    const { schema } = juristicForm();
    const resolve = (applicantType: string) => {
      const resolved = retrieveSchema(validator, schema as RJSFSchema, schema as RJSFSchema, { applicant: { applicantType } });
      return (resolved.properties as Record<string, RJSFSchema>).applicant;
    };
    const natural = resolve("natural");
    expect(Object.keys(natural.properties ?? {})).not.toContain("companyId");
    expect(natural.required).not.toContain("companyId");
    const juristic = resolve("juristic");
    expect(Object.keys(juristic.properties ?? {})).toContain("companyId");
    expect(juristic.required).toContain("companyId");
    expect((juristic.properties as Record<string, RJSFSchema>).companyId.pattern).toBe("^[0-9]{13}$");
  });

  it("works at the root level and can be cleared, keeping the required status", async () => {
    let form = add(emptyForm(), "", "yesNo", "มีสาขา", "Has branches", { key: "hasBranches", required: true }).form;
    form = add(form, "", "number", "จำนวนสาขา", "Branch count", { key: "branches", required: true }).form;
    form = setCondition(form, "/branches", { when: "/hasBranches", equals: true });
    expect(await validateFormData(form.schema as RJSFSchema, { hasBranches: false })).toEqual([]);
    expect((await validateFormData(form.schema as RJSFSchema, { hasBranches: true })).map((e) => e.pointer)).toEqual(["/branches"]);

    const cleared = setCondition(form, "/branches", null);
    expect(cleared.schema.allOf).toBeUndefined();
    expect(cleared.schema.required).toEqual(["hasBranches", "branches"]);
    expect(findBuilderField(cleared, "/branches")).toMatchObject({ condition: null, conditional: false, required: true });
    expect(pointers(cleared)).toEqual(["/hasBranches", "/branches"]);
  });

  it("can be edited, moved and changed while conditional", () => {
    let form = juristicForm();
    form = updateField(form, "/applicant/companyId", { label: { en: "Registration no." }, required: false });
    expect(findBuilderField(form, "/applicant/companyId")).toMatchObject({ label: { en: "Registration no." }, required: false, conditional: true });
    form = moveField(form, "/applicant/companyId", 2);
    expect(pointers(form)).toEqual(["/applicant", "/applicant/applicantType", "/applicant/fullName", "/applicant/companyId"]);
    form = setCondition(form, "/applicant/companyId", { when: "/applicant/applicantType", equals: "natural" });
    expect(form.schema.allOf).toHaveLength(1);
    expect(findBuilderField(form, "/applicant/companyId")!.condition).toEqual({ when: "/applicant/applicantType", equals: "natural" });
  });

  it("removing the conditional field removes its condition and UI entries", () => {
    const form = removeField(juristicForm(), "/applicant/companyId");
    expect(form.schema.allOf).toBeUndefined();
    expect((form.uiSchema.applicant as Record<string, unknown>)["ui:order"]).toEqual(["applicantType", "fullName"]);
    expect(pointers(form)).toEqual(["/applicant", "/applicant/applicantType", "/applicant/fullName"]);
  });

  it("removing the field a condition depends on makes the dependent field always shown, still required", async () => {
    const form = removeField(juristicForm(), "/applicant/applicantType");
    expect(form.schema.allOf).toBeUndefined();
    const applicant = (form.schema.properties as Record<string, Record<string, unknown>>).applicant;
    expect(Object.keys(applicant.properties as object).sort()).toEqual(["companyId", "fullName"]);
    expect(applicant.required).toEqual(["fullName", "companyId"]);
    expect(findBuilderField(form, "/applicant/companyId")).toMatchObject({ condition: null, required: true });
    expect((await validateFormData(form.schema as RJSFSchema, { applicant: { fullName: "ก" } })).map((e) => e.pointer)).toEqual(["/applicant/companyId"]);
  });

  it("removing a section removes the conditions inside and on it", () => {
    let form = juristicForm();
    form = add(form, "", "text", "หมายเหตุ", "Note", { key: "note" }).form;
    form = setCondition(form, "/note", { when: "/applicant/applicantType", equals: "natural" });
    form = removeField(form, "/applicant");
    expect(form.schema.allOf).toBeUndefined();
    expect(findBuilderField(form, "/note")).toMatchObject({ condition: null });
    expect(pointers(form)).toEqual(["/note"]);
  });

  it("refuses conditions that cannot work", () => {
    let form = juristicForm();
    form = add(form, "", "group", "หุ้นส่วน", "Partners").form;
    form = add(form, "/partners", "text", "ชื่อ", "Name").form;
    form = add(form, "", "file", "ไฟล์", "File", { key: "file" }).form;
    const when = (pointer: string, equals: string | number | boolean) => ({ when: pointer, equals });
    // Not a possible value; wrong type of value.
    expectAppError(() => setCondition(form, "/file", when("/applicant/applicantType", "robot")), "BAD_REQUEST");
    // A field cannot depend on itself, on a file, on a group member; a group member cannot be conditional.
    expectAppError(() => setCondition(form, "/applicant/fullName", when("/applicant/fullName", "x")), "BAD_REQUEST");
    expectAppError(() => setCondition(form, "/applicant/fullName", when("/file", "x")), "BAD_REQUEST");
    expectAppError(() => setCondition(form, "/file", when("/partners/items/name", "x")), "BAD_REQUEST");
    expectAppError(() => setCondition(form, "/partners/items/name", when("/applicant/fullName", "x")), "BAD_REQUEST");
    expectAppError(() => setCondition(form, "/file", when("/nothing", "x")), "NOT_FOUND");
    // A loop: type shown when company ID is x, while company ID is shown when type is juristic.
    expectAppError(() => setCondition(form, "/applicant/applicantType", when("/applicant/companyId", "x")), "BAD_REQUEST");
  });

  it("shows conditional answers to officers through listFormFields", () => {
    const form = juristicForm();
    expect(listFormFields(form.schema, "en")).toEqual([
      { pointer: "/applicant/applicantType", title: "Applicant type", section: "Applicant", kind: "value", options: { natural: "Natural person", juristic: "Juristic person" } },
      { pointer: "/applicant/fullName", title: "Full name", section: "Applicant", kind: "value" },
      { pointer: "/applicant/companyId", title: "Company ID", section: "Applicant", kind: "value" },
    ]);
    expect(listFormFields(form.schema, "th").map((f) => f.title)).toEqual(["ประเภทผู้ขอ", "ชื่อ", "เลขทะเบียนนิติบุคคล"]);
  });

  it("gives conditional choices their option labels in the UI schema", () => {
    let form = add(emptyForm(), "", "yesNo", "มีสาขา", "Has branches", { key: "hasBranches" }).form;
    form = add(form, "", "choice", "ภาค", "Region", { key: "region" }).form;
    form = setCondition(form, "/region", { when: "/hasBranches", equals: true });
    expect((localizeUiSchema(form.schema, form.uiSchema, "en").region as Record<string, unknown>)["ui:enumNames"]).toEqual(["Option 1", "Option 2"]);
  });
});

// ---- friendly messages ------------------------------------------------------------------------------------

describe("friendly rule messages (x-message)", () => {
  function codeForm() {
    let form = add(emptyForm(), "", "section", "กิจการ", "Business").form;
    form = add(form, "/business", "text", "รหัสกิจการ", "Code", { key: "code", required: true }).form;
    return updateField(form, "/business/code", {
      rules: { pattern: "^[A-Z]{2}[0-9]{4}$", message: { th: "รหัสต้องเป็นอักษร 2 ตัวตามด้วยตัวเลข 4 หลัก", en: "Use two capitals then four digits" } },
    });
  }

  it("replaces the validator's words on the server in Thai and English", async () => {
    const form = codeForm();
    const errors = await validateFormData(form.schema as RJSFSchema, { business: { code: "ab12" } });
    expect(errors).toEqual([
      { pointer: "/business/code", message: { th: "รหัสต้องเป็นอักษร 2 ตัวตามด้วยตัวเลข 4 หลัก", en: "Use two capitals then four digits" } },
    ]);
    // Other failures keep their usual words.
    const missing = await validateFormData(form.schema as RJSFSchema, { business: {} });
    expect(missing[0].message).toEqual({ th: "กรอกรหัสกิจการ", en: "Enter code" });
  });

  it("finds the message of a conditional field and of a number range", async () => {
    let form = juristicForm();
    form = updateField(form, "/applicant/companyId", { rules: { message: { th: "ต้องเป็นตัวเลข 13 หลัก", en: "13 digits please" } } });
    form = add(form, "", "number", "พื้นที่", "Area", { key: "area" }).form;
    form = updateField(form, "/area", { rules: { minimum: 1, message: { th: "อย่างน้อย 1 ตารางเมตร", en: "At least 1 m²" } } });
    const errors = await validateFormData(form.schema as RJSFSchema, { applicant: { applicantType: "juristic", fullName: "ก", companyId: "1" }, area: 0 });
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        { pointer: "/area", message: { th: "อย่างน้อย 1 ตารางเมตร", en: "At least 1 m²" } },
        { pointer: "/applicant/companyId", message: { th: "ต้องเป็นตัวเลข 13 หลัก", en: "13 digits please" } },
      ]),
    );
  });

  it("is shown in the browser through friendlyErrors given the schema (RJSF transformErrors)", () => {
    const form = codeForm();
    for (const lang of ["th", "en"] as const) {
      const { errors } = formValidator(lang).validateFormData({ business: { code: "x" } }, form.schema as RJSFSchema, undefined, friendlyErrors(lang, form.schema) as never);
      expect(errors.map((e) => e.message)).toEqual([lang === "th" ? "รหัสต้องเป็นอักษร 2 ตัวตามด้วยตัวเลข 4 หลัก" : "Use two capitals then four digits"]);
    }
    // Without the schema (old callers) the words are still plain, never the validator's.
    const { errors } = formValidator("en").validateFormData({ business: { code: "x" } }, form.schema as RJSFSchema, undefined, friendlyErrors("en") as never);
    expect(errors[0].message).toBe("Enter this field in the correct format");
  });
});

// ---- an existing form --------------------------------------------------------------------------------------

describe("the health-hazard licence form", () => {
  it("is listed with every kind recognised and in ui:order order", () => {
    const fields = listBuilderFields(healthHazard());
    const byPointer = Object.fromEntries(fields.map((f) => [f.pointer, f]));
    expect(fields.slice(0, 9).map((f) => f.pointer)).toEqual([
      "/applicant",
      "/applicant/personType",
      "/applicant/fullName",
      "/applicant/nationalId",
      "/applicant/birthDate",
      "/applicant/nationality",
      "/applicant/mobile",
      "/applicant/email",
      "/applicant/address",
    ]);
    expect(byPointer["/applicant/personType"]).toMatchObject({ kind: "choice", widget: "radio", required: true });
    expect(byPointer["/applicant/personType"].options[1]).toEqual({ value: "juristic", label: { th: "นิติบุคคล", en: "Juristic person" } });
    expect(byPointer["/applicant/nationalId"].kind).toBe("nationalId");
    expect(byPointer["/applicant/birthDate"].kind).toBe("date");
    expect(byPointer["/applicant/mobile"].kind).toBe("mobile");
    expect(byPointer["/applicant/email"].kind).toBe("email");
    expect(byPointer["/applicant/address"].kind).toBe("address");
    expect(byPointer["/business/areaSqm"]).toMatchObject({ kind: "number", rules: { minimum: 1, maximum: 1000000 } });
    expect(byPointer["/documents/idCard"]).toMatchObject({ kind: "file", upload: { maxBytes: 50 * MB, types: [PDF, JPEG, PNG] } });
    expect(byPointer["/documents/siteMap"].upload).toEqual({ maxBytes: 2 * 1024 * MB, types: [PDF, JPEG, PNG] });
    expect(byPointer["/documents/buildingPlans"]).toMatchObject({ kind: "files", rules: { maxItems: 5 }, upload: { maxBytes: 5 * 1024 * MB, types: [PDF, PNG, JPEG, DWG] } });
    expect(byPointer["/consent"].kind).toBe("yesNo");
    // Address parts are one field, not five.
    expect(byPointer["/applicant/address/line"]).toBeUndefined();
  });

  it("keeps its legacy root if/then untouched through edits", () => {
    const original = healthHazard();
    let form = add(original, "/business", "yesNo", "มีป้าย", "Has a sign", { key: "hasSign" }).form;
    form = add(form, "/business", "text", "ข้อความป้าย", "Sign text", { key: "signText" }).form;
    form = setCondition(form, "/business/signText", { when: "/business/hasSign", equals: true });
    form = moveField(form, "/business/name", 3);
    form = updateField(form, "/business/name", { label: { en: "Trading name" } });
    expect(form.schema.if).toEqual(original.schema.if);
    expect(form.schema.then).toEqual(original.schema.then);
    expect(form.schema.allOf).toHaveLength(1);
    expect(findBuilderField(form, "/documents/companyCertificate")).toMatchObject({ kind: "file", conditional: false });
  });

  it("drops a removed field from the legacy root then's required list", async () => {
    const form = removeField(healthHazard(), "/documents/companyCertificate");
    expect(form.schema.then).toEqual({ properties: { documents: {} } });
    const errors = await validateFormData(form.schema as RJSFSchema, { applicant: { personType: "juristic" } });
    expect(errors.map((e) => e.pointer)).not.toContain("/documents/companyCertificate");
  });
});


// ---- upload limits of file fields --------------------------------------------------------------------------

describe("upload limits of file fields", () => {
  type Props = Record<string, Record<string, unknown>>;
  const fileForm = () => add(emptyForm(), "", "file", "แผนผัง", "Site plan", { key: "plan" }).form;
  const filesForm = () => add(emptyForm(), "", "files", "แบบแปลน", "Plans", { key: "plans" }).form;

  it("offers PDF, JPG, PNG, DOCX, XLSX, DWG and ZIP with their MIME types", () => {
    expect(UPLOAD_TYPE_CHOICES).toEqual([
      { type: PDF, name: "PDF" },
      { type: JPEG, name: "JPG" },
      { type: PNG, name: "PNG" },
      { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", name: "DOCX" },
      { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "XLSX" },
      { type: DWG, name: "DWG" },
      { type: "application/zip", name: "ZIP" },
    ]);
  });

  it("round-trip through updateField: each limit is set alone, the other kept, the input untouched", () => {
    const form = fileForm();
    const input = JSON.stringify(form);
    let next = updateField(form, "/plan", { upload: { maxBytes: 2 * 1024 * MB } });
    expect(findBuilderField(next, "/plan")!.upload).toEqual({ maxBytes: 2 * 1024 * MB, types: [PDF, JPEG, PNG] });
    next = updateField(next, "/plan", { upload: { types: [PDF, DWG, PDF] } });
    expect(findBuilderField(next, "/plan")!.upload).toEqual({ maxBytes: 2 * 1024 * MB, types: [PDF, DWG] });
    expect((next.schema.properties as Props).plan["x-upload"]).toEqual({ maxBytes: 2147483648, types: [PDF, DWG] });
    expect(next.uiSchema.plan).toEqual({ "ui:widget": "upload" });
    expect(JSON.stringify(form)).toBe(input);
  });

  it("refuses a size that is not a positive whole number of bytes, and an empty or unknown type list", () => {
    const form = fileForm();
    for (const maxBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, "10" as unknown as number]) {
      const error = expectAppError(() => updateField(form, "/plan", { upload: { maxBytes } }), "BAD_REQUEST");
      expect(error.text.en).toContain("maximum file size");
    }
    expect(expectAppError(() => updateField(form, "/plan", { upload: { types: [] } }), "BAD_REQUEST").text.en).toContain("at least one");
    expectAppError(() => updateField(form, "/plan", { upload: { types: "application/pdf" as unknown as string[] } }), "BAD_REQUEST");
    const unknown = expectAppError(() => updateField(form, "/plan", { upload: { types: [PDF, "text/html"] } }), "BAD_REQUEST");
    expect(unknown.text.en).toContain('"text/html"');
    expect(unknown.text.th).toContain("DWG");
    // Nothing was written by a refused patch.
    expect(findBuilderField(form, "/plan")!.upload).toEqual({ maxBytes: 50 * MB, types: [PDF, JPEG, PNG] });
  });

  it("refuses upload limits on a field that does not take files", () => {
    const form = add(fileForm(), "", "text", "ชื่อ", "Name", { key: "name" }).form;
    expectAppError(() => updateField(form, "/name", { upload: { maxBytes: MB } }), "BAD_REQUEST");
    expect(findBuilderField(form, "/name")!.upload).toBeUndefined();
  });

  it("keeps a type the field already allows outside the choices, but does not let one be added", () => {
    const form = fileForm();
    (form.schema.properties as Props).plan["x-upload"] = { maxBytes: MB, types: ["text/csv"] };
    const next = updateField(form, "/plan", { upload: { types: ["text/csv", PDF] } });
    expect(findBuilderField(next, "/plan")!.upload!.types).toEqual(["text/csv", PDF]);
    expectAppError(() => updateField(next, "/plan", { upload: { types: [PDF, "text/plain"] } }), "BAD_REQUEST");
  });

  it('"files": created as an array of attachments with the upload widget on its items', () => {
    const form = filesForm();
    expect((form.schema.properties as Props).plans).toEqual({
      type: "array",
      title: "แบบแปลน",
      "x-en": { title: "Plans" },
      maxItems: 5,
      items: { type: "string", format: "attachment", title: "ไฟล์", "x-en": { title: "File" }, "x-upload": { maxBytes: 50 * MB, types: [PDF, JPEG, PNG] } },
    });
    expect(form.uiSchema.plans).toEqual({ "ui:widget": "upload" });
    expect(FIELD_KINDS.files.label).toEqual({ th: "ไฟล์แนบหลายไฟล์", en: "Several files" });
    expect(FIELD_KINDS.files.container).toBe(false);
  });

  it('"files": listed as one leaf with its limits, not as a group, and nothing can be added inside', () => {
    const form = filesForm();
    expect(listBuilderFields(form)).toEqual([
      expect.objectContaining({ pointer: "/plans", kind: "files", rules: { maxItems: 5 }, upload: { maxBytes: 50 * MB, types: [PDF, JPEG, PNG] } }),
    ]);
    expect(listContainers(form).map((c) => c.pointer)).toEqual([""]);
    expectAppError(() => add(form, "/plans", "text", "ชื่อ", "Name"), "BAD_REQUEST");
    // A field that takes files cannot drive a display condition.
    expectAppError(() => setCondition(add(form, "", "text", "หมายเหตุ", "Note", { key: "note" }).form, "/note", { when: "/plans", equals: "x" }), "BAD_REQUEST");
  });

  it('"files": detected in the health-hazard form (buildingPlans) as a leaf with its DWG type and 5 GiB limit', () => {
    const fields = listBuilderFields(healthHazard());
    const plans = fields.find((f) => f.pointer === "/documents/buildingPlans")!;
    expect(plans).toMatchObject({ kind: "files", parent: "/documents", depth: 1, rules: { maxItems: 5 }, upload: { maxBytes: 5368709120, types: [PDF, PNG, JPEG, DWG] } });
    expect(fields.filter((f) => f.pointer.startsWith("/documents/buildingPlans/"))).toEqual([]);
    expect(fields[fields.indexOf(plans) + 1].pointer).toBe("/consent");
    expect(listContainers(healthHazard()).map((c) => c.pointer)).not.toContain("/documents/buildingPlans/items");
  });

  it('"files": maxItems is edited through the rules, at least 1 and never removed; limits live on the items', async () => {
    let form = filesForm();
    form = updateField(form, "/plans", { rules: { maxItems: 2 }, upload: { maxBytes: 500 * MB, types: [PDF, DWG] } });
    const node = (form.schema.properties as Props).plans;
    expect(node.maxItems).toBe(2);
    expect((node.items as Record<string, unknown>)["x-upload"]).toEqual({ maxBytes: 500 * MB, types: [PDF, DWG] });
    expect(node["x-upload"]).toBeUndefined();
    expect(findBuilderField(form, "/plans")).toMatchObject({ rules: { maxItems: 2 }, upload: { maxBytes: 500 * MB, types: [PDF, DWG] } });
    for (const maxItems of [0, -1, 2.5, null]) expectAppError(() => updateField(form, "/plans", { rules: { maxItems } }), "BAD_REQUEST");
    expectAppError(() => updateField(form, "/plans", { rules: { minItems: 1 } }), "BAD_REQUEST");

    const three = await validateFormData(form.schema as RJSFSchema, { plans: [UPLOAD, UPLOAD_2, UPLOAD] });
    expect(three.map((e) => e.pointer)).toEqual(["/plans"]);
    expect(await validateFormData(form.schema as RJSFSchema, { plans: [UPLOAD, UPLOAD_2] })).toEqual([]);
  });

  it('"files": required means at least one file, and not required again allows none', async () => {
    let form = updateField(filesForm(), "/plans", { required: true });
    expect((form.schema.properties as Props).plans.minItems).toBe(1);
    expect((await validateFormData(form.schema as RJSFSchema, { plans: [] })).map((e) => e.pointer)).toEqual(["/plans"]);
    form = updateField(form, "/plans", { required: false });
    expect((form.schema.properties as Props).plans.minItems).toBeUndefined();
    expect(await validateFormData(form.schema as RJSFSchema, { plans: [] })).toEqual([]);
  });

  it("validateFormData accepts upload:<32 hex> in file fields and refuses other strings", async () => {
    let form = add(fileForm(), "", "files", "แบบแปลน", "Plans", { key: "plans" }).form;
    form = add(form, "", "group", "สาขา", "Branches", { key: "branches" }).form;
    form = add(form, "/branches", "file", "ใบอนุญาตสาขา", "Branch licence", { key: "licence" }).form;
    const schema = form.schema as RJSFSchema;
    expect(await validateFormData(schema, { plan: UPLOAD, plans: [UPLOAD, UPLOAD_2], branches: [{ licence: UPLOAD_2 }] })).toEqual([]);
    for (const bad of ["plan.pdf", "upload:", "upload:0f3a9c", "upload:../../etc/passwd0000000000", "https://example.go.th/plan.pdf", `${UPLOAD} `, "UPLOAD"]) {
      const errors = await validateFormData(schema, { plan: bad, plans: [UPLOAD, bad], branches: [{ licence: bad }] });
      expect(errors.map((e) => e.pointer).sort()).toEqual(["/branches/0/licence", "/plan", "/plans/1"]);
      expect(errors[0].message).toEqual({ th: expect.stringMatching(/^แนบ.+ใหม่: ไฟล์เดิมใช้ไม่ได้$/), en: expect.stringMatching(/^Attach .+ again: the file is not valid$/) });
    }
  });

  it("lists a several-files field to officers as an attachment", () => {
    expect(listFormFields(filesForm().schema, "en")).toEqual([expect.objectContaining({ pointer: "/plans", kind: "attachment" })]);
  });

  it("keeps recognising legacy data-url fields and converts one to an attachment on its first limits edit", () => {
    const legacy: BuilderForm = {
      schema: {
        type: "object",
        title: "เก่า",
        properties: {
          map: { type: "string", format: "data-url", title: "แผนที่" },
          photos: { type: "array", title: "รูปถ่าย", items: { type: "string", format: "data-url" } },
        },
      },
      uiSchema: { map: { "ui:options": { accept: ".pdf,.jpeg,.doc" } }, photos: { "ui:options": { accept: "image/png", orderable: false } } },
    };
    expect(listBuilderFields(legacy).map((f) => [f.pointer, f.kind, f.upload])).toEqual([
      ["/map", "file", { types: [PDF, JPEG] }],
      ["/photos", "files", { types: [PNG] }],
    ]);
    // A label edit leaves the legacy shape alone.
    expect((updateField(legacy, "/map", { label: { en: "Map" } }).schema.properties as Props).map.format).toBe("data-url");

    let form = updateField(legacy, "/map", { upload: { maxBytes: 20 * MB } });
    expect((form.schema.properties as Props).map).toEqual({ type: "string", format: "attachment", title: "แผนที่", "x-upload": { maxBytes: 20 * MB, types: [PDF, JPEG] } });
    expect(form.uiSchema.map).toEqual({ "ui:widget": "upload" });
    form = updateField(form, "/photos", { upload: { types: [PNG, JPEG] } });
    expect((form.schema.properties as Props).photos.items).toEqual({ type: "string", format: "attachment", "x-upload": { types: [PNG, JPEG] } });
    expect(form.uiSchema.photos).toEqual({ "ui:options": { orderable: false }, items: { "ui:widget": "upload" } });
    expect(listBuilderFields(form).map((f) => f.kind)).toEqual(["file", "files"]);
  });
});
