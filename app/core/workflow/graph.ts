import { getInitialSnapshot, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from "xstate";
import { getShortestPaths, getSimplePaths } from "xstate/graph";
import { setAt } from "../json-pointer";
import { buildMachine } from "./runner";
import type { ActionName } from "./catalogue";
import { transitionsOf, type NamedRef, type WorkflowConfig } from "./types";

/*
 * Graph analysis of a workflow on the real XState machine (buildMachine) with xstate/graph. Guards read
 * the case's form data (context.data), which a traversal cannot vary, so a workflow is traversed once per
 * "data variant": for every field a guard reads, values that make the guard true and values that make it
 * false, combined across fields. A state counts as reachable when some variant reaches it.
 * Pure: no I/O, usable in the browser (the definition editor) and in tests.
 */

export type Data = Record<string, unknown>;

function otherThan(value: unknown): unknown {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1;
  if (typeof value === "string") return `${value}~other`;
  return "~other";
}

/** Values of the guard's field that make it true and false (undefined = field left empty). */
export function witnessValues(guard: NamedRef): { field: string; values: unknown[] } {
  const p = guard.params ?? {};
  const field = String(p.field);
  switch (guard.type) {
    case "fieldEquals":
    case "fieldNotEquals":
      return { field, values: [p.value, otherThan(p.value), undefined] };
    case "fieldGreaterThan":
    case "fieldAtMost":
      return { field, values: [Number(p.value), Number(p.value) + 1] };
    case "fieldIn":
      return { field, values: [...(p.values as unknown[]), "~none", undefined] };
    case "fieldIsSet":
      return { field, values: ["x", undefined] };
    default:
      throw new Error(`workflow graph analysis has no witness values for guard "${guard.type}": add them to app/core/workflow/graph.ts`);
  }
}

export const MAX_DATA_VARIANTS = 512;

/** Every combination of the guards' witness values (the form data the traversal is run with). */
export function dataVariants(workflow: WorkflowConfig): Data[] {
  const byField = new Map<string, unknown[]>();
  for (const state of Object.values(workflow.states)) {
    for (const [, t] of transitionsOf(state)) {
      if (!t.guard) continue;
      const { field, values } = witnessValues(t.guard);
      const known = byField.get(field) ?? [];
      for (const v of values) if (!known.some((k) => Object.is(k, v))) known.push(v);
      byField.set(field, known);
    }
  }
  let variants: Data[] = [{}];
  for (const [field, values] of byField) {
    variants = variants.flatMap((data) => values.map((v) => (v === undefined ? data : setAt(data, field, v))));
    if (variants.length > MAX_DATA_VARIANTS) throw new Error(`${workflow.id}: too many guard combinations (${variants.length})`);
  }
  return variants;
}

/** Every event type the workflow handles, sorted. */
export function eventsOf(workflow: WorkflowConfig): EventObject[] {
  const types = new Set(Object.values(workflow.states).flatMap((s) => Object.keys(s.on ?? {})));
  return [...types].sort().map((type) => ({ type }));
}

export const isDone = (snapshot: AnyMachineSnapshot) => snapshot.status === "done";

export type ReachedVariant = { data: Data; paths: ReturnType<typeof getShortestPaths> };

export type WorkflowGraph = {
  machine: AnyStateMachine;
  events: EventObject[];
  variants: Data[];
  /** Shortest paths from the initial state to every state reachable under each data variant. */
  reached: ReachedVariant[];
};

export function analyseWorkflow(workflow: WorkflowConfig): WorkflowGraph {
  const machine = buildMachine(workflow);
  const events = eventsOf(workflow);
  const variants = dataVariants(workflow);
  const reached = variants.map((data) => ({ data, paths: getShortestPaths(machine, { input: { data }, events }) }));
  return { machine, events, variants, reached };
}

/** Names of the states some data variant reaches from the initial state. */
export function reachableStates(graph: WorkflowGraph): Set<string> {
  return new Set(graph.reached.flatMap(({ paths }) => paths.map((p) => String(p.state.value))));
}

/** Reached non-final states from which no final state can be reached, with the data variant. */
export function stuckStates(graph: WorkflowGraph): { state: string; data: Data }[] {
  const stuck: { state: string; data: Data }[] = [];
  for (const { data, paths } of graph.reached) {
    for (const { state } of paths) {
      if (isDone(state)) continue;
      const toEnd = getShortestPaths(graph.machine, { fromState: state, events: graph.events, toState: isDone });
      if (toEnd.length === 0) stuck.push({ state: String(state.value), data });
    }
  }
  return stuck;
}

/** Transitions of the machine that no reached state can take under any variant ("state --EVENT[i]-->"). */
export function untakenTransitions(graph: WorkflowGraph): string[] {
  const taken = new Set<unknown>();
  for (const { paths } of graph.reached) {
    for (const { state } of paths) {
      if (isDone(state)) continue;
      for (const event of graph.events) for (const t of graph.machine.getTransitionData(state, event)) taken.add(t);
    }
  }
  const never: string[] = [];
  for (const [name, node] of Object.entries(graph.machine.root.states)) {
    for (const [eventType, list] of node.transitions) {
      list.forEach((t, i) => {
        if (!taken.has(t)) never.push(`${name} --${eventType}[${i}]-->`);
      });
    }
  }
  return never;
}

/** One simple path from the initial state to a final state. */
export type FinishingPath = { data: Data; states: string[]; events: string[]; actions: string[]; end: string };

/** The simple paths to a final state under every variant, each with the catalogue actions its transitions run. */
export function finishingPaths(graph: WorkflowGraph): FinishingPath[] {
  const { machine, events } = graph;
  return graph.variants.flatMap((data) =>
    getSimplePaths(machine, { input: { data }, events, toState: isDone }).map((p) => {
      const actions: string[] = [];
      for (let i = 1; i < p.steps.length; i++) {
        const [, run] = transition(machine, p.steps[i - 1].state, p.steps[i].event);
        actions.push(...run.map((a) => a.type));
      }
      return {
        data,
        states: p.steps.map((s) => String(s.state.value)),
        events: p.steps.slice(1).map((s) => s.event.type),
        actions,
        end: String(p.state.value),
      };
    }),
  );
}

/**
 * A reached state and event whose transition runs the given action under some variant (first found,
 * shortest path first), or undefined.
 */
export function findTransitionRunning(graph: WorkflowGraph, action: ActionName): { state: string; event: string; data: Data } | undefined {
  for (const { data, paths } of graph.reached) {
    for (const { state } of paths) {
      if (isDone(state)) continue;
      for (const event of graph.events) {
        if (graph.machine.getTransitionData(state, event).length === 0) continue;
        const [, run] = transition(graph.machine, state, event);
        if (run.some((a) => (a.type as string) === action)) return { state: String(state.value), event: event.type, data };
      }
    }
  }
  return undefined;
}

/** A transition that issues the permit on some path before the fee was asked for and its payment recorded. */
export type UnpaidPermit = {
  state: string;
  event: string;
  /** Index of the alternative among the state's transitions for the event (guarded lists). */
  index: number;
  /** The shortest such path: its states (ending with the issuing transition's target) and events. */
  states: string[];
  events: string[];
  /** "not-requested": no requestPayment before it; "not-paid": asked for, but no recordPayment after the request. */
  stage: "not-requested" | "not-paid";
  data: Data;
};

/**
 * Every transition running issuePermit that some path reaches without having passed a transition running
 * requestPayment and, after it, one running recordPayment (recordPayment may sit on the issuing transition itself,
 * before issuePermit). A breadth-first search over (state, payment stage) per data variant: exact with loops
 * (a correction round after the payment) and with guards, unlike the simple paths to a final state.
 */
export function unpaidPermits(graph: WorkflowGraph): UnpaidPermit[] {
  const { machine, events } = graph;
  const found = new Map<string, UnpaidPermit>();
  type Stage = 0 | 1 | 2; // 0 nothing asked, 1 asked for, 2 paid after being asked for
  for (const data of graph.variants) {
    const start = getInitialSnapshot(machine, { data });
    const queue: { snapshot: AnyMachineSnapshot; stage: Stage; states: string[]; events: string[] }[] = [
      { snapshot: start, stage: 0, states: [String(start.value)], events: [] },
    ];
    const seen = new Set([`${String(start.value)}|0`]);
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (isDone(node.snapshot)) continue;
      const from = String(node.snapshot.value);
      for (const event of events) {
        const taken = machine.getTransitionData(node.snapshot, event);
        if (taken.length === 0) continue;
        const [next, run] = transition(machine, node.snapshot, event);
        const states = [...node.states, String(next.value)];
        const path = [...node.events, event.type];
        let stage = node.stage;
        for (const action of run) {
          const type = action.type as string;
          if (type === "requestPayment") stage = 1;
          else if (type === "recordPayment" && stage === 1) stage = 2;
          else if (type === "issuePermit" && stage !== 2) {
            const index = (machine.root.states[from]?.transitions.get(event.type) ?? []).indexOf(taken[0]);
            const key = `${from}|${event.type}|${index}`;
            const known = found.get(key);
            if (!known || path.length < known.events.length) {
              found.set(key, { state: from, event: event.type, index, states, events: path, stage: stage === 0 ? "not-requested" : "not-paid", data });
            }
          }
        }
        const key = `${String(next.value)}|${stage}`;
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push({ snapshot: next, stage, states, events: path });
      }
    }
  }
  return [...found.values()];
}
