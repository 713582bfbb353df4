import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { ConfirmDangerForm } from "~/components/ConfirmDangerForm";
import { CsrfField } from "~/components/CsrfField";
import { DEFAULT_GRACE_HOURS } from "~/core/api-keys";
import { AppError, httpStatusFor, isAppError, methodNotAllowed } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type Lang } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { API_KEYS_TEXT as T } from "~/i18n/api-keys-text";
import { createApiKey, type IssuedKey } from "~/services/api-keys/create-api-key.server";
import { listApiKeys } from "~/services/api-keys/list-api-keys.server";
import { revokeApiKey } from "~/services/api-keys/revoke-api-key.server";
import { rotateApiKey } from "~/services/api-keys/rotate-api-key.server";
import { requireSessionActor } from "~/utils/auth.server";
import { errorResponse, pageHandler, readForm } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "API keys — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  return pageHandler(async () => json({ lang: await requestLang(request), ...(await listApiKeys(actor)) }));
}

type ActionResult = { errors?: FieldError[]; issued?: IssuedKey & { rotated: boolean }; revoked?: string };

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw errorResponse(methodNotAllowed(["POST"]));
  const actor = await requireSessionActor(request);
  return pageHandler(async () => {
    const form = await readForm(request);
    const intent = form.get("intent");
    const id = String(form.get("id") ?? "");
    try {
      if (intent === "create") {
        const services = form.getAll("services").map(String);
        const issued = await createApiKey(actor, {
          name: form.get("name"),
          roles: form.getAll("roles").map(String),
          services: services.includes("all") ? "all" : services,
          expiresAt: form.get("expiresAt"),
        });
        return json<ActionResult>({ issued: { ...issued, rotated: false } });
      }
      if (intent === "rotate") return json<ActionResult>({ issued: { ...(await rotateApiKey(actor, id, { graceHours: form.get("graceHours") })), rotated: true } });
      if (intent === "revoke") return json<ActionResult>({ revoked: (await revokeApiKey(actor, id)).name });
    } catch (error) {
      if (!isAppError(error) || error.code !== "FORM_INVALID") throw error;
      return json<ActionResult>({ errors: (error.details as { fields?: FieldError[] }).fields ?? [] }, { status: httpStatusFor(error.code) });
    }
    throw new AppError("BAD_REQUEST", { th: "ไม่รู้จักคำสั่งนี้", en: "Unknown request" });
  });
}

const FIELD_IDS: Record<string, string> = { "/name": "key-name", "/roles": "key-roles", "/services": "key-services", "/expiresAt": "key-expiry", "/graceHours": "key-grace" };

function CopyableKey({ value, lang }: { value: string; lang: Lang }) {
  const [copied, setCopied] = useState(false);
  return (
    <div style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "center" }}>
      <code data-testid="new-key" style={{ wordBreak: "break-all", fontSize: "1.05rem", padding: "6px 8px", background: "#f3f2f1" }}>{value}</code>
      <button
        type="button"
        className="bk-button"
        data-testid="copy-key"
        onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false))}
      >
        {pick(copied ? T.copied : T.copy, lang)}
      </button>
    </div>
  );
}

