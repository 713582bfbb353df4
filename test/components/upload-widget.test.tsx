import Form from "@rjsf/core";
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { uploadWidgets, type UploadFormContext } from "~/components/form/UploadWidget";
import { formValidator } from "~/core/forms/form-validation";

const attachment = (extra: Record<string, unknown> = {}): RJSFSchema => ({
  type: "string",
  format: "attachment",
  "x-upload": { maxBytes: 52428800, types: ["application/pdf", "image/jpeg", "image/png"] },
  ...extra,
});

const schema: RJSFSchema = {
  type: "object",
  properties: {
    documents: {
      type: "object",
      title: "เอกสาร",
      properties: {
        siteMap: attachment({ title: "แผนที่ตั้ง" }),
        site_plan: { type: "string", format: "attachment", title: "ผังบริเวณ" },
        plans: { type: "array", title: "แบบแปลน", items: attachment(), maxItems: 5 },
      },
    },
  },
};

const uiSchema: UiSchema = {
  documents: {
    siteMap: { "ui:widget": "upload" },
    site_plan: { "ui:widget": "upload" },
    plans: { "ui:widget": "upload" },
  },
};

const render = (formData: unknown, formContext: UploadFormContext, ui: UiSchema = uiSchema, s: RJSFSchema = schema) =>
  renderToStaticMarkup(
    <Form schema={s} uiSchema={ui} validator={formValidator(formContext.lang ?? "th")} widgets={uploadWidgets} formContext={formContext} formData={formData} />,
  );

/** The markup inside the wrapper of one field (up to the next field's wrapper). */
const slotOf = (html: string, pointer: string) => {
  const start = html.indexOf(`data-testid="upload-input-${pointer}"`);
  if (start < 0) return "";
  const next = html.indexOf('data-testid="upload-input-', start + 10);
  return html.slice(start, next < 0 ? undefined : next);
};

const UPLOADS = { service: "building-permit" };

