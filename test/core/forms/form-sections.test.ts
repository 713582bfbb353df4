import { describe, expect, it } from "vitest";
import { formSections } from "~/core/forms/form-sections";

const schema = {
  type: "object",
  properties: {
    applicant: { type: "object", title: "ผู้ขออนุญาต", "x-en": { title: "Applicant" }, required: ["name", "address"], properties: { name: { type: "string" }, address: { type: "object", format: "thai-address", properties: { line: { type: "string" } } }, note: { type: "string" } } },
    business: { type: "object", title: "สถานประกอบการ", required: ["name"], properties: { name: { type: "string" }, hours: { type: "object", required: ["open"], properties: { open: { type: "string" } } } } },
    documents: { type: "object", title: "เอกสาร", required: ["idCard"], properties: { idCard: { type: "string" } } },
    consent: { type: "boolean", title: "ยินยอม" },
  },
};

describe("the task list of a long form", () => {
  it("says for each section whether it is not started, in progress or complete", () => {
    const sections = formSections(schema, { applicant: { name: "สมชาย" }, business: { name: "ร้าน", hours: { open: "08:00" } } }, "th");
    expect(sections.map((s) => [s.key, s.status, `${s.filled}/${s.required}`])).toEqual([
      ["applicant", "inProgress", "1/2"],
      ["business", "complete", "2/2"],
      ["documents", "notStarted", "0/1"],
    ]);
  });
  it("counts a Thai address as one answer, and names sections in the page's language", () => {
    const [applicant] = formSections(schema, { applicant: { name: "Jane", address: { line: "1" } } }, "en");
    expect(applicant).toMatchObject({ title: "Applicant", status: "complete", filled: 2, required: 2 });
  });
  it("has no task list for a short form", () => {
    expect(formSections({ type: "object", properties: { a: { type: "object", properties: {} }, b: { type: "string" } } }, {}, "th")).toEqual([]);
  });
});
