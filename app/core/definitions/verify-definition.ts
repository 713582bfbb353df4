import { toPointer } from "../json-pointer";
import type { LocalizedText } from "../text";
import { analyseWorkflow, finishingPaths, findTransitionRunning, reachableStates, stuckStates, unpaidPermits, type FinishingPath, type WorkflowGraph } from "../workflow/graph";
import type { ActionName } from "../workflow/catalogue";
import type { TransitionConfig, WorkflowConfig } from "../workflow/types";
import type { DefinitionIssue, ServiceDefinition } from "./types";
import { validateServiceDefinition, type DefinitionFiles } from "./validate-definition";

/**
 * Verification of a draft service definition before publishing (pure: no I/O, runs in the browser).
 * Structural validation first (meta-schemas and cross-references, validateServiceDefinition); when the
 * structure is sound the workflow is analysed as a graph on the real XState machine (app/core/workflow/graph.ts).
 */

export type VerificationRule =
  | "structure"
  | "reachable"
  | "can-finish"
  | "roles-exist"
  | "catalogue"
  | "fields-exist"
  | "permit-path"
  | "sla-fits"
  | "unused-role"
  | "unreachable-field"
  | "four-eyes"
  | "fees"
  | "fee-paid"
  | "fee-request";

export type VerificationFinding = {
  rule: VerificationRule;
  /** JSON pointer into the definition: /manifest/…, /form/schema/…, /form/uiSchema/…, /workflow/… */
  path: string;
  state?: string;
  field?: string;
  message: LocalizedText;
};

export type VerificationReport = { ok: boolean; errors: VerificationFinding[]; warnings: VerificationFinding[] };

export type VerificationContext = { agencyRoles: string[] };

const FILES: DefinitionFiles = { manifest: "manifest", form: "form", ui: "ui", workflow: "workflow" };
const PREFIX: Record<string, string> = { manifest: "/manifest", form: "/form/schema", ui: "/form/uiSchema", workflow: "/workflow" };
const KNOWN_ROLES = new Set(["applicant", "officer", "inspector", "approver", "cashier"]);

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === "object" && !Array.isArray(v);

function stateName(wf: WorkflowConfig, state: string): LocalizedText {
  const label = wf.states[state]?.meta?.label;
  return { th: `ขั้นตอน "${label?.th ?? state}" (${state})`, en: `Step "${label?.en ?? state}" (${state})` };
}

/** Every transition of a possibly malformed workflow, with its JSON pointer (below /workflow). */
function rawTransitions(wf: unknown): { state: string; event: string; base: string; t: Record<string, unknown> }[] {
  if (!isObject(wf) || !isObject(wf.states)) return [];
  const out: { state: string; event: string; base: string; t: Record<string, unknown> }[] = [];
  for (const [state, config] of Object.entries(wf.states)) {
    if (!isObject(config) || !isObject(config.on)) continue;
    for (const [event, transition] of Object.entries(config.on)) {
      const list = Array.isArray(transition) ? transition : [transition];
      list.forEach((t, i) => {
        if (!isObject(t)) return;
        const base = toPointer(["workflow", "states", state, "on", event, ...(Array.isArray(transition) ? [i] : [])]);
        out.push({ state, event, base, t });
      });
    }
  }
  return out;
}

/** Rule 4: roles of transitions must be the applicant or one of the agency's staff roles. */
function checkRoles(def: ServiceDefinition, context: VerificationContext): VerificationFinding[] {
  const findings: VerificationFinding[] = [];
  for (const { state, event, base, t } of rawTransitions(def.workflow)) {
    const roles = isObject(t.meta) && Array.isArray(t.meta.roles) ? t.meta.roles : [];
    roles.forEach((role, i) => {
      if (role === "applicant" || context.agencyRoles.includes(String(role))) return;
      const where = stateName(def.workflow, state);
      findings.push({
        rule: "roles-exist",
        path: `${base}/meta/roles/${i}`,
        state,
        message: {
          th: `${where.th}: การดำเนินการ "${event}" ให้บทบาท "${String(role)}" ซึ่งไม่มีในหน่วยงาน`,
          en: `${where.en}: action "${event}" is given to role "${String(role)}", which the agency does not have`,
        },
      });
    });
  }
  return findings;
}

