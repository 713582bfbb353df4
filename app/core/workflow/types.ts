import type { LocalizedText } from "../text";
import type { ActionName } from "./catalogue";

export type Role = "applicant" | "officer" | "inspector" | "approver" | "cashier";
export const STAFF_ROLES = ["officer", "inspector", "approver", "cashier"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type NamedRef = { type: string; params?: Record<string, unknown> };
/** An action a transition runs: by its catalogue name (definitions are validated against the catalogue on load). */
export type ActionRef = { type: ActionName; params?: Record<string, unknown> };

export type TransitionConfig = {
  target: string;
  guard?: NamedRef;
  actions?: ActionRef[];
  meta: {
    roles: Role[];
    label: LocalizedText;
    commentRequired?: boolean;
    tone?: "primary" | "neutral" | "danger";
    /** Four eyes: events whose earlier actors on the same case may not take this transition. */
    differentActorFrom?: string[];
  };
};

export type StateConfig = {
  type?: "final";
  meta: {
    label: LocalizedText;
    description?: LocalizedText;
    slaDays?: number;
    pausesSla?: boolean;
    outcome?: "approved" | "rejected" | "answered" | "withdrawn" | "referred";
  };
  on?: Record<string, TransitionConfig | TransitionConfig[]>;
};

export type WorkflowConfig = {
  id: string;
  initial: string;
  states: Record<string, StateConfig>;
};

export function transitionsOf(state: StateConfig | undefined): [string, TransitionConfig][] {
  if (!state?.on) return [];
  return Object.entries(state.on).flatMap(([event, t]) =>
    (Array.isArray(t) ? t : [t]).map((one) => [event, one] as [string, TransitionConfig]),
  );
}

/** Every event name the workflow handles, in the order the states declare them. */
export function eventNamesOf(config: WorkflowConfig): string[] {
  return [...new Set(Object.values(config.states).flatMap((s) => Object.keys(s.on ?? {})))];
}