export default function ApiKeys() {
  const { lang, keys, choices } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const [params] = useSearchParams();
  const t = (text: { th: string; en: string }, vars: Record<string, string> = {}) =>
    Object.entries(vars).reduce((s, [k, v]) => s.replace(`{{${k}}}`, v), pick(text, lang));
  const errors = result?.errors ?? [];
  const summary = useRef<HTMLDivElement>(null);
  // GOV.UK: the error summary takes focus, so a screen reader announces it first.
  useEffect(() => {
    if (result?.errors?.length) summary.current?.focus();
  }, [result]);
  const errorOf = (pointer: string) => errors.find((e) => e.pointer === pointer);
  const confirming = keys.find((k) => k.id === params.get("revoke") && k.status !== "revoked");
  const fieldClass = (pointer: string) => `bk-field${errorOf(pointer) ? " bk-field-error" : ""}`;
  const errorLine = (pointer: string) => {
    const e = errorOf(pointer);
    return e ? <span id={`${FIELD_IDS[pointer]}-error`} className="bk-error-message">{pick(e.message, lang)}</span> : null;
  };
  const date = (iso: string | null) => (iso ? formatDateTime(iso, lang) : "—");

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
        <div className="bk-alert ok" role="status" data-testid="issued-key" style={{ display: "grid", gap: 8 }}>
          <strong>{t(T.newKeyFor)} “{result.issued.apiKey.name}”</strong>
          <CopyableKey value={result.issued.key} lang={lang} />
          <strong className="bk-error-message">⚠ {t(T.shownOnce)}</strong>
          {result.issued.rotated && result.issued.apiKey.previousKey ? (
            <span data-testid="grace-end">{t(T.oldKeyUntil, { prefix: result.issued.apiKey.previousKey.keyPrefix })} {date(result.issued.apiKey.previousKey.graceUntil)}</span>
          ) : null}
        </div>
      ) : null}
      {result?.revoked ? <div className="bk-alert ok" role="status">{t(T.revokedDone)}: {result.revoked}</div> : null}

      {confirming ? (
        <ConfirmDangerForm
          testId="confirm-revoke"
          id={confirming.id}
          question={t(T.confirmRevoke, { name: confirming.name })}
          intent="revoke"
          confirmLabel={t(T.yesRevoke)}
          cancelLabel={t(T.cancel)}
        />
      ) : null}

      <div style={{ overflowX: "auto" }}>
        <table className="bk-table" data-testid="api-keys-table">
          <thead>
            <tr>
              <th>{t(T.name)}</th><th>{t(T.prefix)}</th><th>{t(T.roles)}</th><th>{t(T.services)}</th>
              <th>{t(T.expiry)}</th><th>{t(T.lastUsed)}</th><th>{t(T.status)}</th><th>{t(T.actions)}</th>
            </tr>
          </thead>
          <tbody>
            {keys.length === 0 ? <tr><td colSpan={8} className="bk-muted">{t(T.none)}</td></tr> : null}
            {keys.map((k) => (
              <tr key={k.id} data-key-id={k.id} data-status={k.status}>
                <td>{k.name}</td>
                <td><code>{k.keyPrefix}…</code>{k.previousKey?.working ? <div className="bk-muted"><small>{t(T.oldKeyUntil, { prefix: k.previousKey.keyPrefix })} {date(k.previousKey.graceUntil)}</small></div> : null}</td>
                <td>{k.roles.join(", ") || "—"}</td>
                <td>{k.services === "all" ? t(T.allServices) : k.services.join(", ")}</td>
                <td>{date(k.expiresAt)}</td>
                <td data-testid="last-used">{k.lastUsedAt ? date(k.lastUsedAt) : t(T.never)}</td>
                <td><span className="bk-badge">{t(T[k.status])}</span></td>
                <td>
                  {k.status === "active" ? (
                    <div style={{ display: "grid", gap: 6 }}>
                      <Form method="post" style={{ display: "flex", gap: 6, flexWrap: "wrap", alignItems: "center" }}>
                        <CsrfField />
                        <input type="hidden" name="id" value={k.id} />
                        <label>
                          <span className="bk-muted"><small>{t(T.grace)} </small></span>
                          <select name="graceHours" defaultValue={String(DEFAULT_GRACE_HOURS)} aria-label={t(T.grace)}>
                            {[0, 1, 24, 72, 168].map((h) => <option key={h} value={h}>{h} {t(T.hours)}</option>)}
                          </select>
                        </label>
                        <button className="bk-button" type="submit" name="intent" value="rotate" data-testid="rotate">{t(T.rotate)}</button>
                      </Form>
                      <Link to={`?revoke=${k.id}`} data-testid="revoke">{t(T.revoke)}</Link>
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Form method="post" className="bk-card bk-form" style={{ display: "grid", gap: 14, maxWidth: 640 }} data-testid="create-key" noValidate>
        <CsrfField />
        <h2>{t(T.create)}</h2>
        <div className={fieldClass("/name")} style={{ display: "grid", gap: 4 }}>
          <label htmlFor="key-name" style={{ fontWeight: 600 }}>{t(T.name)}</label>
          <span className="bk-hint">{t(T.nameHint)}</span>
          {errorLine("/name")}
          <input id="key-name" name="name" maxLength={100} aria-invalid={errorOf("/name") ? true : undefined} />
        </div>
        <fieldset id="key-roles" className={fieldClass("/roles")}>
          <legend style={{ fontWeight: 600 }}>{t(T.roles)}</legend>
          <span className="bk-hint">{t(T.rolesHint)}</span>
          {errorLine("/roles")}
          {choices.roles.map((role) => (
            <label key={role} style={{ display: "block" }}><input type="checkbox" name="roles" value={role} /> {role}</label>
          ))}
        </fieldset>
        <fieldset id="key-services" className={fieldClass("/services")}>
          <legend style={{ fontWeight: 600 }}>{t(T.services)}</legend>
          {errorLine("/services")}
          <label style={{ display: "block" }}><input type="checkbox" name="services" value="all" /> {t(T.allServices)}</label>
          {choices.services.map((slug) => (
            <label key={slug} style={{ display: "block" }}><input type="checkbox" name="services" value={slug} /> {pick(choices.serviceTitles[slug], lang)} <small className="bk-muted">({slug})</small></label>
          ))}
        </fieldset>
        <div className={fieldClass("/expiresAt")} style={{ display: "grid", gap: 4 }}>
          <label htmlFor="key-expiry" style={{ fontWeight: 600 }}>{t(T.expiry)}</label>
          <span className="bk-hint">{t(T.expiryHint)}</span>
          {errorLine("/expiresAt")}
          <input id="key-expiry" name="expiresAt" type="date" aria-invalid={errorOf("/expiresAt") ? true : undefined} />
        </div>
        <div><button className="bk-button" type="submit" name="intent" value="create" data-testid="create-key-button">{t(T.create)}</button></div>
      </Form>
    </div>
  );
}
