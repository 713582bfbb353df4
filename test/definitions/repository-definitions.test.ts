import { readdirSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { thaiCustomFormats } from "~/core/thai/formats";
import { transitionsOf, type WorkflowConfig } from "~/core/workflow/types";
import {
  DefinitionLoadError,
  loadRepositoryDefinitions,
  type LoadedDefinition,
} from "~/services/load-repository-definitions.server";

const root = process.cwd();

function loadAll(): LoadedDefinition[] {
  try {
    return loadRepositoryDefinitions(root).definitions;
  } catch (error) {
    // Rethrow with the formatted issue list so a failure says which file and path is wrong.
    if (error instanceof DefinitionLoadError) throw new Error(error.message);
    throw error;
  }
}

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir))
    .filter((name) => name.endsWith(".json"))
    .map((name) => `${dir}/${name}`)
    .sort();
}

/**
 * Working days the office may spend along the slowest simple path from the initial state to a final
 * state. States that pause the clock (waiting on the applicant) count zero.
 */
function slowestOfficePath(workflow: WorkflowConfig): { days: number; path: string[] } {
  let best = { days: -1, path: [] as string[] };
  const walk = (state: string, days: number, seen: string[]) => {
    const config = workflow.states[state];
    const here = config.meta.pausesSla ? 0 : (config.meta.slaDays ?? 0);
    const total = days + here;
    const trail = [...seen, state];
    if (config.type === "final") {
      if (total > best.days) best = { days: total, path: trail };
      return;
    }
    for (const [, t] of transitionsOf(config)) if (!trail.includes(t.target)) walk(t.target, total, trail);
  };
  walk(workflow.initial, 0, []);
  return best;
}

describe("service definitions in the repository", () => {
  it("loads every definition without an error", () => {
    const definitions = loadAll();
    const ids = definitions.map((d) => d.definition.manifest.id);
    expect(ids).toEqual(expect.arrayContaining(["health-hazard-licence", "general-petition", "food-premises-licence"]));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has no orphan form, UI schema or workflow files: every one is named by a manifest", () => {
    const referenced = new Set(
      loadAll().flatMap(({ files }) => [files.manifest, files.form, files.ui, files.workflow]),
    );
    const onDisk = [...jsonFilesUnder("schemas/services"), ...jsonFilesUnder("workflows")];
    const orphans = onDisk.filter((file) => !referenced.has(file));
    expect(orphans).toEqual([]);
  });

  it("names each workflow after the manifest that uses it and each manifest after its file", () => {
    for (const { definition, files } of loadAll()) {
      expect(files.manifest).toBe(`schemas/services/${definition.manifest.id}.manifest.json`);
      expect(files.workflow).toBe(`workflows/${definition.workflow.id}.workflow.json`);
    }
  });

  it("fits the SLA of every office step on the slowest path within the statutory time", () => {
    for (const { definition } of loadAll()) {
      const slowest = slowestOfficePath(definition.workflow);
      expect(slowest.days, `${definition.manifest.id}: ${slowest.path.join(" → ")}`).toBeGreaterThanOrEqual(0);
      expect(slowest.days, `${definition.manifest.id}: ${slowest.path.join(" → ")}`).toBeLessThanOrEqual(
        definition.manifest.statutoryDays,
      );
    }
  });

  it("compiles every form under ajv strict mode, so a misspelt keyword cannot slip through", () => {
    for (const { definition, files } of loadAll()) {
      // Draft-07 plus our own annotations; strictTypes/strictRequired are off because if/then
      // branches legitimately list `required` without repeating `type`/`properties`.
      const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, strictTuples: false, logger: false });
      addFormats(ajv);
      ajv.addKeyword("x-en").addKeyword("enumNames").addKeyword("x-upload").addKeyword("x-message").addKeyword("x-prefill");
      for (const [name, check] of Object.entries(thaiCustomFormats)) ajv.addFormat(name, check);
      ajv.addFormat("data-url", /^data:/).addFormat("attachment", /^(upload:|data:)/);
      expect(() => ajv.compile(definition.form.schema), files.form).not.toThrow();
    }
  });
});

