import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfField } from "~/components/CsrfField";
import { AppError, httpStatusFor, isAppError, methodNotAllowed } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { RECONCILE_TEXT as T } from "~/i18n/reconcile-text";
import { changeBillerId, generateCallbackSecret, viewPaymentSettings } from "~/services/payments/payment-settings.server";
import { requireSessionActor } from "~/utils/auth.server";
import { errorResponse, pageHandler, readForm } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import { publicOrigin } from "~/utils/web-security.server";

export const meta: MetaFunction = () => [{ title: "Payment settings — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return pageHandler(async () => json({ lang: await requestLang(request), origin: publicOrigin(), settings: await viewPaymentSettings(actor) }));
}

type ActionResult = { errors?: FieldError[]; saved?: boolean; secret?: string };

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw errorResponse(methodNotAllowed(["POST"]));
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const form = await readForm(request);
    const intent = form.get("intent");
    try {
      if (intent === "biller") {
        await changeBillerId(actor, form.get("billerId"));
        return json<ActionResult>({ saved: true });
      }
      if (intent === "secret") return json<ActionResult>({ secret: await generateCallbackSecret(actor) });
    } catch (error) {
      if (!isAppError(error) || error.code !== "FORM_INVALID") throw error;
      return json<ActionResult>({ errors: (error.details as { fields?: FieldError[] }).fields ?? [] }, { status: httpStatusFor(error.code) });
    }
    throw new AppError("BAD_REQUEST", { th: "ไม่รู้จักคำสั่งนี้", en: "Unknown request" });
  });
}

export default function PaymentSettings() {
  const { lang, origin, settings } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const t = (text: LocalizedText) => pick(text, lang);
  const errors = result?.errors ?? [];
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length) summaryRef.current?.focus();
  }, [errors.length, result]);
  const billerError = errors.find((e) => e.pointer === "/billerId");
  return (
    <div style={{ display: "grid", gap: 16, gridTemplateColumns: "minmax(0, 1fr)" }}>
      {errors.length > 0 ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summaryRef} data-testid="error-summary">
          <h2>{t(T.errorSummary)}</h2>
          <ul>{errors.map((e) => <li key={e.pointer}><a href="#biller-id">{t(e.message)}</a></li>)}</ul>
        </div>
      ) : null}
      <h1>{t(T.settingsTitle)}</h1>
      <p><Link to="/finance/imports">{t(T.toImports)}</Link> · <Link to="/finance/unmatched">{t(T.toUnmatched)}</Link></p>
      {!settings.canEdit ? <p className="bk-alert" data-testid="read-only">{t(T.readOnly)}</p> : null}
      {result?.saved ? <div className="bk-alert ok" role="status">{t(T.savedBiller)}</div> : null}

      <section className="bk-card" style={{ display: "grid", gap: 8, gridTemplateColumns: "minmax(0, 1fr)" }}>
        <h2>{t(T.billerId)}</h2>
        {settings.canEdit ? (
          <Form method="post" style={{ display: "grid", gap: 8, gridTemplateColumns: "minmax(0, 1fr)" }}>
            <CsrfField />
            <input type="hidden" name="intent" value="biller" />
            <div className={`bk-field${billerError ? " bk-field-error" : ""}`}>
              <label htmlFor="biller-id">{t(T.billerId)}</label>
              <span className="bk-hint" id="biller-id-hint">{t(T.billerHint)}</span>
              {billerError ? <span id="biller-id-error" className="bk-error-message">{t(billerError.message)}</span> : null}
              <input id="biller-id" name="billerId" inputMode="numeric" autoComplete="off" defaultValue={settings.billerId ?? ""} maxLength={20} style={{ maxWidth: "100%" }} aria-describedby={`biller-id-hint${billerError ? " biller-id-error" : ""}`} />
            </div>
            <div><button type="submit" className="bk-button" data-testid="save-biller">{t(T.saveBiller)}</button></div>
          </Form>
        ) : (
          <p data-testid="biller-id"><code>{settings.billerId ?? t(T.notSet)}</code></p>
        )}
      </section>

      <section className="bk-card" style={{ display: "grid", gap: 8, gridTemplateColumns: "minmax(0, 1fr)" }}>
        <h2>{t(T.callbackTitle)}</h2>
        <p className="bk-muted">{t(T.callbackIntro)}</p>
        <p>{t(T.callbackUrl)}: <code style={{ wordBreak: "break-all" }} data-testid="callback-url">{origin}{settings.callbackPath}</code></p>
        <p>{t(T.secret)}: {settings.callbackSecretSetAt ? <>{t(T.secretSetAt)} {formatDateTime(settings.callbackSecretSetAt, lang)}</> : t(T.noSecret)}</p>
        {result?.secret ? (
          <div className="bk-alert ok" role="status" data-testid="new-secret" style={{ display: "grid", gap: 8, gridTemplateColumns: "minmax(0, 1fr)" }}>
            <code style={{ wordBreak: "break-all" }}>{result.secret}</code>
            <strong className="bk-error-message">⚠ {t(T.shownOnce)}</strong>
          </div>
        ) : null}
        {settings.canEdit ? (
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="secret" />
            <button type="submit" className="bk-button secondary" data-testid="generate-secret">{t(settings.callbackSecretSetAt ? T.rotate : T.generate)}</button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
