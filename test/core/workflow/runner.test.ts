import { describe, expect, it } from "vitest";
import { isAppError } from "~/core/errors";
import { ACTION_NAMES, ACTIONS, issuesDocument, isEffectName } from "~/core/workflow/catalogue";
import { availableEvents, fireEvent, startWorkflow } from "~/core/workflow/runner";
import type { ActingParty } from "~/core/workflow/separation-of-duties";
import { simulateWorkflow } from "~/core/workflow/simulate";
import type { WorkflowConfig } from "~/core/workflow/types";
import healthHazard from "../../../workflows/health-hazard-licence.workflow.json";

/** The pure runner, without a database: what a case may do next, what a step does, and the simulator. */
const label = (en: string) => ({ th: en, en });
const workflow: WorkflowConfig = {
  id: "small-licence",
  initial: "received",
  states: {
    received: {
      meta: { label: label("Received"), slaDays: 2 },
      on: {
        REQUEST_MISSING: { target: "waiting", actions: [{ type: "requestMissingItems" }], meta: { roles: ["officer"], label: label("Ask for more") } },
        ACCEPT: [
          { target: "inspection", guard: { type: "fieldGreaterThan", params: { field: "/areaSqm", value: 200 } }, meta: { roles: ["officer"], label: label("Accept (large)") } },
          { target: "approval", meta: { roles: ["officer"], label: label("Accept (small)") } },
        ],
      },
    },
    waiting: {
      meta: { label: label("Waiting for the applicant"), pausesSla: true },
      on: { RESUBMIT: { target: "received", actions: [{ type: "acceptResubmission" }], meta: { roles: ["applicant"], label: label("Send corrections") } } },
    },
    inspection: {
      meta: { label: label("Inspection") },
      on: { RECORD_INSPECTION: { target: "approval", meta: { roles: ["inspector"], label: label("Record the inspection") } } },
    },
    approval: {
      meta: { label: label("Approval") },
      on: {
        APPROVE: {
          target: "approved",
          actions: [{ type: "issuePermit" }, { type: "notifyApplicant" }],
          meta: { roles: ["approver"], label: label("Approve"), tone: "primary", differentActorFrom: ["RECORD_INSPECTION"] },
        },
        REJECT: {
          target: "rejected",
          actions: [{ type: "issueResult", params: { kind: "rejection" } }],
          meta: { roles: ["approver"], label: label("Reject"), commentRequired: true, tone: "danger" },
        },
      },
    },
    approved: { type: "final", meta: { label: label("Approved"), outcome: "approved" } },
    rejected: { type: "final", meta: { label: label("Rejected"), outcome: "rejected" } },
  },
};

const history: { event: string; actor: string }[] = [];
const party = (roles: ActingParty["roles"], actor = "staff-1"): ActingParty => ({ roles, actor, filer: "citizen-1", history });
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return "no error";
};

