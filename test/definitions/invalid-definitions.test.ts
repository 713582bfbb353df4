import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DefinitionIssue } from "~/core/definitions/types";
import { DefinitionLoadError, loadRepositoryDefinitions } from "~/services/load-repository-definitions.server";

/* Each test corrupts one thing in a throw-away copy of schemas/ and workflows/ and expects the loader
   to refuse it with an issue that names the file and the JSON pointer of the mistake. */

const HH_MANIFEST = "schemas/services/health-hazard-licence.manifest.json";
const HH_FORM = "schemas/services/health-hazard-licence.form.json";
const HH_WORKFLOW = "workflows/health-hazard-licence.workflow.json";
const FOOD_WORKFLOW = "workflows/food-premises-licence.workflow.json";
const FOOD_MANIFEST = "schemas/services/food-premises-licence.manifest.json";
const PETITION_MANIFEST = "schemas/services/general-petition.manifest.json";
const PETITION_WORKFLOW = "workflows/general-petition.workflow.json";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures are edited freely

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "borikan-definitions-"));
  for (const dir of ["schemas", "workflows"]) cpSync(path.join(process.cwd(), dir), path.join(root, dir), { recursive: true });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function edit(file: string, change: (json: Json) => void) {
  const full = path.join(root, file);
  const json = JSON.parse(readFileSync(full, "utf8")) as Json;
  change(json);
  writeFileSync(full, JSON.stringify(json, null, 2));
}

function loadIssues(): DefinitionIssue[] {
  try {
    loadRepositoryDefinitions(root);
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionLoadError);
    const issues = (error as DefinitionLoadError).issues;
    expect(issues.length).toBeGreaterThan(0);
    return issues;
  }
  throw new Error("expected loadRepositoryDefinitions to throw a DefinitionLoadError");
}

function expectIssue(issues: DefinitionIssue[], file: string, pointer: string, mentions?: string) {
  const found = issues.find((i) => i.file === file && i.path === pointer);
  expect(found, `no issue at ${file} ${pointer}; got:\n${issues.map((i) => `${i.file} ${i.path}: ${i.message.en}`).join("\n")}`).toBeDefined();
  expect(found!.severity).toBe("error");
  expect(found!.message.th.length).toBeGreaterThan(0);
  expect(found!.message.en.length).toBeGreaterThan(0);
  if (mentions) expect(`${found!.message.en} ${found!.message.th}`).toContain(mentions);
}

/**
 * A missing required property: ajv reports it at the parent object ("/") and names the property in the
 * message. Accept the property's own pointer too, should the validator start pointing at it.
 */
function expectMissing(issues: DefinitionIssue[], file: string, parent: string, property: string) {
  const own = `${parent === "/" ? "" : parent}/${property}`;
  const found = issues.find(
    (i) => i.file === file && (i.path === own || (i.path === parent && i.message.en.includes(property))),
  );
  expect(found, `no issue for missing ${property} in ${file}; got:\n${issues.map((i) => `${i.file} ${i.path}: ${i.message.en}`).join("\n")}`).toBeDefined();
}

