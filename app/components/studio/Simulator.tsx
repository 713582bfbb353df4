import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ServiceDefinition } from "~/core/definitions/types";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { ACTIONS, isActionName } from "~/core/workflow/catalogue";
import type { AvailableEvent, Effect } from "~/core/workflow/runner";
import type { Role } from "~/core/workflow/types";
import { ServiceForm } from "../ServiceForm";
import { WorkflowDiagram } from "../WorkflowDiagram";
import { adminFetch, type ApiError } from "./admin-client";
import { ROLE_LABELS } from "~/core/workflow/labels";

type SimState = { state: string; label?: LocalizedText; final: boolean; effects: Effect[]; events: AvailableEvent[] };
type Trace = { start: SimState; steps: (SimState & { event: string; role: Role; from: string })[]; stoppedAt?: { step: number; code: string; message: LocalizedText } };
type Step = { event: string; role: Role; comment?: string };

const TEXT = {
  th: {
    intro: "ทดลองบริการจากร่างปัจจุบันโดยไม่สร้างคำขอจริง: กรอกแบบฟอร์มแบบประชาชน แล้วดำเนินการทีละขั้นในบทบาทต่าง ๆ",
    fill: "1. กรอกแบบฟอร์มแบบประชาชน",
    start: "ยื่นและเริ่มทดลอง",
    startAnyway: "เริ่มทดลองโดยไม่ตรวจแบบฟอร์ม",
    formErrors: "คำขอจริงจะถูกปฏิเสธ: แบบฟอร์มมีข้อผิดพลาด {{n}} รายการ",
    run: "2. ดำเนินการตามขั้นตอน",
    now: "ขั้นตอนปัจจุบัน",
    final: "สิ้นสุดแล้ว",
    effects: "ผลที่ขั้นตอนล่าสุดจะทำ",
    noEffects: "ไม่มีผลต่อเนื่อง",
    as: "ในบทบาท {{role}}",
    noEvents: "ไม่มีการดำเนินการที่ทำได้",
    comment: "ความเห็น (จำเป็น)",
    history: "ลำดับที่ทดลอง",
    back: "ย้อนหนึ่งขั้น",
    restart: "เริ่มใหม่",
    editForm: "แก้ข้อมูลแบบฟอร์ม",
    stopped: "ทำขั้นที่ {{n}} ไม่ได้",
    saving: "กำลังบันทึกร่างก่อนทดลอง…",
  },
  en: {
    intro: "Try the current draft without creating a real application: fill in the form as a citizen, then step through the workflow as each role",
    fill: "1. Fill in the form as a citizen",
    start: "Submit and start",
    startAnyway: "Start without checking the form",
    formErrors: "A real application would be refused: the form has {{n}} errors",
    run: "2. Step through the workflow",
    now: "Current step",
    final: "Finished",
    effects: "What the last step would cause",
    noEffects: "No effects",
    as: "as {{role}}",
    noEvents: "No actions are possible",
    comment: "Comment (required)",
    history: "Steps taken",
    back: "Back one step",
    restart: "Start over",
    editForm: "Change the form data",
    stopped: "Step {{n}} could not be taken",
    saving: "Saving the draft before trying it…",
  },
} as const;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ""));

function effectText(effect: Effect, lang: Lang): string {
  const label = isActionName(effect.type) ? pick(ACTIONS[effect.type].label, lang) : effect.type;
  const kind = typeof effect.params?.kind === "string" ? ` (${effect.params.kind})` : "";
  const message = effect.params?.message as LocalizedText | undefined;
  return `${label}${kind}${message ? `: “${pick(message, lang)}”` : ""}`;
}

/** The label the admin gave a transition (the event code when it has none). */
function eventLabel(definition: ServiceDefinition, from: string, event: string, lang: Lang): string {
  const transition = definition.workflow.states[from]?.on?.[event];
  const first = Array.isArray(transition) ? transition[0] : transition;
  return pick(first?.meta?.label, lang) || event;
}