/** A copy whose transitions keep only roles the meta-schema knows (unknown ones are reported by checkRoles). */
function withKnownRoles(def: ServiceDefinition): ServiceDefinition {
  const copy = structuredClone(def);
  for (const { t } of rawTransitions(copy.workflow)) {
    if (!isObject(t.meta) || !Array.isArray(t.meta.roles)) continue;
    const known = t.meta.roles.filter((r) => KNOWN_ROLES.has(String(r)));
    if (known.length !== t.meta.roles.length) t.meta.roles = known.length > 0 ? known : ["applicant"];
  }
  return copy;
}

function classify(issue: DefinitionIssue, path: string): VerificationRule {
  const en = issue.message.en;
  if (issue.file === "workflow") {
    if (/\/meta\/roles(\/\d+)?$/.test(path)) return "roles-exist";
    if (en.startsWith("Guard reads field")) return "fields-exist";
    if (/\/(guard|actions)(\/|$)/.test(path)) return "catalogue";
    if (en.includes("no transition runs issuePermit")) return "permit-path";
  }
  if (issue.file === "manifest") {
    if (path.startsWith("/manifest/fees/")) return "fees";
    if (/^\/manifest\/roles\/\d+$/.test(path) && en.includes("cannot use any transition")) return "unused-role";
    if (en.startsWith("Refers to field")) return "fields-exist";
  }
  return "structure";
}

/** Rule 1 (and the parts of 4, 5, 6, 7, 9 that the structural validator already checks). */
function structuralFindings(def: ServiceDefinition, roleFindings: VerificationFinding[]): VerificationFinding[] {
  const reported = new Set(roleFindings.map((f) => f.path));
  const findings: VerificationFinding[] = [];
  for (const issue of validateServiceDefinition(withKnownRoles(def), FILES)) {
    let path = (PREFIX[issue.file] ?? "") + (issue.path === "/" ? "" : issue.path);
    const rule = classify(issue, path);
    let state: string | undefined;
    let field: string | undefined;
    const stateMatch = /^\/workflow\/states\/([^/]+)/.exec(path);
    if (stateMatch) state = stateMatch[1].replace(/~1/g, "/").replace(/~0/g, "~");
    if (rule === "roles-exist") {
      // "Role X is not declared in the service's roles": point at the role itself, once.
      const role = /Role "([^"]+)"/.exec(issue.message.en)?.[1];
      const transitionPath = path.replace(/\/meta\/roles(\/\d+)?$/, "");
      const transition = rawTransitions(def.workflow).find((x) => x.base === transitionPath);
      const roles = transition && isObject(transition.t.meta) && Array.isArray(transition.t.meta.roles) ? transition.t.meta.roles : [];
      const index = role ? roles.indexOf(role) : -1;
      if (index >= 0) path = `${transitionPath}/meta/roles/${index}`;
      if (reported.has(path)) continue;
    }
    if (rule === "fields-exist" || rule === "fees") field = /field "([^"]+)"/.exec(issue.message.en)?.[1];
    const where = state ? stateName(def.workflow, state) : undefined;
    findings.push({
      rule,
      path,
      ...(state ? { state } : {}),
      ...(field ? { field } : {}),
      message: where ? { th: `${where.th}: ${issue.message.th}`, en: `${where.en}: ${issue.message.en}` } : issue.message,
    });
  }
  return findings;
}

