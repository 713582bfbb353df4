import { AppError } from "../errors";
import type { LocalizedText } from "../text";
import { ACTIONS, GUARDS } from "../workflow/catalogue";
import { eventNamesOf, STAFF_ROLES, transitionsOf, type ActionRef, type NamedRef, type Role, type StateConfig, type TransitionConfig, type WorkflowConfig } from "../workflow/types";

/*
 * The workflow builder's edits, as pure functions: each takes a workflow and returns a NEW one (the
 * input is never touched), or throws AppError("BAD_REQUEST") with a Thai and English message. They keep
 * the definition structurally sound (the meta-schema in schemas/meta/workflow.schema.json and the
 * cross-references: no dangling targets, no transitions out of final steps); whether the workflow as a
 * whole makes sense (reachability, SLA, permits) is for verify-definition.ts.
 */

export type Outcome = NonNullable<StateConfig["meta"]["outcome"]>;
export type Tone = NonNullable<TransitionConfig["meta"]["tone"]>;

export const OUTCOMES: readonly Outcome[] = ["approved", "rejected", "answered", "withdrawn", "referred"];
export const TONES: readonly Tone[] = ["primary", "neutral", "danger"];
/** Every role a transition may name: the applicant and any staff role. */
export const ALL_ROLES: readonly Role[] = ["applicant", ...STAFF_ROLES];

/**
 * State ids: the builder's rule (a letter, then letters, digits, "_") narrowed by the workflow
 * meta-schema (`^[a-z][A-Za-z0-9]*$`), so every id the builder accepts also validates.
 */
export const STATE_ID_PATTERN = /^[a-z][A-Za-z0-9]*$/;
export const EVENT_PATTERN = /^[A-Z][A-Z0-9_]*$/;
const MAX_SLA_DAYS = 365;
const MAX_ID_LENGTH = 48;

export type NewState = {
  id?: string;
  label: LocalizedText;
  description?: LocalizedText;
  slaDays?: number;
  pausesSla?: boolean;
  final?: boolean;
  outcome?: Outcome;
};

/** `null` removes an optional property. */
export type StatePatch = {
  label?: LocalizedText;
  description?: LocalizedText | null;
  slaDays?: number | null;
  pausesSla?: boolean;
  final?: boolean;
  outcome?: Outcome | null;
};

export type NewTransition = {
  event?: string;
  target: string;
  label: LocalizedText;
  roles: readonly string[];
  commentRequired?: boolean;
  tone?: Tone;
  guard?: NamedRef;
  actions?: NamedRef[];
};

/** `null` removes an optional property; `actions: []` removes all actions. */
export type TransitionPatch = {
  target?: string;
  label?: LocalizedText;
  roles?: readonly string[];
  commentRequired?: boolean;
  tone?: Tone | null;
  guard?: NamedRef | null;
  actions?: NamedRef[];
  /** Four eyes: events whose earlier actors may not take this transition; `[]` removes the rule. */
  differentActorFrom?: readonly string[];
};

/** One box of the transition editor's "must be done by someone other than whoever did…" list. */
export type FourEyesChoice = { event: string; label: LocalizedText; checked: boolean };

export type ContinueWith = {
  event?: string;
  label: LocalizedText;
  roles: readonly string[];
  commentRequired?: boolean;
  tone?: Tone;
};

/** One outgoing transition; `index` is set when the event holds an array of guarded alternatives. */
export type TransitionEntry = { event: string; index?: number; transition: TransitionConfig };

export type RemovedTransition = { from: string; event: string; index?: number; label: LocalizedText };

// ---------------------------------------------------------------------------------------------
// Errors and small checks

function bad(th: string, en: string): AppError {
  return new AppError("BAD_REQUEST", { th, en });
}

function stateOf(wf: WorkflowConfig, id: string): StateConfig {
  const state = Object.hasOwn(wf.states, id) ? wf.states[id] : undefined;
  if (!state) throw bad(`ไม่พบขั้นตอน "${id}"`, `There is no step "${id}"`);
  return state;
}

