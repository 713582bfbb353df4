/**
 * /account/second-factor — add a passkey or an authenticator app, list and remove them, make new recovery codes.
 * Someone who must have a second factor and has none lands here half signed in: only enrolment works until one
 * is added, which completes their sign-in.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfField } from "~/components/CsrfField";
import { PasskeyEnrolButton } from "~/components/PasskeyButtons";
import { AppError, httpStatusFor, isAppError } from "~/core/errors";
import { safeNext } from "~/core/safe-redirect";
import { pick, type LocalizedText } from "~/core/text";
import { formatDateTime } from "~/core/thai/buddhist-date";
import { secondFactorWords } from "~/i18n/second-factor-resources";
import { finishPasskeyEnrolment, startPasskeyEnrolment } from "~/services/second-factor/enrol-passkey.server";
import { confirmTotpEnrolment, pendingTotpEnrolment, startTotpEnrolment, type TotpEnrolment } from "~/services/second-factor/enrol-totp.server";
import { getSecondFactorView } from "~/services/second-factor/get-second-factor-view.server";
import { regenerateRecoveryCodes } from "~/services/second-factor/recovery-codes.server";
import { removeSecondFactor } from "~/services/second-factor/remove-second-factor.server";
import { newSessionCookie, requireSecondFactorAccount } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "การยืนยันตัวตนขั้นที่สอง / Second factor — Borikan" }];

const nextOf = (request: Request) => safeNext(new URL(request.url).searchParams.get("next"), env().PUBLIC_URL, "/account/second-factor");

export const loader = ({ request }: LoaderFunctionArgs) =>
  pageHandler(async () => {
    const { user, enrolling } = await requireSecondFactorAccount(request);
    const url = new URL(request.url);
    return json({
      lang: await requestLang(request),
      enrolling,
      view: await getSecondFactorView(user),
      done: url.searchParams.get("done"),
    });
  });

type FieldName = "passkey" | "totp" | "factors";
type ActionData = {
  error?: { field: FieldName; message: LocalizedText };
  passkeyOptions?: object;
  totp?: TotpEnrolment | null;
  recoveryCodes?: string[];
  /** Where to go after the recovery codes are noted. */
  next?: string;
};

const FIELD_OF_INTENT: Record<string, FieldName> = { passkeyRegister: "passkey", totpConfirm: "totp", remove: "factors", regenerateCodes: "factors" };

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const { user, sessionId, enrolling } = await requireSecondFactorAccount(request);
    const form = await readForm(request);
    const intent = String(form.get("intent") ?? "");
    const next = nextOf(request);
    /** After the first factor of a required account: the half sign-in becomes a full one under a new id. */
    const enrolled = async (recoveryCodes: string[] | null) => {
      const headers = enrolling ? { "Set-Cookie": await newSessionCookie(request, user) } : undefined;
      if (recoveryCodes) return json<ActionData>({ recoveryCodes, next: enrolling ? next : "/account/second-factor" }, { headers });
      return redirect(enrolling ? next : "/account/second-factor?done=enrolled", { headers });
    };
    try {
      switch (intent) {
        case "passkeyOptions":
          return json<ActionData>({ passkeyOptions: await startPasskeyEnrolment(user, sessionId) });
        case "passkeyRegister": {
          let response: unknown = null;
          try {
            response = JSON.parse(String(form.get("response") ?? "null"));
          } catch {
            // Left null: refused as an invalid passkey response.
          }
          return await enrolled((await finishPasskeyEnrolment(user, sessionId, String(form.get("name") ?? ""), response)).recoveryCodes);
        }
        case "totpStart":
          return json<ActionData>({ totp: await startTotpEnrolment(user) });
        case "totpConfirm":
          return await enrolled((await confirmTotpEnrolment(user, String(form.get("code") ?? "").slice(0, 32))).recoveryCodes);
      }
      if (enrolling) throw new AppError("FORBIDDEN", { th: "เพิ่มการยืนยันตัวตนขั้นที่สองก่อน", en: "Add a second factor first" });
      if (intent === "remove") {
        await removeSecondFactor(user, String(form.get("factor") ?? ""));
        return redirect("/account/second-factor?done=removed");
      }
      if (intent === "regenerateCodes") return json<ActionData>({ recoveryCodes: await regenerateRecoveryCodes(user), next: "/account/second-factor" });
    } catch (error) {
      if (!isAppError(error) || error.code !== "FORM_INVALID") throw error;
      const field = FIELD_OF_INTENT[intent] ?? "factors";
      return json<ActionData>(
        { error: { field, message: error.text }, ...(intent === "totpConfirm" ? { totp: await pendingTotpEnrolment(user) } : {}) },
        { status: httpStatusFor(error.code) },
      );
    }
    throw new AppError("BAD_REQUEST", { th: "ไม่รู้จักคำสั่งนี้", en: "Unknown request" });
  });

