/** /login/second-factor — the second step of a staff sign-in: a passkey, an authenticator app code or a recovery code. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfField } from "~/components/CsrfField";
import { PasskeySignInButton } from "~/components/PasskeyButtons";
import { headersFor, httpStatusFor, isAppError, type AppError } from "~/core/errors";
import { safeNext } from "~/core/safe-redirect";
import { pick, type LocalizedText } from "~/core/text";
import { secondFactorWords } from "~/i18n/second-factor-resources";
import { keepRetryAfter } from "~/services/security/rate-limits.server";
import { secondStepChoices, verifySecondFactor, type SecondStepProof } from "~/services/second-factor/verify-second-factor.server";
import { sessionContext, startSession } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "ยืนยันตัวตนขั้นที่สอง / Second step — Borikan" }];
export const headers = keepRetryAfter;

/** The half-signed-in browser's pending sign-in, or a redirect: to /login without one, onwards when already in. */
async function pendingSecondStep(request: Request) {
  const { pending, actor } = await sessionContext(request);
  const next = safeNext(new URL(request.url).searchParams.get("next"), env().PUBLIC_URL, "/");
  if (actor) throw redirect(next);
  if (!pending) throw redirect("/login");
  if (pending.step !== "secondFactor") throw redirect(`/account/second-factor?next=${encodeURIComponent(next)}`);
  return { ...pending, next };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, sessionId, next } = await pendingSecondStep(request);
  return json({ lang: await requestLang(request), choices: await secondStepChoices(user, sessionId), next });
}

type ActionResult = { method: SecondStepProof["method"]; message: LocalizedText };

function proofOf(form: FormData): SecondStepProof {
  const intent = String(form.get("intent") ?? "");
  if (intent === "passkey") {
    let response: unknown = null;
    try {
      response = JSON.parse(String(form.get("response") ?? "null"));
    } catch {
      // Left null: refused as an invalid passkey response.
    }
    return { method: "passkey", response };
  }
  return { method: intent === "recovery" ? "recovery" : "totp", code: String(form.get("code") ?? "").slice(0, 64) };
}

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const { user, sessionId, next } = await pendingSecondStep(request);
    const form = await readForm(request);
    const proof = proofOf(form);
    try {
      await verifySecondFactor(user, sessionId, proof);
    } catch (error) {
      if (!isAppError(error) || (error.code !== "UNAUTHENTICATED" && error.code !== "RATE_LIMITED")) throw error;
      const refusal = error as AppError;
      return json<ActionResult>({ method: proof.method, message: refusal.text }, { status: httpStatusFor(refusal.code), headers: headersFor(refusal) });
    }
    // The half sign-in ends; the full one starts under a new session id.
    return startSession(request, user, next);
  });

export default function SecondFactorStep() {
  const { lang, choices } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const w = secondFactorWords(lang);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) summary.current?.focus();
  }, [result]);
  const fieldError = (method: string) => (result && result.method === method ? pick(result.message, lang) : null);
  const codeField = (method: "totp" | "recovery", label: string, hint: string, button: string) => {
    const error = fieldError(method);
    const id = `${method}-code`;
    return (
      <Form method="post" style={{ display: "grid", gap: 6 }} noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value={method} />
        <div className={`bk-field${error ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
          <label htmlFor={id} style={{ fontWeight: 600 }}>{label}</label>
          <span id={`${id}-hint`} className="bk-hint">{hint}</span>
          {error ? <span id={`${id}-error`} className="bk-error-message">{error}</span> : null}
          <input
            id={id}
            name="code"
            autoComplete="one-time-code"
            inputMode={method === "totp" ? "numeric" : "text"}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
            style={{ maxWidth: 240 }}
          />
        </div>
        <div><button className="bk-button secondary" type="submit">{button}</button></div>
      </Form>
    );
  };
  return (
    <div style={{ maxWidth: 560, margin: "20px auto" }}>
      {result ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summary} data-testid="error-summary">
          <h2>{w.errorSummary}</h2>
          <ul><li><a href={result.method === "passkey" ? "#passkey" : `#${result.method}-code`}>{pick(result.message, lang)}</a></li></ul>
        </div>
      ) : null}
      <h1>{w.stepTitle}</h1>
      <p>{w.stepLead}</p>
      {choices.passkey ? (
        <section className="bk-card" id="passkey" style={{ marginTop: 16 }}>
          <h2 style={{ marginTop: 0 }}>{w.passkeyTitle}</h2>
          <p className="bk-muted">{w.passkeyLead}</p>
          <PasskeySignInButton options={choices.passkey} words={{ button: w.usePasskey, failed: w.passkeyFailed }} />
        </section>
      ) : null}
      {choices.totp ? (
        <section className="bk-card" style={{ marginTop: 16 }}>
          <h2 style={{ marginTop: 0 }}>{w.totpTitle}</h2>
          {codeField("totp", w.totpLabel, w.totpHint, w.verify)}
        </section>
      ) : null}
      {choices.recoveryCodes ? (
        <details className="bk-card" style={{ marginTop: 16 }} open={result?.method === "recovery"}>
          <summary style={{ fontWeight: 600, cursor: "pointer" }}>{w.recoveryTitle}</summary>
          <div style={{ marginTop: 12 }}>{codeField("recovery", w.recoveryLabel, w.recoveryHint, w.useRecovery)}</div>
        </details>
      ) : null}
      <Form method="post" action="/logout" style={{ marginTop: 20 }} reloadDocument>
        <CsrfField />
        <button className="bk-button secondary" type="submit">{w.cancel}</button>
      </Form>
    </div>
  );
}
