import { describe, expect, it } from "vitest";
import { transition, type AnyMachineSnapshot, type EventObject } from "xstate";
import { getShortestPaths, getSimplePaths } from "xstate/graph";
import { setAt } from "~/core/json-pointer";
import { buildMachine } from "~/core/workflow/runner";
import { transitionsOf, type NamedRef, type WorkflowConfig } from "~/core/workflow/types";
import { loadRepositoryDefinitions } from "~/services/load-repository-definitions.server";

/*
 * Properties of every workflow in the repository, proved on the real XState machine (buildMachine)
 * with xstate/graph. Guards read the case's form data (context.data), which a traversal cannot vary, so
 * each workflow is traversed once per "data variant": for every field a guard reads, values that make
 * the guard true and values that make it false, combined across fields. A state counts as reachable
 * when some variant reaches it; "can finish" is checked from every state each variant reaches.
 */

type Data = Record<string, unknown>;

function otherThan(value: unknown): unknown {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1;
  if (typeof value === "string") return `${value}~other`;
  return "~other";
}

/** Values of the guard's field that make it true and false (undefined = field left empty). */
function witnessValues(guard: NamedRef): { field: string; values: unknown[] } {
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
      throw new Error(`graph-properties test has no witness values for guard "${guard.type}": add them here`);
  }
}

function dataVariants(workflow: WorkflowConfig): Data[] {
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
  }
  if (variants.length > 512) throw new Error(`${workflow.id}: too many guard combinations (${variants.length})`);
  return variants;
}

function eventsOf(workflow: WorkflowConfig): EventObject[] {
  const types = new Set(Object.values(workflow.states).flatMap((s) => Object.keys(s.on ?? {})));
  return [...types].sort().map((type) => ({ type }));
}

const isDone = (snapshot: AnyMachineSnapshot) => snapshot.status === "done";

const loaded = loadRepositoryDefinitions().definitions.map(({ definition }) => ({
  id: definition.manifest.id,
  issuesPermit: definition.manifest.issuesPermit,
  workflow: definition.workflow,
}));

describe.each(loaded)("workflow $id", ({ workflow, issuesPermit }) => {
  const machine = buildMachine(workflow);
  const events = eventsOf(workflow);
  const variants = dataVariants(workflow);
  /** Shortest paths from the initial state to every state reachable under each data variant. */
  const reached = variants.map((data) => ({
    data,
    paths: getShortestPaths(machine, { input: { data }, events }),
  }));

  it("reaches every state from the initial state", () => {
    const seen = new Set(reached.flatMap(({ paths }) => paths.map((p) => String(p.state.value))));
    const unreachable = Object.keys(workflow.states).filter((s) => !seen.has(s));
    expect(unreachable).toEqual([]);
  });

  it("can reach a final state from every state that is not final", () => {
    const stuck: string[] = [];
    for (const { data, paths } of reached) {
      for (const { state } of paths) {
        if (isDone(state)) continue;
        const toEnd = getShortestPaths(machine, { fromState: state, events, toState: isDone });
        if (toEnd.length === 0) stuck.push(`${String(state.value)} with data ${JSON.stringify(data)}`);
      }
    }
    expect(stuck).toEqual([]);
  });

  it("can take every transition of the definition, each guarded branch included", () => {
    const taken = new Set<unknown>();
    for (const { paths } of reached) {
      for (const { state } of paths) {
        if (isDone(state)) continue;
        for (const event of events) for (const t of machine.getTransitionData(state, event)) taken.add(t);
      }
    }
    const never: string[] = [];
    for (const [name, node] of Object.entries(machine.root.states)) {
      for (const [eventType, list] of node.transitions) {
        list.forEach((t, i) => {
          if (!taken.has(t)) never.push(`${name} --${eventType}[${i}]-->`);
        });
      }
    }
    expect(never).toEqual([]);
  });

  /** The simple paths to a final state, each with the catalogue actions its transitions run. */
  const finishingPaths = () =>
    variants.flatMap((data) =>
      getSimplePaths(machine, { input: { data }, events, toState: isDone }).map((p) => {
        const actions: string[] = [];
        for (let i = 1; i < p.steps.length; i++) {
          const [, run] = transition(machine, p.steps[i - 1].state, p.steps[i].event);
          actions.push(...run.map((a) => a.type));
        }
        return { end: String(p.state.value), events: p.steps.slice(1).map((s) => s.event.type), actions };
      }),
    );

  if (issuesPermit) {
    it("has a path to an approved final state whose transitions run issuePermit", () => {
      const issuing = finishingPaths().filter((p) => p.actions.includes("issuePermit"));
      expect(issuing.length).toBeGreaterThan(0);
      for (const p of issuing) {
        expect(workflow.states[p.end].meta.outcome, p.events.join(" → ")).toBe("approved");
      }
    });
  } else {
    it("never runs issuePermit on any path", () => {
      const paths = finishingPaths();
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter((p) => p.actions.includes("issuePermit"))).toEqual([]);
    });
  }
});
