/**
 * The studio's workflow builder: the diagram (click a step to edit it) beside a panel of forms for the
 * selected step, its outgoing actions, and new steps/actions. Every edit goes through the pure
 * operations of app/core/studio/workflow-builder.ts; when one refuses (AppError) its message is shown
 * and the workflow stays as it was. Edits apply as they are typed (the studio saves drafts by itself);
 * text fields keep what is being typed locally, so a field may be emptied on the way to a new value.
 * Server-rendered: nothing here reads `window` or makes random ids during render.
 */
import { useState, type ReactNode } from "react";
import { WorkflowDiagram } from "~/components/WorkflowDiagram";
import {
  addState,
  addTransition,
  fourEyesChoices,
  insertStateBetween,
  OUTCOMES,
  outgoingTransitions,
  removeState,
  removeTransition,
  setInitialState,
  TONES,
  updateState,
  updateTransition,
  type Outcome,
  type RemovedTransition,
  type TransitionEntry,
  type TransitionPatch,
} from "~/core/studio/workflow-builder";
import { isAppError } from "~/core/errors";
import type { Lang, LocalizedText } from "~/core/text";
import { ACTION_NAMES, ACTIONS, actionSpec, GUARDS, isActionName, type ActionName } from "~/core/workflow/catalogue";
import { ROLE_LABELS } from "~/core/workflow/labels";
import type { ActionRef, NamedRef, WorkflowConfig } from "~/core/workflow/types";

export type BuilderFormField = { pointer: string; title: string; options?: Record<string, string> };

export type WorkflowBuilderProps = {
  workflow: WorkflowConfig;
  lang: Lang;
  /** The agency's staff roles; "applicant" is always offered as well. */
  staffRoles: string[];
  /** The form's fields, for the condition field pickers (FormField from app/core/forms/form-fields.ts fits). */
  formFields: BuilderFormField[];
  /** Whether the service issues permits: only then is "issue the permit" offered as an action. */
  issuesPermit: boolean;
  /** The manifest's fee lines: only when there are some is "ask for the fee" (requestPayment) offered. */
  fees?: readonly unknown[];
  onChange: (wf: WorkflowConfig) => void;
  /** The step selected at first; the starting step when absent. */
  initialSelection?: string;
};

