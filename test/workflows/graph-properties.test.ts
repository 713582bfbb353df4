import { describe, expect, it } from "vitest";
import { analyseWorkflow, finishingPaths, reachableStates, stuckStates, untakenTransitions } from "~/core/workflow/graph";
import { loadRepositoryDefinitions } from "~/services/load-repository-definitions.server";

/*
 * Properties of every workflow in the repository, proved on the real XState machine with xstate/graph.
 * The traversal (one pass per "data variant" of the guard fields) lives in app/core/workflow/graph.ts,
 * shared with the definition verifier (app/core/definitions/verify-definition.ts).
 */

const loaded = loadRepositoryDefinitions().definitions.map(({ definition }) => ({
  id: definition.manifest.id,
  issuesPermit: definition.manifest.issuesPermit,
  workflow: definition.workflow,
}));

describe.each(loaded)("workflow $id", ({ workflow, issuesPermit }) => {
  const graph = analyseWorkflow(workflow);

  it("reaches every state from the initial state", () => {
    const seen = reachableStates(graph);
    const unreachable = Object.keys(workflow.states).filter((s) => !seen.has(s));
    expect(unreachable).toEqual([]);
  });

  it("can reach a final state from every state that is not final", () => {
    const stuck = stuckStates(graph).map(({ state, data }) => `${state} with data ${JSON.stringify(data)}`);
    expect(stuck).toEqual([]);
  });

  it("can take every transition of the definition, each guarded branch included", () => {
    expect(untakenTransitions(graph)).toEqual([]);
  });

  if (issuesPermit) {
    it("has a path to an approved final state whose transitions run issuePermit", () => {
      const issuing = finishingPaths(graph).filter((p) => p.actions.includes("issuePermit"));
      expect(issuing.length).toBeGreaterThan(0);
      for (const p of issuing) {
        expect(workflow.states[p.end].meta.outcome, p.events.join(" → ")).toBe("approved");
      }
    });
  } else {
    it("never runs issuePermit on any path", () => {
      const paths = finishingPaths(graph);
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter((p) => p.actions.includes("issuePermit"))).toEqual([]);
    });
  }
});