describe("UploadWidget", () => {
  it("renders a file input per field, keyed by the field's JSON pointer", () => {
    const html = render({}, { lang: "th", uploads: UPLOADS });
    const siteMap = slotOf(html, "/documents/siteMap");
    expect(siteMap).toMatch(/<input id="root_documents_siteMap" type="file"/);
    expect(siteMap).toContain('accept="application/pdf,.pdf,image/jpeg,.jpg,.jpeg,image/png,.png"');
    expect(siteMap).not.toMatch(/<input[^>]*disabled/);
    // A name with the id separator in it still maps to its own pointer.
    expect(slotOf(html, "/documents/site_plan")).toContain('type="file"');
    // An array field starts with a slot for its first file.
    expect(slotOf(html, "/documents/plans/0")).toContain('type="file"');
  });

  it("shows the field's limits under the input, in Thai and English", () => {
    const th = slotOf(render({}, { lang: "th", uploads: UPLOADS }), "/documents/siteMap");
    expect(th).toContain('data-testid="upload-hint"');
    expect(th).toContain("PDF, JPG, PNG · ไม่เกิน 50 MB");
    expect(th).toMatch(/aria-describedby="[^"]*root_documents_siteMap__hint/);
    const en = slotOf(render({}, { lang: "en", uploads: UPLOADS }), "/documents/siteMap");
    expect(en).toContain("PDF, JPG, PNG · up to 50 MB");
    // Without x-upload the server's defaults apply: no hint, no accept filter.
    const plain = slotOf(render({}, { lang: "en", uploads: UPLOADS }), "/documents/site_plan");
    expect(plain).not.toContain("upload-hint");
    expect(plain).not.toContain("accept=");
  });

  it("renders a disabled input with a note when the form cannot upload (studio preview)", () => {
    const th = slotOf(render({}, { lang: "th" }), "/documents/siteMap");
    expect(th).toMatch(/<input[^>]*type="file"[^>]*disabled=""/);
    expect(th).toContain('data-testid="upload-preview-note"');
    expect(th).toContain("การแนบไฟล์ใช้ได้ในแบบฟอร์มจริงเท่านั้น");
    const en = slotOf(render({}, { lang: "en" }), "/documents/siteMap");
    expect(en).toContain("Attachments work in the real form");
    expect(slotOf(render({}, { lang: "en", uploads: UPLOADS }), "/documents/siteMap")).not.toContain("upload-preview-note");
  });

  it("shows an upload:<id> value as done, with a remove button and no input", () => {
    const html = render({ documents: { siteMap: "upload:34663263396100000000000000000000" } }, { lang: "en", uploads: UPLOADS });
    const slot = slotOf(html, "/documents/siteMap");
    expect(slot).toContain('data-testid="upload-done"');
    expect(slot).toContain('data-upload-id="34663263396100000000000000000000"');
    expect(slot).toContain("34663263396100000000000000000000"); // the id until the details arrive after mount
    expect(slot).toContain('data-testid="upload-remove"');
    expect(slot).toContain(">Remove<");
    expect(slot).not.toContain('type="file"');
    expect(slot).not.toContain("upload-progress");
  });

  it("shows an old embedded data URL by its file name and size", () => {
    const dataUrl = `data:application/pdf;name=${encodeURIComponent("ผังบ้าน.pdf")};base64,${"A".repeat(4000)}`;
    const slot = slotOf(render({ documents: { siteMap: dataUrl } }, { lang: "th", uploads: UPLOADS }), "/documents/siteMap");
    expect(slot).toContain('data-testid="upload-done"');
    expect(slot).toContain("ผังบ้าน.pdf");
    expect(slot).toContain("2.9 KB");
    expect(slot).toContain("ลบไฟล์");
  });

  it("lists each file of an array field with its index pointer, then a slot for one more", () => {
    const html = render({ documents: { plans: ["upload:61310000000000000000000000000000", "upload:62320000000000000000000000000000"] } }, { lang: "en", uploads: UPLOADS });
    expect(slotOf(html, "/documents/plans/0")).toContain('data-upload-id="61310000000000000000000000000000"');
    expect(slotOf(html, "/documents/plans/1")).toContain('data-upload-id="62320000000000000000000000000000"');
    expect(slotOf(html, "/documents/plans/2")).toContain('type="file"');
    const full = render({ documents: { plans: ["upload:31000000000000000000000000000000", "upload:32000000000000000000000000000000", "upload:33000000000000000000000000000000", "upload:34000000000000000000000000000000", "upload:35000000000000000000000000000000"] } }, { lang: "en", uploads: UPLOADS });
    expect(full).not.toContain('data-testid="upload-input-/documents/plans/5"');
    expect(full).toContain("Up to 5 files");
  });

  it("renders each array item with the widget when ui:widget is on the items", () => {
    const ui: UiSchema = { documents: { plans: { items: { "ui:widget": "upload" } } } };
    const html = render({ documents: { plans: ["upload:78390000000000000000000000000000", null] } }, { lang: "th", uploads: UPLOADS }, ui);
    expect(slotOf(html, "/documents/plans/0")).toContain('data-upload-id="78390000000000000000000000000000"');
    expect(slotOf(html, "/documents/plans/1")).toContain('type="file"');
  });

  it("hides the remove button when the form is read-only", () => {
    const html = renderToStaticMarkup(
      <Form
        schema={schema}
        uiSchema={uiSchema}
        validator={formValidator("en")}
        widgets={uploadWidgets}
        formContext={{ lang: "en", uploads: UPLOADS }}
        formData={{ documents: { siteMap: "upload:61626300000000000000000000000000" } }}
        readonly
      />,
    );
    const slot = slotOf(html, "/documents/siteMap");
    expect(slot).toContain('data-testid="upload-done"');
    expect(slot).not.toContain("upload-remove");
  });
});