function checkLabel(label: LocalizedText | undefined, what: LocalizedText): LocalizedText {
  const th = typeof label?.th === "string" ? label.th.trim() : "";
  const en = typeof label?.en === "string" ? label.en.trim() : "";
  if (!th) throw bad(`ต้องระบุ${what.th}เป็นภาษาไทย`, `The ${what.en} in Thai is required`);
  if (!en) throw bad(`ต้องระบุ${what.th}เป็นภาษาอังกฤษ`, `The ${what.en} in English is required`);
  return { th, en };
}

const STEP_NAME: LocalizedText = { th: "ชื่อขั้นตอน", en: "step name" };
const STEP_DESCRIPTION: LocalizedText = { th: "คำอธิบายขั้นตอน", en: "step description" };
const ACTION_NAME: LocalizedText = { th: "ชื่อการดำเนินการ", en: "action name" };

function checkSla(days: number): number {
  if (typeof days !== "number" || !Number.isInteger(days) || days < 0 || days > MAX_SLA_DAYS) {
    throw bad(
      `ระยะเวลา (วันทำการ) ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง ${MAX_SLA_DAYS}`,
      `The time limit (working days) must be a whole number from 0 to ${MAX_SLA_DAYS}`,
    );
  }
  return days;
}

function checkOutcome(outcome: string): Outcome {
  if (!(OUTCOMES as readonly string[]).includes(outcome)) {
    throw bad(`ผลลัพธ์ "${outcome}" ไม่ถูกต้อง (${OUTCOMES.join(", ")})`, `Unknown outcome "${outcome}" (${OUTCOMES.join(", ")})`);
  }
  return outcome as Outcome;
}

function checkRoles(roles: readonly string[] | undefined): Role[] {
  const unique = [...new Set(roles ?? [])];
  if (unique.length === 0) throw bad("ต้องเลือกบทบาทที่ทำการดำเนินการนี้ได้อย่างน้อยหนึ่งบทบาท", "Choose at least one role that may take this action");
  for (const role of unique) {
    if (!(ALL_ROLES as readonly string[]).includes(role)) {
      throw bad(`ไม่รู้จักบทบาท "${role}" (${ALL_ROLES.join(", ")})`, `Unknown role "${role}" (${ALL_ROLES.join(", ")})`);
    }
  }
  // Kept in the catalogue's order, so the JSON does not depend on the order of the clicks.
  return ALL_ROLES.filter((r) => unique.includes(r));
}

function checkTone(tone: string): Tone {
  if (!(TONES as readonly string[]).includes(tone)) throw bad(`รูปแบบปุ่ม "${tone}" ไม่ถูกต้อง`, `Unknown button tone "${tone}"`);
  return tone as Tone;
}

function checkStateId(wf: WorkflowConfig, id: string): string {
  if (typeof id !== "string" || !STATE_ID_PATTERN.test(id)) {
    throw bad(
      `รหัสขั้นตอน "${id}" ไม่ถูกต้อง: ต้องขึ้นต้นด้วยอักษรอังกฤษตัวเล็ก ตามด้วยอักษรอังกฤษหรือตัวเลข (เช่น siteVisit)`,
      `Invalid step id "${id}": start with a lower-case letter, then letters or digits only (e.g. siteVisit)`,
    );
  }
  if (Object.hasOwn(wf.states, id)) throw bad(`มีขั้นตอนรหัส "${id}" อยู่แล้ว`, `A step with the id "${id}" already exists`);
  return id;
}

function checkEvent(state: StateConfig, stateId: string, event: string): string {
  if (typeof event !== "string" || !EVENT_PATTERN.test(event)) {
    throw bad(
      `รหัสการดำเนินการ "${event}" ไม่ถูกต้อง: ใช้อักษรอังกฤษตัวใหญ่ ตัวเลข และ _ โดยขึ้นต้นด้วยตัวอักษร (เช่น SITE_VISIT_DONE)`,
      `Invalid action id "${event}": use upper-case letters, digits and _, starting with a letter (e.g. SITE_VISIT_DONE)`,
    );
  }
  if (state.on && Object.hasOwn(state.on, event)) {
    throw bad(`ขั้นตอน "${stateId}" มีการดำเนินการ "${event}" อยู่แล้ว`, `Step "${stateId}" already has an action "${event}"`);
  }
  return event;
}

