import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { CaseAttachments } from "~/components/CaseAttachments";
import { CaseDocuments } from "~/components/CaseDocuments";
import { CaseNotices } from "~/components/CaseNotices";
import { CasePayment } from "~/components/CasePayment";
import { CsrfField, useFormToken } from "~/components/CsrfField";
import { CaseData } from "~/components/CaseData";
import { isReferralError, ReferralFields, type ReferralValues } from "~/components/ReferralFields";
import { referralsOf } from "~/core/cases/referral";
import { REFERRAL_TEXT } from "~/i18n/referral-resources";
import { listReferralAgencies } from "~/services/referral/list-referral-agencies.server";
import { CorrectionChecklist, correctionsWithoutReason, reasonFieldId } from "~/components/CorrectionChecklist";
import { ServiceForm } from "~/components/ServiceForm";
import { WorkflowDiagram } from "~/components/WorkflowDiagram";
import { AppError, httpStatusFor, isAppError } from "~/core/errors";
import { assertNoForbiddenKeys } from "~/core/forbidden-keys";
import { listFormFields } from "~/core/forms/form-fields";
import type { FieldError } from "~/core/forms/form-validation";
import { describeOnBehalfOf } from "~/core/cases/on-behalf-of";
import { pick, type Lang } from "~/core/text";
import { ON_BEHALF_OF_TEXT } from "~/i18n/on-behalf-of-resources";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { eventLabel, roleText, stepLabel } from "~/core/workflow/labels";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { caseDocuments } from "~/services/case-documents.server";
import { getCaseView } from "~/services/get-case-view.server";
import { getCaseNoticesView } from "~/services/cases/get-case-notices.server";
import { getCasePayments } from "~/services/payments/get-case-payments.server";
import { recordDelayReason } from "~/services/cases/record-delay-reason.server";
import { caseAttachments } from "~/services/uploads/case-attachments.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler, readForm, readPageJson, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import caseStyles from "~/styles/case.css";
import paymentStyles from "~/styles/payment.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: caseStyles },
  { rel: "stylesheet", href: paymentStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.trackingNumber} — Borikan` : "Borikan" }];

export const loader = ({ request, params }: LoaderFunctionArgs) => pageHandler(() => loadCase(request, params.id ?? ""));

async function loadCase(request: Request, id: string) {
  const actor = await requireSessionActor(request);
  const view = await getCaseView(actor, id);
  const lang = await requestLang(request);
  const { record, service, data, roles, events } = view;
  const ofAgency = actor.kind === "staff" && actor.agencyId === record.agencyId;
  const { manifest, form, workflow } = service.definition;
  // Embedded (data URL) files are in `data` already: only their description travels twice.
  const attachments = (await caseAttachments(form.schema, data, lang)).map(({ dataUrl: _embedded, ...rest }) => rest);
  const documents = await caseDocuments(record);
  return json({
    lang,
    attachments,
    serviceSlug: record.serviceSlug,
    id: String(record._id),
    trackingNumber: record.trackingNumber,
    serviceTitle: manifest.title,
    version: service.version,
    statutoryDays: manifest.statutoryDays,
    state: record.stateValue,
    stateLabel: workflow.states[record.stateValue]?.meta.label,
    status: record.status,
    outcome: record.outcome ?? null,
    rev: record.rev,
    receipt: record.receipt,
    sla: record.sla,
    // The workflow's own words for each entry: the event's label, the step reached and the actor's role.
    history: record.history.map((h) => ({
      at: h.at,
      to: h.to,
      actorName: h.actor.name,
      comment: h.comment,
      eventLabel: eventLabel(workflow, h),
      toLabel: stepLabel(workflow, h.to),
      roleLabel: roleText(h.role),
      link: h.link ?? null,
    })),
    referrals: referralsOf(record),
    // A referred case's other half belongs to another agency: its staff cannot open it (tenant isolation), the
    // applicant can. Staff see its tracking number without a link that would lead to "not found".
    linkedCasesOpen: actor.kind === "citizen",
    // s.10: the agencies an officer may refer the case to, when the workflow offers that now.
    referralAgencies: events.some((e) => e.actions.includes("referToAgency")) ? await listReferralAgencies(record.agencyId) : [],
    missingItems: record.missingItems,
    onBehalfOf: record.onBehalfOf ?? null,
    isApplicant: roles.includes("applicant"),
    isStaff: roles.some((r) => r !== "applicant"),
    events,
    data,
    schema: form.schema,
    uiSchema: form.uiSchema,
    workflow,
    fields: listFormFields(form.schema, lang).map((f) => ({ pointer: f.pointer, title: f.title, section: f.section })),
    documents,
    // The fee and how to pay it; "being prepared" while the requestPayment effect has not run.
    payments: await getCasePayments(record, new Date()),
    paymentPreparing: documents.pending.some((p) => p.effect === "requestPayment"),
    notices: await getCaseNoticesView(record, service, ofAgency),
    canWriteDelayReason: ofAgency,
  });
}

type ActionResult = {
  ok?: boolean;
  code?: string;
  message?: { th: string; en: string };
  errors?: FieldError[];
  event?: string;
  referral?: ReferralValues;
  delayReason?: { saved?: boolean; errors?: FieldError[] };
};

type EventInput = { type: string; comment?: string; rev?: number; data?: Record<string, unknown> };

export const action = ({ request, params }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireSessionActor(request);
    // The resubmitted form comes as JSON (useSubmit), every other event as a plain form.
    const form = request.headers.get("Content-Type")?.startsWith("application/json") ? null : await readForm(request);
    if (form?.get("intent") === "delayReason") return saveDelayReason(actor, params.id ?? "", form);
    const input = form ? eventOfForm(form) : eventOfJson(await readPageJson(request));
    try {
      await fireCaseEvent(actor, params.id ?? "", input);
      return json<ActionResult>({ ok: true });
    } catch (error) {
      if (!isAppError(error)) throw error;
      // Shown beside the buttons, with the status of the one table.
      const details = error.details as { fields?: FieldError[] } | undefined;
      // The referral form shows its errors itself, with what the officer typed.
      const referral = form && details?.fields?.some(isReferralError) ? referralValuesOf(form) : undefined;
      return json<ActionResult>({ code: error.code, message: error.text, errors: details?.fields, event: input.type, ...(referral ? { referral } : {}) }, { status: httpStatusFor(error.code) });
    }
  });

async function saveDelayReason(actor: Awaited<ReturnType<typeof requireSessionActor>>, caseId: string, form: FormData) {
  try {
    await recordDelayReason(actor, caseId, { th: form.get("reasonTh"), en: form.get("reasonEn") });
    return json<ActionResult>({ delayReason: { saved: true } });
  } catch (error) {
    if (!isAppError(error) || error.code !== "FORM_INVALID") throw error;
    return json<ActionResult>({ delayReason: { errors: (error.details as { fields?: FieldError[] }).fields } }, { status: 422 });
  }
}

function eventOfForm(form: FormData): EventInput {
  // Field names are keys too: Object.fromEntries makes "__proto__" an own key, so it is seen.
  assertNoForbiddenKeys(Object.fromEntries(form));
  return {
    type: String(form.get("type") ?? ""),
    comment: String(form.get("comment") ?? ""),
    rev: Number(form.get("rev")),
    data: { missingItems: form.getAll("missingItems").map(String), note: String(form.get("comment") ?? ""), ...referralDataOf(form) },
  };
}

/** The referral form's choice as the event data the use case reads: `{ agencyId }` or `{ agencyName, address }`. */
function referralDataOf(form: FormData): Record<string, unknown> {
  const v = referralValuesOf(form);
  if (v.referKind === "platform") return { agencyId: v.agencyId };
  if (v.referKind === "external") return { agencyName: { th: v.nameTh, en: v.nameEn }, address: v.address };
  return {};
}

function referralValuesOf(form: FormData): ReferralValues {
  const text = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)) : "");
  return { referKind: text("referKind"), agencyId: text("agencyId"), nameTh: text("agencyNameTh"), nameEn: text("agencyNameEn"), address: text("address") };
}

function eventOfJson(body: Record<string, unknown>): EventInput {
  const { type, rev, comment, formData, unchangedReasons } = body;
  const malformed = (pointer: string) =>
    new AppError("BAD_REQUEST", { th: `ข้อมูลที่ส่งมาไม่ถูกต้องที่ ${pointer}`, en: `The request body is malformed at ${pointer}` }, { pointer });
  if (typeof type !== "string") throw malformed("/type");
  if (rev !== undefined && !(typeof rev === "number" && Number.isInteger(rev) && rev >= 0)) throw malformed("/rev");
  if (comment !== undefined && typeof comment !== "string") throw malformed("/comment");
  if (formData !== undefined && (typeof formData !== "object" || formData === null || Array.isArray(formData))) throw malformed("/formData");
  if (unchangedReasons !== undefined && (typeof unchangedReasons !== "object" || unchangedReasons === null || Array.isArray(unchangedReasons))) {
    throw malformed("/unchangedReasons");
  }
  return { type, rev, comment, data: { formData, unchangedReasons } };
}

function When({ at, lang }: { at: string | Date | null | undefined; lang: Lang }) {
  return at ? <>{formatDateTime(at, lang)}</> : <span className="bk-muted">—</span>;
}

export default function CasePage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const [search] = useSearchParams();
  const navigation = useNavigation();
  const submit = useSubmit();
  const formToken = useFormToken();
  const { t } = useTranslation();
  const lang = d.lang;
  const busy = navigation.state !== "idle";
  // The correction form is interactive only; the server sends the read-only data in its place.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const overdue = d.status === "active" && !d.sla.paused && d.sla.stateDueAt && new Date(d.sla.stateDueAt) < new Date();
  const resubmit = d.isApplicant ? d.events.find((e) => e.actions.includes("acceptResubmission")) : undefined;
  const missingSet = new Set(d.missingItems?.fields ?? []);
  const requestedFields = (d.missingItems?.fields ?? []).map((pointer) => ({ pointer, title: d.fields.find((f) => f.pointer === pointer)?.title ?? pointer }));
  const [current, setCurrent] = useState<unknown>(d.data);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [reasonErrors, setReasonErrors] = useState<Record<string, string>>({});
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (Object.keys(reasonErrors).length > 0) summaryRef.current?.focus();
  }, [reasonErrors]);
  const readonlyUi = (ui: unknown, pointerPrefix: string, schema: Record<string, unknown>): UiSchema => {
    const out: Record<string, unknown> = { ...(ui as object) };
    const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [key, child] of Object.entries(props)) {
      const pointer = `${pointerPrefix}/${key}`;
      if (missingSet.has(pointer)) continue;
      const childUi = (out[key] ?? {}) as Record<string, unknown>;
      const containsMissing = [...missingSet].some((m) => m.startsWith(pointer + "/"));
      out[key] = containsMissing ? readonlyUi(childUi, pointer, child) : { ...childUi, "ui:readonly": true };
    }
    return out as UiSchema;
  };

  return (
    <>
      {search.get("receipt") ? (
        <section className="bk-card bk-receipt" data-testid="receipt" style={{ marginBottom: 20 }}>
          <h2 style={{ marginTop: 0 }}>{t("receipt.title")}</h2>
          <dl className="bk-dl">
            <dt>{t("receipt.tracking")}</dt>
            <dd className="bk-tracking" data-testid="tracking-number">{d.trackingNumber}</dd>
            <dt>{t("receipt.receivedAt")}</dt>
            <dd><When at={d.receipt.receivedAt} lang={lang} /></dd>
            <dt>{t("receipt.countedFrom")}</dt>
            <dd data-testid="counted-from"><When at={d.receipt.countedFrom} lang={lang} /></dd>
            <dt>{t("receipt.dueAt")}</dt>
            <dd><When at={d.receipt.dueAt} lang={lang} /> ({t("manual.workingDays", { count: d.statutoryDays })})</dd>
          </dl>
          <p className="bk-muted">{t("receipt.s10")}</p>
          <a className="bk-button secondary" href={`/cases/${d.id}/receipt.pdf`} data-testid="receipt-pdf">{t("receipt.pdf")}</a>
        </section>
      ) : null}

      <p className="bk-muted">{pick(d.serviceTitle, lang)} · {t("manual.version")} {d.version}</p>
      <h1>{d.trackingNumber}</h1>
      <p>
        {t("case.status")}: <strong data-testid="case-state" data-state={d.state}>{pick(d.stateLabel, lang)}</strong>{" "}
        {d.status === "done" ? <span className={`bk-badge ${d.outcome ?? "done"}`}>{t("case.done")}</span> : null}
        {d.sla.paused ? <span className="bk-badge paused">{t("case.paused")}</span> : null}
        {overdue ? <span className="bk-badge overdue" data-testid="overdue">{t("case.overdue")}</span> : null}
      </p>

      {d.onBehalfOf ? (
        <p data-testid="case-on-behalf-of">
          {pick(ON_BEHALF_OF_TEXT.caseHeading, lang)}: <strong>{describeOnBehalfOf(d.onBehalfOf)}</strong> — {pick(ON_BEHALF_OF_TEXT.declared, lang)}{" "}
          <span className="bk-muted">({pick(ON_BEHALF_OF_TEXT.declaredNote, lang)})</span>
        </p>
      ) : null}

      {result?.message && !result.referral ? (
        <div className={`bk-alert ${result.code === "STALE_REVISION" ? "warn" : "error"}`} role="alert" data-testid="action-error">
          {result.code === "STALE_REVISION" ? t("case.conflict") : result.message[lang]}
          {result.errors ? (
            <ul>{result.errors.map((e) => <li key={e.pointer}>{d.fields.find((f) => f.pointer === e.pointer)?.title ?? e.pointer}: {e.message[lang]}</li>)}</ul>
          ) : null}
        </div>
      ) : null}

      {d.referrals.to || d.referrals.from ? (
        <div className="bk-alert" data-testid="referral">
          {d.referrals.to?.onPlatform ? (
            <p style={{ margin: 0 }}>
              {pick(d.referrals.to.caseId ? REFERRAL_TEXT.referredTo : REFERRAL_TEXT.referredPending, lang)}: <strong>{pick(d.referrals.to.agencyName, lang)}</strong>
              {d.referrals.to.caseId ? (
                <> — {pick(REFERRAL_TEXT.newTracking, lang)} <LinkedCase open={d.linkedCasesOpen} caseId={d.referrals.to.caseId} testId="referral-link">{d.referrals.to.trackingNumber}</LinkedCase></>
              ) : null}
            </p>
          ) : d.referrals.to ? (
            <p style={{ margin: 0 }}>
              {pick(REFERRAL_TEXT.competent, lang)}: <strong>{pick(d.referrals.to.agencyName, lang)}</strong>
              {d.referrals.to.address ? <>, {d.referrals.to.address}</> : null}
              <br /><span className="bk-muted">{pick(REFERRAL_TEXT.competentNote, lang)}</span>
            </p>
          ) : null}
          {d.referrals.from ? (
            <p style={{ margin: 0 }}>
              {pick(REFERRAL_TEXT.referredFrom, lang)}: <strong>{pick(d.referrals.from.agencyName, lang)}</strong> — {pick(REFERRAL_TEXT.originalTracking, lang)}{" "}
              <LinkedCase open={d.linkedCasesOpen} caseId={d.referrals.from.caseId} testId="referral-from-link">{d.referrals.from.trackingNumber}</LinkedCase>
            </p>
          ) : null}
        </div>
      ) : null}

      <CasePayment payments={d.payments} preparing={d.paymentPreparing} isStaff={d.isStaff && !d.isApplicant} lang={lang} />
      <CaseDocuments documents={d.documents} lang={lang} />
      <CaseNotices lang={lang} data={d.notices} canWriteReason={d.canWriteDelayReason} result={result?.delayReason} />

      {d.missingItems && d.isApplicant ? (
        <div className="bk-alert warn" data-testid="missing-items">
          <strong>{t("case.missingTitle")}</strong>
          <ul className="bk-missing-list">
            {d.missingItems.fields.map((p) => <li key={p}>{d.fields.find((f) => f.pointer === p)?.title ?? p}</li>)}
          </ul>
          {d.missingItems.note ? <div className="bk-comment">{d.missingItems.note}</div> : null}
        </div>
      ) : null}

      {d.attachments.length > 0 ? (
        <section className="bk-case-attachments">
          <h2>{t("case.attachments")}</h2>
          <CaseAttachments caseId={d.id} attachments={d.attachments} lang={lang} />
        </section>
      ) : null}
      <div className="bk-two-col">
        <div>
          {resubmit && hydrated ? (
            <section>
              <h2>{pick(resubmit.label, lang)}</h2>
              {Object.keys(reasonErrors).length > 0 ? (
                <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summaryRef} data-testid="corrections-error">
                  <h3>{t("account.errorSummary")}</h3>
                  <ul>
                    {Object.entries(reasonErrors).map(([pointer, message]) => (
                      <li key={pointer}><a href={`#${reasonFieldId(pointer)}`}>{message}</a></li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <CorrectionChecklist
                lang={lang}
                fields={requestedFields}
                stored={d.data}
                current={current}
                reasons={reasons}
                errors={reasonErrors}
                onReason={(pointer, reason) => setReasons((r) => ({ ...r, [pointer]: reason }))}
              />
              <ServiceForm
                schema={d.schema as RJSFSchema}
                uiSchema={readonlyUi(d.uiSchema, "", d.schema as Record<string, unknown>)}
                lang={lang}
                formData={d.data}
                serverErrors={result?.errors}
                onChange={setCurrent}
                onSubmit={(formData) => {
                  // Each requested item changed, or a reason why not: said here before anything is sent.
                  const missing = correctionsWithoutReason(d.data, formData, requestedFields.map((f) => f.pointer), reasons);
                  const errors = Object.fromEntries(
                    missing.map((p) => [p, `${lang === "th" ? "แก้ไขหรือบอกเหตุผลที่ไม่แก้ไข" : "Change or say why not"}: ${requestedFields.find((f) => f.pointer === p)?.title ?? p}`]),
                  );
                  setReasonErrors(errors);
                  if (missing.length > 0) return;
                  const unchangedReasons = Object.fromEntries(Object.entries(reasons).filter(([, reason]) => reason.trim()));
                  submit({ type: resubmit.type, rev: d.rev, formData, unchangedReasons, _csrf: formToken } as never, { method: "post", encType: "application/json" });
                }}
                uploads={{ service: d.serviceSlug, caseId: d.id }}
              >
                <div className="bk-form-buttons">
                  <button className="bk-button" type="submit" disabled={busy} data-testid="resubmit">{t("case.resubmit")}</button>
                </div>
              </ServiceForm>
            </section>
          ) : (
            <section className="bk-card">
              <h2 style={{ marginTop: 0 }}>{t("case.data")}</h2>
              <CaseData schema={d.schema} data={d.data} lang={lang} highlight={d.missingItems?.fields ?? []} attachments={d.attachments} />
            </section>
          )}
          <h2>{t("manual.diagram")}</h2>
          <div className="bk-diagram">
            <WorkflowDiagram config={d.workflow} lang={lang} currentState={d.state} visitedStates={d.history.map((h) => h.to)} />
          </div>
        </div>
        <aside>
          <section className="bk-card bk-actions" data-testid="actions">
            <h2 style={{ marginTop: 0 }}>{t("case.actions")}</h2>
            <dl className="bk-dl">
              <dt>{t("case.stateDue")}</dt><dd><When at={d.sla.stateDueAt} lang={lang} /></dd>
              <dt>{t("case.statutoryDue")}</dt><dd><When at={d.sla.statutoryDueAt} lang={lang} /></dd>
            </dl>
            {d.events.filter((e) => e !== resubmit).length === 0 ? <p className="bk-muted">{t("case.noActions")}</p> : null}
            {d.events.filter((e) => e !== resubmit).map((event) => (
              <Form method="post" key={event.type} data-event={event.type}>
                <CsrfField />
                <input type="hidden" name="type" value={event.type} />
                <input type="hidden" name="rev" value={d.rev} />
                {event.actions.includes("requestMissingItems") ? (
                  <fieldset style={{ border: 0, padding: 0 }}>
                    <legend className="bk-muted">{t("case.missingPick")}</legend>
                    {d.fields.map((f) => (
                      <label key={f.pointer} style={{ display: "flex", gap: 6, fontSize: ".9rem" }}>
                        <input type="checkbox" name="missingItems" value={f.pointer} /> {f.section ? `${f.section} › ` : ""}{f.title}
                      </label>
                    ))}
                  </fieldset>
                ) : null}
                {event.actions.includes("referToAgency") ? (
                  <ReferralFields
                    agencies={d.referralAgencies}
                    lang={lang}
                    errors={result?.event === event.type ? (result.errors ?? []).filter(isReferralError) : []}
                    values={result?.event === event.type ? result.referral : undefined}
                  />
                ) : null}
                {event.commentRequired || event.actions.includes("requestMissingItems") || event.actions.includes("referToAgency") ? (
                  <label className="bk-field">
                    {t("case.comment")}
                    <textarea name="comment" required={event.commentRequired} />
                  </label>
                ) : null}
                <button className={`bk-button ${event.tone === "danger" ? "danger" : event.tone === "primary" ? "" : "secondary"}`} type="submit" disabled={busy}>
                  {pick(event.label, lang)}
                </button>
              </Form>
            ))}
          </section>
          <section className="bk-card" style={{ marginTop: 16 }}>
            <h2 style={{ marginTop: 0 }}>{t("case.history")}</h2>
            <ol className="bk-timeline" data-testid="history">
              {d.history.map((h, i) => (
                <li key={i}>
                  <div><strong>{pick(h.eventLabel, lang)}</strong> → {pick(h.toLabel, lang)}</div>
                  <div className="bk-when"><When at={h.at} lang={lang} /> · {h.actorName} ({pick(h.roleLabel, lang)})</div>
                  {h.link ? (
                    <div data-testid="history-link">
                      {pick(h.link.agencyName, lang)}: <LinkedCase open={d.linkedCasesOpen} caseId={h.link.caseId}>{h.link.trackingNumber}</LinkedCase>
                    </div>
                  ) : null}
                  {h.comment ? <div className="bk-comment">{h.comment}</div> : null}
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </>
  );
}

/** The other half of a referral: a link for whoever may open it, its tracking number for everyone else. */
function LinkedCase({ open, caseId, testId, children }: { open: boolean; caseId: string; testId?: string; children: React.ReactNode }) {
  return open ? (
    <a href={`/cases/${caseId}`} data-testid={testId}>
      {children}
    </a>
  ) : (
    <strong data-testid={testId}>{children}</strong>
  );
}
