import { describe, expect, it, vi } from "vitest";
import type { RJSFSchema } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import { findInvalidThaiAddresses, thaiCustomFormats } from "~/core/thai/formats";

const silom = { province: "กรุงเทพมหานคร", district: "บางรัก", subdistrict: "สีลม", postcode: "10500" };
const addressSchema = {
  type: "object",
  format: "thai-address",
  properties: {
    houseNumber: { type: "string" },
    province: { type: "string" },
    district: { type: "string" },
    subdistrict: { type: "string" },
    postcode: { type: "string" },
  },
  required: ["province", "district", "subdistrict", "postcode"],
};

describe("Thai custom formats for ajv", () => {
  const schema: RJSFSchema = {
    type: "object",
    properties: {
      citizenId: { type: "string", format: "thai-national-id" },
      mobile: { type: "string", format: "thai-mobile" },
      address: addressSchema as RJSFSchema,
    },
  };

  it("accepts canonical national IDs and mobiles and knows the thai-address name without warning", () => {
    const warn = vi.spyOn(console, "warn");
    const validator = customizeValidator({ customFormats: thaiCustomFormats });
    const { errors } = validator.validateFormData({ citizenId: "1103700123458", mobile: "0812345678", address: silom }, schema);
    expect(errors).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it("reports a bad check digit and a non-mobile number as format errors", () => {
    const validator = customizeValidator({ customFormats: thaiCustomFormats });
    const { errors } = validator.validateFormData({ citizenId: "1103700123459", mobile: "0212345678" }, schema);
    expect(errors.map((e) => e.property).sort()).toEqual([".citizenId", ".mobile"]);
    expect(errors.every((e) => e.name === "format")).toBe(true);
  });

  it("wants the stored digits-only form, which is what the widgets write", () => {
    expect(thaiCustomFormats["thai-national-id"]("1-1037-00123-45-8")).toBe(false);
    expect(thaiCustomFormats["thai-mobile"]("081-234-5678")).toBe(false);
  });
});

describe("findInvalidThaiAddresses", () => {
  it("returns nothing for a consistent address", async () => {
    const schema = { type: "object", properties: { home: addressSchema } };
    expect(await findInvalidThaiAddresses(schema, { home: { ...silom, houseNumber: "99/1" } })).toEqual([]);
  });

  it("points at a nested address whose postcode does not match", async () => {
    const schema = { type: "object", properties: { applicant: { type: "object", properties: { home: addressSchema } } } };
    const data = { applicant: { home: { ...silom, postcode: "50200" } } };
    expect(await findInvalidThaiAddresses(schema, data)).toEqual([{ pointer: "/applicant/home" }]);
  });

  it("checks every address in an array and through $ref definitions", async () => {
    const schema = {
      type: "object",
      definitions: { address: addressSchema },
      properties: { branches: { type: "array", items: { $ref: "#/definitions/address" } } },
    };
    const data = { branches: [silom, { ...silom, district: "ปทุมวัน" }, silom] };
    expect(await findInvalidThaiAddresses(schema, data)).toEqual([{ pointer: "/branches/1" }]);
  });

  it("checks an address at the root and inside allOf / if-then branches", async () => {
    expect(await findInvalidThaiAddresses(addressSchema, { ...silom, subdistrict: "ศรีภูมิ" })).toEqual([{ pointer: "" }]);
    const conditional = {
      type: "object",
      properties: { hasShop: { type: "boolean" } },
      if: { properties: { hasShop: { const: true } } },
      then: { properties: { shop: addressSchema } },
    };
    expect(await findInvalidThaiAddresses(conditional, { hasShop: true, shop: { ...silom, postcode: "1" } })).toEqual([{ pointer: "/shop" }]);
  });

  it("flags a partly filled address but leaves an empty one to ajv's required", async () => {
    const schema = { type: "object", properties: { home: addressSchema } };
    expect(await findInvalidThaiAddresses(schema, { home: { province: "กรุงเทพมหานคร" } })).toEqual([{ pointer: "/home" }]);
    expect(await findInvalidThaiAddresses(schema, { home: {} })).toEqual([]);
    expect(await findInvalidThaiAddresses(schema, {})).toEqual([]);
  });

  it("ignores objects whose schema is not marked thai-address", async () => {
    const schema = { type: "object", properties: { other: { type: "object" } } };
    expect(await findInvalidThaiAddresses(schema, { other: { ...silom, postcode: "00000" } })).toEqual([]);
  });

  it("escapes property names in the pointer", async () => {
    const schema = { type: "object", properties: { "a/b": addressSchema } };
    expect(await findInvalidThaiAddresses(schema, { "a/b": { ...silom, postcode: "10110" } })).toEqual([{ pointer: "/a~1b" }]);
  });

  it("does not loop on a self-referencing schema", async () => {
    const schema = { $ref: "#/definitions/node", definitions: { node: { allOf: [{ $ref: "#/definitions/node" }], properties: { home: addressSchema } } } };
    expect(await findInvalidThaiAddresses(schema, { home: { ...silom, postcode: "10110" } })).toEqual([{ pointer: "/home" }]);
  });
});