const TEXT = {
  th: {
    diagram: "แผนภาพขั้นตอนงาน (คลิกขั้นตอนเพื่อแก้ไข)",
    pickState: "ขั้นตอนที่แก้ไข",
    startMark: "เริ่มต้น",
    finalMark: "สุดท้าย",
    stateHeading: "ขั้นตอน",
    id: "รหัส",
    labelTh: "ชื่อขั้นตอน (ภาษาไทย)",
    labelEn: "ชื่อขั้นตอน (ภาษาอังกฤษ)",
    descTh: "คำอธิบาย (ภาษาไทย)",
    descEn: "คำอธิบาย (ภาษาอังกฤษ)",
    pairHint: "กรอกทั้งสองภาษา หรือเว้นว่างทั้งสองช่อง",
    sla: "ระยะเวลาที่กำหนด (วันทำการ)",
    slaHint: "เว้นว่างถ้าไม่กำหนด",
    pausesSla: "หยุดนับเวลาระหว่างรอผู้ยื่นคำขอ",
    final: "เป็นขั้นตอนสุดท้าย",
    outcome: "ผลของคำขอ",
    noOutcome: "— ไม่ระบุ —",
    outcomes: { approved: "อนุญาต/อนุมัติ", rejected: "ไม่อนุญาต", answered: "ตอบแล้ว", withdrawn: "ผู้ยื่นยกเลิก", referred: "ส่งต่อหน่วยงานอื่น" },
    isStart: "คำขอทุกเรื่องเริ่มที่ขั้นตอนนี้",
    setStart: "ตั้งเป็นขั้นตอนเริ่มต้น",
    removeState: "ลบขั้นตอนนี้",
    transitions: "การดำเนินการจากขั้นตอนนี้",
    noTransitions: "ยังไม่มีการดำเนินการ ขั้นตอนนี้จะเป็นทางตันจนกว่าจะเพิ่ม",
    finalNoTransitions: "ขั้นตอนสุดท้ายไม่มีการดำเนินการต่อ",
    event: "รหัสการดำเนินการ",
    branch: "ทางเลือกที่",
    trLabelTh: "ชื่อปุ่ม (ภาษาไทย)",
    trLabelEn: "ชื่อปุ่ม (ภาษาอังกฤษ)",
    target: "ไปยังขั้นตอน",
    chooseTarget: "— เลือกขั้นตอน —",
    roles: "ผู้ที่ดำเนินการได้",
    commentRequired: "ต้องระบุความเห็น",
    differentActorFrom: "ต้องทำโดยผู้อื่นที่ไม่ใช่ผู้ที่… (หลักสี่ตา)",
    differentActorFromHint: "ผู้ยื่นคำขอไม่สามารถดำเนินการในฐานะเจ้าหน้าที่กับคำขอของตนเองได้เสมอ",
    tone: "รูปแบบปุ่ม",
    tones: { none: "ไม่ระบุ", primary: "ปุ่มหลัก", neutral: "ปุ่มทั่วไป", danger: "ปุ่มเตือน (เช่น ไม่อนุญาต)" },
    guard: "เงื่อนไข",
    noGuard: "ไม่มีเงื่อนไข",
    field: "ช่องในแบบฟอร์ม",
    chooseField: "— เลือกช่อง —",
    value: "ค่า",
    number: "ตัวเลข",
    values: "ค่าที่ยอมรับ (บรรทัดละหนึ่งค่า)",
    acceptedValues: "ค่าที่ยอมรับ",
    actions: "สิ่งที่ระบบทำเมื่อดำเนินการ",
    noActions: "ไม่มี",
    chooseAction: "— เลือกสิ่งที่ให้ระบบทำ —",
    addAction: "เพิ่ม",
    removeAction: "นำออก",
    messageTh: "ข้อความแจ้ง (ภาษาไทย ไม่บังคับ)",
    messageEn: "ข้อความแจ้ง (ภาษาอังกฤษ ไม่บังคับ)",
    kind: "ชนิดหนังสือแจ้งผล",
    kinds: { approval: "อนุญาต/อนุมัติ", rejection: "ไม่อนุญาต", answer: "ตอบคำถาม/คำร้อง", acknowledgement: "รับทราบ" } as Record<string, string>,
    removeTransition: "ลบการดำเนินการนี้",
    insertStep: "แทรกขั้นตอนตรงนี้",
    insertHeading: "แทรกขั้นตอนใหม่ก่อน",
    newLabelTh: "ชื่อขั้นตอนใหม่ (ภาษาไทย)",
    newLabelEn: "ชื่อขั้นตอนใหม่ (ภาษาอังกฤษ)",
    nextLabelTh: "ปุ่มไปขั้นตอนถัดไป (ภาษาไทย)",
    nextLabelEn: "ปุ่มไปขั้นตอนถัดไป (ภาษาอังกฤษ)",
    nextRoles: "ผู้ที่ส่งต่อไปขั้นตอนถัดไปได้",
    insertSubmit: "แทรกขั้นตอน",
    cancel: "ยกเลิก",
    addTransition: "เพิ่มการดำเนินการจากขั้นตอนนี้",
    addTransitionSubmit: "เพิ่มการดำเนินการ",
    addState: "เพิ่มขั้นตอนใหม่",
    addStateHint: "ขั้นตอนใหม่ยังไม่มีทางเข้า: เพิ่มการดำเนินการที่ไปยังขั้นตอนนั้นจากขั้นตอนอื่น",
    addStateSubmit: "เพิ่มขั้นตอน",
    removed: "ลบขั้นตอนแล้ว",
    removedTransitions: "และลบการดำเนินการที่ไปยังขั้นตอนนั้น:",
    roleNames: {
      applicant: "ผู้ยื่นคำขอ",
      officer: "เจ้าหน้าที่",
      inspector: "เจ้าพนักงานผู้ตรวจ",
      approver: "ผู้อนุญาต",
      cashier: "เจ้าหน้าที่การเงิน",
    } as Record<string, string>,
  },
  en: {
    diagram: "Workflow diagram (click a step to edit it)",
    pickState: "Step being edited",
    startMark: "start",
    finalMark: "final",
    stateHeading: "Step",
    id: "Id",
    labelTh: "Step name (Thai)",
    labelEn: "Step name (English)",
    descTh: "Description (Thai)",
    descEn: "Description (English)",
    pairHint: "Fill in both languages, or leave both empty",
    sla: "Time limit (working days)",
    slaHint: "Leave empty for no limit",
    pausesSla: "The clock stops while waiting for the applicant",
    final: "Final step",
    outcome: "Outcome of the application",
    noOutcome: "— none —",
    outcomes: { approved: "Approved", rejected: "Rejected", answered: "Answered", withdrawn: "Withdrawn", referred: "Referred to another agency" },
    isStart: "Every application starts at this step",
    setStart: "Make this the starting step",
    removeState: "Remove this step",
    transitions: "Actions from this step",
    noTransitions: "No actions yet: this step is a dead end until you add one",
    finalNoTransitions: "A final step has no further actions",
    event: "Action id",
    branch: "Branch",
    trLabelTh: "Button label (Thai)",
    trLabelEn: "Button label (English)",
    target: "Goes to step",
    chooseTarget: "— choose a step —",
    roles: "Who may do it",
    commentRequired: "Comment required",
    differentActorFrom: "Must be done by someone other than whoever did… (four eyes)",
    differentActorFromHint: "Whoever filed an application can never act on it as staff, in any case",
    tone: "Button style",
    tones: { none: "Not set", primary: "Main button", neutral: "Ordinary button", danger: "Warning button (e.g. reject)" },
    guard: "Condition",
    noGuard: "No condition",
    field: "Form field",
    chooseField: "— choose a field —",
    value: "Value",
    number: "Number",
    values: "Accepted values (one per line)",
    acceptedValues: "Accepted values",
    actions: "What the system does",
    noActions: "Nothing",
    chooseAction: "— choose what the system does —",
    addAction: "Add",
    removeAction: "Remove",
    messageTh: "Message (Thai, optional)",
    messageEn: "Message (English, optional)",
    kind: "Kind of result letter",
    kinds: { approval: "Approval", rejection: "Rejection", answer: "Answer", acknowledgement: "Acknowledgement" } as Record<string, string>,
    removeTransition: "Remove this action",
    insertStep: "Insert a step here",
    insertHeading: "Insert a new step before",
    newLabelTh: "New step name (Thai)",
    newLabelEn: "New step name (English)",
    nextLabelTh: "Button to the next step (Thai)",
    nextLabelEn: "Button to the next step (English)",
    nextRoles: "Who moves it on to the next step",
    insertSubmit: "Insert the step",
    cancel: "Cancel",
    addTransition: "Add an action from this step",
    addTransitionSubmit: "Add the action",
    addState: "Add a new step",
    addStateHint: "A new step has no way in yet: add an action leading to it from another step",
    addStateSubmit: "Add the step",
    removed: "Step removed",
    removedTransitions: "along with the actions that led to it:",
    roleNames: {
      applicant: "Applicant",
      officer: "Officer",
      inspector: "Inspector",
      approver: "Approver",
      cashier: "Cashier",
    } as Record<string, string>,
  },
};

