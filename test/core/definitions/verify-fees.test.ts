import { describe, expect, it } from "vitest";
import { verifyServiceDefinition, type VerificationReport, type VerificationRule } from "~/core/definitions/verify-definition";
import type { Fee, ServiceDefinition } from "~/core/definitions/types";
import type { ActionRef, Role, StateConfig, TransitionConfig, WorkflowConfig } from "~/core/workflow/types";
import { repositoryDefinition } from "../../support/definitions";

/* Fees and the verifier: the fee table's own checks (rule "fees"), "every path to a permit that charges a fee
   passes a paid step" (rule "fee-paid") and the warnings about asking for fees (rule "fee-request"), on small
   hand-made workflows over the food premises form. */

const agency = { agencyRoles: ["officer", "inspector", "approver"] };
const findings = (report: VerificationReport, rule: VerificationRule) => [...report.errors, ...report.warnings].filter((f) => f.rule === rule);

const label = (en: string) => ({ th: `ขั้น ${en}`, en });
const go = (target: string, actions: ActionRef["type"][] = [], roles: Role[] = ["officer"], extra: Partial<TransitionConfig> = {}): TransitionConfig => ({
  target,
  actions: actions.map((type) => (type === "issueResult" ? { type, params: { kind: "approval" } } : { type })),
  meta: { roles, label: label(target) },
  ...extra,
});
const step = (on: StateConfig["on"]): StateConfig => ({ meta: { label: label("step") }, on });
const FINALS: Record<string, StateConfig> = {
  issued: { type: "final", meta: { label: label("Issued"), outcome: "approved" } },
  rejected: { type: "final", meta: { label: label("Rejected"), outcome: "rejected" } },
};

/** The food premises definition with a hand-made workflow (officer only) and, optionally, another fee table. */
function service(states: Record<string, StateConfig>, fees?: Fee[]): ServiceDefinition {
  const def = repositoryDefinition("food-premises-licence");
  const workflow: WorkflowConfig = { id: "food-premises-licence", initial: "received", states: { ...states, ...FINALS } };
  return { ...def, manifest: { ...def.manifest, roles: ["officer"], ...(fees ? { fees } : {}) }, workflow };
}

const PAID_IN_ORDER = {
  received: step({ APPROVE: go("awaitingFee", ["requestPayment"]), REJECT: go("rejected") }),
  awaitingFee: step({ FEE_PAID: go("issued", ["recordPayment", "issuePermit"]) }),
};

