import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { repositoryDefinition } from "../support/definitions";
import { checkDefinitionText, JsonView } from "~/components/studio/JsonView";
import type { ServiceDefinition } from "~/core/definitions/types";

const healthHazard = (): ServiceDefinition => repositoryDefinition("health-hazard-licence");

const AGENCY_ROLES = ["officer", "inspector", "approver", "cashier"];
const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const unescape = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");

const render = (definition: ServiceDefinition, lang: "th" | "en" = "th", agencyRoles = AGENCY_ROLES) =>
  renderToStaticMarkup(<JsonView definition={definition} agencyRoles={agencyRoles} lang={lang} onApply={() => {}} />);

const textOf = (html: string) => unescape(/<textarea[^>]*data-testid="json-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? "");
const errorsOf = (html: string) => /data-testid="json-errors"[^>]*>([\s\S]*)<\/div><\/section>$/.exec(html)?.[1] ?? "";
const button = (html: string, testId: string) => new RegExp(`<button[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? "";

describe("JsonView", () => {
  it("shows the whole definition pretty-printed", () => {
    const definition = healthHazard();
    const html = render(definition);
    expect(textOf(html).replace(/^\n/, "")).toBe(pretty(definition));
    expect(html).toMatch(/<textarea[^>]*spellcheck="false"/);
    expect(html).toMatch(/<textarea[^>]*wrap="off"/);
  });

  it("shows no errors for a valid definition and lets it be applied", () => {
    const html = render(healthHazard());
    const errors = errorsOf(html);
    expect(errors).toContain("ไม่พบข้อผิดพลาด");
    expect(errors).not.toContain("<li");
    expect(html).not.toContain('aria-invalid="true"');
    expect(button(html, "json-apply")).not.toContain("disabled");
    // nothing to reset yet
    expect(button(html, "json-reset")).toContain("disabled");
  });

  it("labels everything in Thai and in English", () => {
    const th = render(healthHazard(), "th");
    for (const text of ["JSON ของบริการ", "นำไปใช้", "คืนค่าเดิม", "ไม่พบข้อผิดพลาด"]) expect(th).toContain(text);
    const en = render(healthHazard(), "en");
    for (const text of ["Service JSON", ">Apply<", ">Reset<", "No problems found"]) expect(en).toContain(text);
    expect(en).not.toContain("นำไปใช้");
  });

  it("shows a definition's errors with their pointer and line, and blocks Apply", () => {
    const definition = healthHazard();
    definition.manifest.statutoryDays = 0;
    const html = render(definition, "en");
    const errors = errorsOf(html);
    const line = pretty(definition).split("\n").findIndex((l) => l.includes('"statutoryDays": 0')) + 1;
    expect(errors).toContain("1 error");
    expect(errors).toContain("<code class=\"bk-json-pointer\">/manifest/statutoryDays</code>");
    expect(errors).toContain(`line ${line}<`);
    expect(errors).toContain("Does not match the meta-schema");
    expect(button(html, "json-apply")).toContain("disabled");
    expect(html).toMatch(/<textarea[^>]*aria-invalid="true"/);
  });

  it("renders the same markup every time (server and first client render match)", () => {
    expect(render(healthHazard())).toBe(render(healthHazard()));
  });
});

describe("checkDefinitionText", () => {
  it("accepts the health-hazard definition", () => {
    const definition = healthHazard();
    const check = checkDefinitionText(pretty(definition), AGENCY_ROLES);
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([]);
    expect(check.definition).toEqual(definition);
  });

  it("reports a syntax error with its line and column", () => {
    const text = pretty(healthHazard()).replace('"statutoryDays": 30,', '"statutoryDays": 30,,');
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes('"statutoryDays": 30,,')) + 1;
    const column = lines[line - 1].indexOf(",,") + 2; // the second comma
    const check = checkDefinitionText(text, AGENCY_ROLES);
    expect(check.definition).toBeNull();
    expect(check.errors).toHaveLength(1);
    expect(check.errors[0]).toMatchObject({ severity: "error", line, column });
    expect(check.errors[0].pointer).toBeUndefined();
    expect(check.errors[0].message.th).toMatch(/^JSON ไม่ถูกต้อง/);
    expect(check.errors[0].message.en).toMatch(/^Invalid JSON/);
  });

  it("reports missing or unknown parts before asking the meta-schemas", () => {
    const { workflow: _workflow, ...rest } = healthHazard();
    const check = checkDefinitionText(pretty({ ...rest, extra: 1, form: { schema: {} } }), AGENCY_ROLES);
    expect(check.definition).toBeNull();
    expect(check.errors.map((e) => e.pointer).sort()).toEqual(["/extra", "/form/uiSchema", "/workflow"]);
    expect(checkDefinitionText("[]", AGENCY_ROLES).errors[0]).toMatchObject({ pointer: "", line: 1 });
  });

  it("points cross-reference errors into the whole definition", () => {
    const definition = healthHazard();
    definition.manifest.summary.subject = "/business/nope";
    definition.form.uiSchema = { ...definition.form.uiSchema };
    const check = checkDefinitionText(pretty(definition), AGENCY_ROLES);
    expect(check.definition).toBeNull();
    expect(check.errors).toEqual([
      expect.objectContaining({ pointer: "/manifest/summary/subject", message: expect.objectContaining({ en: expect.stringContaining("/business/nope") }) }),
    ]);
    const line = pretty(definition).split("\n").findIndex((l) => l.includes('"subject": "/business/nope"')) + 1;
    expect(check.errors[0].line).toBe(line);
  });

  it("reports roles the agency lacks as warnings that do not block Apply", () => {
    const check = checkDefinitionText(pretty(healthHazard()), ["officer", "approver"]);
    expect(check.errors).toEqual([]);
    expect(check.definition).not.toBeNull();
    expect(check.warnings.length).toBeGreaterThan(0);
    expect(check.warnings.every((w) => w.severity === "warning" && w.pointer?.startsWith("/workflow/"))).toBe(true);
    expect(check.warnings[0].message.en).toContain('"inspector"');
  });
});