describe("the workflow runner (pure)", () => {
  it("starts in the initial state with no effects", () => {
    const started = startWorkflow(workflow, { areaSqm: 50 });
    expect(started.stateValue).toBe("received");
    expect(started.effects).toEqual([]);
  });

  it("starts each definition once: every start equals a fresh one and is the caller's own copy", () => {
    const first = startWorkflow(workflow, { areaSqm: 50 });
    const fresh = JSON.parse(JSON.stringify(first)) as typeof first;
    // A caller changing what it was given (the case document built from it) changes no later start.
    first.snapshot.value = "approval";
    first.effects.push({ type: "notifyApplicant", params: {} });
    const second = startWorkflow(workflow, { areaSqm: 900 });
    expect(second).toEqual(fresh);
    expect(second.snapshot).not.toBe(first.snapshot);
    expect(second.effects).not.toBe(first.effects);
  });

  it("starts a definition whose start reads the data on its data every time", () => {
    // Not a shape the meta-schema allows (an eventless guarded transition out of the initial state): if one ever
    // came through, its start would depend on the data, so it is not computed once.
    const branching = {
      id: "branching",
      initial: "sorting",
      states: {
        sorting: { meta: { label: label("Sorting") }, always: [{ target: "large", guard: { type: "fieldGreaterThan", params: { field: "/areaSqm", value: 200 } } }, { target: "small" }] },
        large: { type: "final", meta: { label: label("Large") } },
        small: { type: "final", meta: { label: label("Small") } },
      },
    } as unknown as WorkflowConfig;
    expect(startWorkflow(branching, { areaSqm: 300 }).stateValue).toBe("large");
    expect(startWorkflow(branching, { areaSqm: 100 }).stateValue).toBe("small");
    expect(startWorkflow(branching, { areaSqm: 300 }).stateValue).toBe("large");
  });

  it("lists only the events the party's roles allow, with the actions each runs", () => {
    const { snapshot } = startWorkflow(workflow, { areaSqm: 50 });
    expect(availableEvents(workflow, snapshot, { areaSqm: 50 }, party(["officer"])).map((e) => [e.type, e.target, e.actions])).toEqual([
      ["REQUEST_MISSING", "waiting", ["requestMissingItems"]],
      ["ACCEPT", "approval", []],
    ]);
    expect(availableEvents(workflow, snapshot, { areaSqm: 50 }, party(["inspector"]))).toEqual([]);
    // The filer sees no staff event on their own case, whatever roles their account has.
    expect(availableEvents(workflow, snapshot, {}, party(["officer"], "citizen-1"))).toEqual([]);
  });

  it("takes the guarded branch the form data selects", () => {
    const { snapshot } = startWorkflow(workflow, {});
    expect(fireEvent(workflow, snapshot, { areaSqm: 250 }, { type: "ACCEPT" }, party(["officer"])).stateValue).toBe("inspection");
    expect(fireEvent(workflow, snapshot, { areaSqm: 200 }, { type: "ACCEPT" }, party(["officer"])).stateValue).toBe("approval");
  });

  it("returns the catalogue's effects with their params, and says when the case is done", () => {
    const atApproval = fireEvent(workflow, startWorkflow(workflow, {}).snapshot, {}, { type: "ACCEPT" }, party(["officer"])).snapshot;
    const approved = fireEvent(workflow, atApproval, {}, { type: "APPROVE" }, party(["approver"]));
    expect(approved).toMatchObject({ stateValue: "approved", done: true, role: "approver" });
    expect(approved.effects).toEqual([{ type: "issuePermit", params: {} }, { type: "notifyApplicant", params: {} }]);
    const rejected = fireEvent(workflow, atApproval, {}, { type: "REJECT", comment: "Too close to a school" }, party(["approver"]));
    expect(rejected.effects).toEqual([{ type: "issueResult", params: { kind: "rejection" } }]);
  });

  it("refuses an event of another step, another role, a missing comment and the inspector approving their own inspection", () => {
    const { snapshot } = startWorkflow(workflow, {});
    expect(codeOf(() => fireEvent(workflow, snapshot, {}, { type: "APPROVE" }, party(["approver"])))).toBe("EVENT_NOT_ALLOWED");
    expect(codeOf(() => fireEvent(workflow, snapshot, {}, { type: "ACCEPT" }, party(["inspector"])))).toBe("ROLE_NOT_ALLOWED");
    const atInspection = fireEvent(workflow, snapshot, { areaSqm: 300 }, { type: "ACCEPT" }, party(["officer"])).snapshot;
    const atApproval = fireEvent(workflow, atInspection, { areaSqm: 300 }, { type: "RECORD_INSPECTION" }, party(["inspector", "approver"], "both")).snapshot;
    expect(codeOf(() => fireEvent(workflow, atApproval, {}, { type: "REJECT", comment: "  " }, party(["approver"])))).toBe("COMMENT_REQUIRED");
    const inspected = { ...party(["inspector", "approver"], "both"), history: [{ event: "RECORD_INSPECTION", actor: "both" }] };
    expect(codeOf(() => fireEvent(workflow, atApproval, {}, { type: "APPROVE" }, inspected))).toBe("SEPARATION_OF_DUTIES");
    expect(availableEvents(workflow, atApproval, {}, inspected).map((e) => e.type)).toEqual(["REJECT"]);
  });

  it("simulates the health-hazard licence to a permit, and stops where four eyes forbid a step", () => {
    const config = healthHazard as unknown as WorkflowConfig;
    const events = Object.values(config.states).flatMap((s) => Object.keys(s.on ?? {}));
    expect(events.length).toBeGreaterThan(3);
    const trace = simulateWorkflow(config, {}, []);
    expect(trace.start.state).toBe(config.initial);
    expect(trace.start.events.length).toBeGreaterThan(0);
    // The first event offered to staff is taken by a role that may take it.
    const first = trace.start.events[0]!;
    const stepped = simulateWorkflow(config, {}, [{ event: first.type, role: first.roles[0]! }]);
    expect(stepped.stoppedAt).toBeUndefined();
    expect(stepped.steps[0]).toMatchObject({ event: first.type, from: config.initial, state: first.target });
    const refused = simulateWorkflow(config, {}, [{ event: "NO_SUCH_EVENT", role: "officer" }]);
    expect(refused.stoppedAt).toMatchObject({ step: 0, code: "EVENT_NOT_ALLOWED" });
  });
});

describe("the action catalogue", () => {
  it("gives every action a label in both languages, a params schema and where it applies", () => {
    for (const name of ACTION_NAMES) {
      const spec = ACTIONS[name];
      expect(spec.label.th && spec.label.en, name).toBeTruthy();
      expect(spec.params, name).toMatchObject({ type: "object" });
      expect(["transition", "effect"], name).toContain(spec.appliesIn);
    }
    expect(isEffectName("sendReceipt")).toBe(true);
    expect(isEffectName("constructor")).toBe(false);
    expect(ACTION_NAMES.filter(issuesDocument).sort()).toEqual(["issuePermit", "issueResult", "recordPayment", "referToAgency"]);
  });
});
