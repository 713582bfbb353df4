import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { repositoryDefinition } from "../support/definitions";
import { ServiceDetailsEditor } from "~/components/studio/ServiceDetailsEditor";
import type { ServiceDefinition, ServiceManifest } from "~/core/definitions/types";

const healthHazard = (): ServiceDefinition => repositoryDefinition("health-hazard-licence");
const foodPremises = (): ServiceDefinition => repositoryDefinition("food-premises-licence");

/** React escapes text and attributes; the manifest's texts are compared escaped the same way. */
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");

const render = (props: { manifest?: ServiceManifest; lang?: "th" | "en"; def?: ServiceDefinition } = {}) => {
  const def = props.def ?? healthHazard();
  return renderToStaticMarkup(
    <ServiceDetailsEditor manifest={props.manifest ?? def.manifest} formSchema={def.form.schema} lang={props.lang ?? "th"} onChange={() => {}} />,
  );
};

/** The attributes of the element carrying a data-testid. */
const tagWith = (html: string, testId: string) => new RegExp(`<[a-z]+[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? "";
/** The value selected in the select carrying a data-testid. */
const selected = (html: string, testId: string) =>
  new RegExp(`data-testid="${testId}"[^>]*>(.*?)</select>`).exec(html)?.[1].match(/<option value="([^"]*)" selected="">/)?.[1];

describe("ServiceDetailsEditor", () => {
  it("shows the health-hazard manifest's values in its inputs", () => {
    const { manifest } = healthHazard();
    const html = render();
    expect(tagWith(html, "sd-title-th")).toContain(`value="${escape(manifest.title.th)}"`);
    expect(tagWith(html, "sd-title-en")).toContain(`value="${escape(manifest.title.en)}"`);
    expect(tagWith(html, "sd-statutory-days")).toContain('value="30"');
    expect(selected(html, "sd-level")).toBe("standard");
    expect(selected(html, "sd-category")).toBe("licence");
    expect(html).toContain(escape(manifest.description.th));
    expect(html).toContain(escape(manifest.law!.en));
    expect(html).toContain(escape(manifest.criteria!.th));
    expect(html).toContain(`value="${escape(manifest.responsibleUnit!.th)}"`);
    // fees
    expect(html).toContain(`value="${escape(manifest.fees[0].label.th)}"`);
    expect(tagWith(html, "sd-fee-0-amount")).toContain('value="2000"');
    expect(tagWith(html, "sd-fee-2-amount")).toContain('value="1500"');
    expect(html).toContain(`value="${escape(manifest.fees[0].note!.en)}"`);
    // documents, each linked to its attachment field
    for (const [i, doc] of manifest.documents.entries()) {
      expect(html).toContain(`value="${escape(doc.label.th)}"`);
      expect(selected(html, `sd-doc-${i}-field`)).toBe(doc.field);
    }
    expect(tagWith(html, "sd-doc-0-required")).toContain('checked=""');
    expect(tagWith(html, "sd-doc-4-required")).not.toContain("checked");
    // summary
    expect(selected(html, "sd-summary-applicant")).toBe("/applicant/fullName");
    expect(selected(html, "sd-summary-subject")).toBe("/business/name");
    expect(selected(html, "sd-summary-email")).toBe("/applicant/email");
  });

  it("shows the permit template when the service issues permits", () => {
    const { manifest } = healthHazard();
    const html = render();
    expect(tagWith(html, "sd-issues-permit")).toContain('checked=""');
    expect(tagWith(html, "sd-permit-code")).toContain('value="HH"');
    expect(tagWith(html, "sd-permit-validity")).toContain('value="12"');
    expect(tagWith(html, "sd-permit-number-format")).toContain('value="{agency}-{type}-{yearBE}-{seq:5}"');
    expect(html).toContain('data-testid="sd-permit-number-example">ABC-HH-2569-00012<');
    expect(selected(html, "sd-permit-holder")).toBe("/applicant/fullName");
    for (const [key, pointer] of Object.entries(manifest.permit!.fields)) {
      if (key === "holderName") continue;
      expect(selected(html, `sd-permit-field-${key}`), key).toBe(pointer);
    }
    expect(html).toContain(escape(manifest.permit!.type.th));
    for (const condition of manifest.permit!.conditions!) expect(html).toContain(escape(condition.en));
    // the placeholders are explained
    for (const placeholder of ["{agency}", "{type}", "{yearBE}", "{seq:5}"]) expect(html).toContain(`<code>${placeholder}</code>`);
  });

  it("offers only attachment fields for documents and every other field for the summary", () => {
    const html = render();
    const docOptions = /data-testid="sd-doc-0-field"[^>]*>(.*?)<\/select>/.exec(html)?.[1] ?? "";
    expect(docOptions).toContain('value="/documents/siteMap"');
    expect(docOptions).not.toContain('value="/applicant/fullName"');
    const summaryOptions = /data-testid="sd-summary-applicant"[^>]*>(.*?)<\/select>/.exec(html)?.[1] ?? "";
    expect(summaryOptions).toContain('value="/business/name"');
    expect(summaryOptions).not.toContain('value="/documents/siteMap"');
  });

  it("shows read-only what is set elsewhere", () => {
    const html = render({ lang: "en" });
    expect(html).toContain("<code>health-hazard-licence</code>");
    expect(html).toContain("<code>officer, inspector, approver</code>");
    expect(html).not.toMatch(/<input[^>]*value="health-hazard-licence"/);
  });

  it("labels everything in Thai", () => {
    const html = render({ lang: "th" });
    for (const label of ["ชื่อบริการ", "ภาษาไทย", "ภาษาอังกฤษ", "ระดับมาตรฐาน", "ค่าธรรมเนียม", "เอกสารหลักฐานที่ต้องใช้", "เพิ่มค่าธรรมเนียม", "เพิ่มเอกสาร", "บริการนี้ออกใบอนุญาต", "รหัสประเภทใบอนุญาต", "ชื่อผู้ได้รับอนุญาต", "เงื่อนไขท้ายใบอนุญาต", "ปีพุทธศักราชที่ออกใบอนุญาต"]) {
      expect(html, label).toContain(label);
    }
    expect(html).not.toContain("Service title");
  });

  it("labels everything in English", () => {
    const html = render({ lang: "en" });
    for (const label of ["Service title", "(Thai)", "(English)", "Standard level", "Fees", "Required documents", "Add a fee", "Add a document", "This service issues a permit", "Permit type code", "Permit holder", "Permit conditions", "Buddhist-era year"]) {
      expect(html, label).toContain(label);
    }
    expect(html).not.toContain("ชื่อบริการ");
    // field titles come from the form in the chosen language
    expect(html).toContain("Full name / company name (/applicant/fullName)");
  });

  it("hides the permit template when the service issues none and keeps optional texts empty", () => {
    const { manifest } = healthHazard();
    const { permit: _permit, law: _law, ...rest } = manifest;
    const html = render({ manifest: { ...rest, issuesPermit: false, fees: [], documents: [] }, lang: "en" });
    expect(tagWith(html, "sd-issues-permit")).not.toContain("checked");
    expect(html).not.toContain('data-testid="sd-permit-code"');
    expect(html).not.toContain('data-testid="sd-permit-holder"');
    expect(html).toMatch(/<textarea[^>]*data-testid="sd-law-en"[^>]*><\/textarea>/);
    expect(html).toContain("No fees");
    expect(html).toContain('data-testid="sd-fee-add"');
    expect(html).toContain('data-testid="sd-doc-add"');
  });

  it("keeps a field the form no longer has visible, marked as missing", () => {
    const { manifest } = healthHazard();
    const html = render({ manifest: { ...manifest, summary: { ...manifest.summary, email: "/applicant/gone" } }, lang: "en" });
    expect(selected(html, "sd-summary-email")).toBe("/applicant/gone");
    expect(html).toContain("/applicant/gone (not in the form)");
  });

  it("renders the same markup every time (server and first client render match)", () => {
    expect(render()).toBe(render());
  });

  describe("fee lines charged when", () => {
    it("shows each condition of the food premises fee table: guard, field and value, and the line in words", () => {
      const def = foodPremises();
      const html = render({ def, manifest: def.manifest, lang: "en" });
      expect(selected(html, "sd-fee-1-when-0-guard")).toBe("fieldGreaterThan");
      expect(selected(html, "sd-fee-1-when-0-field")).toBe("/business/areaSqm");
      expect(tagWith(html, "sd-fee-1-when-0-value")).toContain('value="300"');
      expect(selected(html, "sd-fee-1-when-1-guard")).toBe("fieldAtMost");
      expect(tagWith(html, "sd-fee-1-when-1-value")).toContain('value="500"');
      expect(html).toContain('data-testid="sd-fee-1-when-words">Reads: when floor area (m²) is more than 300 and is at most 500</p>');
      // a choice field: its choices by label, the condition's value selected
      expect(selected(html, "sd-fee-4-when-0-guard")).toBe("fieldEquals");
      expect(selected(html, "sd-fee-4-when-0-value")).toBe("2");
      expect(html).toContain("Food storage premises (warehouse, cold store)</option>");
      expect(html).toContain('data-testid="sd-fee-4-when-add"');
      expect(html).toContain('data-testid="sd-fee-4-when-0-remove"');
    });

    it("offers only number fields for a numeric guard, and the catalogue's guards by their labels", () => {
      const def = foodPremises();
      const html = render({ def, manifest: def.manifest, lang: "en" });
      const options = /data-testid="sd-fee-0-when-0-field"[^>]*>(.*?)<\/select>/.exec(html)?.[1] ?? "";
      expect(options).toContain('value="/business/areaSqm"');
      expect(options).toContain('value="/business/workers"');
      expect(options).not.toContain('value="/business/name"');
      const guards = /data-testid="sd-fee-0-when-0-guard"[^>]*>(.*?)<\/select>/.exec(html)?.[1] ?? "";
      for (const text of ["Field equals", "Field at most", "Field is one of", "Field is filled in"]) expect(guards).toContain(text);
      expect(render({ def, manifest: def.manifest, lang: "th" })).toContain("ค่าในช่องไม่เกิน");
    });

    it("shows fieldIn's choices as ticked boxes", () => {
      const html = render({ lang: "en" });
      expect(selected(html, "sd-fee-0-when-0-guard")).toBe("fieldIn");
      expect(tagWith(html, "sd-fee-0-when-0-value-0")).toContain('checked=""'); // food-production
      expect(html).toMatch(/data-testid="sd-fee-0-when-words">Reads: when business type \(per the local ordinance\) is “[^”]+”, “[^”]+” or “[^”]+”</);
    });

    it("keeps a condition's field the form no longer has visible, marked as missing", () => {
      const def = foodPremises();
      def.manifest.fees[0].when = [{ type: "fieldAtMost", params: { field: "/business/floorArea", value: 50 } }];
      const html = render({ def, manifest: def.manifest, lang: "en" });
      expect(selected(html, "sd-fee-0-when-0-field")).toBe("/business/floorArea");
      expect(html).toContain("/business/floorArea (not in the form)");
    });

    it("offers a fee preview with the fields the conditions read, charging nothing until they are filled in", () => {
      const def = foodPremises();
      const html = render({ def, manifest: def.manifest, lang: "en" });
      expect(html).toContain('data-testid="sd-fee-preview-/business/areaSqm"');
      expect(html).toContain('data-testid="sd-fee-preview-/business/premisesType"');
      expect(html).not.toContain('data-testid="sd-fee-preview-/business/name"');
      expect(html).toMatch(/data-testid="sd-fee-preview-total" data-satang="0"><strong>Total fee: 0.00 THB<\/strong> — No line is charged/);
      expect(render({ def, manifest: { ...def.manifest, fees: [] }, lang: "en" })).not.toContain('data-testid="sd-fee-preview"');
    });

    it("says a line without conditions is always charged, and shows the payment due days", () => {
      const def = foodPremises();
      const { when: _when, ...always } = def.manifest.fees[0];
      const html = render({ def, manifest: { ...def.manifest, fees: [always] }, lang: "th" });
      expect(html).toContain("เรียกเก็บทุกคำขอ (ไม่มีเงื่อนไข)");
      expect(html).not.toContain('data-testid="sd-fee-0-when-words"');
      expect(tagWith(html, "sd-payment-due-days")).toContain('value="15"');
      const { payment: _payment, ...withoutTerms } = def.manifest;
      expect(tagWith(render({ def, manifest: withoutTerms, lang: "en" }), "sd-payment-due-days")).toContain('value=""');
    });
  });
});
