import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ServiceManifest } from "~/core/definitions/types";
import { feeConditionsInWords, feeRows, fieldWordings, paymentTermsInWords } from "~/core/payments/fee-wording";

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as unknown;
const foodManifest = read("schemas/services/food-premises-licence.manifest.json") as ServiceManifest;
const foodForm = read("schemas/services/food-premises-licence.form.json");

describe("fee conditions in words", () => {
  const th = fieldWordings(foodForm, "th");
  const en = fieldWordings(foodForm, "en");

  it("says a numeric bound with the field's title from the form, in Thai and English", () => {
    const when = [{ type: "fieldAtMost", params: { field: "/business/areaSqm", value: 50 } }];
    expect(feeConditionsInWords(when, en, "en")).toBe("when floor area (m²) is at most 50");
    expect(feeConditionsInWords(when, th, "th")).toBe("เมื่อพื้นที่ประกอบการ (ตารางเมตร) ไม่เกิน 50");
  });

  it("shares the field between consecutive conditions on it", () => {
    const when = [
      { type: "fieldGreaterThan", params: { field: "/business/areaSqm", value: 50 } },
      { type: "fieldAtMost", params: { field: "/business/areaSqm", value: 100 } },
    ];
    expect(feeConditionsInWords(when, en, "en")).toBe("when floor area (m²) is more than 50 and is at most 100");
    expect(feeConditionsInWords(when, th, "th")).toBe("เมื่อพื้นที่ประกอบการ (ตารางเมตร) เกิน 50 และไม่เกิน 100");
  });

  it("names a choice by its label, and lists the choices of fieldIn", () => {
    const equals = [{ type: "fieldEquals", params: { field: "/business/premisesType", value: "food-storage" } }];
    expect(feeConditionsInWords(equals, en, "en")).toBe("when type of premises is “Food storage premises (warehouse, cold store)”");
    expect(feeConditionsInWords(equals, th, "th")).toBe("เมื่อประเภทสถานที่ เป็น “สถานที่สะสมอาหาร (คลังสินค้า ห้องเย็น)”");
    const oneOf = [{ type: "fieldIn", params: { field: "/applicant/personType", values: ["natural", "juristic"] } }];
    expect(feeConditionsInWords(oneOf, en, "en")).toBe("when applicant type is “Natural person” or “Juristic person”");
    expect(feeConditionsInWords(oneOf, th, "th")).toBe("เมื่อประเภทผู้ขออนุญาต เป็น “บุคคลธรรมดา” หรือ “นิติบุคคล”");
  });

  it("joins conditions on different fields with and", () => {
    const when = [
      { type: "fieldNotEquals", params: { field: "/business/premisesType", value: "restaurant" } },
      { type: "fieldGreaterThan", params: { field: "/business/workers", value: 1500.5 } },
      { type: "fieldIsSet", params: { field: "/applicant/email" } },
    ];
    expect(feeConditionsInWords(when, en, "en")).toBe(
      "when type of premises is not “Food sale premises: restaurant (food cooked and served)” and number of workers is more than 1,500.5 and e-mail (to receive notices) is filled in",
    );
    expect(feeConditionsInWords(when, th, "th")).toBe(
      "เมื่อประเภทสถานที่ ไม่ใช่ “สถานที่จำหน่ายอาหาร: ร้านอาหาร ภัตตาคาร (มีการปรุงและจำหน่าย)” และจำนวนผู้ปฏิบัติงาน (คน) เกิน 1,500.5 และอีเมล (สำหรับรับแจ้งผล) มีการกรอกข้อมูล",
    );
  });

  it("says nothing for a line that is always charged, and falls back to the pointer for a field the form lacks", () => {
    expect(feeConditionsInWords(undefined, en, "en")).toBeNull();
    expect(feeConditionsInWords([], th, "th")).toBeNull();
    expect(feeConditionsInWords([{ type: "fieldEquals", params: { field: "/gone", value: true } }], en, "en")).toBe("when /gone is yes");
  });

  it("builds the manual's rows of the food premises fee table in both languages", () => {
    const rows = feeRows(foodManifest.fees, foodForm);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ amount: 2000, when: { en: "when floor area (m²) is at most 300", th: "เมื่อพื้นที่ประกอบการ (ตารางเมตร) ไม่เกิน 300" } });
    expect(rows[4].note?.en).toContain("20%");
    expect(feeRows([{ label: { th: "ค่าคำขอ", en: "Application fee" }, amount: 10 }], foodForm)[0].when).toBeNull();
  });

  it("states how fees are paid, with the due days (15 when the manifest sets none)", () => {
    expect(paymentTermsInWords({ dueDays: 7 }).en).toContain("PromptPay QR");
    expect(paymentTermsInWords({ dueDays: 7 }).en).toContain("within 7 days");
    expect(paymentTermsInWords({ dueDays: 7 }).th).toContain("ภายใน 7 วัน");
    expect(paymentTermsInWords(undefined).th).toContain("เคาน์เตอร์ธนาคาร");
    expect(paymentTermsInWords(undefined).en).toContain("within 15 days");
  });
});
