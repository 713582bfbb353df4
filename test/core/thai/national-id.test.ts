import { describe, expect, it } from "vitest";
import { formatThaiNationalId, isValidThaiNationalId } from "~/core/thai/national-id";

/** Independent of the module: Σ digit[i]·(13-i) for the first 12, check = (11 - sum mod 11) mod 10. */
function withCheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return first12 + String((11 - (sum % 11)) % 10);
}

describe("Thai national ID", () => {
  it("accepts numbers whose 13th digit is the mod-11 check digit", () => {
    for (const first12 of ["110370012345", "310050123456", "123456789012", "560010099887", "199990000001"]) {
      expect(isValidThaiNationalId(withCheckDigit(first12))).toBe(true);
    }
  });

  it("covers every check digit, including the sum%11 = 0 and 1 cases that wrap to 1 and 0", () => {
    const seen = new Set<string>();
    for (let n = 0; seen.size < 10 && n < 1000; n++) {
      const id = withCheckDigit(`1100${String(n).padStart(8, "0")}`);
      seen.add(id[12]);
      expect(isValidThaiNationalId(id)).toBe(true);
    }
    expect(seen.size).toBe(10);
  });

  it("rejects a real-format number with a wrong check digit", () => {
    // 1-1037-00123-45-8 is valid; the same number ending in 9 is not.
    expect(isValidThaiNationalId("1103700123458")).toBe(true);
    expect(isValidThaiNationalId("1103700123459")).toBe(false);
    expect(isValidThaiNationalId("1-1037-00123-45-9")).toBe(false);
  });

  it("rejects the number with any other check digit", () => {
    const valid = withCheckDigit("310050123456");
    for (let d = 0; d <= 9; d++) {
      if (String(d) !== valid[12]) expect(isValidThaiNationalId(valid.slice(0, 12) + d)).toBe(false);
    }
  });

  it("accepts the dashed and spaced forms people type", () => {
    expect(isValidThaiNationalId("1-1037-00123-45-8")).toBe(true);
    expect(isValidThaiNationalId("1 1037 00123 45 8")).toBe(true);
  });

  it("rejects wrong lengths and non-digits", () => {
    expect(isValidThaiNationalId("")).toBe(false);
    expect(isValidThaiNationalId("110370012345")).toBe(false);
    expect(isValidThaiNationalId("11037001234588")).toBe(false);
    expect(isValidThaiNationalId("11037001234a8")).toBe(false);
  });

  it("formats full and partial numbers as x-xxxx-xxxxx-xx-x", () => {
    expect(formatThaiNationalId("1103700123458")).toBe("1-1037-00123-45-8");
    expect(formatThaiNationalId("1-1037-00123-45-8")).toBe("1-1037-00123-45-8");
    expect(formatThaiNationalId("11037")).toBe("1-1037");
    expect(formatThaiNationalId("110370")).toBe("1-1037-0");
    expect(formatThaiNationalId("1")).toBe("1");
    expect(formatThaiNationalId("")).toBe("");
    expect(formatThaiNationalId("11037001234589999")).toBe("1-1037-00123-45-8");
  });
});
