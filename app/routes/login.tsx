import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfField } from "~/components/CsrfField";
import { DEMO_USERS } from "~/services/seed-demo.server";
import { login, startSession } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";

function safeNext(value: unknown, fallback: string) {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : fallback;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const showDemo = process.env.BORIKAN_DEMO === "1" || env().NODE_ENV !== "production";
  return json({ next: safeNext(new URL(request.url).searchParams.get("next"), ""), demoAccounts: showDemo ? DEMO_USERS.map((u) => u.email) : [] });
}

export const action = ({ request }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const form = await readForm(request);
    const user = await login(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
    if (!user) return json({ failed: true }, { status: 401 });
    const home = user.kind === "citizen" ? "/my/requests" : user.kind === "opdcAdmin" ? "/" : "/inbox";
    return startSession(request, user, safeNext(form.get("next"), home));
  });

export default function Login() {
  const { next, demoAccounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="bk-card" style={{ maxWidth: 460, margin: "20px auto" }}>
      <h1>{t("login.title")}</h1>
      {result?.failed ? <div className="bk-alert error" role="alert">{t("login.failed")}</div> : null}
      <Form method="post" style={{ display: "grid", gap: 12 }}>
        <CsrfField />
        <input type="hidden" name="next" value={next} />
        <label className="bk-field">{t("login.email")}<input name="email" type="email" required autoComplete="username" /></label>
        <label className="bk-field">{t("login.password")}<input name="password" type="password" required autoComplete="current-password" /></label>
        <button className="bk-button" type="submit">{t("login.submit")}</button>
      </Form>
      {demoAccounts.length > 0 ? (
        <>
          <h2>{t("login.demo")}</h2>
          <ul>{demoAccounts.map((email) => <li key={email}><code>{email}</code></li>)}</ul>
        </>
      ) : null}
    </div>
  );
}
