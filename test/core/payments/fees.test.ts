import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ServiceManifest } from "~/core/definitions/types";
import { computeFee, formatBaht, toSatang } from "~/core/payments/fees";

const manifest = (slug: string) => JSON.parse(readFileSync(`schemas/services/${slug}.manifest.json`, "utf8")) as ServiceManifest;

describe("fee table", () => {
  const food = manifest("food-premises-licence").fees;
  const hazard = manifest("health-hazard-licence").fees;

  it("charges the food premises band of the floor area (the licence is for over 200 m²), edges included", () => {
    const fee = (areaSqm: number, premisesType = "restaurant") => computeFee(food, { business: { areaSqm, premisesType } }).totalSatang;
    expect(fee(200.5)).toBe(200_000);
    expect(fee(300)).toBe(200_000);
    expect(fee(300.5)).toBe(250_000);
    expect(fee(500)).toBe(250_000);
    expect(fee(1000)).toBe(300_000);
    expect(fee(1001)).toBe(400_000);
    expect(fee(300, "food-storage")).toBe(250_000);
  });

  it("adds the machinery surcharge to the business group's fee and lists each line", () => {
    const fee = computeFee(hazard, { business: { activity: "fuel-storage", machinePowerHp: 75 } });
    expect(fee.lines.map((l) => l.amountSatang)).toEqual([200_000, 150_000]);
    expect(fee.totalSatang).toBe(350_000);
    expect(computeFee(hazard, { business: { activity: "laundry", machinePowerHp: 50 } }).totalSatang).toBe(100_000);
  });

  it("charges an unconditional line always and never charges a line naming an unknown guard", () => {
    const label = { th: "ค่าธรรมเนียม", en: "Fee" };
    expect(computeFee([{ label, amount: 12.34 }], {}).totalSatang).toBe(1234);
    expect(computeFee([{ label, amount: 10, when: [{ type: "noSuchGuard" }] }], {}).totalSatang).toBe(0);
  });

  it("keeps money in whole satang", () => {
    expect(toSatang(0.1 + 0.2)).toBe(30);
    expect(toSatang(1019.99)).toBe(101_999);
    expect(formatBaht(123_456_789)).toBe("1,234,567.89");
    expect(formatBaht(5)).toBe("0.05");
  });
});
