import { createActor, initialTransition, setup, transition, type AnyStateMachine } from "xstate";
import { AppError } from "../errors";
import type { LocalizedText } from "../text";
import { ACTION_NAMES, GUARDS, isActionName, type ActionName, type CaseContext, type EffectName } from "./catalogue";
import { roleForTransition, separationOfDutiesProblem, type ActingParty } from "./separation-of-duties";
import type { Role, TransitionConfig, WorkflowConfig } from "./types";

/**
 * The pure workflow core: builds an XState machine from a definition, restores persisted snapshots and
 * computes transitions with XState's pure `transition()`. Side effects come back as data (effects).
 */
export type Effect = { type: EffectName; params: Record<string, unknown> };
/** What we persist: XState's persisted snapshot without the form data (that lives on the case). */
export type PersistedSnapshot = { status: string; value: string; [key: string]: unknown };

export type AvailableEvent = {
  type: string;
  label: LocalizedText;
  target: string;
  roles: Role[];
  commentRequired: boolean;
  tone: "primary" | "neutral" | "danger";
  /** Names of the catalogue actions this transition runs (the UI asks for missing items, etc.). */
  actions: ActionName[];
};

export type TransitionOutcome = {
  snapshot: PersistedSnapshot;
  stateValue: string;
  done: boolean;
  effects: Effect[];
  transition: TransitionConfig;
  /** The role the party took the transition in (the filer only ever as the applicant). */
  role: Role;
};

const machines = new WeakMap<WorkflowConfig, AnyStateMachine>();

const guardImplementations = Object.fromEntries(
  Object.entries(GUARDS).map(([name, entry]) => [
    name,
    ({ context }: { context: CaseContext }, params: Record<string, unknown>) => entry.test(context, params ?? {}),
  ]),
);
const actionImplementations = Object.fromEntries(ACTION_NAMES.map((name) => [name, () => undefined]));

export function buildMachine(config: WorkflowConfig): AnyStateMachine {
  const cached = machines.get(config);
  if (cached) return cached;
  const machine = setup({
    types: {} as { context: CaseContext; input: { data: Record<string, unknown> } },
    guards: guardImplementations as never,
    actions: actionImplementations as never,
  }).createMachine({
    ...(config as object),
    context: ({ input }: { input?: { data?: Record<string, unknown> } }) => ({ data: input?.data ?? {} }),
  } as never) as unknown as AnyStateMachine;
  machines.set(config, machine);
  return machine;
}

function persist(machine: AnyStateMachine, snapshot: unknown): PersistedSnapshot {
  const persisted = machine.getPersistedSnapshot(snapshot as never) as unknown as PersistedSnapshot;
  // Form data is stored once, on the case; the snapshot keeps only the workflow's own state.
  return JSON.parse(JSON.stringify({ ...persisted, context: {} })) as PersistedSnapshot;
}

function restore(machine: AnyStateMachine, persisted: PersistedSnapshot, data: Record<string, unknown>) {
  return createActor(machine, { snapshot: { ...persisted, context: { data } } as never }).getSnapshot();
}

function toEffects(actions: { type: string; params?: unknown }[]): Effect[] {
  return actions.flatMap((a) => (isActionName(a.type) ? [{ type: a.type, params: (a.params as Record<string, unknown> | undefined) ?? {} }] : []));
}

/** A definition's start, as JSON (each caller gets its own copy), when the start cannot depend on the data. */
const starts = new WeakMap<WorkflowConfig, string>();

/**
 * Whether starting this definition ignores the form data: a flat definition as the meta-schema allows it (no entry
 * actions, eventless transitions or invoked actors) enters its initial state and runs nothing, and the persisted
 * snapshot leaves the data out. Anything else is started on its data every time.
 */
function startIgnoresData(config: WorkflowConfig): boolean {
  const rootKeys = new Set(["id", "initial", "states"]);
  const stateKeys = new Set(["type", "meta", "on"]);
  return (
    Object.keys(config).every((key) => rootKeys.has(key)) &&
    Object.values(config.states).every((state) => Object.keys(state).every((key) => stateKeys.has(key)))
  );
}

export function startWorkflow(config: WorkflowConfig, data: Record<string, unknown>) {
  // Every filing starts its service's workflow: the same start is computed once per published definition (XState's
  // initialTransition was a fifth of the filing's own code in a profile, decision 038).
  let kept = starts.get(config);
  if (kept === undefined) {
    const machine = buildMachine(config);
    const [initial, actions] = initialTransition(machine, { data });
    const started = { snapshot: persist(machine, initial), effects: toEffects(actions as never) };
    if (!startIgnoresData(config)) return { ...started, stateValue: String(started.snapshot.value) };
    kept = JSON.stringify(started);
    starts.set(config, kept);
  }
  const { snapshot, effects } = JSON.parse(kept) as { snapshot: PersistedSnapshot; effects: Effect[] };
  return { snapshot, stateValue: String(snapshot.value), effects };
}

