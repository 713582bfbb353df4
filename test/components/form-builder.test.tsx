import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import healthHazardSchema from "../../schemas/services/health-hazard-licence.form.json";
import healthHazardUi from "../../schemas/services/health-hazard-licence.ui.json";
import { FormBuilder } from "~/components/studio/FormBuilder";
import { addField, setCondition, updateField, type BuilderForm } from "~/core/studio/form-builder";

const healthHazard = (): BuilderForm => structuredClone({ schema: healthHazardSchema as Record<string, unknown>, uiSchema: healthHazardUi as Record<string, unknown> });

/** A small form: a section with a choice and a text field shown only for one of its options. */
function smallForm(): BuilderForm {
  let form: BuilderForm = { schema: { type: "object", title: "คำร้อง", properties: {} }, uiSchema: {} };
  form = addField(form, "", "section", { label: { th: "ผู้ยื่น", en: "Applicant" } }).form;
  form = addField(form, "/applicant", "choice", { label: { th: "ประเภทผู้ยื่น", en: "Applicant type" } }).form;
  form = updateField(form, "/applicant/applicantType", {
    options: [
      { value: "natural", label: { th: "บุคคลธรรมดา", en: "Natural person" } },
      { value: "juristic", label: { th: "นิติบุคคล", en: "Juristic person" } },
    ],
  });
  form = addField(form, "/applicant", "text", { label: { th: "เลขทะเบียนนิติบุคคล", en: "Company ID" }, required: true }).form;
  form = updateField(form, "/applicant/companyId", { rules: { minLength: 13, maxLength: 13, pattern: "^[0-9]+$", message: { th: "ตัวเลข 13 หลัก", en: "13 digits" } } });
  return setCondition(form, "/applicant/companyId", { when: "/applicant/applicantType", equals: "juristic" });
}

const render = (form: BuilderForm, lang: "th" | "en", initialSelected?: string) =>
  renderToStaticMarkup(<FormBuilder form={form} lang={lang} onChange={() => {}} initialSelected={initialSelected} />);

const rowOf = (html: string, pointer: string) => new RegExp(`<li[^>]*data-testid="fb-row-${pointer}"[^>]*>(.*?)</li>`).exec(html)?.[1] ?? "";