type Text = (typeof TEXT)["th"];


/** Runs an operation; shows its refusal instead of changing the workflow. True when it was applied. */
type Apply = (op: () => WorkflowConfig) => boolean;

type Ctx = {
  workflow: WorkflowConfig;
  lang: Lang;
  t: Text;
  roles: string[];
  formFields: BuilderFormField[];
  issuesPermit: boolean;
  fees: readonly unknown[];
  apply: Apply;
};

const say = (text: LocalizedText | undefined, lang: Lang) => (text ? text[lang] || text.th || text.en : "");
const stateName = (wf: WorkflowConfig, id: string, lang: Lang) => say(wf.states[id]?.meta.label, lang) || id;
const roleName = (role: string, t: Text) => t.roleNames[role] ?? role;
const entryKey = (e: TransitionEntry) => `${e.event}:${e.index ?? ""}`;
/** One block per transition; a guarded alternative after the first adds its index. */
const transitionTestId = (e: TransitionEntry) => `wb-transition-${e.event}${e.index ? `-${e.index}` : ""}`;

// ---------------------------------------------------------------------------------------------

export function WorkflowBuilder({ workflow, lang, staffRoles, formFields, issuesPermit, fees = [], onChange, initialSelection }: WorkflowBuilderProps) {
  const t = TEXT[lang];
  const [selected, setSelected] = useState(initialSelection ?? workflow.initial);
  const [error, setError] = useState<LocalizedText | null>(null);
  const [removed, setRemoved] = useState<{ label: LocalizedText; transitions: RemovedTransition[] } | null>(null);
  const [focused, setFocused] = useState<string | null>(null);

  const stateIds = Object.keys(workflow.states);
  const current = Object.hasOwn(workflow.states, selected) ? selected : Object.hasOwn(workflow.states, workflow.initial) ? workflow.initial : stateIds[0];
  const roles = [...new Set(["applicant", ...staffRoles])];

  const apply: Apply = (op) => {
    try {
      const next = op();
      setError(null);
      setRemoved(null);
      onChange(next);
      return true;
    } catch (e) {
      if (!isAppError(e)) throw e;
      setError(e.text);
      return false;
    }
  };

  const select = (id: string) => {
    setSelected(id);
    setFocused(null);
    setError(null);
  };

  const ctx: Ctx = { workflow, lang, t, roles, formFields, issuesPermit, fees, apply };

  const onRemoveState = () => {
    const label = workflow.states[current].meta.label;
    const report: { transitions: RemovedTransition[] } = { transitions: [] };
    const done = apply(() => {
      const result = removeState(workflow, current);
      report.transitions = result.removedTransitions;
      return result.workflow;
    });
    if (done) {
      setRemoved({ label, transitions: report.transitions });
      setSelected(workflow.initial);
    }
  };

  return (
    <div className="bk-wb" data-workflow={workflow.id}>
      <div className="bk-wb-diagram bk-card" data-testid="wb-diagram">
        <WorkflowDiagram
          config={workflow}
          lang={lang}
          title={t.diagram}
          roleLabels={ROLE_LABELS}
          selectedState={current}
          onSelectState={select}
          onSelectTransition={(from, event) => {
            select(from);
            setFocused(event);
          }}
        />
      </div>

      <div className="bk-wb-panel">
        {error ? (
          <div className="bk-alert error bk-wb-error" role="alert" data-testid="wb-error">
            {say(error, lang)}
          </div>
        ) : null}
        {removed ? (
          <div className="bk-alert ok" role="status" data-testid="wb-removed">
            {t.removed}: {say(removed.label, lang)}
            {removed.transitions.length > 0 ? (
              <>
                {" "}
                {t.removedTransitions}{" "}
                {removed.transitions.map((r) => `${say(r.label, lang)} (${stateName(workflow, r.from, lang)})`).join(", ")}
              </>
            ) : null}
          </div>
        ) : null}

        <label className="bk-field bk-wb-picker">
          {t.pickState}
          <select value={current} onChange={(e) => select(e.target.value)} data-testid="wb-state-select">
            {stateIds.map((id) => {
              const marks = [id === workflow.initial ? t.startMark : "", workflow.states[id].type === "final" ? t.finalMark : ""].filter(Boolean);
              return (
                <option key={id} value={id}>
                  {stateName(workflow, id, lang)} ({id}){marks.length ? ` · ${marks.join(", ")}` : ""}
                </option>
              );
            })}
          </select>
        </label>

        {current ? (
          <StateEditor key={current} ctx={ctx} id={current} focused={focused} onRemove={onRemoveState} />
        ) : null}

        <AddStateForm ctx={ctx} />
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The selected step

function StateEditor({ ctx, id, focused, onRemove }: { ctx: Ctx; id: string; focused: string | null; onRemove: () => void }) {
  const { workflow, lang, t, apply } = ctx;
  const state = workflow.states[id];
  const meta = state.meta;
  const isFinal = state.type === "final";
  const isStart = id === workflow.initial;
  const entries = outgoingTransitions(workflow, id);

  return (
    <section className="bk-card bk-wb-state" data-state-editor={id} aria-label={`${t.stateHeading}: ${stateName(workflow, id, lang)}`}>
      <h3 className="bk-wb-heading">
        {t.stateHeading}: {stateName(workflow, id, lang)}{" "}
        <span className="bk-muted bk-wb-id">
          {t.id} <code>{id}</code>
        </span>
        {isStart ? <span className="bk-badge">{t.startMark}</span> : null}
        {isFinal ? <span className="bk-badge done">{t.finalMark}</span> : null}
      </h3>

      <LocalizedFields
        value={meta.label}
        labels={{ th: t.labelTh, en: t.labelEn }}
        testIds={{ th: "wb-state-label-th", en: "wb-state-label-en" }}
        onCommit={(label) => apply(() => updateState(workflow, id, { label: label ?? { th: "", en: "" } }))}
      />
      <LocalizedFields
        value={meta.description}
        optional
        multiline
        hint={t.pairHint}
        labels={{ th: t.descTh, en: t.descEn }}
        testIds={{ th: "wb-state-description-th", en: "wb-state-description-en" }}
        onCommit={(description) => apply(() => updateState(workflow, id, { description: description ?? null }))}
      />

      <div className="bk-wb-row">
        <label className="bk-field bk-wb-narrow">
          {t.sla}
          <DraftInput
            type="number"
            min={0}
            max={365}
            step={1}
            value={meta.slaDays === undefined ? "" : String(meta.slaDays)}
            onCommit={(v) => apply(() => updateState(workflow, id, { slaDays: v.trim() === "" ? null : Number(v) }))}
            testId="wb-state-sla"
            placeholder={t.slaHint}
          />
        </label>
        <label className="bk-wb-check">
          <input
            type="checkbox"
            checked={meta.pausesSla === true}
            onChange={(e) => apply(() => updateState(workflow, id, { pausesSla: e.target.checked }))}
            data-testid="wb-state-pauses-sla"
          />
          {t.pausesSla}
        </label>
      </div>

      <div className="bk-wb-row">
        <label className="bk-wb-check">
          <input
            type="checkbox"
            checked={isFinal}
            onChange={(e) => apply(() => updateState(workflow, id, { final: e.target.checked }))}
            data-testid="wb-state-final"
          />
          {t.final}
        </label>
        <OutcomeSelect
          t={t}
          value={meta.outcome ?? ""}
          disabled={!isFinal}
          onChange={(outcome) => apply(() => updateState(workflow, id, { outcome: outcome === "" ? null : outcome }))}
          testId="wb-state-outcome"
        />
      </div>

      <div className="bk-wb-buttons">
        {isStart ? (
          <span className="bk-muted">{t.isStart}</span>
        ) : (
          <button
            type="button"
            className="bk-button secondary"
            disabled={isFinal}
            onClick={() => apply(() => setInitialState(workflow, id))}
            data-testid="wb-state-set-initial"
          >
            {t.setStart}
          </button>
        )}
        <button type="button" className="bk-button danger" onClick={onRemove} data-testid="wb-state-remove">
          {t.removeState}
        </button>
      </div>

      <h4 className="bk-wb-subheading">{t.transitions}</h4>
      {isFinal && entries.length === 0 ? <p className="bk-muted">{t.finalNoTransitions}</p> : null}
      {!isFinal && entries.length === 0 ? <p className="bk-alert warn">{t.noTransitions}</p> : null}
      <div className="bk-wb-transitions">
        {entries.map((entry) => (
          <TransitionEditor key={entryKey(entry)} ctx={ctx} from={id} entry={entry} focused={focused === entry.event} />
        ))}
      </div>

      {isFinal ? null : <AddTransitionForm ctx={ctx} from={id} />}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// One outgoing transition

function TransitionEditor({ ctx, from, entry, focused }: { ctx: Ctx; from: string; entry: TransitionEntry; focused: boolean }) {
  const { workflow, lang, t, apply } = ctx;
  const { event, index, transition: tr } = entry;
  const [inserting, setInserting] = useState(false);
  const patch = (p: TransitionPatch) => apply(() => updateTransition(workflow, from, event, p, index));
  const roleChoices = [...new Set([...ctx.roles, ...tr.meta.roles])];

  return (
    <article className={`bk-wb-transition${focused ? " is-focused" : ""}`} data-testid={transitionTestId(entry)} data-event={event}>
      <header className="bk-wb-transition-head">
        <strong>{say(tr.meta.label, lang)}</strong>
        <span aria-hidden="true"> → </span>
        <span>{stateName(workflow, tr.target, lang)}</span>
        <span className="bk-muted"> · {tr.meta.roles.map((r) => roleName(r, t)).join(", ")}</span>
      </header>
      <p className="bk-muted bk-wb-event">
        {t.event}: <code>{event}</code>
        {index !== undefined ? ` · ${t.branch} ${index + 1}` : ""}
      </p>

      <LocalizedFields
        value={tr.meta.label}
        labels={{ th: t.trLabelTh, en: t.trLabelEn }}
        testIds={{ th: `wb-tr-label-th`, en: `wb-tr-label-en` }}
        onCommit={(label) => patch({ label: label ?? { th: "", en: "" } })}
      />

      <div className="bk-wb-row">
        <label className="bk-field">
          {t.target}
          <select value={tr.target} onChange={(e) => patch({ target: e.target.value })} data-testid="wb-tr-target">
            <StateOptions workflow={workflow} lang={lang} />
          </select>
        </label>
        <ChoiceSelect
          label={t.tone}
          noneLabel={t.tones.none}
          choices={TONES}
          choiceLabels={t.tones}
          value={tr.meta.tone ?? ""}
          onChange={(tone) => patch({ tone: tone === "" ? null : tone })}
          testId="wb-tr-tone"
        />
      </div>

      <RoleChecks
        legend={t.roles}
        t={t}
        roles={roleChoices}
        checked={tr.meta.roles}
        testIdPrefix="wb-tr-role-"
        onChange={(roles) => patch({ roles })}
      />
      <label className="bk-wb-check">
        <input
          type="checkbox"
          checked={tr.meta.commentRequired === true}
          onChange={(e) => patch({ commentRequired: e.target.checked })}
          data-testid="wb-tr-comment"
        />
        {t.commentRequired}
      </label>

      <FourEyesChecks ctx={ctx} from={from} entry={entry} onChange={(differentActorFrom) => patch({ differentActorFrom })} />

      <GuardEditor ctx={ctx} guard={tr.guard} onChange={(guard) => patch({ guard })} />
      <ActionsEditor ctx={ctx} actions={tr.actions ?? []} onChange={(actions) => patch({ actions })} />

      <div className="bk-wb-buttons">
        <button type="button" className="bk-button secondary" onClick={() => setInserting((v) => !v)} aria-expanded={inserting} data-testid="wb-insert-step">
          {t.insertStep}
        </button>
        <button
          type="button"
          className="bk-button danger"
          onClick={() => apply(() => removeTransition(workflow, from, event, index))}
          data-testid="wb-tr-remove"
        >
          {t.removeTransition}
        </button>
      </div>

      {inserting ? <InsertStepForm ctx={ctx} from={from} entry={entry} onDone={() => setInserting(false)} /> : null}
    </article>
  );
}

function defaultGuard(type: string, previous: NamedRef | undefined, fields: BuilderFormField[]): NamedRef {
  const properties = (GUARDS[type]?.params.properties ?? {}) as Record<string, { type?: string }>;
  const prevField = typeof previous?.params?.field === "string" ? previous.params.field : undefined;
  const field = prevField ?? fields[0]?.pointer ?? "";
  const firstOption = Object.keys(fields.find((f) => f.pointer === field)?.options ?? {})[0];
  const params: Record<string, unknown> = {};
  if ("field" in properties) params.field = field;
  if ("value" in properties) params.value = properties.value.type === "number" ? 0 : (firstOption ?? "");
  if ("values" in properties) params.values = [firstOption ?? ""];
  return { type, params };
}

function GuardEditor({ ctx, guard, onChange }: { ctx: Ctx; guard: NamedRef | undefined; onChange: (guard: NamedRef | null) => void }) {
  const { lang, t, formFields } = ctx;
  const params = guard?.params ?? {};
  const field = typeof params.field === "string" ? params.field : "";
  const info = formFields.find((f) => f.pointer === field);
  const options = info?.options;
  const properties = ((guard && GUARDS[guard.type]?.params.properties) ?? {}) as Record<string, { type?: string }>;
  const setParams = (p: Record<string, unknown>) => guard && onChange({ type: guard.type, params: { ...params, ...p } });
  const titleCount = new Map<string, number>();
  for (const f of formFields) titleCount.set(f.title, (titleCount.get(f.title) ?? 0) + 1);
  const fieldText = (f: BuilderFormField) => ((titleCount.get(f.title) ?? 0) > 1 ? `${f.title} (${f.pointer})` : f.title);

  const changeField = (pointer: string) => {
    const opts = formFields.find((f) => f.pointer === pointer)?.options;
    const keys = opts ? Object.keys(opts) : undefined;
    const p: Record<string, unknown> = { field: pointer };
    if (keys && "value" in params && properties.value?.type !== "number" && !keys.includes(String(params.value))) p.value = keys[0];
    if (keys && Array.isArray(params.values)) {
      const kept = params.values.filter((v) => keys.includes(String(v)));
      p.values = kept.length > 0 ? kept : [keys[0]];
    }
    setParams(p);
  };

  return (
    <fieldset className="bk-wb-guard">
      <legend>{t.guard}</legend>
      <select
        value={guard?.type ?? ""}
        onChange={(e) => onChange(e.target.value === "" ? null : defaultGuard(e.target.value, guard, formFields))}
        aria-label={t.guard}
        data-testid="wb-tr-guard"
      >
        <option value="">{t.noGuard}</option>
        {Object.entries(GUARDS).map(([name, entry]) => (
          <option key={name} value={name}>
            {say(entry.label, lang)}
          </option>
        ))}
        {guard && !GUARDS[guard.type] ? <option value={guard.type}>{guard.type}</option> : null}
      </select>

      {guard && "field" in properties ? (
        <label className="bk-field">
          {t.field}
          <select value={field} onChange={(e) => changeField(e.target.value)} data-testid="wb-tr-guard-field">
            {field === "" ? <option value="">{t.chooseField}</option> : null}
            {formFields.map((f) => (
              <option key={f.pointer} value={f.pointer}>
                {fieldText(f)}
              </option>
            ))}
            {field !== "" && !info ? <option value={field}>{field}</option> : null}
          </select>
        </label>
      ) : null}

      {guard && "value" in properties ? (
        <label className="bk-field">
          {properties.value.type === "number" ? t.number : t.value}
          {properties.value.type === "number" ? (
            <DraftInput
              type="number"
              value={typeof params.value === "number" ? String(params.value) : ""}
              onCommit={(v) => setParams({ value: v.trim() === "" ? Number.NaN : Number(v) })}
              testId="wb-tr-guard-value"
            />
          ) : options ? (
            <select value={String(params.value ?? "")} onChange={(e) => setParams({ value: e.target.value })} data-testid="wb-tr-guard-value">
              {Object.entries(options).map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
              {!(String(params.value ?? "") in options) ? <option value={String(params.value ?? "")}>{String(params.value ?? "")}</option> : null}
            </select>
          ) : (
            <DraftInput value={String(params.value ?? "")} onCommit={(v) => setParams({ value: v })} testId="wb-tr-guard-value" />
          )}
        </label>
      ) : null}

      {guard && "values" in properties ? (
        options ? (
          <fieldset className="bk-wb-checks" data-testid="wb-tr-guard-values">
            <legend>{t.acceptedValues}</legend>
            {Object.entries(options).map(([value, text]) => {
              const list = Array.isArray(params.values) ? params.values.map(String) : [];
              return (
                <label key={value} className="bk-wb-check">
                  <input
                    type="checkbox"
                    checked={list.includes(value)}
                    onChange={(e) =>
                      setParams({ values: Object.keys(options).filter((k) => (k === value ? e.target.checked : list.includes(k))) })
                    }
                  />
                  {text}
                </label>
              );
            })}
          </fieldset>
        ) : (
          <label className="bk-field">
            {t.values}
            <DraftInput
              multiline
              value={Array.isArray(params.values) ? params.values.map(String).join("\n") : ""}
              onCommit={(v) => setParams({ values: v.split("\n").map((s) => s.trim()).filter(Boolean) })}
              testId="wb-tr-guard-values"
            />
          </label>
        )
      ) : null}
    </fieldset>
  );
}

function defaultAction(type: ActionName): ActionRef {
  const schema: Record<string, unknown> = ACTIONS[type].params;
  const properties = (schema.properties ?? {}) as Record<string, { enum?: unknown[] }>;
  const required = (schema.required ?? []) as string[];
  const params: Record<string, unknown> = {};
  for (const name of required) if (properties[name]?.enum) params[name] = properties[name].enum?.[0];
  return Object.keys(params).length > 0 ? { type, params } : { type };
}

function ActionsEditor({ ctx, actions, onChange }: { ctx: Ctx; actions: ActionRef[]; onChange: (actions: ActionRef[]) => void }) {
  const { lang, t, issuesPermit, fees } = ctx;
  const [choice, setChoice] = useState("");
  const offered = ACTION_NAMES.filter((name) => actionSpec(name).offeredFor?.({ issuesPermit, fees }) ?? true);
  const replace = (i: number, action: ActionRef) => onChange(actions.map((a, j) => (j === i ? action : a)));

  return (
    <fieldset className="bk-wb-actions">
      <legend>{t.actions}</legend>
      {actions.length === 0 ? <p className="bk-muted">{t.noActions}</p> : null}
      <ol className="bk-wb-action-list">
        {actions.map((action, i) => {
          const entry = ACTIONS[action.type] as (typeof ACTIONS)[ActionName] | undefined;
          const message = action.params?.message as LocalizedText | undefined;
          return (
            <li key={`${i}:${action.type}`} className="bk-wb-action" data-action={action.type}>
              <div className="bk-wb-action-head">
                <span>{entry ? say(entry.label, lang) : action.type}</span>
                <button
                  type="button"
                  className="bk-button secondary bk-wb-small"
                  onClick={() => onChange(actions.filter((_, j) => j !== i))}
                  data-testid="wb-tr-action-remove"
                >
                  {t.removeAction}
                </button>
              </div>
              {action.type === "notifyApplicant" ? (
                <LocalizedFields
                  value={message}
                  optional
                  hint={t.pairHint}
                  labels={{ th: t.messageTh, en: t.messageEn }}
                  testIds={{ th: "wb-tr-action-message-th", en: "wb-tr-action-message-en" }}
                  onCommit={(m) => replace(i, m ? { type: action.type, params: { ...action.params, message: m } } : { type: action.type })}
                />
              ) : null}
              {action.type === "issueResult" ? (
                <label className="bk-field">
                  {t.kind}
                  <select
                    value={String(action.params?.kind ?? "")}
                    onChange={(e) => replace(i, { type: action.type, params: { ...action.params, kind: e.target.value } })}
                    data-testid="wb-tr-action-kind"
                  >
                    {Object.entries(t.kinds).map(([kind, text]) => (
                      <option key={kind} value={kind}>
                        {text}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
            </li>
          );
        })}
      </ol>
      <div className="bk-wb-inline">
        <select value={choice} onChange={(e) => setChoice(e.target.value)} aria-label={t.actions} data-testid="wb-tr-action-choice">
          <option value="">{t.chooseAction}</option>
          {offered.map((name) => (
            <option key={name} value={name}>
              {say(ACTIONS[name].label, lang)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="bk-button secondary bk-wb-small"
          disabled={choice === ""}
          onClick={() => {
            if (isActionName(choice)) onChange([...actions, defaultAction(choice)]);
            setChoice("");
          }}
          data-testid="wb-tr-action-add"
        >
          {t.addAction}
        </button>
      </div>
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------
// Forms that add things

function InsertStepForm({ ctx, from, entry, onDone }: { ctx: Ctx; from: string; entry: TransitionEntry; onDone: () => void }) {
  const { workflow, lang, t, apply } = ctx;
  const [label, setLabel] = useState({ th: "", en: "" });
  const [sla, setSla] = useState("");
  const [next, setNext] = useState({ th: "", en: "" });
  const [roles, setRoles] = useState<string[]>([]);

  const submit = () => {
    const done = apply(() =>
      insertStateBetween(
        workflow,
        from,
        entry.event,
        { label, ...(sla.trim() === "" ? {} : { slaDays: Number(sla) }) },
        { label: next, roles },
        entry.index,
      ),
    );
    if (done) onDone();
  };

  return (
    <div className="bk-wb-form bk-wb-insert" data-testid="wb-insert-form">
      <h5 className="bk-wb-form-title">
        {t.insertHeading} “{stateName(workflow, entry.transition.target, lang)}”
      </h5>
      <TextFieldPair labels={{ th: t.newLabelTh, en: t.newLabelEn }} testIds={{ th: "wb-insert-label-th", en: "wb-insert-label-en" }} value={label} onChange={setLabel} />
      <SlaField t={t} value={sla} onChange={setSla} testId="wb-insert-sla" />
      <TextFieldPair labels={{ th: t.nextLabelTh, en: t.nextLabelEn }} testIds={{ th: "wb-insert-next-label-th", en: "wb-insert-next-label-en" }} value={next} onChange={setNext} />
      <RoleChecks legend={t.nextRoles} t={t} roles={ctx.roles} checked={roles} testIdPrefix="wb-insert-next-role-" onChange={setRoles} />
      <div className="bk-wb-buttons">
        <button type="button" className="bk-button" onClick={submit} data-testid="wb-insert-submit">
          {t.insertSubmit}
        </button>
        <button type="button" className="bk-button secondary" onClick={onDone}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}

function AddTransitionForm({ ctx, from }: { ctx: Ctx; from: string }) {
  const { workflow, lang, t, apply } = ctx;
  const [label, setLabel] = useState({ th: "", en: "" });
  const [target, setTarget] = useState("");
  const [roles, setRoles] = useState<string[]>([]);

  const submit = () => {
    if (apply(() => addTransition(workflow, from, { target, label, roles }))) {
      setLabel({ th: "", en: "" });
      setTarget("");
      setRoles([]);
    }
  };

  return (
    <div className="bk-wb-form" data-testid="wb-add-tr-form">
      <h4 className="bk-wb-subheading">{t.addTransition}</h4>
      <TextFieldPair labels={{ th: t.trLabelTh, en: t.trLabelEn }} testIds={{ th: "wb-add-tr-label-th", en: "wb-add-tr-label-en" }} value={label} onChange={setLabel} />
      <label className="bk-field">
        {t.target}
        <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="wb-add-tr-target">
          <option value="">{t.chooseTarget}</option>
          <StateOptions workflow={workflow} lang={lang} />
        </select>
      </label>
      <RoleChecks legend={t.roles} t={t} roles={ctx.roles} checked={roles} testIdPrefix="wb-add-tr-role-" onChange={setRoles} />
      <button type="button" className="bk-button" onClick={submit} data-testid="wb-add-tr-submit">
        {t.addTransitionSubmit}
      </button>
    </div>
  );
}

function AddStateForm({ ctx }: { ctx: Ctx }) {
  const { workflow, t, apply } = ctx;
  const [label, setLabel] = useState({ th: "", en: "" });
  const [sla, setSla] = useState("");
  const [final, setFinal] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | "">("");

  const submit = () => {
    const input = {
      label,
      ...(sla.trim() === "" ? {} : { slaDays: Number(sla) }),
      ...(final ? { final: true, ...(outcome ? { outcome } : {}) } : {}),
    };
    if (apply(() => addState(workflow, input))) {
      setLabel({ th: "", en: "" });
      setSla("");
      setFinal(false);
      setOutcome("");
    }
  };

  return (
    <section className="bk-card bk-wb-form bk-wb-add-state" data-testid="wb-add-state-form">
      <h4 className="bk-wb-subheading">{t.addState}</h4>
      <p className="bk-muted">{t.addStateHint}</p>
      <TextFieldPair labels={{ th: t.labelTh, en: t.labelEn }} testIds={{ th: "wb-add-state-label-th", en: "wb-add-state-label-en" }} value={label} onChange={setLabel} />
      <div className="bk-wb-row">
        <SlaField t={t} value={sla} onChange={setSla} testId="wb-add-state-sla" />
        <label className="bk-wb-check">
          <input type="checkbox" checked={final} onChange={(e) => setFinal(e.target.checked)} data-testid="wb-add-state-final" />
          {t.final}
        </label>
        <OutcomeSelect t={t} value={outcome} disabled={!final} onChange={setOutcome} testId="wb-add-state-outcome" />
      </div>
      <button type="button" className="bk-button" onClick={submit} data-testid="wb-add-state-submit">
        {t.addStateSubmit}
      </button>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** "Must be done by someone other than whoever did…": one box per other action of the workflow. */
function FourEyesChecks({ ctx, from, entry, onChange }: { ctx: Ctx; from: string; entry: TransitionEntry; onChange: (events: string[]) => void }) {
  const { workflow, lang, t } = ctx;
  const choices = fourEyesChoices(workflow, from, entry.event, entry.index);
  if (choices.length === 0) return null;
  const checked = choices.filter((c) => c.checked).map((c) => c.event);
  return (
    <fieldset className="bk-wb-checks bk-wb-four-eyes" data-testid="wb-tr-four-eyes">
      <legend>{t.differentActorFrom}</legend>
      <p className="bk-muted">{t.differentActorFromHint}</p>
      {choices.map((choice) => (
        <label key={choice.event} className="bk-wb-check">
          <input
            type="checkbox"
            checked={choice.checked}
            onChange={(e) => onChange(e.target.checked ? [...checked, choice.event] : checked.filter((x) => x !== choice.event))}
            data-testid={`wb-tr-four-eyes-${choice.event}`}
          />
          {say(choice.label, lang)} <code className="bk-muted">{choice.event}</code>
        </label>
      ))}
    </fieldset>
  );
}

function RoleChecks({
  legend,
  t,
  roles,
  checked,
  testIdPrefix,
  onChange,
}: {
  legend: string;
  t: Text;
  roles: string[];
  checked: readonly string[];
  testIdPrefix: string;
  onChange: (roles: string[]) => void;
}) {
  return (
    <fieldset className="bk-wb-checks bk-wb-roles">
      <legend>{legend}</legend>
      {roles.map((role) => (
        <label key={role} className="bk-wb-check">
          <input
            type="checkbox"
            checked={checked.includes(role)}
            onChange={(e) => onChange(roles.filter((r) => (r === role ? e.target.checked : checked.includes(r))))}
            data-testid={`${testIdPrefix}${role}`}
          />
          {roleName(role, t)}
        </label>
      ))}
    </fieldset>
  );
}

/** A Thai and an English name in a new-thing form, kept as typed: the operation checks them on submit. */
function TextFieldPair({
  labels,
  testIds,
  value,
  onChange,
}: {
  labels: LocalizedText;
  testIds: LocalizedText;
  value: LocalizedText;
  onChange: (v: LocalizedText) => void;
}) {
  return (
    <div className="bk-wb-row">
      <TextField label={labels.th} value={value.th} onChange={(th) => onChange({ ...value, th })} testId={testIds.th} />
      <TextField label={labels.en} value={value.en} onChange={(en) => onChange({ ...value, en })} testId={testIds.en} />
    </div>
  );
}

/** Working days for a new step, as typed: the operation reads it when the form is submitted. */
function SlaField({ t, value, onChange, testId }: { t: Text; value: string; onChange: (v: string) => void; testId: string }) {
  return (
    <label className="bk-field bk-wb-narrow">
      {t.sla}
      <input type="number" min={0} max={365} step={1} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}

/** A select of a fixed list (an outcome, a button tone) whose first option, "", means none. */
function ChoiceSelect<V extends string>({
  label,
  noneLabel,
  choices,
  choiceLabels,
  value,
  disabled,
  onChange,
  testId,
}: {
  label: string;
  noneLabel: string;
  choices: readonly V[];
  choiceLabels: Record<V, string>;
  value: V | "";
  disabled?: boolean;
  onChange: (value: V | "") => void;
  testId: string;
}) {
  return (
    <label className="bk-field">
      {label}
      <select value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as V | "")} data-testid={testId}>
        <option value="">{noneLabel}</option>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choiceLabels[choice]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The outcome of a final step, for the step being edited and for a new one. */
function OutcomeSelect({ t, ...select }: { t: Text; value: Outcome | ""; disabled: boolean; onChange: (outcome: Outcome | "") => void; testId: string }) {
  return <ChoiceSelect label={t.outcome} noneLabel={t.noOutcome} choices={OUTCOMES} choiceLabels={t.outcomes} {...select} />;
}

/** One option per step of the workflow, named and with its id. */
function StateOptions({ workflow, lang }: { workflow: WorkflowConfig; lang: Lang }) {
  return (
    <>
      {Object.keys(workflow.states).map((s) => (
        <option key={s} value={s}>
          {stateName(workflow, s, lang)} ({s})
        </option>
      ))}
    </>
  );
}

function TextField({ label, value, onChange, testId }: { label: string; value: string; onChange: (v: string) => void; testId: string }) {
  return (
    <label className="bk-field">
      {label}
      <input type="text" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}

/**
 * An input bound to a committed value that keeps what is typed while it cannot be committed (an empty
 * name, a half-typed number), and follows the committed value when it changes for another reason.
 */
function DraftInput({
  value,
  onCommit,
  testId,
  multiline,
  ...rest
}: {
  value: string;
  onCommit: (v: string) => void;
  testId?: string;
  multiline?: boolean;
  type?: string;
  min?: number;
  max?: number;
  step?: number;
  placeholder?: string;
}) {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (value !== draft.trim()) setDraft(value);
  }
  const change = (v: string) => {
    setDraft(v);
    onCommit(v);
  };
  return multiline ? (
    <textarea value={draft} rows={3} onChange={(e) => change(e.target.value)} data-testid={testId} placeholder={rest.placeholder} />
  ) : (
    <input type={rest.type ?? "text"} {...rest} value={draft} onChange={(e) => change(e.target.value)} data-testid={testId} />
  );
}

/**
 * A Thai and an English input edited as one value. Required texts are committed as typed (the
 * operation says what is missing); optional ones only when both or neither are filled in.
 */
function LocalizedFields({
  value,
  labels,
  testIds,
  onCommit,
  optional,
  multiline,
  hint,
}: {
  value: LocalizedText | undefined;
  labels: LocalizedText;
  testIds: LocalizedText;
  onCommit: (v: LocalizedText | undefined) => void;
  optional?: boolean;
  multiline?: boolean;
  hint?: string;
}) {
  const key = JSON.stringify(value ?? null);
  const [draft, setDraft] = useState({ th: value?.th ?? "", en: value?.en ?? "" });
  const [seen, setSeen] = useState(key);
  if (key !== seen) {
    setSeen(key);
    if ((value?.th ?? "") !== draft.th.trim() || (value?.en ?? "") !== draft.en.trim()) setDraft({ th: value?.th ?? "", en: value?.en ?? "" });
  }
  const th = draft.th.trim();
  const en = draft.en.trim();
  const incomplete = optional === true && (th === "") !== (en === "");

  const change = (lang: keyof LocalizedText, v: string) => {
    const next = { ...draft, [lang]: v };
    setDraft(next);
    const a = next.th.trim();
    const b = next.en.trim();
    if (!optional) onCommit(next);
    else if (a === "" && b === "") onCommit(undefined);
    else if (a !== "" && b !== "") onCommit(next);
  };

  const field = (lang: keyof LocalizedText): ReactNode => (
    <label className="bk-field">
      {labels[lang]}
      {multiline ? (
        <textarea value={draft[lang]} rows={2} onChange={(e) => change(lang, e.target.value)} data-testid={testIds[lang]} lang={lang} />
      ) : (
        <input type="text" value={draft[lang]} onChange={(e) => change(lang, e.target.value)} data-testid={testIds[lang]} lang={lang} aria-invalid={incomplete || undefined} />
      )}
    </label>
  );

  return (
    <div className="bk-wb-pair">
      <div className="bk-wb-row">
        {field("th")}
        {field("en")}
      </div>
      {incomplete && hint ? <p className="bk-wb-hint">{hint}</p> : null}
    </div>
  );
}

export default WorkflowBuilder;
