import { describe, expect, it } from "vitest";
import { diffJson } from "~/core/definitions/definition-diff";

describe("diffJson", () => {
  it("reports the smallest changed subtree by JSON pointer", () => {
    const before = { manifest: { title: { th: "ก", en: "A" }, roles: ["officer"] }, "a/b": 1 };
    const after = { manifest: { title: { th: "ข", en: "A" }, roles: ["officer", "inspector"] }, extra: true };
    expect(diffJson(before, after)).toEqual([
      { kind: "changed", path: "/manifest/title/th", before: "ก", after: "ข" },
      { kind: "added", path: "/manifest/roles/1", after: "inspector" },
      { kind: "removed", path: "/a~1b", before: 1 },
      { kind: "added", path: "/extra", after: true },
    ]);
  });

  it("finds nothing between equal documents and a whole change between different types", () => {
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([{ kind: "changed", path: "/a", before: [1], after: { 0: 1 } }]);
  });
});