describe("conditional fields of the reference templates", () => {
  const validatorFor = (id: string) => {
    const loaded = loadAll().find((d) => d.definition.manifest.id === id);
    if (!loaded) throw new Error(`no definition ${id}`);
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    addFormats(ajv);
    for (const [name, check] of Object.entries(thaiCustomFormats)) ajv.addFormat(name, check);
    ajv.addFormat("data-url", /^data:/).addFormat("attachment", /^(upload:|data:)/);
    const validate = ajv.compile(loaded.definition.form.schema);
    return (data: unknown) => {
      validate(data);
      return (validate.errors ?? [])
        .filter((e) => e.keyword === "required")
        .map((e) => `${e.instancePath}/${String(e.params.missingProperty)}`);
    };
  };
  const file = "data:application/pdf;base64,JVBERi0=";

  it("general-petition: asks for name and mobile unless the complainant stays anonymous", () => {
    const missing = validatorFor("general-petition");
    const complaint = { subject: "ไฟฟ้าสาธารณะดับ", category: "light", details: "ไฟฟ้าหน้าซอย 5 ดับมาสามคืนแล้ว" };
    expect(missing({ complainant: { anonymous: true }, complaint, consent: true })).toEqual([]);
    expect(missing({ complainant: { anonymous: false }, complaint, consent: true })).toEqual(
      expect.arrayContaining(["/complainant/fullName", "/complainant/mobile"]),
    );
    // The anonymous box left untouched counts as "not anonymous".
    expect(missing({ complainant: {}, complaint, consent: true })).toEqual(
      expect.arrayContaining(["/complainant/fullName", "/complainant/mobile"]),
    );
    expect(
      missing({ complainant: { anonymous: false, fullName: "สมชาย ใจดี", mobile: "0812345678" }, complaint, consent: true }),
    ).toEqual([]);
  });

  it("licensing-information-request (s.21): an initial-level information template answered within 3 working days", () => {
    const loaded = loadAll().find((d) => d.definition.manifest.id === "licensing-information-request");
    expect(loaded?.definition.manifest).toMatchObject({ level: "initial", category: "information", statutoryDays: 3, issuesPermit: false });
    expect(slowestOfficePath(loaded!.definition.workflow).days).toBeLessThanOrEqual(3);
    const missing = validatorFor("licensing-information-request");
    expect(missing({ requester: {}, request: {}, consent: true })).toEqual(
      expect.arrayContaining(["/requester/fullName", "/requester/email", "/request/subject", "/request/topic", "/request/question"]),
    );
    const request = { subject: "ร้านอาหารต้องขออนุญาตไหม", topic: "needed", question: "เปิดร้านอาหารขนาด 50 ตารางเมตร ต้องขออนุญาตอะไรบ้าง" };
    expect(missing({ requester: { fullName: "สมหญิง ใจดี", email: "somying@example.com" }, request, consent: true })).toEqual([]);
  });

  it("food-premises-licence: requires training certificates only once the handlers are trained", () => {
    const missing = validatorFor("food-premises-licence");
    const documents = { ownerConsentOrLease: file, healthCertificate: file, siteMap: file };
    const base = { applicant: { personType: "natural" }, business: {}, consent: true };
    expect(missing({ ...base, staff: { foodHandlers: 4, trainedFoodHandler: false }, documents })).not.toContain(
      "/documents/trainingCertificate",
    );
    expect(missing({ ...base, staff: { foodHandlers: 4, trainedFoodHandler: true }, documents })).toContain(
      "/documents/trainingCertificate",
    );
    expect(
      missing({ ...base, applicant: { personType: "juristic" }, staff: { foodHandlers: 4, trainedFoodHandler: false }, documents }),
    ).toContain("/documents/companyCertificate");
  });

  it("food-premises-licence: refuses premises of 200 m² or less (they file a notification instead)", () => {
    const loaded = loadAll().find((d) => d.definition.manifest.id === "food-premises-licence")!;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false });
    const validate = ajv.compile(loaded.definition.form.schema);
    const areaErrors = (areaSqm: number) => {
      validate({ business: { areaSqm } });
      return (validate.errors ?? []).filter((e) => e.instancePath === "/business/areaSqm");
    };
    expect(areaErrors(200)).not.toEqual([]);
    expect(areaErrors(200.5)).toEqual([]);
  });
});
