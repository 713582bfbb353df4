import type { LocalizedText } from "../text";
import { transitionsOf, type Role, type WorkflowConfig } from "../workflow/types";

export type ManualStep = {
  id: string;
  label: LocalizedText;
  description?: LocalizedText;
  slaDays?: number;
  pausesSla: boolean;
  roles: Role[];
};

/** The manual's step table, in workflow order (breadth-first from the start), without final states. */
export function manualSteps(workflow: WorkflowConfig): ManualStep[] {
  const order: string[] = [];
  const queue = [workflow.initial];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (order.includes(id) || !workflow.states[id]) continue;
    order.push(id);
    for (const [, t] of transitionsOf(workflow.states[id])) queue.push(t.target);
  }
  return order
    .filter((id) => workflow.states[id].type !== "final")
    .map((id) => {
      const state = workflow.states[id];
      const roles = [...new Set(transitionsOf(state).flatMap(([, t]) => t.meta.roles))];
      return { id, label: state.meta.label, description: state.meta.description, slaDays: state.meta.slaDays, pausesSla: Boolean(state.meta.pausesSla), roles };
    });
}