/** Rules 2, 3, 7, 8 on the XState machine. */
function graphFindings(def: ServiceDefinition, graph: WorkflowGraph, permitReported: boolean): VerificationFinding[] {
  const wf = def.workflow;
  const findings: VerificationFinding[] = [];
  const statePath = (s: string) => toPointer(["workflow", "states", s]);

  const reachable = reachableStates(graph);
  for (const s of Object.keys(wf.states)) {
    if (reachable.has(s)) continue;
    const where = stateName(wf, s);
    findings.push({
      rule: "reachable",
      path: statePath(s),
      state: s,
      message: { th: `${where.th} ไปไม่ถึงจากจุดเริ่มต้น`, en: `${where.en} cannot be reached from the start` },
    });
  }

  const stuck = new Set(stuckStates(graph).map((x) => x.state));
  for (const s of stuck) {
    const where = stateName(wf, s);
    findings.push({
      rule: "can-finish",
      path: statePath(s),
      state: s,
      message: {
        th: `${where.th} เป็นทางตัน: จากขั้นตอนนี้ไปไม่ถึงขั้นตอนสุดท้าย`,
        en: `${where.en} is a dead end: no final step can be reached from it`,
      },
    });
  }

  if (def.manifest.issuesPermit && !permitReported && !findTransitionRunning(graph, "issuePermit")) {
    findings.push({
      rule: "permit-path",
      path: "/workflow/states",
      message: {
        th: "บริการนี้ออกใบอนุญาต แต่ไม่มีเส้นทางใดจากจุดเริ่มต้นที่ไปถึงการดำเนินการที่ออกใบอนุญาต (issuePermit)",
        en: "The service issues permits but no path from the start reaches a transition that issues the permit (issuePermit)",
      },
    });
  }

  const paths = finishingPaths(graph);
  findings.push(...slaFindings(def, paths));
  findings.push(...fourEyesFindings(wf, paths));
  findings.push(...feeFindings(def, graph));
  return findings;
}

const runsAction = (t: Record<string, unknown>, action: ActionName) => Array.isArray(t.actions) && t.actions.some((a) => isObject(a) && a.type === action);

/**
 * Rule 12: every path to a permit that charges a fee passes a paid step — a transition asking for the fee
 * (requestPayment) and, after it, one recording its payment (recordPayment, the FEE_PAID step), at the latest on
 * the transition that issues the permit. Warnings: a fee requested with no fee lines, and fee lines never requested.
 */
