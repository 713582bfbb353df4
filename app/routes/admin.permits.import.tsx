import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { CsrfField } from "~/components/CsrfField";
import { httpStatusFor, isAppError } from "~/core/errors";
import { REQUIRED_TARGETS, TARGET_FIELDS, TARGET_LABELS, type TargetField } from "~/core/permits/permit-import";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { requireAgencyAdmin } from "~/services/permit-import/access.server";
import { getImportJobView, recentImportJobs, type ImportJobView } from "~/services/permit-import/import-jobs.server";
import { choicesOf, mappingStep, startImportFromForm, type MappingStep } from "~/services/permit-import/mapping-step.server";
import { receiveUpload } from "~/services/permit-import/uploads.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "นำเข้าใบอนุญาตเดิม / Import existing permits — Borikan" }];

const PATH = "/admin/permits/import";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireAgencyAdmin(request);
  const lang = await requestLang(request);
  const url = new URL(request.url);
  const jobId = url.searchParams.get("job");
  const uploadId = url.searchParams.get("upload");
  let job: ImportJobView | null = null;
  let mapping: MappingStep | null = null;
  let notice: LocalizedText | null = null;
  try {
    if (jobId) job = await getImportJobView(jobId, actor);
    else if (uploadId) mapping = await mappingStep(uploadId, actor);
  } catch (error) {
    // An expired upload or a job of another agency: back to step 1 with the reason.
    if (!isAppError(error)) throw error;
    notice = error.text;
  }
  const recent = job || mapping ? [] : await recentImportJobs(actor);
  return json({ lang, job, mapping, notice, recent });
}

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireAgencyAdmin(request);
    if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
      try {
        const upload = await receiveUpload(request, actor);
        return redirect(`${PATH}?upload=${upload.id}`);
      } catch (error) {
        // A refused or unreadable request is the error page's business; a bad file is shown on the form.
        if (!isAppError(error) || error.code === "CROSS_ORIGIN") throw error;
        return json({ error: error.text, choices: null }, { status: httpStatusFor(error.code) });
      }
    }
    const form = await readForm(request);
    try {
      const jobId = await startImportFromForm(String(form.get("upload") ?? ""), form, actor);
      return redirect(`${PATH}?job=${jobId}`);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return json({ error: error.text, choices: choicesOf(form) }, { status: httpStatusFor(error.code) });
    }
  });

type Step = "upload" | "map" | "run" | "report";
const STEPS: Step[] = ["upload", "map", "run", "report"];

function Steps({ current }: { current: Step }) {
  const { t } = useTranslation();
  return (
    <ol className="bk-import-steps">
      {STEPS.map((s, i) => (
        <li key={s} className={s === current ? "current" : STEPS.indexOf(current) > i ? "past" : ""} aria-current={s === current ? "step" : undefined}>
          <span className="bk-import-step-no">{i + 1}</span> {t(`import.steps.${s}`)}
        </li>
      ))}
    </ol>
  );
}

export default function ImportPermits() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const step: Step = d.job ? (d.job.status === "done" || d.job.status === "failed" ? "report" : "run") : d.mapping ? "map" : "upload";
  const error = actionData?.error ?? d.notice;
  return (
    <div className="bk-import">
      <h1>{t("import.title")}</h1>
      <p className="bk-muted">{t("import.intro")}</p>
      {d.job ? null : <Steps current={step} />}
      {error ? <div className="bk-alert error" role="alert" data-testid="import-error">{pick(error, d.lang)}</div> : null}
      {d.job ? (
        <JobProgress key={d.job.id} initial={d.job} lang={d.lang} />
      ) : d.mapping ? (
        <MappingForm step={d.mapping} lang={d.lang} choices={actionData?.choices ?? null} />
      ) : (
        <UploadForm recent={d.recent} lang={d.lang} />
      )}
    </div>
  );
}

