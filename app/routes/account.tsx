import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { CsrfField } from "~/components/CsrfField";
import { AppError, httpStatusFor, isAppError, methodNotAllowed } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { pick } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { changePassword } from "~/services/accounts/change-password.server";
import { getAccountView } from "~/services/accounts/get-account-view.server";
import { signOutEverywhere } from "~/services/accounts/sign-out-everywhere.server";
import { endSession, requireSessionActor, sessionContext, startSession } from "~/utils/auth.server";
import { errorResponse, readForm } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";
import { sessionKindOf, sessionLimits } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "บัญชีของฉัน / My account — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireSessionActor(request);
  const { session } = await sessionContext(request);
  const account = await getAccountView(actor);
  return json({
    lang: await requestLang(request),
    account,
    session,
    idleMinutes: Math.round(sessionLimits(sessionKindOf(account)).idleMs / 60_000),
  });
}

type ActionResult = { errors: FieldError[] };

export async function action({ request }: ActionFunctionArgs) {
  // Thrown as responses, so the page answers with the status from the one table in core/errors.
  if (request.method !== "POST") throw errorResponse(methodNotAllowed(["POST"]));
  const actor = await requireSessionActor(request);
  const form = await readForm(request).catch((error: unknown) => {
    throw isAppError(error) ? errorResponse(error) : error;
  });
  const intent = form.get("intent");
  if (intent === "signOutEverywhere") {
    await signOutEverywhere(actor.id);
    return endSession(request, "/login?signedOut=everywhere");
  }
  if (intent === "changePassword") {
    try {
      const user = await changePassword(actor.id, String(form.get("currentPassword") ?? ""), String(form.get("newPassword") ?? ""));
      // Every session ended, this one too: this browser continues under a new id.
      return await startSession(request, user, "/account?passwordChanged=1");
    } catch (error) {
      if (!isAppError(error) || error.code !== "FORM_INVALID") throw error;
      const fields = (error.details as { fields?: FieldError[] } | undefined)?.fields ?? [];
      return json<ActionResult>({ errors: fields }, { status: httpStatusFor(error.code) });
    }
  }
  throw errorResponse(new AppError("BAD_REQUEST", { th: "ไม่รู้จักคำสั่งนี้", en: "Unknown request" }));
}

const FIELD_IDS: Record<string, string> = { "/currentPassword": "current-password", "/newPassword": "new-password" };

export default function Account() {
  const { lang, account, session, idleMinutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const summary = useRef<HTMLDivElement>(null);
  const errors = result && "errors" in result ? result.errors : [];
  const errorOf = (pointer: string) => errors.find((e) => e.pointer === pointer);
  // GOV.UK pattern: move focus to the error summary so screen readers announce it.
  useEffect(() => {
    if (result && "errors" in result && result.errors.length > 0) summary.current?.focus();
  }, [result]);
  const field = (pointer: string, name: string, label: string, autoComplete: string, hint?: string) => {
    const error = errorOf(pointer);
    const id = FIELD_IDS[pointer];
    const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
    return (
      <div className={`bk-field${error ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
        <label htmlFor={id} style={{ fontWeight: 600 }}>{label}</label>
        {hint ? <span id={`${id}-hint`} className="bk-hint">{hint}</span> : null}
        {error ? <span id={`${id}-error`} className="bk-error-message">{pick(error.message, lang)}</span> : null}
        <input id={id} name={name} type="password" required autoComplete={autoComplete} aria-invalid={error ? true : undefined} aria-describedby={described} />
      </div>
    );
  };
  return (
    <div style={{ maxWidth: 720 }}>
      {errors.length > 0 ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summary} data-testid="error-summary">
          <h2>{t("account.errorSummary")}</h2>
          <ul>
            {errors.map((e) => (
              <li key={e.pointer}><a href={`#${FIELD_IDS[e.pointer] ?? ""}`}>{pick(e.message, lang)}</a></li>
            ))}
          </ul>
        </div>
      ) : null}
      {params.get("passwordChanged") ? <div className="bk-alert ok" role="status">{t("account.passwordChanged")}</div> : null}
      <h1>{t("account.title")}</h1>
      <section className="bk-card" style={{ marginTop: 16 }}>
        <h2 style={{ marginTop: 0 }}>{t("account.who")}</h2>
        <dl className="bk-dl" data-testid="account-who">
          <dt>{t("account.name")}</dt><dd>{account.name}</dd>
          <dt>{t("account.email")}</dt><dd>{account.email}</dd>
          <dt>{t("account.kind")}</dt><dd>{t(`account.kinds.${account.kind}`)}</dd>
          {account.agencyId ? <><dt>{t("account.agency")}</dt><dd>{account.agencyId}</dd></> : null}
          {account.roles.length > 0 ? <><dt>{t("account.roles")}</dt><dd>{account.roles.map((r) => t(`roles.${r}`)).join(", ")}</dd></> : null}
        </dl>
      </section>
      {session ? (
        <section className="bk-card" style={{ marginTop: 16 }}>
          <h2 style={{ marginTop: 0 }}>{t("account.session")}</h2>
          <dl className="bk-dl" data-testid="account-session">
            <dt>{t("account.sessionStarted")}</dt><dd>{formatDateTime(session.createdAt, lang)}</dd>
            <dt>{t("account.sessionEnds")}</dt><dd>{formatDateTime(session.expiresAt, lang)}</dd>
          </dl>
          <p className="bk-muted">{t("account.idleNote", { minutes: idleMinutes })}</p>
        </section>
      ) : null}
      <section className="bk-card" style={{ marginTop: 16 }}>
        <h2 style={{ marginTop: 0 }}>{t("account.everywhereTitle")}</h2>
        <p>{t("account.everywhereText")}</p>
        <Form method="post" reloadDocument>
          <CsrfField />
          <input type="hidden" name="intent" value="signOutEverywhere" />
          <button className="bk-button danger" type="submit" data-testid="sign-out-everywhere">{t("account.everywhere")}</button>
        </Form>
      </section>
      {account.canChangePassword ? (
        <section className="bk-card" style={{ marginTop: 16 }}>
          <h2 style={{ marginTop: 0 }}>{lang === "en" ? "Second factor" : "การยืนยันตัวตนขั้นที่สอง"}</h2>
          <p className="bk-muted">{lang === "en" ? "Passkeys, authenticator app and recovery codes" : "พาสคีย์ แอปยืนยันตัวตน และรหัสกู้คืน"}</p>
          <a className="bk-button secondary" href="/account/second-factor" data-testid="second-factor-link">{lang === "en" ? "Manage second factor" : "จัดการการยืนยันตัวตนขั้นที่สอง"}</a>
        </section>
      ) : null}
      {account.canChangePassword ? (
        <section className="bk-card" style={{ marginTop: 16 }}>
          <h2 style={{ marginTop: 0 }}>{t("account.passwordTitle")}</h2>
          <p className="bk-muted">{t("account.passwordText")}</p>
          <Form method="post" style={{ display: "grid", gap: 14 }} noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="changePassword" />
            {field("/currentPassword", "currentPassword", t("account.currentPassword"), "current-password")}
            {field("/newPassword", "newPassword", t("account.newPassword"), "new-password", t("account.newPasswordHint"))}
            <div><button className="bk-button" type="submit">{t("account.changePassword")}</button></div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
