import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfField } from "~/components/CsrfField";
import { formatBaht } from "~/core/payments/fees";
import { CSV_FIELD_LABELS, CSV_FIELDS } from "~/core/payments/statement-formats";
import { httpStatusFor, isAppError, methodNotAllowed } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { RECONCILE_TEXT as T } from "~/i18n/reconcile-text";
import { requireFinanceStaff } from "~/services/payments/finance-access.server";
import { getStatementImportView, mapCsvStatement, mappingFromForm, type StatementImportView } from "~/services/payments/statement-imports.server";
import { requireSessionActor } from "~/utils/auth.server";
import { errorResponse, pageHandler, readForm } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "Statement import — Borikan" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const staff = requireFinanceStaff(actor);
    const job = await getStatementImportView(staff, params.id ?? "");
    return json({ lang: await requestLang(request), job }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") throw errorResponse(methodNotAllowed(["POST"]));
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const staff = requireFinanceStaff(actor);
    const form = await readForm(request);
    try {
      await mapCsvStatement(staff, params.id ?? "", mappingFromForm(form));
    } catch (error) {
      if (!isAppError(error) || error.code !== "FORM_INVALID") throw error;
      return json({ errors: (error.details as { fields?: FieldError[] }).fields ?? [] }, { status: httpStatusFor(error.code) });
    }
    return redirect(`/finance/imports/${params.id}`);
  });
}

const POLL_MS = 500;

export default function StatementImportPage() {
  const { lang, job: initial } = useLoaderData<typeof loader>();
  const result = useActionData<{ errors?: FieldError[] }>();
  const fetcher = useFetcher<typeof loader>();
  const job = (fetcher.data && "job" in fetcher.data ? fetcher.data.job : initial) as StatementImportView;
  const active = job.status === "queued" || job.status === "running";
  const { load, state } = fetcher;
  // One poll at a time: the next starts half a second after the previous answer.
  useEffect(() => {
    if (!active || state !== "idle") return;
    const timer = setTimeout(() => load(`/finance/imports/${job.id}`), POLL_MS);
    return () => clearTimeout(timer);
  }, [active, state, load, job.id, job.processed]);
  const t = (text: LocalizedText, vars: Record<string, string | number> = {}) =>
    Object.entries(vars).reduce((s, [k, v]) => s.replace(`{{${k}}}`, String(v)), pick(text, lang));

  return (
    <div style={{ display: "grid", gap: 16, gridTemplateColumns: "minmax(0, 1fr)" }}>
      <p><Link to="/finance/imports">← {t(T.toImports)}</Link></p>
      <h1>{t(T.importsTitle)}</h1>
      <p className="bk-muted">{job.fileName} · {formatDateTime(job.createdAt, lang)} · {job.createdByName}</p>
      {job.status === "mapping" && job.csv ? <MappingStep job={job} lang={lang} errors={result?.errors ?? []} /> : null}
      {job.status !== "mapping" ? (
        <section className="bk-card" data-testid="statement-import" data-status={job.status} aria-live="polite">
          <h2>{t(T[job.status])}</h2>
          {job.interrupted ? <p className="bk-alert">{t(T.interrupted)}</p> : null}
          {job.status !== "rejected" ? (
            <>
              <progress className="bk-progress" max={100} value={job.percent} data-testid="import-progress" aria-label={t(T.running)} style={{ width: "100%" }}>
                {job.percent}%
              </progress>
              <p data-testid="import-progress-text">{t(T.progress, { processed: job.status === "done" ? job.total : job.processed, total: job.total })}</p>
            </>
          ) : null}
          {job.summary ? <p data-testid="import-summary"><strong>{t(T.summary, job.summary)}</strong></p> : null}
        </section>
      ) : null}
      {job.status === "rejected" ? <ErrorsTable job={job} lang={lang} /> : null}
      {job.report.length > 0 && !active ? <ReportTable job={job} lang={lang} /> : null}
      {!active && job.status !== "mapping" ? (
        <p><Link to="/finance/imports">{t(T.another)}</Link>{job.summary?.unmatched ? <> · <Link to="/finance/unmatched">{t(T.toUnmatched)}</Link></> : null}</p>
      ) : null}
    </div>
  );
}

