import { describe, expect, it } from "vitest";
import { actingOnCase, type Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import { availableEvents, fireEvent, startWorkflow, type PersistedSnapshot } from "~/core/workflow/runner";
import type { ActingParty } from "~/core/workflow/separation-of-duties";
import { simulateWorkflow } from "~/core/workflow/simulate";
import type { Role, WorkflowConfig } from "~/core/workflow/types";
import { repositoryDefinition } from "../../support/definitions";

/** health-hazard-licence: completenessCheck -ACCEPT-> inspection -RECORD_INSPECTION-> decision -APPROVE (≠ ACCEPT, RECORD_INSPECTION)-> awaitingFee. */
const workflow: WorkflowConfig = repositoryDefinition("health-hazard-licence").workflow;
const data = {};

type Step = { event: string; actor: string; roles: Role[]; comment?: string };

/** A case filed by `filer`, moved through `steps`; returns its snapshot and history as the store would keep them. */
function caseAfter(filer: string, steps: Step[]) {
  let snapshot: PersistedSnapshot = startWorkflow(workflow, data).snapshot;
  const history: ActingParty["history"][number][] = [{ event: "SUBMIT", actor: filer }];
  for (const step of steps) {
    snapshot = fireEvent(workflow, snapshot, data, { type: step.event, comment: step.comment }, party(filer, history, step.actor, step.roles)).snapshot;
    history.push({ event: step.event, actor: step.actor });
  }
  return { snapshot, history, as: (actor: string, roles: Role[]) => party(filer, history, actor, roles) };
}

function party(filer: string, history: ActingParty["history"], actor: string, roles: Role[]): ActingParty {
  return { roles: actor === filer ? ["applicant", ...roles] : roles, actor, filer, history: [...history] };
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the transition to be refused");
}

const ACCEPTED: Step = { event: "ACCEPT", actor: "officer-1", roles: ["officer"] };
const INSPECTED: Step = { event: "RECORD_INSPECTION", actor: "inspector-1", roles: ["inspector"], comment: "ผ่าน" };

describe("the filer never acts as staff on their own case", () => {
  it("refuses a staff transition to an approver who filed the case, naming the rule", () => {
    const filed = caseAfter("approver-1", [ACCEPTED, INSPECTED]);
    const error = refusal(() => fireEvent(workflow, filed.snapshot, data, { type: "APPROVE" }, filed.as("approver-1", ["approver"])));
    expect(error.code).toBe("SEPARATION_OF_DUTIES");
    expect(error.details).toEqual({ rule: "filer", event: "APPROVE" });
    expect(error.text.en).toContain("separation of duties");
    expect(error.text.th).toContain("แบ่งแยกหน้าที่");
  });

  it("refuses the intake step to an API key that filed the case", () => {
    const filed = caseAfter("api-key-1", []);
    const error = refusal(() => fireEvent(workflow, filed.snapshot, data, { type: "ACCEPT" }, filed.as("api-key-1", ["officer"])));
    expect(error.code).toBe("SEPARATION_OF_DUTIES");
  });

  it("lets the filer act as the applicant, and records that role", () => {
    const filed = caseAfter("officer-2", [{ event: "REQUEST_MISSING", actor: "officer-1", roles: ["officer"], comment: "ขาดแผนที่" }]);
    const outcome = fireEvent(workflow, filed.snapshot, data, { type: "WITHDRAW" }, filed.as("officer-2", ["officer"]));
    expect(outcome.stateValue).toBe("withdrawn");
    expect(outcome.role).toBe("applicant");
  });

  it("offers the filer no staff events, and another officer the intake events", () => {
    const filed = caseAfter("officer-2", []);
    expect(availableEvents(workflow, filed.snapshot, data, filed.as("officer-2", ["officer", "inspector"]))).toEqual([]);
    expect(availableEvents(workflow, filed.snapshot, data, filed.as("officer-1", ["officer"])).map((e) => e.type)).toEqual(["ACCEPT", "REQUEST_MISSING"]);
  });

  it("still answers ROLE_NOT_ALLOWED to a citizen filer who holds no staff role", () => {
    const filed = caseAfter("citizen-1", []);
    const error = refusal(() => fireEvent(workflow, filed.snapshot, data, { type: "ACCEPT" }, filed.as("citizen-1", [])));
    expect(error.code).toBe("ROLE_NOT_ALLOWED");
  });
});

describe("differentActorFrom: approval by someone other than whoever accepted or inspected", () => {
  it("refuses the approval to the person who inspected, naming the earlier step", () => {
    const filed = caseAfter("citizen-1", [ACCEPTED, { ...INSPECTED, actor: "staff-3" }]);
    const error = refusal(() => fireEvent(workflow, filed.snapshot, data, { type: "APPROVE" }, filed.as("staff-3", ["inspector", "approver"])));
    expect(error.code).toBe("SEPARATION_OF_DUTIES");
    expect(error.details).toEqual({ rule: "differentActorFrom", event: "APPROVE", differentActorFrom: ["RECORD_INSPECTION"] });
    expect(error.text.en).toContain('"Record findings — propose decision"');
    expect(error.text.th).toContain('"บันทึกผลการตรวจ เสนอพิจารณา"');
  });

  it("refuses the approval to the person who accepted the application", () => {
    const filed = caseAfter("citizen-1", [{ ...ACCEPTED, actor: "staff-3" }, INSPECTED]);
    const error = refusal(() => fireEvent(workflow, filed.snapshot, data, { type: "APPROVE" }, filed.as("staff-3", ["officer", "approver"])));
    expect(error.details).toMatchObject({ differentActorFrom: ["ACCEPT"] });
  });

  it("allows the approval to a different person", () => {
    const filed = caseAfter("citizen-1", [ACCEPTED, INSPECTED]);
    const outcome = fireEvent(workflow, filed.snapshot, data, { type: "APPROVE" }, filed.as("approver-1", ["approver"]));
    expect(outcome.stateValue).toBe("awaitingFee");
    expect(outcome.role).toBe("approver");
  });

  it("leaves transitions without the rule to the same person (the inspector may still reject)", () => {
    const filed = caseAfter("citizen-1", [ACCEPTED, { ...INSPECTED, actor: "staff-3" }]);
    const events = availableEvents(workflow, filed.snapshot, data, filed.as("staff-3", ["inspector", "approver"]));
    expect(events.map((e) => e.type)).toEqual(["REJECT"]);
    expect(availableEvents(workflow, filed.snapshot, data, filed.as("approver-1", ["approver"])).map((e) => e.type)).toEqual(["APPROVE", "REJECT"]);
  });
});

describe("actingOnCase", () => {
  it("identifies people and API keys by id, and the filer by the case's applicant", () => {
    const key: Actor = { kind: "api", id: "k1", name: "intake", agencyId: "sukjai", roles: ["officer"] };
    const party = actingOnCase(key, {
      agencyId: "sukjai",
      applicant: { kind: "api", id: "k1" },
      history: [{ event: "SUBMIT", actor: { id: "k1" } }],
    });
    expect(party).toEqual({ roles: ["applicant", "officer"], actor: "k1", filer: "k1", history: [{ event: "SUBMIT", actor: "k1" }] });
  });
});

describe("the simulator applies the same rules", () => {
  const steps = [
    { event: "ACCEPT", role: "officer" as const },
    { event: "RECORD_INSPECTION", role: "inspector" as const, comment: "ผ่าน" },
  ];

  it("plays each role as one person, so a separate approver may approve", () => {
    const trace = simulateWorkflow(workflow, data, [...steps, { event: "APPROVE", role: "approver" }]);
    expect(trace.stoppedAt).toBeUndefined();
    expect(trace.steps.at(-1)?.state).toBe("awaitingFee");
  });

  it("stops when one named person inspects and approves", () => {
    const trace = simulateWorkflow(workflow, data, [
      steps[0],
      { ...steps[1], actor: "สมหญิง" },
      { event: "APPROVE", role: "approver", actor: "สมหญิง" },
    ]);
    expect(trace.stoppedAt).toMatchObject({ step: 2, code: "SEPARATION_OF_DUTIES" });
  });
});
