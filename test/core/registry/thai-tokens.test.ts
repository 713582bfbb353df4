import { describe, expect, it } from "vitest";
import { normaliseForSearch, searchTokens } from "~/core/registry/thai-tokens";

describe("searchTokens", () => {
  it("splits Thai text into dictionary words", () => {
    const tokens = searchTokens("กิจการที่เป็นอันตรายต่อสุขภาพ");
    expect(tokens).toContain("อันตราย");
    expect(tokens).toContain("สุขภาพ");
    expect(tokens.join("")).toBe("กิจการที่เป็นอันตรายต่อสุขภาพ");
  });

  it("splits permit numbers on anything that is not a letter or digit, in lower case", () => {
    expect(searchTokens("SKJ-HH-2569-00012")).toEqual(["skj", "hh", "2569", "00012"]);
    expect(searchTokens("skj hh/2569.00012")).toEqual(["skj", "hh", "2569", "00012"]);
  });

  it("separates Thai from Latin and digits in mixed text", () => {
    expect(searchTokens("ร้าน ABC Coffee สาขา2")).toEqual(["ร้าน", "abc", "coffee", "สาขา", "2"]);
    expect(searchTokens("ร้าน7-11")).toEqual(["ร้าน", "7", "11"]);
    expect(searchTokens("หจก.รุ่งเรืองพาณิชย์")).toEqual(["หจก", "รุ่งเรือง", "พาณิชย์"]);
  });

  it("gives the same tokens for the same words however they were typed", () => {
    expect(searchTokens("๒๕๖๙")).toEqual(["2569"]);
    expect(searchTokens("กรุงเทพฯ")).toEqual(searchTokens("กรุงเทพ"));
    // sara am typed as nikhahit + sara aa; a zero-width space as the word break
    expect(searchTokens("น\u0E4D\u0E32ดื่ม")).toEqual(searchTokens("น\u0E33ดื่ม"));
    expect(searchTokens("สมชาย\u200Bใจดี")).toEqual(["สมชาย", "ใจดี"]);
    expect(searchTokens("Ｃafé".normalize("NFD"))).toEqual(searchTokens("Ｃafé"));
  });

  it("drops punctuation and spaces, and gives nothing for empty text", () => {
    expect(searchTokens("  (กลุ่มที่ 3)  ")).toEqual(["กลุ่ม", "ที่", "3"]);
    expect(searchTokens("")).toEqual([]);
    expect(searchTokens(" - / ")).toEqual([]);
  });

  it("normalises case, Thai digits and zero-width characters", () => {
    expect(normaliseForSearch("SKJ-HH-๒๕๖๙")).toBe("skj-hh-2569");
    expect(normaliseForSearch("a\u200Bb\u200Dc")).toBe("a bc");
  });
});