function MappingStep({ job, lang, errors }: { job: StatementImportView; lang: Lang; errors: FieldError[] }) {
  const t = (text: LocalizedText) => pick(text, lang);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length) summaryRef.current?.focus();
  }, [errors]);
  const csv = job.csv!;
  return (
    <>
      {errors.length > 0 ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summaryRef} data-testid="error-summary">
          <h2>{t(T.errorSummary)}</h2>
          <ul>{errors.map((e, i) => <li key={i}><a href="#map-date">{t(e.message)}</a></li>)}</ul>
        </div>
      ) : null}
      <Form method="post" className="bk-card" style={{ display: "grid", gap: 8, gridTemplateColumns: "minmax(0, 1fr)" }} data-testid="mapping-form">
        <CsrfField />
        <h2>{t(T.mapTitle)}</h2>
        <p className="bk-muted">{t(T.mapIntro)}</p>
        {CSV_FIELDS.map((field) => (
          <div className="bk-field" key={field}>
            <label htmlFor={`map-${field}`}>{t(CSV_FIELD_LABELS[field])}</label>
            <select id={`map-${field}`} name={`field.${field}`} defaultValue={job.suggested[field] ?? ""}>
              <option value="">{t(T.noColumn)}</option>
              {csv.headers.map((h) => <option key={h} value={h}>{h}</option>)}
            </select>
          </div>
        ))}
        <div><button type="submit" className="bk-button" data-testid="start-import">{t(T.startImport)}</button></div>
      </Form>
      <div style={{ overflowX: "auto" }}>
        <table className="bk-table">
          <caption style={{ textAlign: "left", fontWeight: 600 }}>{t(T.preview)}</caption>
          <thead><tr><th>{t(T.line)}</th>{csv.headers.map((h) => <th key={h}>{h}</th>)}</tr></thead>
          <tbody>{csv.preview.map((r) => <tr key={r.rowNumber}><td>{r.rowNumber}</td>{csv.headers.map((h) => <td key={h}>{r.values[h]}</td>)}</tr>)}</tbody>
        </table>
      </div>
    </>
  );
}

function ErrorsTable({ job, lang }: { job: StatementImportView; lang: Lang }) {
  const t = (text: LocalizedText) => pick(text, lang);
  return (
    <div style={{ overflowX: "auto" }}>
      <table className="bk-table" data-testid="statement-errors">
        <caption style={{ textAlign: "left", fontWeight: 600 }}>{t(T.errorsTitle)}</caption>
        <thead><tr><th>{t(T.line)}</th><th>{t(T.message)}</th></tr></thead>
        <tbody>{job.lineErrors.map((e, i) => <tr key={i}><td>{e.line}</td><td>{t(e.message)}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

function ReportTable({ job, lang }: { job: StatementImportView; lang: Lang }) {
  const t = (text: LocalizedText, vars: Record<string, string | number> = {}) =>
    Object.entries(vars).reduce((s, [k, v]) => s.replace(`{{${k}}}`, String(v)), pick(text, lang));
  const detail = (r: StatementImportView["report"][number]) => {
    if (r.outcome === "unmatched") return r.reasonText ? t(r.reasonText) : "";
    if (r.outcome === "duplicate" && r.duplicateOf) {
      if (r.duplicateOf.source === "callback") return t(T.duplicateOfCallback);
      return t(r.duplicateOf.importId === job.id ? T.duplicateOfLine : T.duplicateOfImport, { line: r.duplicateOf.lineNumber ?? "?" });
    }
    return "";
  };
  return (
    <div style={{ overflowX: "auto" }}>
      <table className="bk-table" data-testid="import-report">
        <caption style={{ textAlign: "left", fontWeight: 600 }}>{t(T.report)}</caption>
        <thead><tr><th>{t(T.line)}</th><th>{t(T.paidAt)}</th><th>Ref1</th><th>{t(T.amount)}</th><th>{t(T.outcome)}</th><th>{t(T.application)}</th></tr></thead>
        <tbody>
          {job.report.map((r) => (
            <tr key={r.lineNumber} data-outcome={r.outcome}>
              <td>{r.lineNumber}</td>
              <td>{formatDateTime(r.paidAt, lang)}</td>
              <td><code>{r.ref1}</code></td>
              <td style={{ textAlign: "right" }}>{formatBaht(r.amountSatang)}</td>
              <td><strong>{t(T[r.outcome])}</strong>{detail(r) ? <div className="bk-muted"><small>{detail(r)}</small></div> : null}</td>
              <td>{r.caseId && r.trackingNumber ? <Link to={`/cases/${r.caseId}`}>{r.trackingNumber}</Link> : r.trackingNumber ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
