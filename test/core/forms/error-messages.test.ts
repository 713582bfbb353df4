import { readFileSync } from "node:fs";
import type { RJSFSchema } from "@rjsf/utils";
import { describe, expect, it } from "vitest";
import { friendlyErrors, validateFormData } from "~/core/forms/form-validation";

const petition = JSON.parse(readFileSync("schemas/services/general-petition.form.json", "utf8")) as RJSFSchema;
const hazard = JSON.parse(readFileSync("schemas/services/health-hazard-licence.form.json", "utf8")) as RJSFSchema;

const messageAt = async (schema: RJSFSchema, data: unknown, pointer: string) => (await validateFormData(schema, data)).find((e) => e.pointer === pointer)?.message;

describe("error messages say what to do, from the field's own title", () => {
  it("asks to enter a missing text, select a missing choice and tick the consent box", async () => {
    const errors = await validateFormData(petition, { complainant: { anonymous: false }, complaint: {} });
    const byPointer = Object.fromEntries(errors.map((e) => [e.pointer, e.message]));
    expect(byPointer["/complainant/fullName"]).toEqual({ th: "กรอกชื่อ-นามสกุล", en: "Enter full name" });
    expect(byPointer["/complaint/subject"]).toEqual({ th: "กรอกเรื่อง", en: "Enter subject" });
    expect(byPointer["/complaint/category"]).toEqual({ th: "เลือกประเภทเรื่อง", en: "Select type of matter" });
    expect(byPointer["/consent"]).toEqual({ th: "ทำเครื่องหมายในช่องยืนยันก่อนยื่น", en: "Tick the box to confirm before you send" });
  });

  it("refuses an unticked consent box (false) with the same words", async () => {
    expect(await messageAt(petition, { consent: false }, "/consent")).toEqual({ th: "ทำเครื่องหมายในช่องยืนยันก่อนยื่น", en: "Tick the box to confirm before you send" });
  });

  it("asks to attach a missing required file", async () => {
    const errors = await validateFormData(hazard, { documents: {} });
    const files = errors.filter((e) => e.pointer.startsWith("/documents/"));
    expect(files.length).toBeGreaterThan(0);
    for (const { message } of files) {
      expect(message.th).toMatch(/^แนบ/);
      expect(message.en).toMatch(/^Attach /);
    }
  });

  it("drops a note in brackets from the title and keeps acronyms' capitals", async () => {
    const schema: RJSFSchema = {
      type: "object",
      required: ["email", "pid"],
      properties: {
        email: { type: "string", title: "อีเมล (สำหรับรับแจ้งผล)", "x-en": { title: "E-mail (to receive the outcome)" } } as never,
        pid: { type: "string", title: "เลขประจำตัวประชาชน", "x-en": { title: "ID number" } } as never,
      },
    };
    const errors = await validateFormData(schema, {});
    expect(errors).toEqual([
      { pointer: "/email", message: { th: "กรอกอีเมล", en: "Enter e-mail" } },
      { pointer: "/pid", message: { th: "กรอกเลขประจำตัวประชาชน", en: "Enter ID number" } },
    ]);
  });

  it("explains formats, lengths and ranges in plain words with no validator wording", async () => {
    expect(await messageAt(petition, { complainant: { email: "not-an-email" } }, "/complainant/email")).toEqual({
      th: "กรอกอีเมลให้ถูกรูปแบบ เช่น name@example.com",
      en: "Enter e-mail in the correct format, like name@example.com",
    });
    expect(await messageAt(petition, { complaint: { subject: "ab" } }, "/complaint/subject")).toEqual({
      th: "เรื่องต้องมีอย่างน้อย 5 ตัวอักษร",
      en: "Subject must be 5 characters or more",
    });
    expect(await messageAt(petition, { complainant: { mobile: "0212345678" } }, "/complainant/mobile")).toEqual({
      th: "กรอกหมายเลขโทรศัพท์มือถือให้ถูกต้อง: 10 หลัก ขึ้นต้นด้วย 06, 08 หรือ 09",
      en: "Enter mobile phone number correctly: 10 digits starting with 06, 08 or 09",
    });
    const range: RJSFSchema = { type: "object", properties: { area: { type: "number", title: "พื้นที่", minimum: 1, maximum: 10, "x-en": { title: "Area" } } as never } };
    expect(await messageAt(range, { area: 0 }, "/area")).toEqual({ th: "พื้นที่ต้องไม่น้อยกว่า 1", en: "Area must be 1 or more" });
    expect(await messageAt(range, { area: 11 }, "/area")).toEqual({ th: "พื้นที่ต้องไม่เกิน 10", en: "Area must be 10 or less" });
    expect(await messageAt(range, { area: "x" }, "/area")).toEqual({ th: "พื้นที่ต้องเป็นตัวเลข", en: "Area must be a number" });
    for (const error of await validateFormData(petition, { complainant: { email: "x", mobile: "1" }, complaint: { subject: "a", category: "nope" } })) {
      for (const text of [error.message.th, error.message.en]) expect(text).not.toMatch(/must have|must match|should|\/|ต้องมีคุณสมบัติ/);
    }
  });

  it("gives the browser the same words as the server, for RJSF's errors of a missing field", () => {
    const transform = friendlyErrors("th", petition);
    const [error] = transform([{ name: "required", property: ".complaint.subject", params: { missingProperty: "subject" }, message: "x", stack: "x", schemaPath: "#/properties/complaint/required" }]);
    expect(error.message).toBe("กรอกเรื่อง");
    const [en] = friendlyErrors("en", petition)([{ name: "required", property: ".consent", params: { missingProperty: "consent" }, message: "x", stack: "x" }]);
    expect(en.message).toBe("Tick the box to confirm before you send");
  });
});