/** The simulator: the draft's form as a citizen fills it, then its workflow stepped through by role, nothing stored. */
export function Simulator({ slug, definition, lang, ensureSaved }: { slug: string; definition: ServiceDefinition; lang: Lang; ensureSaved: () => Promise<boolean> }) {
  const tx = TEXT[lang];
  const { t } = useTranslation();
  const [data, setData] = useState<Record<string, unknown>>({});
  const [steps, setSteps] = useState<Step[] | null>(null);
  const [trace, setTrace] = useState<Trace | null>(null);
  const [formErrors, setFormErrors] = useState<FieldError[]>([]);
  const [comments, setComments] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (formData: Record<string, unknown>, nextSteps: Step[]) => {
    setBusy(true);
    const saved = await ensureSaved();
    const result = saved ? await adminFetch<{ formErrors: FieldError[]; trace: Trace }>(`/${slug}/simulate`, { method: "POST", body: { data: formData, steps: nextSteps } }) : null;
    setBusy(false);
    if (!result) return;
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setSteps(nextSteps);
    setTrace(result.data.trace);
    setFormErrors(result.data.formErrors);
  };
  const restart = () => {
    setSteps(null);
    setTrace(null);
  };

  if (!trace || !steps) {
    return (
      <div className="bk-sim" data-testid="simulator">
        <p className="bk-muted">{tx.intro}</p>
        <h3>{tx.fill}</h3>
        {error ? <div className="bk-alert error" role="alert">{pick(error.message, lang)}</div> : null}
        <div data-testid="sim-form">
          <ServiceForm
            schema={definition.form.schema as RJSFSchema}
            uiSchema={definition.form.uiSchema as UiSchema}
            lang={lang}
            formData={data}
            onChange={(next) => setData((next ?? {}) as Record<string, unknown>)}
            onSubmit={(next) => void run((next ?? {}) as Record<string, unknown>, [])}
          >
            <div className="bk-form-buttons">
              <button className="bk-button" type="submit" disabled={busy} data-testid="sim-start">{busy ? tx.saving : tx.start}</button>
              <button className="bk-button secondary" type="button" disabled={busy} onClick={() => void run(data, [])} data-testid="sim-start-anyway">{tx.startAnyway}</button>
            </div>
          </ServiceForm>
        </div>
      </div>
    );
  }

  const current = trace.steps.at(-1) ?? trace.start;
  const visited = [trace.start.state, ...trace.steps.map((s) => s.state)];
  const roles = [...new Set(current.events.flatMap((e) => e.roles))];
  return (
    <div className="bk-sim" data-testid="simulator">
      {formErrors.length > 0 ? <div className="bk-alert warn" role="status">{fill(tx.formErrors, { n: formErrors.length })}</div> : null}
      {trace.stoppedAt ? (
        <div className="bk-alert error" role="alert">{fill(tx.stopped, { n: trace.stoppedAt.step + 1 })}: {pick(trace.stoppedAt.message, lang)}</div>
      ) : null}
      {error ? <div className="bk-alert error" role="alert">{pick(error.message, lang)}</div> : null}
      <div className="bk-sim-run">
        <div className="bk-diagram">
          <WorkflowDiagram config={definition.workflow} lang={lang} currentState={current.state} visitedStates={visited} roleLabels={ROLE_LABELS} />
        </div>
        <div>
          <h3>{tx.run}</h3>
          <div className="bk-card bk-sim-now" data-testid="sim-current" data-state={current.state}>
            <div className="bk-muted">{tx.now}</div>
            <strong>{pick(current.label, lang) || current.state}</strong>
            {current.final ? <span className="bk-badge done"> {tx.final}</span> : null}
            <div className="bk-sim-effects" data-testid="sim-effects">
              <div className="bk-muted">{tx.effects}</div>
              {current.effects.length === 0 ? <span className="bk-muted">{tx.noEffects}</span> : (
                <ul>{current.effects.map((e, i) => <li key={i}>{effectText(e, lang)}</li>)}</ul>
              )}
            </div>
          </div>
          {roles.length === 0 && !current.final ? <p className="bk-muted">{tx.noEvents}</p> : null}
          {roles.map((role) => (
            <div key={role} className="bk-sim-role" data-testid={`sim-role-${role}`}>
              <h4>{fill(tx.as, { role: t(`roles.${role}`) })}</h4>
              {current.events.filter((e) => e.roles.includes(role)).map((e) => {
                const key = `${role}:${e.type}`;
                const comment = comments[key] ?? "";
                return (
                  <div key={key} className="bk-sim-event">
                    {e.commentRequired ? (
                      <input placeholder={tx.comment} aria-label={`${tx.comment} — ${pick(e.label, lang)}`} value={comment} onChange={(ev) => setComments({ ...comments, [key]: ev.target.value })} data-testid={`sim-comment-${e.type}`} />
                    ) : null}
                    <button
                      type="button"
                      className={`bk-button ${e.tone === "danger" ? "danger" : e.tone === "primary" ? "" : "secondary"}`}
                      disabled={busy || (e.commentRequired && !comment.trim())}
                      onClick={() => void run(data, [...steps, { event: e.type, role, ...(e.commentRequired ? { comment } : {}) }])}
                      data-testid={`sim-event-${e.type}`}
                    >
                      {pick(e.label, lang)}
                    </button>
                  </div>
                );
              })}
            </div>
          ))}
          <div className="bk-sim-controls">
            <button type="button" className="bk-button secondary" disabled={busy || steps.length === 0} onClick={() => void run(data, steps.slice(0, -1))}>{tx.back}</button>
            <button type="button" className="bk-button secondary" onClick={restart}>{tx.editForm}</button>
            <button type="button" className="bk-button secondary" onClick={() => { setData({}); restart(); }}>{tx.restart}</button>
          </div>
          <h4>{tx.history}</h4>
          <ol className="bk-sim-history" data-testid="sim-history">
            <li>{pick(trace.start.label, lang) || trace.start.state}</li>
            {trace.steps.map((s, i) => (
              <li key={i}>
                {t(`roles.${s.role}`)}: {eventLabel(definition, s.from, s.event, lang)} → {pick(s.label, lang) || s.state}
                {s.effects.length > 0 ? <div className="bk-muted">{s.effects.map((e) => effectText(e, lang)).join(" · ")}</div> : null}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </div>
  );
}