function feeFindings(def: ServiceDefinition, graph: WorkflowGraph): VerificationFinding[] {
  const wf = def.workflow;
  const charges = def.manifest.fees.length > 0;
  const findings: VerificationFinding[] = [];
  const requesting = rawTransitions(wf).filter(({ t }) => runsAction(t, "requestPayment"));
  if (charges && def.manifest.issuesPermit) {
    for (const unpaid of unpaidPermits(graph)) {
      const on = wf.states[unpaid.state]?.on?.[unpaid.event];
      const path = toPointer(["workflow", "states", unpaid.state, "on", unpaid.event, ...(Array.isArray(on) ? [unpaid.index] : [])]);
      const th = unpaid.states.map((s) => wf.states[s]?.meta.label.th ?? s).join(" → ");
      const en = unpaid.states.map((s) => wf.states[s]?.meta.label.en ?? s).join(" → ");
      findings.push({
        rule: "fee-paid",
        path,
        state: unpaid.state,
        message:
          unpaid.stage === "not-requested"
            ? {
                th: `เส้นทาง ${th} ออกใบอนุญาตโดยไม่ได้แจ้งให้ชำระค่าธรรมเนียม: ใส่การกระทำ "แจ้งชำระค่าธรรมเนียม" (requestPayment) ก่อน แล้วให้ผ่านขั้นตอนรับชำระ (บันทึกการชำระค่าธรรมเนียม, recordPayment) ก่อนหรือพร้อมการออกใบอนุญาต`,
                en: `The path ${en} issues the permit without asking for the fee: add "Ask for the fee" (requestPayment) before it, and a fee-paid step ("Record the fee payment", recordPayment) before or with issuing the permit`,
              }
            : {
                th: `เส้นทาง ${th} ออกใบอนุญาตก่อนบันทึกการชำระค่าธรรมเนียม: หลังแจ้งชำระต้องผ่านขั้นตอนรับชำระ (บันทึกการชำระค่าธรรมเนียม, recordPayment เช่น FEE_PAID) ก่อนหรือพร้อมการออกใบอนุญาต`,
                en: `The path ${en} issues the permit before the fee payment is recorded: after asking for the fee it must pass a fee-paid step ("Record the fee payment", recordPayment, e.g. FEE_PAID) before or with issuing the permit`,
              },
      });
    }
  }
  if (!charges) {
    for (const { state, base, t } of requesting) {
      const index = (t.actions as { type?: unknown }[]).findIndex((a) => isObject(a) && a.type === "requestPayment");
      const where = stateName(wf, state);
      findings.push({
        rule: "fee-request",
        path: `${base}/actions/${index}`,
        state,
        message: {
          th: `${where.th}: ขอให้ชำระค่าธรรมเนียม (requestPayment) แต่บริการไม่มีรายการค่าธรรมเนียม: เพิ่มค่าธรรมเนียมในแท็บรายละเอียด หรือนำการกระทำนี้ออก`,
          en: `${where.en}: asks for the fee (requestPayment) but the service has no fee lines: add fees on the details tab, or remove the action`,
        },
      });
    }
  } else if (requesting.length === 0) {
    findings.push({
      rule: "fee-request",
      path: "/manifest/fees",
      message: {
        th: "บริการมีค่าธรรมเนียม แต่ไม่มีขั้นตอนใดแจ้งให้ชำระ (requestPayment): ผู้ยื่นคำขอจะไม่ได้รับ QR พร้อมเพย์หรือใบแจ้งชำระเงิน",
        en: "The service has fees but no transition asks for them (requestPayment): applicants get no PromptPay QR or pay-in slip",
      },
    });
  }
  return findings;
}

/** The transitions a path takes, with their pointers (the alternative whose target is the next state). */
function pathTransitions(wf: WorkflowConfig, path: FinishingPath): { event: string; path: string; t: TransitionConfig | undefined }[] {
  return path.events.map((event, i) => {
    const from = path.states[i];
    const on = wf.states[from]?.on?.[event];
    const list = Array.isArray(on) ? on : on ? [on] : [];
    const index = Math.max(0, list.findIndex((t) => t.target === path.states[i + 1]));
    const pointer = toPointer(["workflow", "states", from, "on", event, ...(Array.isArray(on) ? [index] : [])]);
    return { event, path: pointer, t: list[index] as TransitionConfig | undefined };
  });
}

const GRANTS = new Set<ActionName>(["issuePermit", "issueResult"]);

/**
 * Rule 11 (a warning): a path that grants — issues a permit, or ends approved with a result letter — should
 * have a four-eyes rule on it: some transition whose actor must differ from the actor of an earlier one on
 * the same path. Reported once per granting transition, on the shortest such path.
 */
function fourEyesFindings(wf: WorkflowConfig, paths: FinishingPath[]): VerificationFinding[] {
  const byPointer = new Map<string, FinishingPath>();
  for (const p of paths) {
    const steps = pathTransitions(wf, p);
    const approved = wf.states[p.end]?.meta.outcome === "approved";
    const granting = steps.filter(({ t }) => t?.actions?.some((a) => a.type === "issuePermit" || (approved && GRANTS.has(a.type))));
    if (granting.length === 0) continue;
    const guarded = steps.some(({ t }, j) => (t?.meta.differentActorFrom ?? []).some((other) => steps.slice(0, j).some((s) => s.event === other)));
    if (guarded) continue;
    const at = granting[granting.length - 1].path;
    const known = byPointer.get(at);
    if (!known || p.states.length < known.states.length) byPointer.set(at, p);
  }
  return [...byPointer].map(([path, p]) => {
    const th = p.states.map((s) => wf.states[s]?.meta.label.th ?? s).join(" → ");
    const en = p.states.map((s) => wf.states[s]?.meta.label.en ?? s).join(" → ");
    return {
      rule: "four-eyes" as const,
      path,
      message: {
        th: `เส้นทาง ${th} ออกใบอนุญาตหรือผลการพิจารณาโดยไม่มีขั้นตอนใดกำหนดให้ต้องเป็นคนละคนกับผู้ทำขั้นตอนก่อนหน้า (หลักสี่ตา): เลือก "ต้องทำโดยผู้อื่นที่ไม่ใช่ผู้ที่…" เช่น ที่การอนุมัติ`,
        en: `The path ${en} grants a permit or result with no step that must be done by someone other than whoever did an earlier step (four eyes): tick "must be done by someone other than whoever did…", e.g. on the approval`,
      },
    };
  });
}

