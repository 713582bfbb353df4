import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ServiceDefinition } from "~/core/definitions/types";
import { addCaseToUse, assessReadiness, CRITERIA, NO_USE, type CriterionId, type ServiceReadiness } from "~/core/oversight/readiness";

/** A reference definition as it is in the repository (schemas/ and workflows/), a fresh copy each call. */
function definition(id: string): ServiceDefinition {
  const read = (file: string) => JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../..", file), "utf8"));
  return {
    manifest: read(`schemas/services/${id}.manifest.json`),
    form: { schema: read(`schemas/services/${id}.form.json`), uiSchema: read(`schemas/services/${id}.ui.json`) },
    workflow: read(`workflows/${id}.workflow.json`),
  };
}

const statusOf = (r: ServiceReadiness, id: CriterionId) => r.criteria.find((c) => c.id === id)!.status;
const criterion = (r: ServiceReadiness, id: CriterionId) => r.criteria.find((c) => c.id === id)!;

describe("readiness of the reference services", () => {
  it("a health-hazard licence meets every criterion and reaches the standard level it declares", () => {
    const r = assessReadiness("health-hazard-licence", definition("health-hazard-licence"));
    expect(r.criteria.map((c) => c.id)).toEqual(CRITERIA);
    expect(r.criteria.map((c) => c.status)).toEqual(["met", "met", "met", "met", "met", "met"]);
    expect(r).toMatchObject({ declaredLevel: "standard", reachedLevel: "standard", meetsDeclared: true });
    expect(criterion(r, "electronicResult").why.en).toContain("FEE_PAID");
    expect(criterion(r, "electronicPayment").why.en).toContain("awaitingFee → FEE_PAID");
    expect(criterion(r, "electronicPayment").why.en).toContain("PromptPay");
  });

  it("the food-premises licence and the renewal also reach the standard level", () => {
    for (const id of ["food-premises-licence", "health-hazard-licence-renewal"]) {
      const r = assessReadiness(id, definition(id));
      expect(r.criteria.filter((c) => c.status !== "met"), id).toEqual([]);
      expect(r.reachedLevel).toBe("standard");
    }
  });

  it("a general petition: no permit and no fee, so the registry and payment do not apply; it exceeds its initial level", () => {
    const r = assessReadiness("general-petition", definition("general-petition"));
    expect(statusOf(r, "publicRegistry")).toBe("notApplicable");
    expect(criterion(r, "publicRegistry").why.en).toBe("This service issues no permit");
    expect(statusOf(r, "electronicPayment")).toBe("notApplicable");
    expect(statusOf(r, "electronicResult")).toBe("met");
    expect(r).toMatchObject({ declaredLevel: "initial", reachedLevel: "standard", meetsDeclared: true });
  });

  it("every criterion has Thai and English texts; a criterion not met says what to change", () => {
    const broken = definition("health-hazard-licence");
    broken.workflow.states.awaitingFee!.on!.FEE_PAID = { ...(broken.workflow.states.awaitingFee!.on!.FEE_PAID as object), actions: [] } as never;
    for (const r of [assessReadiness("a", definition("general-petition")), assessReadiness("b", broken)]) {
      for (const c of r.criteria) {
        expect(c.title.th && c.title.en && c.why.th && c.why.en).toBeTruthy();
        if (c.status === "notMet") expect(c.change?.th && c.change.en).toBeTruthy();
        else expect(c.change).toBeUndefined();
      }
    }
  });
});

