import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  conditionFields,
  fieldsForGuard,
  guardValueKind,
  newFeeCondition,
  parseValueList,
  withField,
  withGuardType,
  withValue,
} from "~/core/studio/fee-conditions";
import { feeLineApplies } from "~/core/payments/fees";

const foodForm = JSON.parse(readFileSync("schemas/services/food-premises-licence.form.json", "utf8")) as unknown;
const fields = conditionFields(foodForm, "en");
const label = { th: "ค่าธรรมเนียม", en: "Fee" };

describe("the studio's fee conditions", () => {
  it("lists the form's value fields with their types and choices, without attachments or addresses", () => {
    const area = fields.find((f) => f.pointer === "/business/areaSqm");
    expect(area).toMatchObject({ title: "Floor area (m²)", valueType: "number" });
    expect(fields.find((f) => f.pointer === "/business/workers")?.valueType).toBe("integer");
    expect(fields.find((f) => f.pointer === "/business/premisesType")?.choices?.map((c) => c.value)).toEqual(["restaurant", "food-store", "food-storage"]);
    expect(fields.some((f) => f.pointer.startsWith("/documents/"))).toBe(false);
    expect(fields.some((f) => f.pointer === "/applicant/address")).toBe(false);
  });

  it("knows what value each guard of the catalogue takes", () => {
    expect(guardValueKind("fieldAtMost")).toBe("number");
    expect(guardValueKind("fieldGreaterThan")).toBe("number");
    expect(guardValueKind("fieldEquals")).toBe("value");
    expect(guardValueKind("fieldIn")).toBe("values");
    expect(guardValueKind("fieldIsSet")).toBe("none");
    expect(fieldsForGuard("fieldAtMost", fields).every((f) => f.valueType === "number" || f.valueType === "integer")).toBe(true);
    expect(fieldsForGuard("fieldEquals", fields)).toHaveLength(fields.length);
  });

  it("starts a new condition on the first number field", () => {
    expect(newFeeCondition(fields)).toEqual({ type: "fieldAtMost", params: { field: "/business/areaSqm", value: 0 } });
    const choiceOnly = fields.filter((f) => f.pointer === "/business/premisesType");
    expect(newFeeCondition(choiceOnly)).toEqual({ type: "fieldEquals", params: { field: "/business/premisesType", value: "restaurant" } });
  });

  it("changes the guard keeping what still fits: the field, a number, a choice becoming a list", () => {
    const atMost = { type: "fieldAtMost", params: { field: "/business/areaSqm", value: 50 } };
    expect(withGuardType(atMost, "fieldGreaterThan", fields)).toEqual({ type: "fieldGreaterThan", params: { field: "/business/areaSqm", value: 50 } });
    expect(withGuardType(atMost, "fieldIsSet", fields)).toEqual({ type: "fieldIsSet", params: { field: "/business/areaSqm" } });
    const equals = { type: "fieldEquals", params: { field: "/business/premisesType", value: "food-storage" } };
    expect(withGuardType(equals, "fieldIn", fields)).toEqual({ type: "fieldIn", params: { field: "/business/premisesType", values: ["food-storage"] } });
    // a numeric guard cannot read a choice: it moves to the first number field
    expect(withGuardType(equals, "fieldAtMost", fields)).toEqual({ type: "fieldAtMost", params: { field: "/business/areaSqm", value: 0 } });
  });

  it("changes the field, choosing a value of the new field's kind", () => {
    const equals = { type: "fieldEquals", params: { field: "/business/name", value: "x" } };
    expect(withField(equals, "/business/premisesType", fields).params).toEqual({ field: "/business/premisesType", value: "restaurant" });
    expect(withField(equals, "/business/workers", fields).params).toEqual({ field: "/business/workers", value: 0 });
    const oneOf = { type: "fieldIn", params: { field: "/business/premisesType", values: ["food-store", "food-storage"] } };
    expect(withField(oneOf, "/applicant/personType", fields).params).toEqual({ field: "/applicant/personType", values: ["natural"] });
  });

  it("sets values and reads typed lists, numbers for a number field", () => {
    expect(withValue({ type: "fieldAtMost", params: { field: "/business/areaSqm", value: 0 } }, 75).params?.value).toBe(75);
    expect(withValue({ type: "fieldIn", params: { field: "/business/name", values: [] } }, ["a"]).params?.values).toEqual(["a"]);
    expect(parseValueList("a, b;\nc, ", fields.find((f) => f.pointer === "/business/name"))).toEqual(["a", "b", "c"]);
    expect(parseValueList("10, x, 20", fields.find((f) => f.pointer === "/business/workers"))).toEqual([10, 20]);
  });

  it("makes conditions the fee computation applies as the editor shows them", () => {
    let condition = newFeeCondition(fields);
    condition = withValue(condition, 300);
    const fee = { label, amount: 100, when: [condition] };
    expect(feeLineApplies(fee, { business: { areaSqm: 300 } })).toBe(true);
    expect(feeLineApplies(fee, { business: { areaSqm: 301 } })).toBe(false);
  });
});
