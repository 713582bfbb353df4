import { describe, expect, it } from "vitest";
import { mergeTemplateUpgrade } from "~/core/definitions/template-upgrade";

/** A small clone-shaped definition; tests derive base/theirs/ours from it. */
function definition() {
  return {
    manifest: {
      id: "general-petition",
      title: { th: "คำร้องทั่วไป", en: "General petition" },
      roles: ["officer"],
      form: "general-petition",
      workflow: "general-petition",
      statutoryDays: 15,
    },
    form: { schema: { type: "object", required: ["name"], properties: { name: { type: "string" } } }, uiSchema: {} },
    workflow: {
      id: "general-petition",
      initial: "received",
      states: {
        received: { meta: { label: { th: "รับเรื่อง", en: "Received" } }, on: { ANSWER: "answered" } },
        answered: { meta: { label: { th: "ตอบแล้ว", en: "Answered" } }, type: "final" },
      },
    },
  };
}
type Def = ReturnType<typeof definition>;
const clone = (def: Def): Def => ({ ...structuredClone(def), manifest: { ...structuredClone(def.manifest), id: "sukjai-gp", sourceTemplate: { id: "general-petition", version: 1 } } as Def["manifest"] });

describe("mergeTemplateUpgrade", () => {
  it("applies a template change where the agency did not touch the place", () => {
    const base = definition();
    const theirs = definition();
    theirs.manifest.statutoryDays = 10;
    const ours = clone(base);
    const result = mergeTemplateUpgrade(base, theirs, ours);
    expect(result.applied).toEqual([{ kind: "changed", path: "/manifest/statutoryDays", before: 15, after: 10 }]);
    expect(result.conflicts).toEqual([]);
    expect((result.merged as Def).manifest.statutoryDays).toBe(10);
  });

  it("keeps the agency's value and reports a conflict when both changed the same place differently", () => {
    const base = definition();
    const theirs = definition();
    theirs.manifest.title.th = "คำร้องทั่วไป (ปรับปรุง)";
    theirs.workflow.states.received.meta.label.en = "Received — screening";
    const ours = clone(base);
    ours.manifest.title.th = "คำร้องทั่วไป เทศบาลสุขใจ";
    ours.manifest.title.en = "Sukjai petition";
    const result = mergeTemplateUpgrade(base, theirs, ours);
    expect(result.conflicts).toEqual([
      { path: "/manifest/title/th", base: "คำร้องทั่วไป", theirs: "คำร้องทั่วไป (ปรับปรุง)", ours: "คำร้องทั่วไป เทศบาลสุขใจ" },
    ]);
    expect(result.applied).toEqual([{ kind: "changed", path: "/workflow/states/received/meta/label/en", before: "Received", after: "Received — screening" }]);
    expect(result.kept).toEqual([{ path: "/manifest/title/en" }]);
    const merged = result.merged as Def;
    expect(merged.manifest.title).toEqual({ th: "คำร้องทั่วไป เทศบาลสุขใจ", en: "Sukjai petition" });
    expect(merged.workflow.states.received.meta.label.en).toBe("Received — screening");
  });

  it("does not report a conflict when both made the same change", () => {
    const base = definition();
    const theirs = definition();
    theirs.manifest.title.en = "Petition";
    theirs.manifest.roles = ["officer", "inspector"];
    const ours = clone(base);
    ours.manifest.title.en = "Petition";
    ours.manifest.roles = ["officer", "inspector"];
    const result = mergeTemplateUpgrade(base, theirs, ours);
    expect(result).toMatchObject({ applied: [], conflicts: [], kept: [] });
    expect((result.merged as Def).manifest).toMatchObject({ title: { en: "Petition" }, roles: ["officer", "inspector"] });
  });

  it("brings a state the template added, with the transition to it", () => {
    const base = definition();
    const theirs = definition() as Def & { workflow: { states: Record<string, unknown> } };
    theirs.workflow.states.referred = { meta: { label: { th: "ส่งต่อ", en: "Referred" } }, type: "final" };
    (theirs.workflow.states.received.on as Record<string, string>).REFER = "referred";
    const ours = clone(base);
    const result = mergeTemplateUpgrade(base, theirs, ours);
    expect(result.conflicts).toEqual([]);
    expect(result.applied.map((c) => [c.kind, c.path])).toEqual([
      ["added", "/workflow/states/received/on/REFER"],
      ["added", "/workflow/states/referred"],
    ]);
    const merged = result.merged as typeof theirs;
    expect(merged.workflow.states.referred).toEqual(theirs.workflow.states.referred);
    expect(merged.workflow.states.received.on).toEqual({ ANSWER: "answered", REFER: "referred" });
  });

  it("keeps a field the agency added, alongside a field the template added", () => {
    const base = definition();
    const theirs = definition() as Def & { form: { schema: { properties: Record<string, unknown> } } };
    theirs.form.schema.properties.phone = { type: "string" };
    theirs.form.schema.required = ["name", "phone"];
    const ours = clone(base) as typeof theirs;
    ours.form.schema.properties.houseNo = { type: "string", title: "บ้านเลขที่" };
    ours.form.schema.required = ["name", "houseNo"];
    const result = mergeTemplateUpgrade(base, theirs, ours);
    expect(result.conflicts).toEqual([]);
    const schema = (result.merged as typeof theirs).form.schema;
    expect(Object.keys(schema.properties)).toEqual(["name", "houseNo", "phone"]);
    expect(schema.required).toEqual(["name", "houseNo", "phone"]);
    expect(result.kept).toEqual(expect.arrayContaining([{ path: "/form/schema/properties/houseNo" }, { path: "/form/schema/required/1" }]));
    expect(result.applied).toEqual(expect.arrayContaining([{ kind: "added", path: "/form/schema/properties/phone", after: { type: "string" } }, { kind: "added", path: "/form/schema/required/2", after: "phone" }]));
  });

  it("applies a removal by the template unless the agency changed what was removed", () => {
    const base = definition();
    const theirs = definition() as Partial<Def["manifest"]> & Def;
    delete (theirs.manifest as Partial<Def["manifest"]>).statutoryDays;
    delete (theirs.workflow.states as Partial<Def["workflow"]["states"]>).answered;
    const ours = clone(base);
    ours.workflow.states.answered.meta.label.en = "Replied";
    const result = mergeTemplateUpgrade(base, theirs, ours);
    expect(result.applied).toEqual([{ kind: "removed", path: "/manifest/statutoryDays", before: 15 }]);
    expect(result.conflicts).toEqual([{ path: "/workflow/states/answered", base: base.workflow.states.answered, theirs: undefined, ours: ours.workflow.states.answered }]);
    const merged = result.merged as Def;
    expect("statutoryDays" in merged.manifest).toBe(false);
    expect(merged.workflow.states.answered.meta.label.en).toBe("Replied");
  });

  it("never touches the agency-specific places, nor reports them", () => {
    const base = definition();
    const theirs = definition();
    Object.assign(theirs.manifest, { id: "general-petition-2", form: "gp-2", workflow: "gp-2", sourceTemplate: { id: "x", version: 9 } });
    theirs.workflow.id = "gp-2";
    const ours = clone(base);
    ours.workflow.id = "sukjai-gp";
    const result = mergeTemplateUpgrade(base, theirs, ours);
    expect(result).toMatchObject({ applied: [], conflicts: [], kept: [] });
    expect(result.merged).toEqual(ours);
  });
});
