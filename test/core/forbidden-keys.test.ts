import { describe, expect, it } from "vitest";
import { assertNoForbiddenKeys, findForbiddenKey, JSON_SCHEMA_KEYWORDS } from "~/core/forbidden-keys";

describe("keys no body may carry", () => {
  it("finds nothing in ordinary data", () => {
    expect(findForbiddenKey({ a: 1, b: [{ c: "$x", d: "a.b" }], e: null, "ชื่อ": "ไทย" })).toBeNull();
    expect(findForbiddenKey("just text")).toBeNull();
    expect(findForbiddenKey(null)).toBeNull();
  });

  it("names the pointer of a $ key, a dotted key or a prototype key at any depth", () => {
    expect(findForbiddenKey({ $where: "1" })).toBe("/$where");
    expect(findForbiddenKey({ data: { applicant: { "a.b": 1 } } })).toBe("/data/applicant/a.b");
    expect(findForbiddenKey({ data: { list: [{}, { x: { constructor: {} } }] } })).toBe("/data/list/1/x/constructor");
    expect(findForbiddenKey({ a: { prototype: 1 } })).toBe("/a/prototype");
    expect(findForbiddenKey([[{ $gt: "" }]])).toBe("/0/0/$gt");
  });

  it("sees the own __proto__ key JSON.parse creates", () => {
    const parsed = JSON.parse('{"data":{"ok":1,"__proto__":{"isAdmin":true}}}');
    expect(findForbiddenKey(parsed)).toBe("/data/__proto__");
  });

  it("walks very deep bodies without overflowing the stack", () => {
    let deep: unknown = { $ne: 1 };
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(findForbiddenKey(deep)).toBe("/a".repeat(100_000) + "/$ne");
  });

  it("lets service definitions carry JSON Schema's own keywords, and nothing else that starts with $", () => {
    expect(findForbiddenKey({ form: { $schema: "x", properties: { a: { $ref: "#/definitions/a" } } } }, JSON_SCHEMA_KEYWORDS)).toBeNull();
    expect(findForbiddenKey({ form: { $where: "x" } }, JSON_SCHEMA_KEYWORDS)).toBe("/form/$where");
  });

  it("refuses with 400 BAD_REQUEST naming the pointer in both languages", () => {
    try {
      assertNoForbiddenKeys({ x: { "$set": 1 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "BAD_REQUEST", details: { pointer: "/x/$set" } });
      expect((error as { text: { th: string; en: string } }).text.th).toContain("/x/$set");
    }
  });
});