describe("what a change to the definition does", () => {
  it("a licence whose fee is not taken in the system falls to the initial level, below the standard it declares", () => {
    const d = definition("health-hazard-licence");
    const fee = d.workflow.states.awaitingFee!.on!.FEE_PAID as { actions: { type: string }[] };
    fee.actions = fee.actions.filter((a) => a.type !== "recordPayment");
    const r = assessReadiness("health-hazard-licence", d);
    expect(statusOf(r, "electronicPayment")).toBe("notMet");
    expect(criterion(r, "electronicPayment").change?.en).toContain("recordPayment");
    expect(r).toMatchObject({ reachedLevel: "initial", meetsDeclared: false });
  });

  it("a licence whose fee is only recorded by hand, with no QR code or slip, does not meet electronic payment", () => {
    const d = definition("health-hazard-licence");
    for (const transition of Object.values(d.workflow.states.decision?.on ?? {})) {
      const t = transition as { actions?: { type: string }[] };
      if (t.actions) t.actions = t.actions.filter((a) => a.type !== "requestPayment");
    }
    const r = assessReadiness("health-hazard-licence", d);
    expect(statusOf(r, "electronicPayment")).toBe("notMet");
    expect(criterion(r, "electronicPayment").why.en).toContain("recorded by hand");
    expect(criterion(r, "electronicPayment").change?.en).toContain("requestPayment");
  });

  it("the same licence made free: payment no longer applies and the standard level is back", () => {
    const d = definition("health-hazard-licence");
    const fee = d.workflow.states.awaitingFee!.on!.FEE_PAID as { actions: { type: string }[] };
    fee.actions = fee.actions.filter((a) => a.type !== "recordPayment");
    d.manifest.fees = [];
    const r = assessReadiness("health-hazard-licence", d);
    expect(statusOf(r, "electronicPayment")).toBe("notApplicable");
    expect(r.reachedLevel).toBe("standard");
  });

  it("a licence that never issues its permit fails the result and the public registry", () => {
    const d = definition("health-hazard-licence");
    const fee = d.workflow.states.awaitingFee!.on!.FEE_PAID as { actions: { type: string }[] };
    fee.actions = fee.actions.filter((a) => a.type !== "issuePermit");
    const r = assessReadiness("health-hazard-licence", d);
    expect(statusOf(r, "electronicResult")).toBe("notMet");
    expect(statusOf(r, "publicRegistry")).toBe("notMet");
    expect(criterion(r, "publicRegistry").why.en).toContain("s.13");
  });

  it("a permit that need not be displayed: the public registry does not apply", () => {
    const d = definition("health-hazard-licence");
    d.manifest.permit!.displayRequired = false;
    const r = assessReadiness("x", d);
    expect(statusOf(r, "publicRegistry")).toBe("notApplicable");
    expect(criterion(r, "publicRegistry").why.en).toBe("This service's permit need not be displayed publicly");
  });

  it("a petition answered without a letter fails the electronic result, naming the step", () => {
    const d = definition("general-petition");
    const answer = d.workflow.states.inProgress!.on!.ANSWER as { actions: { type: string }[] };
    answer.actions = answer.actions.filter((a) => a.type !== "issueResult");
    const r = assessReadiness("general-petition", d);
    expect(statusOf(r, "electronicResult")).toBe("notMet");
    expect(criterion(r, "electronicResult").why.en).toContain("inProgress → ANSWER");
    // Its declared initial level needs only the channel and the receipt.
    expect(r).toMatchObject({ reachedLevel: "initial", meetsDeclared: true });
  });

  it("a form without fields has no online channel: below the initial level", () => {
    const d = definition("general-petition");
    d.form.schema = { type: "object", properties: {} };
    const r = assessReadiness("general-petition", d);
    expect(statusOf(r, "onlineChannel")).toBe("notMet");
    expect(r).toMatchObject({ reachedLevel: "none", meetsDeclared: false });
  });

  it("a workflow staff never act in is not electronic processing", () => {
    const d = definition("general-petition");
    for (const state of Object.values(d.workflow.states)) {
      for (const t of Object.values(state.on ?? {})) for (const one of [t].flat()) one.meta.roles = ["applicant"];
    }
    expect(statusOf(assessReadiness("x", d), "electronicProcessing")).toBe("notMet");
  });
});

describe("the use shown beside each criterion", () => {
  it("counts of filings, receipts, decisions, documents and payments", () => {
    const r = assessReadiness("health-hazard-licence", definition("health-hazard-licence"), {
      filedOnline: 12,
      decided: 7,
      receiptsIssued: 12,
      lettersIssued: 7,
      permitsIssued: 5,
      paymentsRecorded: 1,
    });
    expect(criterion(r, "onlineChannel").evidence?.en).toBe("12 applications filed online");
    expect(criterion(r, "electronicReceipt").evidence?.en).toBe("12 receipts issued");
    expect(criterion(r, "electronicResult").evidence?.en).toBe("7 cases decided · 7 result letters · 5 permits");
    expect(criterion(r, "publicRegistry").evidence?.en).toBe("5 permits in the public registry");
    expect(criterion(r, "electronicPayment").evidence?.en).toBe("1 payment recorded");
    expect(criterion(r, "electronicPayment").evidence?.th).toBe("บันทึกการชำระแล้ว 1 รายการ");
  });
});

describe("counting a service's use from its cases", () => {
  it("counts every filing, decisions other than withdrawn or referred, and the documents each case issued", () => {
    const cases = [
      { status: "done", outcome: "approved", effects: [{ type: "sendReceipt" }, { type: "recordPayment" }, { type: "issuePermit" }, { type: "issueResult" }] },
      { status: "done", outcome: "withdrawn", effects: [{ type: "sendReceipt" }] },
      { status: "done", outcome: "referred", effects: [{ type: "sendReceipt" }, { type: "referToAgency" }] },
      { status: "active", effects: [{ type: "sendReceipt" }, { type: "notifyApplicant" }] },
    ];
    const use = cases.reduce(addCaseToUse, NO_USE);
    expect(use).toEqual({ filedOnline: 4, decided: 1, receiptsIssued: 4, lettersIssued: 1, permitsIssued: 1, paymentsRecorded: 1 });
    expect(NO_USE.filedOnline).toBe(0);
  });
});
