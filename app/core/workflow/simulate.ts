import { isAppError } from "../errors";
import type { LocalizedText } from "../text";
import { availableEvents, fireEvent, startWorkflow, type AvailableEvent, type Effect } from "./runner";
import type { ActingParty } from "./separation-of-duties";
import { transitionsOf, type Role, type WorkflowConfig } from "./types";

/**
 * One simulated step. Each role is played by one person unless `actor` names another (e.g. "officer 2"), so
 * the four-eyes rules apply as they would to real people; the applicant is the one who filed.
 */
export type SimulationStep = { event: string; role: Role; comment?: string; actor?: string };

type SimulatedState = { state: string; label: LocalizedText | undefined; final: boolean; effects: Effect[]; events: AvailableEvent[] };

export type SimulationTrace = {
  start: SimulatedState;
  steps: (SimulatedState & { event: string; role: Role; from: string })[];
  /** The first step that could not be taken, and why; later steps are not tried. */
  stoppedAt?: { step: number; code: string; message: LocalizedText };
};

/** Every role the workflow names, so that the simulator can show each role's choices. */
export function workflowRoles(config: WorkflowConfig): Role[] {
  const roles = new Set<Role>();
  for (const state of Object.values(config.states)) for (const [, t] of transitionsOf(state)) for (const r of t.meta?.roles ?? []) roles.add(r);
  return [...roles];
}

/**
 * Steps through a workflow with form data as a case would, through the same pure runner, without storing
 * anything: the state after each step, the events each role could send there, and the effects a step would
 * cause (letters, permits, notices).
 */
export function simulateWorkflow(config: WorkflowConfig, data: Record<string, unknown>, steps: SimulationStep[]): SimulationTrace {
  const roles = workflowRoles(config);
  const history: ActingParty["history"][number][] = [{ event: "SUBMIT", actor: APPLICANT }];
  const partyOf = (role: Role, actor?: string): ActingParty => ({ roles: [role], actor: actor ?? personPlaying(role), filer: APPLICANT, history });
  const describe = (snapshot: ReturnType<typeof startWorkflow>["snapshot"], effects: Effect[]): SimulatedState => {
    const state = String(snapshot.value);
    return {
      state,
      label: config.states[state]?.meta.label,
      final: config.states[state]?.type === "final",
      effects,
      events: eventsForEachRole(config, snapshot, data, roles, partyOf),
    };
  };
  const started = startWorkflow(config, data);
  const trace: SimulationTrace = { start: describe(started.snapshot, started.effects), steps: [] };
  let snapshot = started.snapshot;
  for (const [i, step] of steps.entries()) {
    try {
      const outcome = fireEvent(config, snapshot, data, { type: step.event, comment: step.comment }, partyOf(step.role, step.actor));
      history.push({ event: step.event, actor: step.actor ?? personPlaying(step.role) });
      trace.steps.push({ ...describe(outcome.snapshot, outcome.effects), event: step.event, role: step.role, from: String(snapshot.value) });
      snapshot = outcome.snapshot;
    } catch (error) {
      if (!isAppError(error)) throw error;
      trace.stoppedAt = { step: i, code: error.code, message: error.text };
      break;
    }
  }
  return trace;
}

const APPLICANT = personPlaying("applicant");

function personPlaying(role: Role): string {
  return `simulated ${role}`;
}

/** The events some role may send now, each listing only the roles whose (simulated) person may take it. */
function eventsForEachRole(
  config: WorkflowConfig,
  snapshot: ReturnType<typeof startWorkflow>["snapshot"],
  data: Record<string, unknown>,
  roles: Role[],
  partyOf: (role: Role) => ActingParty,
): AvailableEvent[] {
  const byType = new Map<string, AvailableEvent>();
  for (const role of roles) {
    for (const event of availableEvents(config, snapshot, data, partyOf(role))) {
      const known = byType.get(event.type);
      if (known) known.roles = [...known.roles, role];
      else byType.set(event.type, { ...event, roles: [role] });
    }
  }
  const order = Object.keys(config.states[String(snapshot.value)]?.on ?? {});
  return [...byType.values()].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}