export default function SecondFactorSettings() {
  const { lang, enrolling, view, done } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const w = secondFactorWords(lang);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result?.error) summary.current?.focus();
  }, [result]);
  const errorFor = (field: FieldName) => (result?.error?.field === field ? pick(result.error.message, lang) : null);

  if (result?.recoveryCodes) {
    return (
      <div style={{ maxWidth: 640 }}>
        {enrolling || result.next !== "/account/second-factor" ? <div className="bk-alert ok" role="status">{w.enrolled}</div> : null}
        <h1>{w.recoveryCodesTitle}</h1>
        <p>{w.codesShownOnce}</p>
        <ol className="bk-card" data-testid="recovery-codes" style={{ fontFamily: "monospace", fontSize: "1.15rem", columns: 2, paddingLeft: 36 }}>
          {result.recoveryCodes.map((code) => <li key={code}>{code}</li>)}
        </ol>
        <a className="bk-button" href={result.next ?? "/account/second-factor"} data-testid="continue">{w.continue}</a>
      </div>
    );
  }

  const totpError = errorFor("totp");
  return (
    <div style={{ maxWidth: 720 }}>
      {result?.error ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summary} data-testid="error-summary">
          <h2>{w.errorSummary}</h2>
          <ul><li><a href={`#${result.error.field}`}>{pick(result.error.message, lang)}</a></li></ul>
        </div>
      ) : null}
      {done === "enrolled" ? <div className="bk-alert ok" role="status">{w.enrolled}</div> : null}
      {done === "removed" ? <div className="bk-alert ok" role="status">{w.removed}</div> : null}
      <h1>{enrolling ? w.enrolRequiredTitle : w.enrolTitle}</h1>
      {enrolling ? <p>{w.enrolRequiredLead}</p> : view.required ? <p className="bk-muted">{w.required}</p> : null}

      {enrolling ? null : (
        <section className="bk-card" id="factors" style={{ marginTop: 16 }}>
          <h2 style={{ marginTop: 0 }}>{w.factorsTitle}</h2>
          {errorFor("factors") ? <p className="bk-error-message">{errorFor("factors")}</p> : null}
          {view.passkeys.length === 0 && !view.totp ? <p>{w.noFactors}</p> : null}
          <ul style={{ listStyle: "none", padding: 0, display: "grid", gap: 10 }} data-testid="factor-list">
            {view.passkeys.map((p) => (
              <li key={p.id} style={{ display: "flex", flexWrap: "wrap", gap: 12, alignItems: "center", justifyContent: "space-between" }}>
                <span>
                  <strong>{w.passkey}: {p.name}</strong>
                  <br />
                  <span className="bk-muted">{w.added} {formatDateTime(p.createdAt, lang)}{p.lastUsedAt ? ` · ${w.lastUsed} ${formatDateTime(p.lastUsedAt, lang)}` : ""}</span>
                </span>
                <Form method="post">
                  <CsrfField />
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="factor" value={p.id} />
                  <button className="bk-button secondary" type="submit" aria-label={`${w.remove} ${p.name}`}>{w.remove}</button>
                </Form>
              </li>
            ))}
            {view.totp ? (
              <li style={{ display: "flex", flexWrap: "wrap", gap: 12, alignItems: "center", justifyContent: "space-between" }}>
                <span>
                  <strong>{w.totpApp}</strong>
                  <br />
                  <span className="bk-muted">{w.added} {formatDateTime(view.totp.createdAt, lang)}</span>
                </span>
                <Form method="post">
                  <CsrfField />
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="factor" value="totp" />
                  <button className="bk-button secondary" type="submit" aria-label={`${w.remove} ${w.totpApp}`}>{w.remove}</button>
                </Form>
              </li>
            ) : null}
          </ul>
          {view.passkeys.length > 0 || view.totp ? (
            <>
              <h3>{w.recoveryCodesTitle}</h3>
              <p data-testid="recovery-codes-left">{w.recoveryCodesLeft.replace("{{count}}", String(view.recoveryCodesLeft))}</p>
              <Form method="post">
                <CsrfField />
                <input type="hidden" name="intent" value="regenerateCodes" />
                <button className="bk-button secondary" type="submit" data-testid="regenerate-codes">{w.regenerate}</button>
              </Form>
            </>
          ) : null}
        </section>
      )}

      <section className="bk-card" id="passkey" style={{ marginTop: 16 }}>
        <h2 style={{ marginTop: 0 }}>{w.addPasskeyTitle}</h2>
        {errorFor("passkey") ? <p className="bk-error-message">{errorFor("passkey")}</p> : null}
        <PasskeyEnrolButton words={{ button: w.addPasskey, failed: w.passkeyFailed, nameMissing: w.passkeyNameMissing }} nameLabel={w.passkeyName} nameHint={w.passkeyNameHint} />
      </section>

      <section className="bk-card" id="totp" style={{ marginTop: 16 }}>
        <h2 style={{ marginTop: 0 }}>{w.addTotpTitle}</h2>
        <p className="bk-muted">{w.addTotpLead}</p>
        {result?.totp ? (
          <div style={{ display: "grid", gap: 10 }}>
            <p>{w.totpScan}</p>
            <img src={result.totp.qrDataUrl} width={220} height={220} alt={`QR: ${result.totp.uri}`} data-testid="totp-qr" />
            <div>
              <strong>{w.totpSecret}:</strong> <code data-testid="totp-secret" style={{ wordBreak: "break-all" }}>{result.totp.secret}</code>
            </div>
            <code style={{ wordBreak: "break-all", fontSize: "0.8rem" }} data-testid="totp-uri">{result.totp.uri}</code>
            <Form method="post" style={{ display: "grid", gap: 6 }} noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="totpConfirm" />
              <div className={`bk-field${totpError ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
                <label htmlFor="totp-code" style={{ fontWeight: 600 }}>{w.totpLabel}</label>
                {totpError ? <span id="totp-code-error" className="bk-error-message">{totpError}</span> : null}
                <input id="totp-code" name="code" autoComplete="one-time-code" inputMode="numeric" style={{ maxWidth: 200 }} aria-invalid={totpError ? true : undefined} aria-describedby={totpError ? "totp-code-error" : undefined} />
              </div>
              <div><button className="bk-button" type="submit" data-testid="confirm-totp">{w.confirmTotp}</button></div>
            </Form>
          </div>
        ) : (
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="totpStart" />
            <button className="bk-button secondary" type="submit" data-testid="start-totp">{w.startTotp}</button>
          </Form>
        )}
      </section>

      {enrolling ? (
        <Form method="post" action="/logout" style={{ marginTop: 20 }} reloadDocument>
          <CsrfField />
          <button className="bk-button secondary" type="submit">{w.cancel}</button>
        </Form>
      ) : null}
    </div>
  );
}