describe("every path to a permit that charges a fee passes a paid step", () => {
  it("passes when the fee is asked for and its payment recorded on the issuing transition", () => {
    const report = verifyServiceDefinition(service(PAID_IN_ORDER), agency);
    expect(findings(report, "fee-paid")).toEqual([]);
    expect(findings(report, "fee-request")).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it("passes when the payment is recorded on a step of its own before the permit", () => {
    const report = verifyServiceDefinition(
      service({
        received: step({ APPROVE: go("awaitingFee", ["requestPayment"]), REJECT: go("rejected") }),
        awaitingFee: step({ FEE_PAID: go("paid", ["recordPayment"]) }),
        paid: step({ ISSUE: go("issued", ["issuePermit"]) }),
      }),
      agency,
    );
    expect(report.errors).toEqual([]);
  });

  it("reports a path that skips the payment, pointing at the issuing transition and naming the path", () => {
    const report = verifyServiceDefinition(
      service({
        received: step({ APPROVE: go("awaitingFee", ["requestPayment"]), FAST_TRACK: go("issued", ["issuePermit"]), REJECT: go("rejected") }),
        awaitingFee: step({ FEE_PAID: go("issued", ["recordPayment", "issuePermit"]) }),
      }),
      agency,
    );
    expect(report.ok).toBe(false);
    const found = findings(report, "fee-paid");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/workflow/states/received/on/FAST_TRACK", state: "received" });
    expect(found[0].message.en).toContain("step → Issued");
    expect(found[0].message.en).toContain("without asking for the fee");
    expect(found[0].message.th).toContain("requestPayment");
  });

  it("reports a permit issued after the fee is asked for but before its payment is recorded", () => {
    const report = verifyServiceDefinition(
      service({
        received: step({ APPROVE: go("awaitingFee", ["requestPayment"]), REJECT: go("rejected") }),
        awaitingFee: step({ FEE_PAID: go("issued", ["issuePermit", "recordPayment"]) }),
      }),
      agency,
    );
    const [finding] = findings(report, "fee-paid");
    expect(finding.path).toBe("/workflow/states/awaitingFee/on/FEE_PAID");
    expect(finding.message.en).toContain("before the fee payment is recorded");
    expect(finding.message.th).toContain("recordPayment");
  });

  it("reports payment on one guarded branch only, at the index of the branch that skips it", () => {
    const byArea = (value: number) => ({ type: "fieldGreaterThan", params: { field: "/business/areaSqm", value } });
    const report = verifyServiceDefinition(
      service({
        received: step({
          APPROVE: [go("awaitingFee", ["requestPayment"], ["officer"], { guard: byArea(500) }), go("issued", ["issuePermit"])],
          REJECT: go("rejected"),
        }),
        awaitingFee: step({ FEE_PAID: go("issued", ["recordPayment", "issuePermit"]) }),
      }),
      agency,
    );
    expect(findings(report, "fee-paid").map((f) => f.path)).toEqual(["/workflow/states/received/on/APPROVE/1"]);
  });

  it("counts a payment only after it was asked for, and finds a permit issued inside a loop", () => {
    const report = verifyServiceDefinition(
      service({
        received: step({ PAY_EARLY: go("review", ["recordPayment"]), REJECT: go("rejected") }),
        review: step({ ASK: go("awaitingFee", ["requestPayment"]), ISSUE: go("issued", ["issuePermit"]) }),
        awaitingFee: step({ FEE_PAID: go("review", ["recordPayment"]) }),
      }),
      agency,
    );
    // review → issued is fine after ASK and FEE_PAID, but not straight after PAY_EARLY (nothing asked for).
    const [finding] = findings(report, "fee-paid");
    expect(finding.path).toBe("/workflow/states/review/on/ISSUE");
    expect(finding.message.en).toContain("without asking for the fee");
  });

  it("does not apply to a service without fees, which is warned about asking for one instead", () => {
    const report = verifyServiceDefinition(service(PAID_IN_ORDER, []), agency);
    expect(findings(report, "fee-paid")).toEqual([]);
    const [warning] = findings(report, "fee-request");
    expect(report.warnings).toContainEqual(warning);
    expect(warning.path).toBe("/workflow/states/received/on/APPROVE/actions/0");
    expect(warning.message.en).toContain("no fee lines");
  });

  it("warns when fees exist but nothing asks for them, beside the unpaid permit", () => {
    const report = verifyServiceDefinition(
      service({ received: step({ APPROVE: go("issued", ["issuePermit"]), REJECT: go("rejected") }) }),
      agency,
    );
    expect(findings(report, "fee-request")).toMatchObject([{ path: "/manifest/fees" }]);
    expect(report.warnings.map((w) => w.rule)).toContain("fee-request");
    expect(findings(report, "fee-paid")).toHaveLength(1);
  });

  it("passes every fee-charging repository template", () => {
    for (const id of ["food-premises-licence", "health-hazard-licence", "health-hazard-licence-renewal"]) {
      const report = verifyServiceDefinition(repositoryDefinition(id), agency);
      expect([...findings(report, "fee-paid"), ...findings(report, "fee-request"), ...findings(report, "fees")], id).toEqual([]);
    }
  });
});

describe("the fee table's checks", () => {
  const withFees = (fees: Fee[]) => {
    const def = repositoryDefinition("food-premises-licence");
    return { ...def, manifest: { ...def.manifest, fees } };
  };
  const fee = (extra: Partial<Fee>): Fee => ({ label: { th: "ค่าธรรมเนียม", en: "Licence fee" }, amount: 100, ...extra });

  it("reports a condition reading a field the form lacks, at its JSON pointer with the field", () => {
    const report = verifyServiceDefinition(
      withFees([fee({}), fee({ when: [{ type: "fieldIsSet", params: { field: "/business/name" } }, { type: "fieldAtMost", params: { field: "/business/floorArea", value: 50 } }] })]),
      agency,
    );
    const found = findings(report, "fees");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "/manifest/fees/1/when/1/params/field", field: "/business/floorArea" });
    expect(found[0].message.en).toBe('Fee line 2 ("Licence fee"), condition 2: reads field "/business/floorArea" that the form does not have');
    expect(found[0].message.th).toContain("/business/floorArea");
    expect(report.ok).toBe(false);
  });

  it("reports an unknown guard and params that fail the guard's schema", () => {
    const report = verifyServiceDefinition(
      withFees([
        fee({ when: [{ type: "fieldIsBig", params: { field: "/business/areaSqm" } }] }),
        fee({ when: [{ type: "fieldAtMost", params: { field: "/business/areaSqm", value: "50" } }] }),
        fee({ when: [{ type: "fieldIn", params: { field: "/business/premisesType", values: [] } }] }),
      ]),
      agency,
    );
    const paths = findings(report, "fees").map((f) => f.path);
    expect(paths).toEqual(["/manifest/fees/0/when/0/type", "/manifest/fees/1/when/0/params/value", "/manifest/fees/2/when/0/params/values"]);
    expect(findings(report, "fees")[0].message.en).toContain("fieldIsBig");
    expect(findings(report, "fees")[1].message.en).toContain("Fee line 2");
  });

  it("reports amounts with more than two decimals and a maximum below the amount", () => {
    const report = verifyServiceDefinition(withFees([fee({ amount: 10.005 }), fee({ amount: 0.1 + 0.2 }), fee({ amount: 500, amountMax: 400 }), fee({ amount: 12.5, amountMax: 99.99 })]), agency);
    const found = findings(report, "fees");
    expect(found.map((f) => f.path)).toEqual(["/manifest/fees/0/amount", "/manifest/fees/1/amount", "/manifest/fees/2/amountMax"]);
    expect(found[0].message.en).toContain("two decimals");
    expect(found[2].message.th).toContain("น้อยกว่าจำนวนเงิน");
  });

  it("reports a condition that can never hold: a number compared with a text field, a value the choice field lacks", () => {
    const report = verifyServiceDefinition(
      withFees([
        fee({ when: [{ type: "fieldAtMost", params: { field: "/business/name", value: 50 } }] }),
        fee({ when: [{ type: "fieldEquals", params: { field: "/business/premisesType", value: "warehouse" } }] }),
        fee({ when: [{ type: "fieldIn", params: { field: "/business/premisesType", values: ["restaurant", "bar"] } }] }),
        fee({ when: [{ type: "fieldGreaterThan", params: { field: "/business/workers", value: 10 } }, { type: "fieldNotEquals", params: { field: "/business/premisesType", value: "restaurant" } }] }),
      ]),
      agency,
    );
    const found = findings(report, "fees");
    expect(found.map((f) => f.path)).toEqual(["/manifest/fees/0/when/0/params/field", "/manifest/fees/1/when/0/params/value", "/manifest/fees/2/when/0/params/values/1"]);
    expect(found[0].message.en).toContain("not a number field");
    expect(found[1].message.en).toContain('"warehouse" is not a choice');
    expect(found[2].message.th).toContain('"bar"');
  });

  it("counts a field a fee condition reads as used (no unreachable-field warning for it)", () => {
    const def = withFees([fee({ when: [{ type: "fieldIsSet", params: { field: "/branchAddress" } }] })]);
    (def.form.schema as Record<string, unknown>).dependencies = { hasBranch: { properties: { branchAddress: { type: "string" } } } };
    expect(findings(verifyServiceDefinition(def, agency), "unreachable-field")).toEqual([]);
  });
});