describe("FormBuilder", () => {
  it("lists every field of the health-hazard form as a row, indented under its section", () => {
    const html = render(healthHazard(), "th");
    for (const pointer of ["/applicant", "/applicant/personType", "/applicant/address", "/business/name", "/documents/idCard", "/consent"]) {
      expect(html).toContain(`data-testid="fb-row-${pointer}"`);
    }
    expect(html).not.toContain('data-testid="fb-row-/applicant/address/line"');
    expect(html).toMatch(/data-testid="fb-row-\/applicant\/fullName"[^>]*style="--bk-fb-depth:1"/);
    expect(html).toMatch(/data-testid="fb-row-\/applicant"[^>]*style="--bk-fb-depth:0"/);
    // Rows appear in ui:order order.
    expect(html.indexOf("fb-row-/business/name")).toBeLessThan(html.indexOf("fb-row-/business/activity"));
    expect(html.indexOf("fb-row-/applicant/email")).toBeLessThan(html.indexOf("fb-row-/applicant/address"));
  });

  it("labels rows, move buttons and badges in Thai", () => {
    const html = render(healthHazard(), "th");
    const row = rowOf(html, "/business/name");
    expect(row).toContain("ชื่อสถานประกอบกิจการ");
    expect(row).toContain('data-testid="fb-move-up"');
    expect(row).toContain('aria-label="เลื่อน &quot;ชื่อสถานประกอบกิจการ&quot; ขึ้น"');
    expect(row).toContain('data-testid="fb-move-down"');
    expect(row).toContain(">ข้อความสั้น</span>");
    expect(row).toContain(">จำเป็น</span>");
    // The first row of a parent cannot move up.
    expect(row).toMatch(/<button[^>]*disabled=""[^>]*data-testid="fb-move-up"|<button[^>]*data-testid="fb-move-up"[^>]*disabled=""/);
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain("เลือกช่องทางซ้ายเพื่อแก้ไข");
  });

  it("labels rows and controls in English", () => {
    const html = render(healthHazard(), "en");
    const row = rowOf(html, "/business/name");
    expect(row).toContain("Business name");
    expect(row).toContain('aria-label="Move &quot;Business name&quot; down"');
    expect(row).toContain(">Short text</span>");
    expect(html).toContain("Form fields");
    expect(html).toContain("Live preview");
    expect(html).toContain("Select a field on the left to edit it");
  });

  it("has the add-field controls with every kind and every section as a target", () => {
    const html = render(healthHazard(), "en");
    for (const id of ["fb-add-kind", "fb-add-label-th", "fb-add-label-en", "fb-add-parent", "fb-add-submit"]) expect(html).toContain(`data-testid="${id}"`);
    for (const kind of ["Short text", "Single choice", "Multiple choice", "Yes / No", "National ID", "Thai address", "File attachment", "Several files", "Section", "Repeating group"]) {
      expect(html).toContain(`>${kind}</option>`);
    }
    expect(html).toContain('<option value="" selected="">Form (top level)</option>');
    expect(html).toContain('<option value="/business">— Business premises</option>');
    const th = render(healthHazard(), "th");
    expect(th).toContain(">ข้อความสั้น</option>");
    expect(th).toContain(">ไฟล์แนบหลายไฟล์</option>");
    expect(th).toContain(">แบบฟอร์ม (ระดับบนสุด)</option>");
  });

  it("renders the live preview with the form's own fields in the chosen language", () => {
    const th = render(healthHazard(), "th");
    const preview = th.slice(th.indexOf('data-testid="fb-preview"'));
    expect(preview).toContain("ตัวอย่างแบบฟอร์ม");
    expect(preview).toContain("<form");
    expect(preview).toContain("ชื่อสถานประกอบกิจการ");
    expect(preview).toContain("บุคคลธรรมดา");
    const en = render(healthHazard(), "en");
    const previewEn = en.slice(en.indexOf('data-testid="fb-preview"'));
    expect(previewEn).toContain("Business name");
    expect(previewEn).toContain("Natural person");
  });

  it("opens the editor of the selected field with its labels, rules, message and condition", () => {
    const html = render(smallForm(), "th", "/applicant/companyId");
    expect(html).toMatch(/data-testid="fb-label-th"[^>]*value="เลขทะเบียนนิติบุคคล"/);
    expect(html).toMatch(/data-testid="fb-label-en"[^>]*value="Company ID"/);
    for (const id of ["fb-help-th", "fb-help-en", "fb-required", "fb-min", "fb-max", "fb-pattern", "fb-message-th", "fb-message-en", "fb-cond-field", "fb-cond-value", "fb-cond-apply", "fb-cond-clear", "fb-remove"]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toMatch(/data-testid="fb-min"[^>]*value="13"/);
    expect(html).toMatch(/data-testid="fb-pattern"[^>]*value="\^\[0-9\]\+\$"/);
    expect(html).toMatch(/data-testid="fb-message-en"[^>]*value="13 digits"/);
    expect(html).toMatch(/<input type="checkbox" data-testid="fb-required" checked=""/);
    expect(html).toContain("แสดงเมื่อ &quot;ประเภทผู้ยื่น&quot; เท่ากับ &quot;นิติบุคคล&quot;");
    // The value picker of a choice offers its options.
    expect(html).toMatch(/<select data-testid="fb-cond-value">.*<option value="juristic" selected="">นิติบุคคล<\/option>/);
    expect(rowOf(html, "/applicant/companyId")).toContain(">มีเงื่อนไข</span>");
    expect(html).toContain('aria-current="true"');
  });

  it("shows the options editor for a choice, in English", () => {
    const html = render(smallForm(), "en", "/applicant/applicantType");
    expect(html).toContain('data-testid="fb-options"');
    expect(html).toMatch(/data-testid="fb-option-value-1"[^>]*value="juristic"/);
    expect(html).toMatch(/data-testid="fb-option-en-0"[^>]*value="Natural person"/);
    expect(html).toContain(">Add option</button>");
    expect(html).toContain("Always shown");
  });

  it("edits the upload limits of several files: type checkboxes by name, size in MB and the number of files (English)", () => {
    const html = render(healthHazard(), "en", "/documents/buildingPlans");
    const editor = html.slice(html.indexOf('data-testid="fb-editor"'), html.indexOf('data-testid="fb-preview"'));
    expect(rowOf(html, "/documents/buildingPlans")).toContain(">Several files</span>");
    expect(html).not.toContain('data-testid="fb-row-/documents/buildingPlans/items"');
    expect(editor).toContain("<legend>File uploads</legend>");
    expect(editor).toContain("<legend>Accepted file types</legend>");
    for (const [mime, name] of [
      ["application/pdf", "PDF"],
      ["image/jpeg", "JPG"],
      ["image/png", "PNG"],
      ["image/vnd.dwg", "DWG"],
    ]) {
      expect(editor).toMatch(new RegExp(`<input type="checkbox" data-testid="fb-upload-type-${mime}" checked=""/>${name}</label>`));
    }
    for (const [mime, name] of [
      ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"],
      ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"],
      ["application/zip", "ZIP"],
    ]) {
      expect(editor).toContain(`<input type="checkbox" data-testid="fb-upload-type-${mime}"/>${name}</label>`);
    }
    // 5 GiB per file, up to 5 files; number inputs showing the current values.
    expect(editor).toMatch(/Maximum size per file \(MB\)<input data-testid="fb-upload-max-mb" type="number" min="0" step="any"[^>]*value="5120"/);
    expect(editor).toMatch(/Maximum number of files<input data-testid="fb-upload-max-files" type="number" min="1" step="1"[^>]*value="5"/);
    expect(editor).toContain("PDF, PNG, JPG, DWG · up to 5 GB");
    // The old free-text accept input is gone, and maxItems is not offered twice.
    expect(editor).not.toContain("fb-accept");
    expect(editor).not.toContain('data-testid="fb-max"');
  });

  it("edits the upload limits of one file in Thai, without a number of files", () => {
    const html = render(healthHazard(), "th", "/documents/siteMap");
    const editor = html.slice(html.indexOf('data-testid="fb-editor"'), html.indexOf('data-testid="fb-preview"'));
    expect(editor).toContain("<legend>การแนบไฟล์</legend>");
    expect(editor).toContain("<legend>ชนิดไฟล์ที่รับ</legend>");
    expect(editor).toMatch(/ขนาดสูงสุดต่อไฟล์ \(MB\)<input data-testid="fb-upload-max-mb"[^>]*value="2048"/);
    expect(editor).toContain('data-testid="fb-upload-type-image/vnd.dwg"/>DWG</label>');
    expect(editor).toContain("PDF, JPG, PNG · ไม่เกิน 2 GB");
    expect(editor).not.toContain("fb-upload-max-files");
  });

  it("shows the server's default types as ticked and an empty size for a file field without limits", () => {
    let form: BuilderForm = { schema: { type: "object", title: "คำร้อง", properties: {} }, uiSchema: {} };
    form = addField(form, "", "file", { label: { th: "ไฟล์", en: "File" }, key: "doc" }).form;
    delete ((form.schema.properties as Record<string, Record<string, unknown>>).doc as Record<string, unknown>)["x-upload"];
    const html = render(form, "en", "/doc");
    expect(html).toContain('data-testid="fb-upload-type-application/pdf" checked=""');
    expect(html).toContain('data-testid="fb-upload-type-application/zip"/>');
    expect(html).toMatch(/data-testid="fb-upload-max-mb"[^>]*placeholder="The agency&#x27;s maximum"[^>]*value=""/);
    expect(html).not.toContain("NaN");
  });

  it("renders the upload widget in the live preview, disabled with a note (no uploads there)", () => {
    const th = render(healthHazard(), "th");
    const preview = th.slice(th.indexOf('data-testid="fb-preview"'));
    expect(preview).toContain('data-testid="upload-input-/documents/siteMap"');
    expect(preview).toMatch(/<input id="root_documents_siteMap" type="file"[^>]*disabled=""/);
    expect(preview).toContain('data-testid="upload-preview-note"');
    expect(preview).toContain("การแนบไฟล์ใช้ได้ในแบบฟอร์มจริงเท่านั้น");
  });

  it("renders an empty form and is deterministic, so server and client markup match", () => {
    const empty: BuilderForm = { schema: { type: "object", title: "ว่าง", properties: {} }, uiSchema: {} };
    expect(render(empty, "th")).toContain("ยังไม่มีช่องในแบบฟอร์ม");
    expect(render(empty, "en")).toContain("The form has no fields yet");
    expect(render(smallForm(), "th", "/applicant/companyId")).toBe(render(smallForm(), "th", "/applicant/companyId"));
  });
});
