import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfField } from "~/components/CsrfField";
import { headersFor, httpStatusFor, isAppError } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { safeNext } from "~/core/safe-redirect";
import { pick, type LocalizedText } from "~/core/text";
import { fill, SIGN_IN_CODE_TEXT as T } from "~/i18n/citizen-sign-in-resources";
import { requestSignInCode, signInByEmailUnavailable, type SignInCodeMail } from "~/services/citizen-sign-in/request-sign-in-code.server";
import { signInCodeMode } from "~/services/citizen-sign-in/sign-in-code-mode.server";
import { signInWithCode } from "~/services/citizen-sign-in/sign-in-with-code.server";
import { keepRetryAfter } from "~/services/security/rate-limits.server";
import { startSession } from "~/utils/auth.server";
import { clientIp } from "~/utils/client-ip.server";
import { env } from "~/utils/env.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const headers = keepRetryAfter;

export const meta: MetaFunction = () => [{ title: "เข้าสู่ระบบด้วยรหัสทางอีเมล / Sign in with an e-mail code — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const mode = signInCodeMode();
  return json({
    lang: await requestLang(request),
    next: safeNext(new URL(request.url).searchParams.get("next"), env().PUBLIC_URL, ""),
    unavailable: mode === "unavailable" ? signInByEmailUnavailable().text : null,
  });
}

type ActionData = {
  step: "email" | "code";
  email: string;
  errors: FieldError[];
  /** A refusal that belongs to no one field (rate limit, mail server down). */
  message?: LocalizedText;
  demoMail?: SignInCodeMail;
};

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const form = await readForm(request);
    const intent = form.get("intent") === "verify" ? "verify" : "request";
    const email = String(form.get("email") ?? "").slice(0, 300);
    const address = clientIp(request);
    try {
      if (intent === "request") {
        const sent = await requestSignInCode({ email, address });
        return json<ActionData>({ step: "code", email: sent.email, errors: [], ...(sent.delivery === "demo" ? { demoMail: sent.demoMail } : {}) });
      }
      const user = await signInWithCode({ email, code: form.get("code"), address });
      return await startSession(request, user, safeNext(form.get("next"), env().PUBLIC_URL, "/my/requests"));
    } catch (error) {
      if (!isAppError(error)) throw error;
      const fields = (error.details as { fields?: FieldError[] } | undefined)?.fields;
      const step = intent === "verify" && !fields?.some((f) => f.pointer === "/email") ? "code" : "email";
      const errors = fields ?? (intent === "verify" && error.code !== "RATE_LIMITED" && error.code !== "FORBIDDEN" ? [{ pointer: "/code", message: error.text }] : []);
      const message = fields || errors.length > 0 ? undefined : error.text;
      return json<ActionData>({ step, email, errors, ...(message ? { message } : {}) }, { status: httpStatusFor(error.code), headers: headersFor(error) });
    }
  });

const FIELD_IDS: Record<string, string> = { "/email": "email", "/code": "code" };

export default function LoginWithEmailCode() {
  const { lang, next, unavailable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const summary = useRef<HTMLDivElement>(null);
  const t = (text: LocalizedText) => pick(text, lang);
  const errors = result?.errors ?? [];
  const errorOf = (pointer: string) => errors.find((e) => e.pointer === pointer);
  // GOV.UK pattern: focus the error summary so that screen readers announce it.
  useEffect(() => {
    if (errors.length > 0 || result?.message) summary.current?.focus();
  }, [result, errors.length]);

  if (unavailable) {
    return (
      <div className="bk-card" style={{ maxWidth: 520, margin: "20px auto" }}>
        <h1>{t(T.unavailableTitle)}</h1>
        <p data-testid="email-sign-in-unavailable">{t(unavailable)}</p>
        <p><Link to="/login">{t(T.backToLogin)}</Link></p>
      </div>
    );
  }

  const step = result?.step ?? "email";
  const input = (pointer: string, props: { label: LocalizedText; hint: LocalizedText } & React.InputHTMLAttributes<HTMLInputElement>) => {
    const { label, hint, ...rest } = props;
    const id = FIELD_IDS[pointer]!;
    const error = errorOf(pointer);
    return (
      <div className={`bk-field${error ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
        <label htmlFor={id} style={{ fontWeight: 600 }}>{t(label)}</label>
        <span id={`${id}-hint`} className="bk-hint">{t(hint)}</span>
        {error ? <span id={`${id}-error`} className="bk-error-message" data-testid={`${id}-error`}>{t(error.message)}</span> : null}
        <input id={id} name={id} aria-invalid={error ? true : undefined} aria-describedby={[`${id}-hint`, error ? `${id}-error` : ""].join(" ").trim()} {...rest} />
      </div>
    );
  };

  return (
    <div className="bk-card" style={{ maxWidth: 520, margin: "20px auto" }}>
      {errors.length > 0 || result?.message ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summary} data-testid="error-summary">
          <h2>{t(T.errorSummary)}</h2>
          <ul>
            {result?.message ? <li>{t(result.message)}</li> : null}
            {errors.map((e) => (
              <li key={e.pointer}><a href={`#${FIELD_IDS[e.pointer] ?? ""}`}>{t(e.message)}</a></li>
            ))}
          </ul>
        </div>
      ) : null}
      <h1>{t(T.title)}</h1>
      {step === "email" ? (
        <>
          <p>{t(T.intro)}</p>
          <Form method="post" style={{ display: "grid", gap: 14 }} noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="request" />
            <input type="hidden" name="next" value={next} />
            {input("/email", { label: T.email, hint: T.emailHint, type: "email", autoComplete: "email", spellCheck: false, defaultValue: result?.email ?? "" })}
            <div><button className="bk-button" type="submit" disabled={busy} data-testid="send-code">{t(T.send)}</button></div>
          </Form>
          <p className="bk-muted">{t(T.staffNote)} <Link to={next ? `/login?next=${encodeURIComponent(next)}` : "/login"}>{t(T.backToLogin)}</Link></p>
        </>
      ) : (
        <>
          <div className="bk-alert ok" role="status" data-testid="code-sent">{fill(t(T.sent), { email: result?.email ?? "" })}</div>
          {result?.demoMail ? (
            <section className="bk-alert warn" data-testid="demo-mail" aria-label={t(T.demoTitle)}>
              <strong style={{ textTransform: "uppercase" }}>⚠ {t(T.demoTitle)} / {lang === "th" ? T.demoTitle.en : T.demoTitle.th}</strong>
              <p style={{ margin: "6px 0" }}>{t(T.demoText)}</p>
              <p style={{ margin: "6px 0", fontWeight: 600 }}>{result.demoMail.subject}</p>
              <pre style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", margin: 0, font: "inherit" }}>{result.demoMail.text}</pre>
            </section>
          ) : null}
          <Form method="post" style={{ display: "grid", gap: 14 }} noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="verify" />
            <input type="hidden" name="next" value={next} />
            <input type="hidden" name="email" value={result?.email ?? ""} />
            {input("/code", { label: T.code, hint: T.codeHint, type: "text", inputMode: "numeric", autoComplete: "one-time-code", maxLength: 9, spellCheck: false, style: { maxWidth: "10em", letterSpacing: ".2em" } })}
            <div><button className="bk-button" type="submit" disabled={busy} data-testid="verify-code">{t(T.signIn)}</button></div>
          </Form>
          <p><Link to={next ? `/login/email?next=${encodeURIComponent(next)}` : "/login/email"} reloadDocument>{t(T.again)}</Link></p>
        </>
      )}
    </div>
  );
}
