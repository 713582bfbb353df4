import { describe, expect, it } from "vitest";
import type { TransitionConfig } from "~/core/workflow/types";
import { verifyServiceDefinition, type VerificationReport, type VerificationRule } from "~/core/definitions/verify-definition";
import { loadRepositoryDefinitions } from "~/services/load-repository-definitions.server";

const agency = { agencyRoles: ["officer", "inspector", "approver"] };
const repository = loadRepositoryDefinitions().definitions.map(({ definition }) => definition);
const byId = (id: string) => structuredClone(repository.find((d) => d.manifest.id === id)!);
/** health-hazard-licence: completenessCheck → inspection → decision → awaitingFee → issued, 30 statutory days. */
const licence = () => byId("health-hazard-licence");

const findings = (report: VerificationReport, rule: VerificationRule) =>
  [...report.errors, ...report.warnings].filter((f) => f.rule === rule);
const rulesOf = (report: VerificationReport) => [...report.errors, ...report.warnings].map((f) => f.rule);

describe("verifyServiceDefinition", () => {
  it.each(repository.map((d) => [d.manifest.id, d] as const))("verifies repository definition %s ok", (_id, def) => {
    const report = verifyServiceDefinition(structuredClone(def), agency);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  describe("structure", () => {
    it("reports meta-schema errors with a pointer into the definition and skips the graph rules", () => {
      const def = licence();
      (def.workflow.states.inspection.meta as Record<string, unknown>).slaDays = "ten";
      def.workflow.states.orphan = { meta: { label: { th: "กำพร้า", en: "Orphan" } }, on: { GO: { target: "permitIssued", meta: { roles: ["officer"], label: { th: "ไป", en: "Go" } } } } };
      const report = verifyServiceDefinition(def, agency);
      expect(report.ok).toBe(false);
      expect(findings(report, "structure").map((f) => f.path)).toContain("/workflow/states/inspection/meta/slaDays");
      expect(findings(report, "reachable")).toEqual([]);
    });

    it("reports a transition to a missing state", () => {
      const def = licence();
      def.workflow.states.inspection.on!.RECORD_INSPECTION = { ...(def.workflow.states.inspection.on!.RECORD_INSPECTION as TransitionConfig), target: "nowhere" };
      const [finding] = findings(verifyServiceDefinition(def, agency), "structure");
      expect(finding.path).toBe("/workflow/states/inspection/on/RECORD_INSPECTION/target");
      expect(finding.state).toBe("inspection");
      expect(finding.message.en).toContain("Site inspection");
      expect(finding.message.en).toContain("nowhere");
    });
  });

  describe("reachable", () => {
    it("reports an orphan state by name", () => {
      const def = licence();
      def.workflow.states.orphan = {
        meta: { label: { th: "ตรวจซ้ำ", en: "Second inspection" } },
        on: { DONE: { target: "permitIssued", meta: { roles: ["inspector"], label: { th: "เสร็จ", en: "Done" } } } },
      };
      const report = verifyServiceDefinition(def, agency);
      expect(report.ok).toBe(false);
      const [finding] = findings(report, "reachable");
      expect(finding).toMatchObject({ path: "/workflow/states/orphan", state: "orphan" });
      expect(finding.message.th).toBe('ขั้นตอน "ตรวจซ้ำ" (orphan) ไปไม่ถึงจากจุดเริ่มต้น');
      expect(finding.message.en).toBe('Step "Second inspection" (orphan) cannot be reached from the start');
    });

    it("counts a state reachable when only one guard branch leads there", () => {
      expect(findings(verifyServiceDefinition(byId("health-hazard-licence-renewal"), agency), "reachable")).toEqual([]);
    });
  });

  describe("can-finish", () => {
    it("reports a state with no way out", () => {
      const def = licence();
      def.workflow.states.limbo = { meta: { label: { th: "รอไม่มีกำหนด", en: "Limbo" } } };
      def.workflow.states.inspection.on!.PARK = { target: "limbo", meta: { roles: ["inspector"], label: { th: "พัก", en: "Park" } } };
      const [finding] = findings(verifyServiceDefinition(def, agency), "can-finish");
      expect(finding).toMatchObject({ path: "/workflow/states/limbo", state: "limbo" });
      expect(finding.message.en).toContain('"Limbo" (limbo)');
      expect(finding.message.th).toContain("รอไม่มีกำหนด");
    });

    it("reports a trap of two states that only lead to each other", () => {
      const def = licence();
      const go = (target: string) => ({ target, meta: { roles: ["officer" as const], label: { th: "ไป", en: "Go" } } });
      def.workflow.states.loopA = { meta: { label: { th: "วนA", en: "Loop A" } }, on: { GO: go("loopB") } };
      def.workflow.states.loopB = { meta: { label: { th: "วนB", en: "Loop B" } }, on: { GO: go("loopA") } };
      def.workflow.states.decision.on!.LOOP = go("loopA");
      const report = verifyServiceDefinition(def, agency);
      expect(findings(report, "can-finish").map((f) => f.state).sort()).toEqual(["loopA", "loopB"]);
    });
  });

  describe("roles-exist", () => {
    it("reports a role the agency does not have, with the transition path", () => {
      const def = licence();
      def.manifest.roles.push("cashier");
      def.workflow.states.awaitingFee.on!.FEE_PAID = {
        ...(def.workflow.states.awaitingFee.on!.FEE_PAID as TransitionConfig),
        meta: { roles: ["officer", "cashier"], label: { th: "รับชำระ", en: "Record payment" } },
      };
      const report = verifyServiceDefinition(def, agency);
      const roleFindings = findings(report, "roles-exist");
      expect(roleFindings).toHaveLength(1);
      expect(roleFindings[0].path).toBe("/workflow/states/awaitingFee/on/FEE_PAID/meta/roles/1");
      expect(roleFindings[0].message.en).toContain('"cashier"');
      expect(verifyServiceDefinition(def, { agencyRoles: [...agency.agencyRoles, "cashier"] }).ok).toBe(true);
    });

    it("reports an unknown role (auditor) once, and still checks the graph", () => {
      const def = licence();
      def.workflow.states.inspection.on!.RECORD_INSPECTION = {
        ...(def.workflow.states.inspection.on!.RECORD_INSPECTION as TransitionConfig),
        meta: { roles: ["auditor" as never], label: { th: "ตรวจ", en: "Audit" } },
      };
      def.workflow.states.orphan = { meta: { label: { th: "กำพร้า", en: "Orphan" } }, on: { GO: { target: "permitIssued", meta: { roles: ["officer"], label: { th: "ไป", en: "Go" } } } } };
      const report = verifyServiceDefinition(def, agency);
      expect(findings(report, "structure")).toEqual([]);
      const roleFindings = findings(report, "roles-exist");
      expect(roleFindings).toHaveLength(1);
      expect(roleFindings[0]).toMatchObject({ path: "/workflow/states/inspection/on/RECORD_INSPECTION/meta/roles/0", state: "inspection" });
      expect(roleFindings[0].message.en).toContain('"auditor"');
      expect(roleFindings[0].message.en).toContain("Site inspection");
      expect(findings(report, "reachable").map((f) => f.state)).toEqual(["orphan"]);
    });

    it("reports a role missing from the manifest's roles once (pointer at the role)", () => {
      const def = licence();
      def.workflow.states.awaitingFee.on!.FEE_PAID = {
        ...(def.workflow.states.awaitingFee.on!.FEE_PAID as TransitionConfig),
        meta: { roles: ["officer", "cashier"], label: { th: "รับชำระ", en: "Record payment" } },
      };
      const roleFindings = findings(verifyServiceDefinition(def, agency), "roles-exist");
      expect(roleFindings.map((f) => f.path)).toEqual(["/workflow/states/awaitingFee/on/FEE_PAID/meta/roles/1"]);
    });
  });

  describe("catalogue", () => {
    it("reports an unknown guard and bad action parameters without duplicates", () => {
      const def = licence();
      const t = def.workflow.states.inspection.on!.RECORD_INSPECTION as never as Record<string, unknown>;
      t.guard = { type: "fieldMatches", params: { field: "/business/name" } };
      t.actions = [{ type: "issueResult", params: { kind: "maybe" } }];
      const report = verifyServiceDefinition(def, agency);
      const paths = findings(report, "catalogue").map((f) => f.path);
      expect(paths).toContain("/workflow/states/inspection/on/RECORD_INSPECTION/guard/type");
      expect(paths).toContain("/workflow/states/inspection/on/RECORD_INSPECTION/actions/0/params/kind");
      expect(new Set(paths).size).toBe(paths.length);
      expect(findings(report, "catalogue")[0].message.en).toContain("fieldMatches");
      expect(report.ok).toBe(false);
    });
  });

  describe("fields-exist", () => {
    it("reports a guard on a missing field", () => {
      const def = licence();
      (def.workflow.states.inspection.on!.RECORD_INSPECTION as never as Record<string, unknown>).guard = {
        type: "fieldIsSet",
        params: { field: "/business/licenceClass" },
      };
      const found = findings(verifyServiceDefinition(def, agency), "fields-exist");
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ path: "/workflow/states/inspection/on/RECORD_INSPECTION/guard/params/field", field: "/business/licenceClass", state: "inspection" });
      expect(found[0].message.en).toContain("/business/licenceClass");
    });

    it("reports a permit field mapped to a missing form field", () => {
      const def = licence();
      def.manifest.permit!.fields.holderName = "/applicant/nickname";
      const found = findings(verifyServiceDefinition(def, agency), "fields-exist");
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ path: "/manifest/permit/fields/holderName", field: "/applicant/nickname" });
      expect(found[0].message.th).toContain("/applicant/nickname");
    });

    it("reports a renewal pointing at a missing field", () => {
      const def = byId("health-hazard-licence-renewal");
      def.manifest.permit!.renewalOf = "/previous/nothing";
      const [finding] = findings(verifyServiceDefinition(def, agency), "fields-exist");
      expect(finding).toMatchObject({ path: "/manifest/permit/renewalOf", field: "/previous/nothing" });
    });
  });

  describe("permit-path", () => {
    const withoutIssuePermit = () => {
      const def = licence();
      for (const state of Object.values(def.workflow.states)) {
        for (const t of Object.values(state.on ?? {}).flat()) t.actions = t.actions?.filter((a) => a.type !== "issuePermit");
      }
      return def;
    };

    it("reports a permit-issuing service whose workflow never issues a permit (once)", () => {
      const found = findings(verifyServiceDefinition(withoutIssuePermit(), agency), "permit-path");
      expect(found).toHaveLength(1);
      expect(found[0].path).toBe("/workflow/states");
      expect(found[0].message.en).toContain("issuePermit");
    });

    it("reports issuePermit that only an unreachable transition runs", () => {
      const def = withoutIssuePermit();
      def.workflow.states.orphan = {
        meta: { label: { th: "กำพร้า", en: "Orphan" } },
        on: { ISSUE: { target: "permitIssued", actions: [{ type: "issuePermit" }], meta: { roles: ["officer"], label: { th: "ออก", en: "Issue" } } } },
      };
      const report = verifyServiceDefinition(def, agency);
      expect(findings(report, "permit-path")).toHaveLength(1);
      expect(findings(report, "permit-path")[0].message.th).toContain("issuePermit");
    });

    it("passes when issuePermit sits behind a guard that some data satisfies", () => {
      const def = licence();
      const pay = def.workflow.states.awaitingFee.on!;
      const [event] = Object.keys(pay);
      const t = pay[event] as never as Record<string, unknown>;
      t.guard = { type: "fieldEquals", params: { field: "/business/name", value: "x" } };
      const report = verifyServiceDefinition(def, agency);
      expect(findings(report, "permit-path")).toEqual([]);
    });
  });

  describe("sla-fits", () => {
    it("reports the longest happy path exceeding the statutory days, naming its states and total", () => {
      const def = licence();
      def.workflow.states.inspection.meta.slaDays = 25; // 1 + 25 + 5 = 31 > 30
      const [finding] = findings(verifyServiceDefinition(def, agency), "sla-fits");
      expect(finding.path).toBe("/manifest/statutoryDays");
      expect(finding.message.en).toContain("31 days");
      expect(finding.message.en).toContain("(inspection) 25 days");
      expect(finding.message.en).toContain("(completenessCheck)");
      expect(finding.message.en).toContain("(decision)");
      expect(finding.message.th).toContain("31 วัน");
    });

    it("fits exactly at the limit and skips states that pause the clock", () => {
      const def = licence();
      def.workflow.states.inspection.meta.slaDays = 24; // 1 + 24 + 5 = 30
      def.workflow.states.awaitingFee.meta.slaDays = 60; // paused: not counted
      expect(findings(verifyServiceDefinition(def, agency), "sla-fits")).toEqual([]);
      def.workflow.states.awaitingFee.meta.pausesSla = false;
      expect(findings(verifyServiceDefinition(def, agency), "sla-fits")).toHaveLength(1);
    });
  });

  describe("unused-role", () => {
    it("reports a declared role that no transition allows", () => {
      const def = licence();
      def.manifest.roles.push("cashier");
      const report = verifyServiceDefinition(def, { agencyRoles: [...agency.agencyRoles, "cashier"] });
      const found = findings(report, "unused-role");
      expect(found).toHaveLength(1);
      expect(found[0].path).toBe("/manifest/roles/3");
      expect(found[0].message.en).toContain('"cashier"');
      expect(rulesOf(report)).toEqual(["unused-role"]);
    });
  });

  describe("unreachable-field", () => {
    it("warns about a field that only a condition on a missing property shows", () => {
      const def = licence();
      const schema = def.form.schema as Record<string, unknown>;
      schema.dependencies = { hasBranch: { properties: { branchAddress: { type: "string" } } } };
      const report = verifyServiceDefinition(def, agency);
      expect(report.ok).toBe(true);
      expect(report.warnings).toHaveLength(1);
      expect(report.warnings[0]).toMatchObject({
        rule: "unreachable-field",
        path: "/form/schema/dependencies/hasBranch/properties/branchAddress",
        field: "/branchAddress",
      });
      expect(report.warnings[0].message.en).toContain("hasBranch");
    });

    it("does not warn when the condition's property exists", () => {
      const def = licence();
      const schema = def.form.schema as Record<string, unknown>;
      schema.dependencies = { consent: { properties: { branchAddress: { type: "string" } } } };
      expect(verifyServiceDefinition(def, agency).warnings).toEqual([]);
    });
  });

  describe("four-eyes", () => {
    const withoutRule = (def = licence()) => {
      delete (def.workflow.states.decision.on!.APPROVE as TransitionConfig).meta.differentActorFrom;
      return def;
    };

    it("warns when a path that issues the permit has no four-eyes rule, pointing at the issuing transition", () => {
      const report = verifyServiceDefinition(withoutRule(), agency);
      expect(report.ok).toBe(true);
      expect(report.warnings).toHaveLength(1);
      expect(report.warnings[0]).toMatchObject({ rule: "four-eyes", path: "/workflow/states/awaitingFee/on/FEE_PAID" });
      expect(report.warnings[0].message.en).toContain("four eyes");
      expect(report.warnings[0].message.th).toContain("หลักสี่ตา");
    });

    it("does not count a rule that names a step the path does not take before it", () => {
      const def = withoutRule();
      (def.workflow.states.decision.on!.APPROVE as TransitionConfig).meta.differentActorFrom = ["FEE_PAID"];
      expect(findings(verifyServiceDefinition(def, agency), "four-eyes")).toHaveLength(1);
    });

    it("is satisfied by a rule anywhere on the path, e.g. payment confirmed by someone other than the approver", () => {
      const def = withoutRule();
      (def.workflow.states.awaitingFee.on!.FEE_PAID as TransitionConfig).meta.differentActorFrom = ["APPROVE"];
      expect(verifyServiceDefinition(def, agency).warnings).toEqual([]);
    });

    it("does not ask for four eyes on paths that grant nothing (a petition's answer)", () => {
      expect(findings(verifyServiceDefinition(byId("general-petition"), agency), "four-eyes")).toEqual([]);
    });

    it("refuses a rule that names an action the workflow does not have, with its path", () => {
      const def = licence();
      (def.workflow.states.decision.on!.APPROVE as TransitionConfig).meta.differentActorFrom = ["ACCEPT", "SITE_VISIT"];
      const report = verifyServiceDefinition(def, agency);
      expect(report.ok).toBe(false);
      const [finding] = findings(report, "structure");
      expect(finding.path).toBe("/workflow/states/decision/on/APPROVE/meta/differentActorFrom/1");
      expect(finding.message.en).toContain('"SITE_VISIT"');
    });

    it("refuses a rule that is not a list of action names (meta-schema)", () => {
      const def = licence();
      (def.workflow.states.decision.on!.APPROVE as TransitionConfig).meta.differentActorFrom = ["accept"];
      expect(findings(verifyServiceDefinition(def, agency), "structure").map((f) => f.path)).toContain(
        "/workflow/states/decision/on/APPROVE/meta/differentActorFrom/0",
      );
    });
  });

  it("does not mutate the definition", () => {
    const def = licence();
    const before = JSON.stringify(def);
    verifyServiceDefinition(def, { agencyRoles: [] });
    expect(JSON.stringify(def)).toBe(before);
  });
});