/** Rule 8: the longest happy path's SLA (paused states excluded) fits within manifest.statutoryDays. */
function slaFindings(def: ServiceDefinition, paths: FinishingPath[]): VerificationFinding[] {
  const wf = def.workflow;
  const finals = Object.entries(wf.states).filter(([, s]) => s.type === "final");
  const approved = new Set(finals.filter(([, s]) => s.meta.outcome === "approved").map(([n]) => n));
  const happyEnds = approved.size > 0 ? approved : new Set(finals.map(([n]) => n));
  const days = (s: string) => (wf.states[s]?.meta.pausesSla ? 0 : (wf.states[s]?.meta.slaDays ?? 0));
  let longest: { states: string[]; total: number } | undefined;
  for (const p of paths) {
    if (!happyEnds.has(p.end)) continue;
    const total = p.states.reduce((sum, s) => sum + days(s), 0);
    if (!longest || total > longest.total) longest = { states: p.states, total };
  }
  if (!longest || longest.total <= def.manifest.statutoryDays) return [];
  const counted = longest.states.filter((s) => days(s) > 0);
  const th = counted.map((s) => `${wf.states[s].meta.label.th} (${s}) ${days(s)} วัน`).join(" → ");
  const en = counted.map((s) => `${wf.states[s].meta.label.en} (${s}) ${days(s)} days`).join(" → ");
  return [
    {
      rule: "sla-fits",
      path: "/manifest/statutoryDays",
      message: {
        th: `เส้นทางที่ยาวที่สุดจนอนุมัติใช้เวลารวม ${longest.total} วัน เกินกำหนดตามกฎหมาย ${def.manifest.statutoryDays} วัน: ${th}`,
        en: `The longest path to approval takes ${longest.total} days in total, more than the statutory ${def.manifest.statutoryDays} days: ${en}`,
      },
    },
  ];
}

/* Rule 10 (second interpretation): fields that exist only inside a conditional branch whose condition
 * names a property that does not exist, and that nothing refers to. */

function leafPointers(node: unknown, base: string[]): { data: string; schema: string[] }[] {
  if (!isObject(node) || !isObject(node.properties)) return [];
  const out: { data: string; schema: string[] }[] = [];
  for (const [key, child] of Object.entries(node.properties as Record<string, unknown>)) {
    const schemaPath = [...base, "properties", key];
    if (isObject(child) && child.type === "object" && isObject(child.properties) && child.format !== "thai-address") {
      for (const inner of leafPointers(child, schemaPath)) out.push({ data: toPointer([key]) + inner.data, schema: inner.schema });
    } else out.push({ data: toPointer([key]), schema: schemaPath });
  }
  return out;
}

function conditionNames(condition: unknown): string[] {
  if (!isObject(condition)) return [];
  const names = new Set<string>();
  if (isObject(condition.properties)) for (const k of Object.keys(condition.properties)) names.add(k);
  if (Array.isArray(condition.required)) for (const k of condition.required) names.add(String(k));
  return [...names];
}

