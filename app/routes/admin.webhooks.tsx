import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ConfirmDangerForm } from "~/components/ConfirmDangerForm";
import { CsrfField } from "~/components/CsrfField";
import { AppError, httpStatusFor, isAppError, methodNotAllowed } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { TEST_EVENT, WEBHOOK_EVENT_NAMES, WEBHOOK_EVENTS, isWebhookEvent } from "~/core/webhooks/webhook-rules";
import { WEBHOOKS_TEXT as T } from "~/i18n/webhooks-text";
import { deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled } from "~/services/webhooks/change-webhook-endpoint.server";
import { createWebhookEndpoint } from "~/services/webhooks/create-webhook-endpoint.server";
import type { DeliverOutcome } from "~/services/webhooks/deliver-webhooks.server";
import { listWebhooks } from "~/services/webhooks/list-webhooks.server";
import { resendWebhookDelivery } from "~/services/webhooks/resend-webhook-delivery.server";
import { sendTestWebhook } from "~/services/webhooks/send-test-webhook.server";
import type { DeliveryView } from "~/services/webhooks/webhook-access.server";
import { requireSessionActor } from "~/utils/auth.server";
import { errorResponse, pageHandler, readForm } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "Webhooks — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return pageHandler(async () => json({ lang: await requestLang(request), ...(await listWebhooks(actor)) }));
}

type ActionResult = {
  errors?: FieldError[];
  issued?: { url: string; secret: string; rotated: boolean };
  notice?: { outcome: DeliverOutcome; deliveryId: string };
  deleted?: string;
};

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw errorResponse(methodNotAllowed(["POST"]));
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const form = await readForm(request);
    const intent = form.get("intent");
    const id = String(form.get("id") ?? "");
    try {
      if (intent === "create") {
        const issued = await createWebhookEndpoint(actor, { url: form.get("url"), description: form.get("description"), events: form.getAll("events").map(String) });
        return json<ActionResult>({ issued: { url: issued.endpoint.url, secret: issued.secret, rotated: false } });
      }
      if (intent === "rotate") {
        const rotated = await rotateWebhookSecret(actor, id);
        return json<ActionResult>({ issued: { url: rotated.endpoint.url, secret: rotated.secret, rotated: true } });
      }
      if (intent === "enable" || intent === "disable") {
        await setWebhookEndpointEnabled(actor, id, intent === "enable");
        return json<ActionResult>({});
      }
      if (intent === "delete") return json<ActionResult>({ deleted: (await deleteWebhookEndpoint(actor, id)).url });
      if (intent === "test") {
        const sent = await sendTestWebhook(actor, id);
        return json<ActionResult>({ notice: { outcome: sent.outcome, deliveryId: sent.delivery.id } });
      }
      if (intent === "resend") {
        const resent = await resendWebhookDelivery(actor, id);
        return json<ActionResult>({ notice: { outcome: resent.status === "pending" ? "retrying" : resent.status, deliveryId: resent.id } });
      }
    } catch (error) {
      if (!isAppError(error) || error.code !== "FORM_INVALID") throw error;
      return json<ActionResult>({ errors: (error.details as { fields?: FieldError[] }).fields ?? [] }, { status: httpStatusFor(error.code) });
    }
    throw new AppError("BAD_REQUEST", { th: "ไม่รู้จักคำสั่งนี้", en: "Unknown request" });
  });
}

const FIELD_IDS: Record<string, string> = { "/url": "new-url", "/description": "new-description", "/events": "new-events" };

/** What the receiver answered on each attempt: its status code, or the error when there was no answer. */
function attemptCodes(d: DeliveryView): string {
  return d.attempts.map((a) => (a.statusCode !== null ? String(a.statusCode) : `— ${a.error ?? ""}`.trim())).join(" → ") || "—";
}

