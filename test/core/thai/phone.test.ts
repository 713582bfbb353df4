import { describe, expect, it } from "vitest";
import { formatThaiMobile, isValidThaiMobile, normalizeThaiMobile } from "~/core/thai/phone";

describe("Thai mobile numbers", () => {
  it("accepts 10 digits starting 06, 08 or 09", () => {
    expect(isValidThaiMobile("0612345678")).toBe(true);
    expect(isValidThaiMobile("0812345678")).toBe(true);
    expect(isValidThaiMobile("0912345678")).toBe(true);
  });

  it("accepts spaces and dashes in the input and normalizes to digits", () => {
    expect(normalizeThaiMobile("081-234-5678")).toBe("0812345678");
    expect(normalizeThaiMobile("081 234 5678")).toBe("0812345678");
    expect(normalizeThaiMobile(" 09-1234-5678 ")).toBe("0912345678");
  });

  it("turns a +66 country prefix back into the leading 0", () => {
    expect(normalizeThaiMobile("+66 81 234 5678")).toBe("0812345678");
    expect(normalizeThaiMobile("+66-81-234-5678")).toBe("0812345678");
  });

  it("rejects landlines, other prefixes, wrong lengths and letters", () => {
    expect(isValidThaiMobile("021234567")).toBe(false); // Bangkok landline
    expect(isValidThaiMobile("0212345678")).toBe(false);
    expect(isValidThaiMobile("0712345678")).toBe(false);
    expect(isValidThaiMobile("081234567")).toBe(false);
    expect(isValidThaiMobile("08123456789")).toBe(false);
    expect(isValidThaiMobile("08l2345678")).toBe(false);
    expect(isValidThaiMobile("+1 812 345 6789")).toBe(false);
    expect(isValidThaiMobile("")).toBe(false);
  });

  it("formats full and partial numbers as 0xx-xxx-xxxx", () => {
    expect(formatThaiMobile("0812345678")).toBe("081-234-5678");
    expect(formatThaiMobile("08123")).toBe("081-23");
    expect(formatThaiMobile("081")).toBe("081");
  });
});
