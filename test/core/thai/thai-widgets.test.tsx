import { describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import Form from "@rjsf/core";
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { thaiFields, thaiWidgets } from "~/components/form/thai-widgets";

const schema: RJSFSchema = {
  type: "object",
  properties: {
    citizenId: { type: "string", title: "เลขประจำตัวประชาชน" },
    mobile: { type: "string", title: "โทรศัพท์มือถือ" },
    birthDate: { type: "string", format: "date", title: "วันเกิด" },
    address: {
      type: "object",
      title: "ที่อยู่",
      format: "thai-address",
      properties: {
        houseNumber: { type: "string", title: "บ้านเลขที่" },
        province: { type: "string" },
        district: { type: "string" },
        subdistrict: { type: "string" },
        postcode: { type: "string" },
      },
    },
  },
};
const uiSchema: UiSchema = {
  citizenId: { "ui:widget": "nationalId" },
  mobile: { "ui:widget": "thaiMobile" },
  birthDate: { "ui:widget": "buddhistDate" },
  address: { "ui:field": "thaiAddress" },
};
const formData = {
  citizenId: "1103700123459",
  mobile: "0812345678",
  birthDate: "2024-02-29",
  address: { houseNumber: "99/1", province: "กรุงเทพมหานคร", district: "บางรัก", subdistrict: "สีลม", postcode: "10500" },
};

const render = (lang: "th" | "en", data: unknown = formData) =>
  renderToString(
    <Form schema={schema} uiSchema={uiSchema} formData={data} validator={validator} widgets={thaiWidgets} fields={thaiFields} formContext={{ lang }} />,
  );

describe("Thai widgets rendered on the server", () => {
  it("renders without a browser and the same way every time (what hydration needs)", () => {
    expect(typeof window).toBe("undefined");
    expect(render("th")).toBe(render("th"));
  });

  it("shows the national ID formatted, with the check-digit hint for a bad number", () => {
    const html = render("th");
    expect(html).toContain('value="1-1037-00123-45-9"');
    expect(html).toContain("หลักตรวจสอบ");
    expect(render("th", { ...formData, citizenId: "1103700123458" })).not.toContain("หลักตรวจสอบ");
  });

  it("shows the mobile number formatted", () => {
    expect(render("th")).toContain('value="081-234-5678"');
  });

  it("shows the stored ISO date as day, Thai month and BE year", () => {
    const html = render("th");
    expect(html).toMatch(/<option value="29" selected="">29<\/option>/);
    expect(html).toMatch(/<option value="2" selected="">กุมภาพันธ์<\/option>/);
    expect(html).toMatch(/<option value="2024" selected="">2567<\/option>/);
  });

  it("uses English month names when formContext.lang is en, keeping the BE year", () => {
    const html = render("en");
    expect(html).toMatch(/<option value="2" selected="">February<\/option>/);
    expect(html).toMatch(/<option value="2024" selected="">2567 \(2024\)<\/option>/);
  });

  it("renders the stored address selected before any list has loaded, with เขต/แขวง labels for Bangkok", () => {
    const html = render("th");
    expect(html).toContain('value="99/1"');
    expect(html).toMatch(/<option value="กรุงเทพมหานคร" selected="">กรุงเทพมหานคร<\/option>/);
    expect(html).toMatch(/<option value="บางรัก" selected="">บางรัก<\/option>/);
    expect(html).toMatch(/<option value="สีลม" selected="">สีลม<\/option>/);
    expect(html).toContain('value="10500"');
    expect(html).toContain(">เขต<");
    expect(html).toContain(">แขวง<");
  });

  it("renders an empty form with the lower address levels disabled", () => {
    const html = render("en", {});
    expect(html).toContain("— Select —");
    expect(html).toMatch(/<select id="root_address_district"[^>]*disabled=""/);
  });
});
