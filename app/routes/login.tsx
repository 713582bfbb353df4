import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { recordSignIn } from "~/services/audit/record-sign-in.server";
import { headersFor } from "~/core/errors";
import { pick, type Lang } from "~/core/text";
import { CsrfField } from "~/components/CsrfField";
import { DEMO_USERS } from "~/services/seed-demo.server";
import { keepRetryAfter } from "~/services/security/rate-limits.server";
import { guardedLogin } from "~/services/security/sign-in-guard.server";
import { secondFactorStepFor } from "~/services/second-factor/policy.server";
import { pendingStepPath, startSession } from "~/utils/auth.server";
import { safeNext } from "~/core/safe-redirect";
import { env } from "~/utils/env.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";

export const headers = keepRetryAfter;

export const meta: MetaFunction = () => [{ title: "เข้าสู่ระบบ / Sign in — Borikan" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const showDemo = process.env.BORIKAN_DEMO === "1" || env().NODE_ENV !== "production";
  const query = new URL(request.url).searchParams;
  return json({
    next: safeNext(query.get("next"), env().PUBLIC_URL, ""),
    signedOutEverywhere: query.get("signedOut") === "everywhere",
    demoAccounts: showDemo ? DEMO_USERS.map((u) => u.email) : [],
    oidcProviders: env().oidcProviders.map((p) => ({ id: p.id, label: p.label })),
  });
}

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const form = await readForm(request);
    const email = String(form.get("email") ?? "");
    const result = await guardedLogin(request, email, String(form.get("password") ?? ""));
    await recordSignIn(email, result.outcome === "signedIn" ? result.user : null);
    if (result.outcome === "locked") return json({ failed: true, message: result.error.text }, { status: 429, headers: headersFor(result.error) });
    if (result.outcome === "wrong") return json({ failed: true, message: null }, { status: 401 });
    const user = result.user;
    const home = user.kind === "citizen" ? "/my/requests" : user.kind === "opdcAdmin" ? "/" : "/inbox";
    const next = safeNext(form.get("next"), env().PUBLIC_URL, home);
    // A right password is only half a staff sign-in when a second factor is enrolled or required.
    const step = await secondFactorStepFor(user);
    if (step) return startSession(request, user, `${pendingStepPath(step)}?next=${encodeURIComponent(next)}`, step);
    return startSession(request, user, next);
  });

export default function Login() {
  const { next, signedOutEverywhere, demoAccounts, oidcProviders } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  return (
    <div className="bk-card" style={{ maxWidth: 460, margin: "20px auto" }}>
      <h1>{t("login.title")}</h1>
      {signedOutEverywhere ? <div className="bk-alert ok" role="status">{t("login.signedOutEverywhere")}</div> : null}
      {result?.failed ? (
        <div className="bk-alert error" role="alert" data-testid="login-error">
          {result.message ? pick(result.message, i18n.language as Lang) : t("login.failed")}
        </div>
      ) : null}
      {oidcProviders.map((p) => (
        // A full-page post: the answer is a redirect to the provider's own site.
        <Form key={p.id} method="post" action={`/auth/oidc/${p.id}`} reloadDocument style={{ marginBottom: 12 }}>
          <CsrfField />
          <input type="hidden" name="next" value={next} />
          <button className="bk-button" type="submit" data-testid={`oidc-${p.id}`} style={{ width: "100%" }}>
            เข้าสู่ระบบด้วย {p.label.th} / Sign in with {p.label.en}
          </button>
        </Form>
      ))}
      <Form method="post" style={{ display: "grid", gap: 12 }}>
        <CsrfField />
        <input type="hidden" name="next" value={next} />
        <label className="bk-field">{t("login.email")}<input name="email" type="email" required autoComplete="username" /></label>
        <label className="bk-field">{t("login.password")}<input name="password" type="password" required autoComplete="current-password" /></label>
        <button className="bk-button" type="submit">{t("login.submit")}</button>
      </Form>
      <p data-testid="email-code-link">
        <a href={next ? `/login/email?next=${encodeURIComponent(next)}` : "/login/email"}>ไม่มี ThaID? รับรหัสทางอีเมล / No ThaID? Get a code by e-mail</a>
      </p>
      {demoAccounts.length > 0 ? (
        <>
          <h2>{t("login.demo")}</h2>
          <ul>{demoAccounts.map((email) => <li key={email}><code>{email}</code></li>)}</ul>
        </>
      ) : null}
    </div>
  );
}