function UploadForm({ recent, lang }: { recent: ImportJobView[]; lang: Lang }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <>
      <Form method="post" encType="multipart/form-data" className="bk-card bk-import-upload">
        <CsrfField />
        <label className="bk-field">
          {t("import.file")}
          <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
        </label>
        <p className="bk-muted">{t("import.fileHint")}</p>
        <button className="bk-button" type="submit" disabled={busy} data-testid="import-upload">
          {busy ? t("import.uploading") : t("import.upload")}
        </button>
      </Form>
      {recent.length > 0 ? (
        <>
          <h2>{t("import.recent")}</h2>
          <table className="bk-table">
            <thead>
              <tr><th>{t("import.when")}</th><th>{t("import.fileName")}</th><th>{t("import.statusColumn")}</th><th>{t("import.counts.imported")}</th><th>{t("import.counts.failed")}</th></tr>
            </thead>
            <tbody>
              {recent.map((j) => (
                <tr key={j.id}>
                  <td><Link to={`${PATH}?job=${j.id}`}>{formatDateTime(j.createdAt, lang)}</Link></td>
                  <td>{j.fileName}</td>
                  <td><span className={`bk-badge ${j.status === "failed" ? "rejected" : j.status === "done" ? "done" : "paused"}`}>{t(`import.status.${j.status}`)}</span></td>
                  <td>{j.summary ? j.summary.imported + j.summary.updated : "—"}</td>
                  <td>{j.summary ? j.summary.failed : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

function MappingForm({ step, lang, choices }: { step: MappingStep; lang: Lang; choices: { choices: Partial<Record<TargetField, string>>; defaultTypeCode?: string } | null }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const selected = choices?.choices ?? step.suggested;
  const typeCode = choices ? (choices.defaultTypeCode ?? "") : (step.guessedType ?? "");
  return (
    <Form method="post" className="bk-import-mapping">
      <CsrfField />
      <input type="hidden" name="upload" value={step.upload.id} />
      <h2>{t("import.mapTitle")}</h2>
      <p className="bk-muted">
        <strong>{step.upload.fileName}</strong> · {t("import.mapHint")}
      </p>
      <div className="bk-two-col">
        <table className="bk-table bk-import-map" data-testid="import-mapping">
          <thead>
            <tr><th>{t("import.field")}</th><th>{t("import.column")}</th></tr>
          </thead>
          <tbody>
            {TARGET_FIELDS.map((field) => (
              <tr key={field}>
                <td>
                  <label htmlFor={`field-${field}`}>
                    {pick(TARGET_LABELS[field], lang)}
                    {REQUIRED_TARGETS.includes(field) ? <span className="bk-required"> *</span> : null}
                  </label>
                </td>
                <td>
                  <select id={`field-${field}`} name={`field.${field}`} defaultValue={selected[field] ?? ""}>
                    <option value="">{t("import.notImported")}</option>
                    {step.headers.map((h) => <option key={h} value={h}>{h}</option>)}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <aside className="bk-card">
          <label className="bk-field">
            {t("import.permitType")}
            <select name="typeCode" defaultValue={typeCode} data-testid="import-type">
              <option value="">{t("import.permitTypeFromColumn")}</option>
              {step.permitTypes.map((p) => <option key={p.code} value={p.code}>{p.code} — {pick(p.name, lang)}</option>)}
            </select>
          </label>
          <div className="bk-import-actions">
            <button className="bk-button" type="submit" disabled={navigation.state !== "idle"} data-testid="import-start">{t("import.start")}</button>
            <Link className="bk-button secondary" to={PATH}>{t("import.other")}</Link>
          </div>
        </aside>
      </div>
      <h2>{t("import.preview", { count: step.preview.length })}</h2>
      <div className="bk-import-preview">
        <table className="bk-table" data-testid="import-preview">
          <thead>
            <tr><th>{t("import.row")}</th>{step.headers.map((h) => <th key={h}>{h}</th>)}</tr>
          </thead>
          <tbody>
            {step.preview.map((r) => (
              <tr key={r.rowNumber}>
                <td>{r.rowNumber}</td>
                {step.headers.map((h) => <td key={h}>{r.values[h]}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Form>
  );
}

const POLL_MS = 500;

function JobProgress({ initial, lang }: { initial: ImportJobView; lang: Lang }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<ImportJobView>();
  const job = fetcher.data && "id" in fetcher.data ? fetcher.data : initial;
  const active = job.status === "queued" || job.status === "running";
  const { load, state } = fetcher;
  // One poll at a time: the next starts 500 ms after the previous answer.
  useEffect(() => {
    if (!active || state !== "idle") return;
    const timer = setTimeout(() => load(`${PATH}/${job.id}`), POLL_MS);
    return () => clearTimeout(timer);
  }, [active, state, load, job.id, job.processed]);

  return (
    <>
      <Steps current={active ? "run" : "report"} />
      <section className="bk-card bk-import-job" data-testid="import-job" data-status={job.status}>
        <h2>{active ? t(`import.${job.status}`) : job.status === "done" ? t("import.done") : t("import.failed")}</h2>
        <p className="bk-muted">{job.fileName}</p>
        <progress className="bk-progress" max={100} value={job.percent} data-testid="import-progress" aria-label={t("import.steps.run")}>
          {job.percent}%
        </progress>
        <p data-testid="import-progress-text">
          {active && job.total === 0 ? t(`import.${job.status}`) : t("import.progress", {
            processed: job.processed.toLocaleString(lang === "th" ? "th-TH" : "en-GB"),
            total: job.total.toLocaleString(lang === "th" ? "th-TH" : "en-GB"),
            percent: job.percent,
            rate: job.rowsPerSecond.toLocaleString(lang === "th" ? "th-TH" : "en-GB"),
          })}
        </p>
        {job.fatal ? <div className="bk-alert error" role="alert">{pick(job.fatal, lang)}</div> : null}
        {job.summary ? <Counts summary={job.summary} /> : null}
      </section>
      {job.status === "done" ? <Report job={job} lang={lang} /> : null}
      {!active ? <p><Link className="bk-button secondary" to={PATH}>{t("import.again")}</Link></p> : null}
    </>
  );
}

function Counts({ summary }: { summary: NonNullable<ImportJobView["summary"]> }) {
  const { t } = useTranslation();
  const items = ["total", "imported", "updated", "unchanged", "failed"] as const;
  return (
    <dl className="bk-import-counts" data-testid="import-counts">
      {items.map((k) => (
        <div key={k} className={`bk-import-count ${k}${summary[k] > 0 ? " nonzero" : ""}`} data-count={k}>
          <dt>{t(`import.counts.${k}`)}</dt>
          <dd>{summary[k].toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}

function Report({ job, lang }: { job: ImportJobView; lang: Lang }) {
  const { t } = useTranslation();
  if (job.errorCount === 0) return <div className="bk-alert ok">{t("import.allGood")}</div>;
  return (
    <section>
      <h2>{t("import.badRows")}</h2>
      <p>
        <a href={`${PATH}/${job.id}?format=csv`} download className="bk-button secondary" data-testid="import-errors-csv">{t("import.download")}</a>
        {job.errorCount > job.errors.length ? <span className="bk-muted"> {t("import.shown", { shown: job.errors.length, count: job.errorCount })}</span> : null}
      </p>
      <table className="bk-table" data-testid="import-errors">
        <thead>
          <tr><th>{t("import.row")}</th><th>{t("import.number")}</th><th>{t("import.column")}</th><th>{t("import.reason")}</th></tr>
        </thead>
        <tbody>
          {job.errors.map((e, i) => (
            <tr key={`${e.row}-${i}`}>
              <td>{e.row}</td>
              <td>{e.number ?? "—"}</td>
              <td>{e.column}</td>
              <td>{pick(e.message, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
