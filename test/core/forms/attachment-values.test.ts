import { describe, expect, it } from "vitest";
import type { RJSFSchema } from "@rjsf/utils";
import { validateFormData } from "~/core/forms/form-validation";

const schema: RJSFSchema = {
  type: "object",
  properties: {
    plan: { type: "string", format: "attachment" },
    plans: { type: "array", maxItems: 2, items: { type: "string", format: "attachment" } },
  },
};
const id = (n: number) => `upload:${String(n).padStart(32, "0")}`;

describe("file fields hold upload references", () => {
  it("accepts an upload reference and an inline data URL, and refuses other strings", async () => {
    expect(await validateFormData(schema, { plan: id(1) })).toEqual([]);
    expect(await validateFormData(schema, { plan: "data:application/pdf;name=a.pdf;base64,JVBERi0=" })).toEqual([]);
    for (const bad of ["upload:short", "upload:../../etc/passwd", "/etc/passwd", "https://example.test/a.pdf"]) {
      const errors = await validateFormData(schema, { plan: bad });
      expect(errors).toEqual([{ pointer: "/plan", message: { th: "แนบไฟล์ใหม่: ไฟล์เดิมใช้ไม่ได้", en: "Attach the file again: the file is not valid" } }]);
    }
  });

  it("refuses more files than a multi-file field allows, in plain words", async () => {
    const errors = await validateFormData(schema, { plans: [id(1), id(2), id(3)] });
    expect(errors).toEqual([{ pointer: "/plans", message: { th: "แนบไฟล์ได้ไม่เกิน 2 ไฟล์", en: "Attach at most 2 files" } }]);
  });
});