function unreachableFieldFindings(def: ServiceDefinition): VerificationFinding[] {
  const referenced = new Set<string>();
  const m = def.manifest;
  for (const p of Object.values(m.summary ?? {})) if (p) referenced.add(p);
  for (const d of m.documents ?? []) if (d.field) referenced.add(d.field);
  for (const p of Object.values(m.permit?.fields ?? {})) referenced.add(p);
  if (m.permit?.renewalOf) referenced.add(m.permit.renewalOf);
  for (const fee of m.fees ?? []) for (const c of fee.when ?? []) if (typeof c.params?.field === "string") referenced.add(c.params.field);
  for (const { t } of rawTransitions(def.workflow)) {
    const guard = t.guard;
    if (isObject(guard) && isObject(guard.params) && typeof guard.params.field === "string") referenced.add(guard.params.field);
  }
  const findings: VerificationFinding[] = [];
  const visit = (node: unknown, schemaPath: string[], dataPath: string) => {
    if (!isObject(node)) return;
    const props = isObject(node.properties) ? (node.properties as Record<string, unknown>) : {};
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    const branches: { names: string[]; schema: unknown; at: string[] }[] = [];
    if (node.if !== undefined) {
      const names = conditionNames(node.if);
      if (node.then !== undefined) branches.push({ names, schema: node.then, at: [...schemaPath, "then"] });
      if (node.else !== undefined) branches.push({ names, schema: node.else, at: [...schemaPath, "else"] });
    }
    if (isObject(node.dependencies)) {
      for (const [name, dep] of Object.entries(node.dependencies)) branches.push({ names: [name], schema: dep, at: [...schemaPath, "dependencies", name] });
    }
    for (const branch of branches) {
      const missing = branch.names.filter((n) => !(n in props));
      if (missing.length === 0) continue;
      for (const leaf of leafPointers(branch.schema, branch.at)) {
        const pointer = dataPath + leaf.data;
        const top = leaf.data.split("/")[1];
        if (top in props || required.has(top) || referenced.has(pointer)) continue;
        findings.push({
          rule: "unreachable-field",
          path: toPointer(["form", "schema", ...leaf.schema]),
          field: pointer,
          message: {
            th: `ช่อง "${pointer}" จะไม่แสดง: เงื่อนไขอ้างถึงช่อง "${missing.join(", ")}" ที่ไม่มีในแบบฟอร์ม`,
            en: `Field "${pointer}" can never be shown: its condition refers to "${missing.join(", ")}", which the form does not have`,
          },
        });
      }
    }
    for (const [key, child] of Object.entries(props)) visit(child, [...schemaPath, "properties", key], dataPath + toPointer([key]));
  };
  visit(def.form.schema, [], "");
  return findings;
}

const WARNING_RULES = new Set<VerificationRule>(["unreachable-field", "four-eyes", "fee-request"]);
const BLOCKS_GRAPH = new Set<VerificationRule>(["structure", "catalogue"]);

export function verifyServiceDefinition(def: ServiceDefinition, context: VerificationContext): VerificationReport {
  const roleFindings = checkRoles(def, context);
  const findings = [...roleFindings, ...structuralFindings(def, roleFindings)];
  if (!findings.some((f) => BLOCKS_GRAPH.has(f.rule))) {
    try {
      const graph = analyseWorkflow(def.workflow);
      findings.push(...graphFindings(def, graph, findings.some((f) => f.rule === "permit-path")));
    } catch (error) {
      findings.push({
        rule: "structure",
        path: "/workflow",
        message: {
          th: `วิเคราะห์ขั้นตอนงานไม่ได้: ${(error as Error).message}`,
          en: `The workflow could not be analysed: ${(error as Error).message}`,
        },
      });
    }
    findings.push(...unreachableFieldFindings(def));
  }
  const errors = findings.filter((f) => !WARNING_RULES.has(f.rule));
  const warnings = findings.filter((f) => WARNING_RULES.has(f.rule));
  return { ok: errors.length === 0, errors, warnings };
}