export default function Webhooks() {
  const { lang, endpoints } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const [params] = useSearchParams();
  const t = (text: LocalizedText, vars: Record<string, string> = {}) => Object.entries(vars).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), pick(text, lang));
  const errors = result?.errors ?? [];
  const summary = useRef<HTMLDivElement>(null);
  // GOV.UK: the error summary takes focus, so a screen reader announces it first.
  useEffect(() => {
    if (result?.errors?.length) summary.current?.focus();
  }, [result]);
  const errorOf = (pointer: string) => errors.find((e) => e.pointer === pointer);
  const fieldClass = (pointer: string) => `bk-field${errorOf(pointer) ? " bk-field-error" : ""}`;
  const errorLine = (pointer: string) => {
    const e = errorOf(pointer);
    return e ? <span id={`${FIELD_IDS[pointer]}-error`} className="bk-error-message">{pick(e.message, lang)}</span> : null;
  };
  const date = (iso: string | null) => (iso ? formatDateTime(iso, lang) : "—");
  const eventLabel = (name: string) => (isWebhookEvent(name) ? pick(WEBHOOK_EVENTS[name], lang) : name === TEST_EVENT ? t(T.testEvent) : name);
  const confirming = endpoints.find((e) => e.id === params.get("delete"));
  const statusText = (d: DeliveryView) => (d.status === "pending" ? t(d.attempts.length === 0 ? T.pendingFirst : T.pending) : t(T[d.status]));

  return (
    <div style={{ display: "grid", gap: 16, maxWidth: "100%" }}>
      {errors.length > 0 ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summary} data-testid="error-summary">
          <h2>{t(T.errorSummary)}</h2>
          <ul>{errors.map((e) => <li key={e.pointer}><a href={`#${FIELD_IDS[e.pointer] ?? ""}`}>{pick(e.message, lang)}</a></li>)}</ul>
        </div>
      ) : null}
      <h1>{t(T.title)}</h1>
      <p className="bk-muted">{t(T.intro)}</p>

      {result?.issued ? (
        <div className="bk-alert ok" role="status" data-testid="issued-secret" style={{ display: "grid", gap: 8 }}>
          <strong>{t(T.newSecretFor)} {result.issued.url}</strong>
          <code data-testid="new-secret" style={{ wordBreak: "break-all", fontSize: "1.05rem", padding: "6px 8px", background: "#f3f2f1" }}>{result.issued.secret}</code>
          <strong className="bk-error-message">⚠ {t(T.shownOnce)}</strong>
          {result.issued.rotated ? <span>{t(T.rotatedNote)}</span> : null}
        </div>
      ) : null}
      {result?.notice ? (
        <div className={`bk-alert ${result.notice.outcome === "delivered" ? "ok" : "warn"}`} role="status" data-testid="notice" data-outcome={result.notice.outcome}>
          {t(T[`outcome_${result.notice.outcome}`])}
        </div>
      ) : null}
      {result?.deleted ? <div className="bk-alert ok" role="status">{t(T.deleted)}: {result.deleted}</div> : null}

      {confirming ? (
        <ConfirmDangerForm
          testId="confirm-delete"
          id={confirming.id}
          question={t(T.confirmDelete, { url: confirming.url })}
          intent="delete"
          confirmLabel={t(T.yesDelete)}
          cancelLabel={t(T.cancel)}
        />
      ) : null}

      {endpoints.length === 0 ? <p className="bk-muted">{t(T.none)}</p> : null}
      {endpoints.map((e) => (
        <section key={e.id} className="bk-card" data-testid="endpoint" data-endpoint-id={e.id} style={{ display: "grid", gap: 10, minWidth: 0 }}>
          <h2 style={{ margin: 0, fontSize: "1.1rem", wordBreak: "break-all" }}>{e.url}</h2>
          {e.description ? <p style={{ margin: 0 }}>{e.description}</p> : null}
          <div style={{ display: "flex", gap: 6, flexWrap: "wrap", alignItems: "center" }}>
            <span className={`bk-badge${e.enabled ? " done" : " paused"}`}>{t(e.enabled ? T.enabled : T.disabled)}</span>
            {e.events.map((name) => <span key={name} className="bk-badge" title={eventLabel(name)}>{name}</span>)}
          </div>
          <Form method="post" style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "center" }}>
            <CsrfField />
            <input type="hidden" name="id" value={e.id} />
            {e.enabled ? <button className="bk-button" type="submit" name="intent" value="test" data-testid="test">{t(T.sendTest)}</button> : null}
            <button className="bk-button secondary" type="submit" name="intent" value="rotate" data-testid="rotate">{t(T.rotate)}</button>
            <button className="bk-button secondary" type="submit" name="intent" value={e.enabled ? "disable" : "enable"} data-testid="toggle">{t(e.enabled ? T.disable : T.enable)}</button>
            <Link to={`?delete=${e.id}`} data-testid="delete">{t(T.delete)}</Link>
          </Form>
          <div style={{ overflowX: "auto" }}>
            <table className="bk-table" data-testid="deliveries">
              <caption style={{ textAlign: "left", fontWeight: 600 }}>{t(T.deliveries)}</caption>
              <thead>
                <tr><th scope="col">{t(T.event)}</th><th scope="col">{t(T.time)}</th><th scope="col">{t(T.attempts)}</th><th scope="col">{t(T.codes)}</th><th scope="col">{t(T.status)}</th><th scope="col">{t(T.actions)}</th></tr>
              </thead>
              <tbody>
                {e.deliveries.length === 0 ? <tr><td colSpan={6} className="bk-muted">{t(T.noDeliveries)}</td></tr> : null}
                {e.deliveries.map((d) => (
                  <tr key={d.id} data-delivery-id={d.id} data-status={d.status}>
                    <td>{eventLabel(d.event)}<div className="bk-muted"><small><code>{d.id}</code></small></div></td>
                    <td>{date(d.createdAt)}</td>
                    <td>{d.attempts.length}</td>
                    <td data-testid="attempt-codes" title={d.attempts.map((a) => a.excerpt ?? a.error ?? "").filter(Boolean).join(" | ")}>{attemptCodes(d)}</td>
                    <td>
                      <span className={`bk-badge${d.status === "delivered" ? " done" : d.status === "failed" ? " rejected" : " paused"}`}>{statusText(d)}</span>
                      {d.nextAttemptAt && d.attempts.length > 0 ? <div className="bk-muted"><small>{t(T.nextAt)} {date(d.nextAttemptAt)}</small></div> : null}
                    </td>
                    <td>
                      {d.status === "failed" || (d.status === "pending" && d.attempts.length > 0) ? (
                        <Form method="post">
                          <CsrfField />
                          <input type="hidden" name="id" value={d.id} />
                          <button className="bk-button secondary" type="submit" name="intent" value="resend" data-testid="resend">{t(T.resend)}</button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}

      {/* A new key after each registration empties the form (its inputs are uncontrolled). */}
      <Form key={result?.issued && !result.issued.rotated ? result.issued.secret : "create"} method="post" className="bk-card bk-form" style={{ display: "grid", gap: 14, maxWidth: 640 }} data-testid="create-endpoint" noValidate>
        <CsrfField />
        <h2>{t(T.create)}</h2>
        <div className={fieldClass("/url")} style={{ display: "grid", gap: 4 }}>
          <label htmlFor="new-url" style={{ fontWeight: 600 }}>{t(T.url)}</label>
          <span className="bk-hint">{t(T.urlHint)}</span>
          {errorLine("/url")}
          <input id="new-url" name="url" type="url" inputMode="url" maxLength={2000} aria-invalid={errorOf("/url") ? true : undefined} aria-describedby={errorOf("/url") ? "new-url-error" : undefined} />
        </div>
        <div className={fieldClass("/description")} style={{ display: "grid", gap: 4 }}>
          <label htmlFor="new-description" style={{ fontWeight: 600 }}>{t(T.description)}</label>
          <span className="bk-hint">{t(T.descriptionHint)}</span>
          {errorLine("/description")}
          <input id="new-description" name="description" maxLength={200} aria-invalid={errorOf("/description") ? true : undefined} />
        </div>
        <fieldset id="new-events" className={fieldClass("/events")}>
          <legend style={{ fontWeight: 600 }}>{t(T.events)}</legend>
          {errorLine("/events")}
          {WEBHOOK_EVENT_NAMES.map((name) => (
            <label key={name} style={{ display: "block" }}>
              <input type="checkbox" name="events" value={name} /> {pick(WEBHOOK_EVENTS[name], lang)} <small className="bk-muted">({name})</small>
            </label>
          ))}
        </fieldset>
        <div><button className="bk-button" type="submit" name="intent" value="create" data-testid="create-endpoint-button">{t(T.create)}</button></div>
      </Form>
    </div>
  );
}