/** Event names of this workflow, unique, in the workflow's order (so the JSON does not depend on clicks). */
function checkDifferentActorFrom(wf: WorkflowConfig, events: readonly string[]): string[] {
  const known = eventNamesOf(wf);
  for (const event of events) {
    if (!known.includes(event)) {
      throw bad(
        `ไม่มีการดำเนินการ "${event}" ในขั้นตอนงาน จึงกำหนดให้ต้องเป็นคนละคนกับผู้ทำไม่ได้`,
        `There is no action "${event}" in the workflow to require a different person from`,
      );
    }
  }
  return known.filter((e) => events.includes(e));
}

/** Drops four-eyes references to events the workflow no longer has (after a removal). */
function pruneDifferentActorFrom(wf: WorkflowConfig): void {
  const known = eventNamesOf(wf);
  for (const state of Object.values(wf.states)) {
    for (const [, t] of transitionsOf(state)) {
      if (!t.meta.differentActorFrom) continue;
      const kept = t.meta.differentActorFrom.filter((e) => known.includes(e));
      if (kept.length > 0) t.meta.differentActorFrom = kept;
      else delete t.meta.differentActorFrom;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Catalogue params: the small JSON Schema subset the catalogue uses (object, required,
// additionalProperties, string+pattern, number, array+minItems, enum, localized text).

type Schema = Record<string, unknown>;

function paramProblem(schema: Schema, value: unknown): LocalizedText | null {
  if (typeof schema.$ref === "string" && schema.$ref.endsWith("localized-text.schema.json")) {
    const v = value as Partial<LocalizedText> | null;
    const ok =
      !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).every((k) => k === "th" || k === "en") &&
      typeof v.th === "string" && v.th.trim() !== "" && typeof v.en === "string" && v.en.trim() !== "";
    return ok ? null : { th: "ต้องมีข้อความทั้งภาษาไทยและภาษาอังกฤษ", en: "needs text in both Thai and English" };
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    return { th: `ต้องเป็นหนึ่งใน ${schema.enum.join(", ")}`, en: `must be one of ${schema.enum.join(", ")}` };
  }
  switch (schema.type) {
    case "string":
      if (typeof value !== "string") return { th: "ต้องเป็นข้อความ", en: "must be text" };
      if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) {
        return { th: "ต้องเลือกช่องในแบบฟอร์ม", en: "must name a field of the form" };
      }
      return null;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : { th: "ต้องเป็นตัวเลข", en: "must be a number" };
    case "array":
      if (!Array.isArray(value)) return { th: "ต้องเป็นรายการ", en: "must be a list" };
      if (typeof schema.minItems === "number" && value.length < schema.minItems) {
        return { th: `ต้องมีอย่างน้อย ${schema.minItems} รายการ`, en: `needs at least ${schema.minItems} item(s)` };
      }
      return null;
    default:
      return value === undefined ? { th: "ต้องระบุค่า", en: "needs a value" } : null;
  }
}

/** Drops undefined values; params with nothing left are omitted, as in hand-written definitions. */
function cleanRef(ref: NamedRef): NamedRef {
  const params = Object.fromEntries(Object.entries(ref.params ?? {}).filter(([, v]) => v !== undefined));
  return Object.keys(params).length > 0 ? { type: ref.type, params: structuredClone(params) } : { type: ref.type };
}

/** checkNamed has made sure the name is in the catalogue. */
const checkAction = (ref: NamedRef): ActionRef => checkNamed("action", ref) as ActionRef;

function checkNamed(kind: "guard" | "action", ref: NamedRef): NamedRef {
  const catalogue: Record<string, { label: LocalizedText; params: object }> = kind === "guard" ? GUARDS : ACTIONS;
  const what = kind === "guard" ? { th: "เงื่อนไข", en: "Condition" } : { th: "การกระทำ", en: "Action" };
  const entry = ref && typeof ref.type === "string" && Object.hasOwn(catalogue, ref.type) ? catalogue[ref.type] : undefined;
  if (!entry) {
    const names = Object.keys(catalogue).join(", ");
    throw bad(`ไม่รู้จัก${what.th} "${String(ref?.type)}" (มี: ${names})`, `Unknown ${what.en.toLowerCase()} "${String(ref?.type)}" (catalogue: ${names})`);
  }
  const clean = cleanRef(ref);
  const params = clean.params ?? {};
  const schema = entry.params as Schema;
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const fail = (name: string, problem: LocalizedText) =>
    bad(`${what.th} "${entry.label.th}": ค่า "${name}" ${problem.th}`, `${what.en} "${entry.label.en}": "${name}" ${problem.en}`);
  for (const name of (schema.required ?? []) as string[]) {
    if (params[name] === undefined) throw fail(name, { th: "ต้องระบุ", en: "is required" });
  }
  for (const [name, value] of Object.entries(params)) {
    const property = properties[name];
    if (!property) {
      if (schema.additionalProperties === false) throw fail(name, { th: "ไม่ใช้กับรายการนี้", en: "is not a parameter of it" });
      continue;
    }
    const problem = paramProblem(property, value);
    if (problem) throw fail(name, problem);
  }
  return clean;
}

// ---------------------------------------------------------------------------------------------
// Names derived from labels

function words(text: string): string[] {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/** A state id for a new step, from its English label in camelCase ("Site visit" → "siteVisit"), unique. */
export function deriveStateId(wf: WorkflowConfig, englishLabel: string): string {
  const parts = words(englishLabel);
  let base = parts.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join("");
  if (!/^[a-z]/.test(base)) base = `step${base ? base[0].toUpperCase() + base.slice(1) : ""}`;
  base = base.slice(0, MAX_ID_LENGTH);
  let id = base;
  for (let n = 2; Object.hasOwn(wf.states, id); n++) id = `${base}${n}`;
  return id;
}

/** An event name from an English label in UPPER_SNAKE ("Record findings" → "RECORD_FINDINGS"), unique in the state. */
export function deriveEvent(state: StateConfig, englishLabel: string): string {
  let base = words(englishLabel).join("_").toUpperCase();
  if (!/^[A-Z]/.test(base)) base = base ? `GO_${base}` : "GO";
  base = base.slice(0, MAX_ID_LENGTH).replace(/_+$/, "");
  let event = base;
  for (let n = 2; state.on && Object.hasOwn(state.on, event); n++) event = `${base}_${n}`;
  return event;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The outgoing transitions of a state, one entry per alternative, in definition order. */
export function outgoingTransitions(wf: WorkflowConfig, stateId: string): TransitionEntry[] {
  const state = wf.states[stateId];
  if (!state?.on) return [];
  return Object.entries(state.on).flatMap(([event, value]) =>
    Array.isArray(value) ? value.map((transition, index) => ({ event, index, transition })) : [{ event, transition: value }],
  );
}

/**
 * The choices of the "must be done by someone other than whoever did…" list for one transition: every other
 * action of the workflow, labelled as its first transition is, ticked when the rule names it.
 */
export function fourEyesChoices(wf: WorkflowConfig, from: string, event: string, index?: number): FourEyesChoice[] {
  const { transition } = locate(wf, from, event, index);
  const chosen = transition.meta.differentActorFrom ?? [];
  const choices: FourEyesChoice[] = [];
  for (const state of Object.values(wf.states)) {
    for (const [name, t] of transitionsOf(state)) {
      if (name === event || choices.some((c) => c.event === name)) continue;
      choices.push({ event: name, label: t.meta.label, checked: chosen.includes(name) });
    }
  }
  return choices;
}

function hasTransitions(state: StateConfig): boolean {
  return !!state.on && Object.keys(state.on).length > 0;
}

/** The transition (or alternative) named by from/event/index, in a copy the caller may change. */
function locate(wf: WorkflowConfig, from: string, event: string, index: number | undefined): { state: StateConfig; transition: TransitionConfig } {
  const state = stateOf(wf, from);
  const value = state.on && Object.hasOwn(state.on, event) ? state.on[event] : undefined;
  if (!value) throw bad(`ขั้นตอน "${from}" ไม่มีการดำเนินการ "${event}"`, `Step "${from}" has no action "${event}"`);
  if (!Array.isArray(value)) {
    if (index !== undefined && index !== 0) throw bad(`การดำเนินการ "${event}" มีทางเลือกเดียว`, `Action "${event}" has a single branch`);
    return { state, transition: value };
  }
  if (index === undefined && value.length > 1) {
    throw bad(
      `การดำเนินการ "${event}" มีหลายทางเลือกตามเงื่อนไข: ต้องระบุว่าแก้ทางเลือกใด`,
      `Action "${event}" has several guarded branches: say which one (index)`,
    );
  }
  const i = index ?? 0;
  if (!Number.isInteger(i) || i < 0 || i >= value.length) {
    throw bad(`การดำเนินการ "${event}" ไม่มีทางเลือกที่ ${i + 1}`, `Action "${event}" has no branch ${i}`);
  }
  return { state, transition: value[i] };
}

// ---------------------------------------------------------------------------------------------
// States

/** Adds a step; its id is derived from the English label when not given. */
export function addState(wf: WorkflowConfig, input: NewState): WorkflowConfig {
  const label = checkLabel(input.label, STEP_NAME);
  const id = input.id === undefined || input.id === "" ? deriveStateId(wf, label.en) : checkStateId(wf, input.id);
  const state: StateConfig = { meta: { label } };
  if (input.description !== undefined) state.meta.description = checkLabel(input.description, STEP_DESCRIPTION);
  if (input.slaDays !== undefined) state.meta.slaDays = checkSla(input.slaDays);
  if (input.pausesSla) state.meta.pausesSla = true;
  if (input.final) {
    state.type = "final";
    if (input.outcome !== undefined) state.meta.outcome = checkOutcome(input.outcome);
  } else if (input.outcome !== undefined) {
    throw bad("ผลลัพธ์กำหนดได้เฉพาะขั้นตอนสุดท้าย", "Only a final step has an outcome");
  }
  const next = structuredClone(wf);
  next.states[id] = state;
  return next;
}

/** Changes a step's texts, time limit and kind; the id never changes. */
export function updateState(wf: WorkflowConfig, id: string, patch: StatePatch): WorkflowConfig {
  const next = structuredClone(wf);
  const state = stateOf(next, id);
  const meta = state.meta;
  if (patch.label !== undefined) meta.label = checkLabel(patch.label, STEP_NAME);
  if (patch.description === null) delete meta.description;
  else if (patch.description !== undefined) meta.description = checkLabel(patch.description, STEP_DESCRIPTION);
  if (patch.slaDays === null) delete meta.slaDays;
  else if (patch.slaDays !== undefined) meta.slaDays = checkSla(patch.slaDays);
  if (patch.pausesSla === true) meta.pausesSla = true;
  else if (patch.pausesSla === false) delete meta.pausesSla;

  if (patch.final === true && state.type !== "final") {
    if (hasTransitions(state)) {
      const events = Object.keys(state.on ?? {}).join(", ");
      throw bad(
        `ขั้นตอน "${meta.label.th}" ยังมีการดำเนินการต่อ (${events}): ลบการดำเนินการเหล่านั้นก่อนจึงจะเป็นขั้นตอนสุดท้ายได้`,
        `Step "${meta.label.en}" still has outgoing actions (${events}): remove them before making it a final step`,
      );
    }
    if (id === next.initial) throw bad("ขั้นตอนเริ่มต้นเป็นขั้นตอนสุดท้ายไม่ได้", "The starting step cannot be a final step");
    state.type = "final";
  } else if (patch.final === false && state.type === "final") {
    delete state.type;
    // An outcome only means something on a final step.
    delete meta.outcome;
  }
  if (patch.outcome === null) delete meta.outcome;
  else if (patch.outcome !== undefined) {
    if (state.type !== "final") throw bad("ผลลัพธ์กำหนดได้เฉพาะขั้นตอนสุดท้าย", "Only a final step has an outcome");
    meta.outcome = checkOutcome(patch.outcome);
  }
  return next;
}

/**
 * Removes a step and every transition of other steps that leads to it (listed in `removedTransitions`,
 * so the UI can say what went). The starting step cannot be removed.
 */
export function removeState(wf: WorkflowConfig, id: string): { workflow: WorkflowConfig; removedTransitions: RemovedTransition[] } {
  const state = stateOf(wf, id);
  if (id === wf.initial) {
    throw bad(
      `ลบขั้นตอนเริ่มต้น "${state.meta.label.th}" ไม่ได้: กำหนดขั้นตอนอื่นเป็นจุดเริ่มต้นก่อน`,
      `The starting step "${state.meta.label.en}" cannot be removed: make another step the start first`,
    );
  }
  if (Object.keys(wf.states).length <= 2) throw bad("ขั้นตอนงานต้องมีอย่างน้อย 2 ขั้นตอน", "A workflow needs at least two steps");
  const next = structuredClone(wf);
  delete next.states[id];
  const removedTransitions: RemovedTransition[] = [];
  for (const [from, other] of Object.entries(next.states)) {
    if (!other.on) continue;
    for (const [event, value] of Object.entries(other.on)) {
      if (!Array.isArray(value)) {
        if (value.target !== id) continue;
        removedTransitions.push({ from, event, label: value.meta.label });
        delete other.on[event];
        continue;
      }
      const kept = value.filter((t, index) => {
        if (t.target !== id) return true;
        removedTransitions.push({ from, event, index, label: t.meta.label });
        return false;
      });
      if (kept.length === value.length) continue;
      if (kept.length === 0) delete other.on[event];
      else other.on[event] = kept.length === 1 ? kept[0] : kept;
    }
    if (Object.keys(other.on).length === 0) delete other.on;
  }
  pruneDifferentActorFrom(next);
  return { workflow: next, removedTransitions };
}

/** Makes another step the one every case starts in. */
export function setInitialState(wf: WorkflowConfig, id: string): WorkflowConfig {
  const state = stateOf(wf, id);
  if (state.type === "final") throw bad("ขั้นตอนสุดท้ายเป็นขั้นตอนเริ่มต้นไม่ได้", "A final step cannot be the starting step");
  return { ...structuredClone(wf), initial: id };
}

// ---------------------------------------------------------------------------------------------
// Transitions

function buildTransition(wf: WorkflowConfig, input: NewTransition | ContinueWith, target: string): TransitionConfig {
  stateOf(wf, target);
  const meta: TransitionConfig["meta"] = { roles: checkRoles(input.roles), label: checkLabel(input.label, ACTION_NAME) };
  if (input.commentRequired) meta.commentRequired = true;
  if (input.tone !== undefined) meta.tone = checkTone(input.tone);
  const t: TransitionConfig = { target, meta };
  if ("guard" in input && input.guard) t.guard = checkNamed("guard", input.guard);
  if ("actions" in input && input.actions && input.actions.length > 0) t.actions = input.actions.map(checkAction);
  // Key order as in hand-written definitions: target, guard, actions, meta.
  return { target: t.target, ...(t.guard ? { guard: t.guard } : {}), ...(t.actions ? { actions: t.actions } : {}), meta };
}

function checkFromState(state: StateConfig, from: string) {
  if (state.type === "final") {
    throw bad(`ขั้นตอน "${state.meta.label.th}" เป็นขั้นตอนสุดท้าย จึงไม่มีการดำเนินการต่อ`, `Step "${state.meta.label.en}" is a final step and cannot have actions (${from})`);
  }
}

/** Adds an outgoing transition; its event is derived from the English label when not given. */
export function addTransition(wf: WorkflowConfig, from: string, input: NewTransition): WorkflowConfig {
  const next = structuredClone(wf);
  const state = stateOf(next, from);
  checkFromState(state, from);
  const transition = buildTransition(next, input, input.target);
  const event = input.event === undefined || input.event === "" ? deriveEvent(state, transition.meta.label.en) : checkEvent(state, from, input.event);
  state.on = { ...(state.on ?? {}), [event]: transition };
  return next;
}

/** Changes one transition (or one guarded alternative: `index`) of a step. */
export function updateTransition(wf: WorkflowConfig, from: string, event: string, patch: TransitionPatch, index?: number): WorkflowConfig {
  const next = structuredClone(wf);
  const { transition: t } = locate(next, from, event, index);
  if (patch.target !== undefined) {
    stateOf(next, patch.target);
    t.target = patch.target;
  }
  if (patch.label !== undefined) t.meta.label = checkLabel(patch.label, ACTION_NAME);
  if (patch.roles !== undefined) t.meta.roles = checkRoles(patch.roles);
  if (patch.commentRequired === true) t.meta.commentRequired = true;
  else if (patch.commentRequired === false) delete t.meta.commentRequired;
  if (patch.tone === null) delete t.meta.tone;
  else if (patch.tone !== undefined) t.meta.tone = checkTone(patch.tone);
  if (patch.guard === null) delete t.guard;
  else if (patch.guard !== undefined) t.guard = checkNamed("guard", patch.guard);
  if (patch.actions !== undefined) {
    const actions = patch.actions.map(checkAction);
    if (actions.length > 0) t.actions = actions;
    else delete t.actions;
  }
  if (patch.differentActorFrom !== undefined) {
    const events = checkDifferentActorFrom(next, patch.differentActorFrom);
    if (events.length > 0) t.meta.differentActorFrom = events;
    else delete t.meta.differentActorFrom;
  }
  return next;
}

/** Removes a transition; with `index`, only that guarded alternative of the event. */
export function removeTransition(wf: WorkflowConfig, from: string, event: string, index?: number): WorkflowConfig {
  const next = structuredClone(wf);
  const state = stateOf(next, from);
  const value = state.on && Object.hasOwn(state.on, event) ? state.on[event] : undefined;
  if (!state.on || !value) throw bad(`ขั้นตอน "${from}" ไม่มีการดำเนินการ "${event}"`, `Step "${from}" has no action "${event}"`);
  if (index === undefined || !Array.isArray(value)) {
    if (index !== undefined && index !== 0) throw bad(`การดำเนินการ "${event}" มีทางเลือกเดียว`, `Action "${event}" has a single branch`);
    delete state.on[event];
  } else {
    if (!Number.isInteger(index) || index < 0 || index >= value.length) {
      throw bad(`การดำเนินการ "${event}" ไม่มีทางเลือกที่ ${index + 1}`, `Action "${event}" has no branch ${index}`);
    }
    const kept = value.filter((_, i) => i !== index);
    if (kept.length === 0) delete state.on[event];
    else state.on[event] = kept.length === 1 ? kept[0] : kept;
  }
  if (Object.keys(state.on).length === 0) delete state.on;
  pruneDifferentActorFrom(next);
  return next;
}

/**
 * Puts a new step in the middle of a transition: from --event--> X becomes from --event--> new --continue--> X.
 * The original transition keeps its label, roles, guard and actions; the new step's single transition
 * gets `continueWith`'s label and roles. With guarded alternatives, `index` says which one.
 */
export function insertStateBetween(
  wf: WorkflowConfig,
  from: string,
  event: string,
  newState: Omit<NewState, "final" | "outcome">,
  continueWith: ContinueWith,
  index?: number,
): WorkflowConfig {
  if ((newState as NewState).final) {
    throw bad("ขั้นตอนที่แทรกต้องดำเนินการต่อได้ จึงเป็นขั้นตอนสุดท้ายไม่ได้", "An inserted step continues to the next one, so it cannot be final");
  }
  const { transition } = locate(wf, from, event, index);
  const onward = transition.target;
  const withState = addState(wf, { ...newState, final: false, outcome: undefined });
  const id = Object.keys(withState.states).find((s) => !Object.hasOwn(wf.states, s)) as string;
  const state = withState.states[id];
  const next = buildTransition(withState, continueWith, onward);
  const nextEvent = continueWith.event === undefined || continueWith.event === "" ? deriveEvent(state, next.meta.label.en) : checkEvent(state, id, continueWith.event);
  state.on = { [nextEvent]: next };
  locate(withState, from, event, index).transition.target = id;
  return withState;
}