/** The transition that would be taken for this event now (guards evaluated), or undefined. */
function enabledTransition(
  config: WorkflowConfig,
  persisted: PersistedSnapshot,
  data: Record<string, unknown>,
  eventType: string,
): TransitionConfig | undefined {
  const machine = buildMachine(config);
  return transitionFrom(machine, restore(machine, persisted, data), eventType);
}

function transitionFrom(machine: AnyStateMachine, snapshot: ReturnType<typeof restore>, eventType: string): TransitionConfig | undefined {
  if (snapshot.status !== "active") return undefined;
  const [first] = machine.getTransitionData(snapshot as never, { type: eventType } as never);
  return first ? (first as unknown as { meta?: TransitionConfig["meta"]; target?: { key: string }[] } & TransitionConfig) : undefined;
}

/** The events the party may send now: their roles allow them and no four-eyes rule forbids them. */
export function availableEvents(
  config: WorkflowConfig,
  persisted: PersistedSnapshot,
  data: Record<string, unknown>,
  party: ActingParty,
): AvailableEvent[] {
  const state = config.states[String(persisted.value)];
  if (!state?.on) return [];
  const result: AvailableEvent[] = [];
  for (const eventType of Object.keys(state.on)) {
    const taken = enabledTransition(config, persisted, data, eventType) as
      | (TransitionConfig & { target?: unknown })
      | undefined;
    if (!taken?.meta) continue;
    if (!taken.meta.roles.some((r) => party.roles.includes(r))) continue;
    if (separationOfDutiesProblem(config, eventType, taken.meta, party)) continue;
    const targets = (taken as unknown as { target?: { key: string }[] }).target;
    result.push({
      type: eventType,
      label: taken.meta.label,
      target: targets?.[0]?.key ?? String(persisted.value),
      roles: taken.meta.roles,
      commentRequired: Boolean(taken.meta.commentRequired),
      tone: taken.meta.tone ?? "neutral",
      actions: ((taken as unknown as { actions?: { type?: string }[] }).actions ?? []).map((a) => a.type).filter(isActionName),
    });
  }
  return result;
}

/**
 * Takes an event for the party. Errors: EVENT_NOT_ALLOWED, ROLE_NOT_ALLOWED, SEPARATION_OF_DUTIES, COMMENT_REQUIRED.
 */
export function fireEvent(
  config: WorkflowConfig,
  persisted: PersistedSnapshot,
  data: Record<string, unknown>,
  event: { type: string; comment?: string },
  party: ActingParty,
): TransitionOutcome {
  const stateValue = String(persisted.value);
  // One restored snapshot for the check and the transition (an actor is created per restore).
  const machine = buildMachine(config);
  const snapshot = restore(machine, persisted, data);
  const taken = transitionFrom(machine, snapshot, event.type);
  if (!taken?.meta) {
    throw new AppError(
      "EVENT_NOT_ALLOWED",
      {
        th: `ไม่สามารถดำเนินการ "${event.type}" ได้ในขั้นตอนปัจจุบัน (${config.states[stateValue]?.meta.label.th ?? stateValue})`,
        en: `"${event.type}" is not allowed in the current step (${config.states[stateValue]?.meta.label.en ?? stateValue})`,
      },
      { state: stateValue, event: event.type },
    );
  }
  if (!taken.meta.roles.some((r) => party.roles.includes(r))) {
    throw new AppError(
      "ROLE_NOT_ALLOWED",
      {
        th: `บทบาทของคุณไม่มีสิทธิ์ "${taken.meta.label.th}" (ต้องเป็น ${taken.meta.roles.join(", ")})`,
        en: `Your role may not "${taken.meta.label.en}" (needs ${taken.meta.roles.join(", ")})`,
      },
      { allowedRoles: taken.meta.roles },
    );
  }
  const separation = separationOfDutiesProblem(config, event.type, taken.meta, party);
  if (separation) throw separation;
  if (taken.meta.commentRequired && !event.comment?.trim()) {
    throw new AppError("COMMENT_REQUIRED", {
      th: `ต้องระบุเหตุผล/ความเห็นสำหรับ "${taken.meta.label.th}"`,
      en: `A comment is required to "${taken.meta.label.en}"`,
    });
  }
  const [next, actions] = transition(machine, snapshot as never, { type: event.type } as never);
  const nextPersisted = persist(machine, next);
  return {
    snapshot: nextPersisted,
    stateValue: String(nextPersisted.value),
    done: (next as { status: string }).status === "done",
    effects: toEffects(actions as never),
    transition: taken,
    role: roleForTransition(taken.meta, party) ?? taken.meta.roles[0],
  };
}
