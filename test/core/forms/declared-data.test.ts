import { describe, expect, it } from "vitest";
import { findUndeclaredProperties } from "~/core/forms/declared-data";
import { validateFormData } from "~/core/forms/form-validation";
import { loadRepositoryDefinitions } from "~/services/load-repository-definitions.server";

const schema = {
  type: "object",
  properties: {
    applicant: { type: "object", properties: { name: { type: "string" }, kind: { type: "string", enum: ["person", "company"] } } },
    members: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
    tags: { type: "array", items: { type: "string" } },
    notes: true,
    extra: { type: "object", additionalProperties: { type: "object", properties: { ok: { type: "boolean" } } } },
    coded: { type: "object", patternProperties: { "^c[0-9]+$": { type: "string" } } },
    shared: { $ref: "#/definitions/address" },
  },
  definitions: { address: { type: "object", properties: { line: { type: "string" } } } },
  allOf: [
    {
      if: { properties: { applicant: { properties: { kind: { const: "company" } } } } },
      then: { properties: { applicant: { properties: { companyId: { type: "string" } } }, company: { type: "object", properties: { name: { type: "string" } } } } },
      else: { properties: { birthDate: { type: "string" } } },
    },
  ],
  dependencies: { tags: { properties: { tagNote: { type: "string" } } } },
};

describe("only declared data is stored", () => {
  it("finds nothing in data that uses only declared properties", () => {
    const data = {
      applicant: { name: "A", kind: "person" },
      members: [{ name: "B" }, { name: "C" }],
      tags: ["x"],
      notes: { anything: { goes: 1 } },
      extra: { free: { ok: true } },
      coded: { c1: "x", c22: "y" },
      shared: { line: "1" },
    };
    expect(findUndeclaredProperties(schema, data)).toEqual([]);
  });

  it("counts a property declared in any conditional branch as declared, whether or not its condition holds", () => {
    const data = { applicant: { name: "A", kind: "person", companyId: "0105" }, company: { name: "Co" }, birthDate: "2500-01-01", tagNote: "n" };
    expect(findUndeclaredProperties(schema, data)).toEqual([]);
  });

  it("names each undeclared property by its JSON pointer, at any depth and in repeating groups", () => {
    const data = {
      sneaky: 1,
      applicant: { name: "A", role: "admin" },
      members: [{ name: "B" }, { name: "C", salary: 5 }],
      extra: { free: { ok: true, not: 1 } },
      coded: { d1: "x" },
      shared: { line: "1", "a/b": 2 },
      company: { name: "Co", vat: "1" },
    };
    expect(findUndeclaredProperties(schema, data).sort()).toEqual(
      ["/sneaky", "/applicant/role", "/members/1/salary", "/extra/free/not", "/coded/d1", "/shared/a~1b", "/company/vat"].sort(),
    );
  });

  it("refuses the keys an attacker reaches for, including an own __proto__ made by JSON.parse", () => {
    const data = JSON.parse('{"applicant":{"name":"A","__proto__":{"isAdmin":true}},"$where":"1","a.b":1}');
    expect(findUndeclaredProperties(schema, data).sort()).toEqual(["/$where", "/a.b", "/applicant/__proto__"].sort());
  });

  it("refuses properties inside a value whose schema declares none", () => {
    expect(findUndeclaredProperties({ type: "object", properties: { name: { type: "string" } } }, { name: { nested: 1 } })).toEqual(["/name/nested"]);
  });

  it("is part of the form validation, with a th/en message per pointer", async () => {
    const errors = await validateFormData({ type: "object", properties: { name: { type: "string" } } }, { name: "A", role: "admin" });
    expect(errors).toEqual([{ pointer: "/role", message: { th: expect.stringContaining("แบบคำขอ"), en: "This is not a field of the form, so it is not accepted" } }]);
  });

  it("accepts the reference forms' own fields, conditional ones included", () => {
    const { definitions } = loadRepositoryDefinitions();
    expect(definitions.length).toBeGreaterThan(0);
    for (const { definition } of definitions) {
      const everyField = fill(definition.form.schema);
      expect({ slug: definition.manifest.id, undeclared: findUndeclaredProperties(definition.form.schema, everyField) }).toEqual({ slug: definition.manifest.id, undeclared: [] });
    }
  });
});

/** Data with a value for every property any branch declares (values do not matter here, only keys). */
function fill(node: unknown): unknown {
  const n = node as { properties?: Record<string, unknown>; items?: unknown; allOf?: { then?: unknown }[]; then?: unknown };
  if (n?.properties || n?.allOf || n?.then) {
    const out: Record<string, unknown> = {};
    for (const branch of [n, ...(n.allOf ?? []).map((a) => a.then), n.then]) {
      for (const [key, child] of Object.entries((branch as { properties?: Record<string, unknown> })?.properties ?? {})) {
        out[key] = mergeFill(out[key], fill(child));
      }
    }
    return out;
  }
  if (n?.items) return [fill(n.items)];
  return "x";
}

function mergeFill(a: unknown, b: unknown): unknown {
  if (a && typeof a === "object" && !Array.isArray(a) && b && typeof b === "object" && !Array.isArray(b)) return { ...a, ...b };
  return b;
}