describe("loading broken service definitions", () => {
  it("accepts the untouched copy", () => {
    const { definitions } = loadRepositoryDefinitions(root);
    expect(definitions.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses malformed JSON and names the file", () => {
    const file = path.join(root, HH_FORM);
    writeFileSync(file, readFileSync(file, "utf8").replace('"required"', '"required" "'));
    expectIssue(loadIssues(), HH_FORM, "/", "Malformed JSON");
  });

  it("refuses a manifest without statutoryDays", () => {
    edit(HH_MANIFEST, (m) => {
      delete m.statutoryDays;
    });
    expectMissing(loadIssues(), HH_MANIFEST, "/", "statutoryDays");
  });

  it("refuses an unknown guard name", () => {
    edit(HH_WORKFLOW, (w) => {
      w.states.inspection.on.RECORD_INSPECTION.guard = { type: "fieldIsBig", params: { field: "/business/areaSqm" } };
    });
    expectIssue(loadIssues(), HH_WORKFLOW, "/states/inspection/on/RECORD_INSPECTION/guard/type", "fieldIsBig");
  });

  it("refuses an unknown guard name inside a list of guarded transitions, pointing at its index", () => {
    edit(FOOD_WORKFLOW, (w) => {
      w.states.completenessCheck.on.ACCEPT[0].guard.type = "fieldIsFalse";
    });
    expectIssue(loadIssues(), FOOD_WORKFLOW, "/states/completenessCheck/on/ACCEPT/0/guard/type", "fieldIsFalse");
  });

  it("refuses an unknown action", () => {
    edit(HH_WORKFLOW, (w) => {
      w.states.awaitingFee.on.FEE_PAID.actions[1] = { type: "issueLicence" };
    });
    expectIssue(loadIssues(), HH_WORKFLOW, "/states/awaitingFee/on/FEE_PAID/actions/1/type", "issueLicence");
  });

  it("refuses guard params of the wrong type", () => {
    edit(FOOD_WORKFLOW, (w) => {
      w.states.completenessCheck.on.ACCEPT[0].guard = {
        type: "fieldGreaterThan",
        params: { field: "/business/areaSqm", value: "1000" },
      };
    });
    expectIssue(loadIssues(), FOOD_WORKFLOW, "/states/completenessCheck/on/ACCEPT/0/guard/params/value");
  });

  it("refuses a guard that reads a field the form does not have", () => {
    edit(FOOD_WORKFLOW, (w) => {
      w.states.completenessCheck.on.ACCEPT[0].guard.params.field = "/staff/trainedFoodHandlers";
    });
    expectIssue(
      loadIssues(),
      FOOD_WORKFLOW,
      "/states/completenessCheck/on/ACCEPT/0/guard/params/field",
      "/staff/trainedFoodHandlers",
    );
  });

  it("refuses a manifest whose form names a missing file", () => {
    edit(HH_MANIFEST, (m) => {
      m.form = "no-such-form";
    });
    expectIssue(loadIssues(), HH_MANIFEST, "/form", "schemas/services/no-such-form.form.json");
  });

  it("refuses a transition to a state that does not exist", () => {
    edit(HH_WORKFLOW, (w) => {
      w.states.inspection.on.RECORD_INSPECTION.target = "decisionn";
    });
    expectIssue(loadIssues(), HH_WORKFLOW, "/states/inspection/on/RECORD_INSPECTION/target", "decisionn");
  });

  it("refuses a four-eyes rule naming an action the workflow does not have", () => {
    edit(FOOD_WORKFLOW, (w) => {
      w.states.decision.on.APPROVE.meta.differentActorFrom = ["ACCEPT", "INSPECT"];
    });
    expectIssue(loadIssues(), FOOD_WORKFLOW, "/states/decision/on/APPROVE/meta/differentActorFrom/1", "INSPECT");
  });

  it("refuses a four-eyes rule that is not a list of action names", () => {
    edit(HH_WORKFLOW, (w) => {
      w.states.decision.on.APPROVE.meta.differentActorFrom = "RECORD_INSPECTION";
    });
    expectIssue(loadIssues(), HH_WORKFLOW, "/states/decision/on/APPROVE/meta/differentActorFrom", "array");
  });

  it("refuses a role declared in the manifest that no transition uses", () => {
    edit(HH_MANIFEST, (m) => {
      m.roles.push("cashier");
    });
    const issues = loadIssues();
    expectIssue(issues, HH_MANIFEST, "/roles/3", "cashier");
  });

  it("refuses a transition role the manifest does not declare", () => {
    edit(PETITION_WORKFLOW, (w) => {
      w.states.inProgress.on.ANSWER.meta.roles = ["officer", "approver"];
    });
    expectIssue(loadIssues(), PETITION_WORKFLOW, "/states/inProgress/on/ANSWER/meta/roles", "approver");
  });

  it("refuses a form property whose name is not an identifier (a.b)", () => {
    edit(HH_FORM, (f) => {
      f.properties.business.properties["a.b"] = { type: "string", title: "จุดในชื่อ" };
    });
    expectIssue(loadIssues(), HH_FORM, "/properties/business/properties/a.b", "a.b");
  });

  it("refuses a fee line whose condition reads a field the form does not have", () => {
    edit(FOOD_MANIFEST, (m) => {
      m.fees[2].when[0].params.field = "/business/floorArea";
    });
    expectIssue(loadIssues(), FOOD_MANIFEST, "/fees/2/when/0/params/field", "/business/floorArea");
  });

  it("refuses a fee line naming an unknown guard, and guard params of the wrong type", () => {
    edit(FOOD_MANIFEST, (m) => {
      m.fees[0].when[0].type = "fieldIsSmall";
      m.fees[1].when[1].params.value = "100";
    });
    const issues = loadIssues();
    expectIssue(issues, FOOD_MANIFEST, "/fees/0/when/0/type", "fieldIsSmall");
    expectIssue(issues, FOOD_MANIFEST, "/fees/1/when/1/params/value", "number");
  });

  it("refuses a fee amount with more than two decimals and a maximum below the amount", () => {
    edit(HH_MANIFEST, (m) => {
      m.fees[0].amount = 2000.001;
      m.fees[1].amountMax = 1;
    });
    const issues = loadIssues();
    expectIssue(issues, HH_MANIFEST, "/fees/0/amount", "two decimals");
    expectIssue(issues, HH_MANIFEST, "/fees/1/amountMax", "less than the amount");
  });

  it("refuses issuesPermit: true without a permit template", () => {
    edit(PETITION_MANIFEST, (m) => {
      m.issuesPermit = true;
    });
    expectMissing(loadIssues(), PETITION_MANIFEST, "/", "permit");
  });
});

describe("the manifest's submit label", () => {
  it("must say it in Thai and English", () => {
    edit(PETITION_MANIFEST, (m) => {
      m.submitLabel = { th: "ส่งเรื่องร้องเรียน" };
    });
    expectMissing(loadIssues(), PETITION_MANIFEST, "/submitLabel", "en");
  });
});
