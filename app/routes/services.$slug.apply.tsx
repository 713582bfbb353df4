import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormToken } from "~/components/CsrfField";
import { OnBehalfOfFields, type OnBehalfOfInput } from "~/components/OnBehalfOfFields";
import { CheckAnswers } from "~/components/form/CheckAnswers";
import { ErrorSummary, type SummaryError } from "~/components/form/ErrorSummary";
import { focusField } from "~/components/form/field-focus";
import { FORM_TEXT } from "~/components/form/form-text";
import { ServiceForm } from "~/components/ServiceForm";
import { FormTaskList } from "~/components/form/FormTaskList";
import { headersFor, httpStatusFor, isAppError } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { PRIVACY_NOTICE_VERSION } from "~/core/privacy-notice";
import { pick } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { loadDraft } from "~/models/draft.server";
import { getCurrentService } from "~/models/service.server";
import { prefillApplication } from "~/services/citizen-identity/prefill-application.server";
import { saveApplicationDraft } from "~/services/save-application-draft.server";
import { enforceFilingLimit, keepRetryAfter } from "~/services/security/rate-limits.server";
import { submitApplication } from "~/services/submit-application.server";
import { requireSessionActor } from "~/utils/auth.server";
import { pageHandler, readPageJson, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import formStyles from "~/styles/form.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: formStyles }];

export const headers = keepRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${pick(data.title, data.lang)} — Borikan` : "Borikan" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  const found = await getCurrentService(params.slug ?? "");
  if (!found || found.summary.isTemplate) throw new Response("Service not found / ไม่พบบริการ", { status: 404 });
  const draft = await loadDraft(actor.id, found.summary._id);
  const { manifest, form } = found.service.definition;
  // Fields marked x-prefill start from the citizen's verified claims (read-only); the draft keeps the rest.
  const prefill = await prefillApplication(actor, form.schema, form.uiSchema, draft?.data ?? {});
  return json({
    lang: await requestLang(request),
    slug: found.summary._id,
    title: manifest.title,
    submitLabel: manifest.submitLabel ?? FORM_TEXT.defaultSubmit,
    schema: form.schema,
    uiSchema: prefill.uiSchema,
    draft: draft ? { data: draft.data, updatedAt: draft.updatedAt.toISOString() } : null,
    initialData: prefill.data,
    privacyVersion: PRIVACY_NOTICE_VERSION,
  });
}

type ActionResult = { errors?: FieldError[]; message?: { th: string; en: string }; draftSavedAt?: string };

export const action = ({ request, params }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireSessionActor(request);
    const body = await readPageJson(request);
    const slug = params.slug ?? "";
    if (body.intent === "draft") {
      const at = await saveApplicationDraft(actor, slug, body.formData);
      return json<ActionResult>({ draftSavedAt: at.toISOString() });
    }
    try {
      await enforceFilingLimit(actor);
      const result = await submitApplication(actor, slug, body.formData, "web", new Date(), { onBehalfOf: body.onBehalfOf });
      return redirect(`/cases/${result.id}?receipt=1`);
    } catch (error) {
      if (!isAppError(error)) throw error;
      // Shown above the form, with the status of the one table.
      const details = error.details as { fields?: FieldError[] } | undefined;
      return json<ActionResult>({ errors: details?.fields, message: error.text }, { status: httpStatusFor(error.code), headers: headersFor(error) });
    }
  });

export default function Apply() {
  const { lang, slug, title, submitLabel, schema, uiSchema, draft, initialData, privacyVersion } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const formToken = useFormToken();
  const { t } = useTranslation();
  const latest = useRef<unknown>(initialData);
  // What the form holds now, for the task list's statuses.
  const [current, setCurrent] = useState<unknown>(initialData);
  const [onBehalfOf, setOnBehalfOf] = useState<OnBehalfOfInput>({ kind: "self" });
  // The form, then "check your answers" with what the form accepted; the form stays mounted (hidden) meanwhile.
  const [answers, setAnswers] = useState<unknown>(null);
  const [summary, setSummary] = useState<SummaryError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const busy = navigation.state !== "idle";
  const send = (intent: "draft" | "submit", formData: unknown) =>
    submit({ intent, formData, onBehalfOf, _csrf: formToken } as never, { method: "post", encType: "application/json" });
  const savedAt = result?.draftSavedAt ?? draft?.updatedAt;
  const failed = (errors: SummaryError[]) => {
    setSummary(errors);
    setAttempt((n) => n + 1);
  };

  // The server has the final word: its errors bring the form back, with the summary.
  useEffect(() => {
    if (!result || result.draftSavedAt) return;
    setAnswers(null);
    setSummary((result.errors ?? []).map((e) => ({ pointer: e.pointer, message: e.message[lang] })));
    setAttempt((n) => n + 1);
  }, [result, lang]);

  const change = (pointer: string) => {
    setAnswers(null);
    // After the form is shown again.
    requestAnimationFrame(() => focusField(pointer));
  };

  return (
    <>
      <p><Link to={`/services/${slug}`}>← {pick(title, lang)}</Link></p>
      <ErrorSummary errors={answers === null ? summary : []} lang={lang} attempt={attempt} />
      {result?.message && !result.errors?.length ? (
        <div className="bk-alert error" role="alert" data-testid="form-error">
          {result.message[lang]}
        </div>
      ) : null}
      {answers !== null ? (
        <CheckAnswers
          schema={schema}
          data={answers}
          lang={lang}
          busy={busy}
          onChange={change}
          onBack={() => {
            setAnswers(null);
            requestAnimationFrame(() => document.querySelector<HTMLElement>(".bk-apply-form [data-testid=submit]")?.focus());
          }}
          onConfirm={() => send("submit", answers)}
        />
      ) : null}
      <div hidden={answers !== null} className="bk-apply-form">
        <FormTaskList schema={schema} data={current} lang={lang} />
        <OnBehalfOfFields value={onBehalfOf} onChange={setOnBehalfOf} errors={result?.errors ?? []} lang={lang} />
        <ServiceForm
          schema={schema as RJSFSchema}
          uiSchema={uiSchema as UiSchema}
          lang={lang}
          formData={initialData}
          serverErrors={result?.errors}
          onChange={(data) => {
            latest.current = data;
            setCurrent(data);
          }}
          onErrors={failed}
          onSubmit={(data) => {
            setSummary([]);
            setAnswers(data);
          }}
          uploads={{ service: slug }}
        >
          <p className="bk-muted" data-testid="privacy-note">
            {t("privacy.note")} <Link to="/privacy" target="_blank" data-testid="privacy-link">{t("privacy.link")}</Link> ({t("privacy.version", { version: privacyVersion })})
          </p>
          <div className="bk-form-buttons">
            <button className="bk-button" type="submit" disabled={busy} data-testid="submit">{pick(submitLabel, lang)}</button>
            <button className="bk-button secondary" type="button" disabled={busy} data-testid="save-draft" onClick={() => send("draft", latest.current)}>
              {t("form.saveDraft")}
            </button>
            {savedAt ? <span className="bk-muted" data-testid="draft-saved">{t("form.draftSaved", { at: formatDateTime(savedAt, lang) })}</span> : null}
          </div>
        </ServiceForm>
      </div>
    </>
  );
}
