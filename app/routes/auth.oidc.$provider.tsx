import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeNext } from "~/core/safe-redirect";
import { startOidcSignIn } from "~/services/citizen-identity/start-oidc-sign-in.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { env } from "~/utils/env.server";
import { pageHandler, readForm, requireMethod } from "~/utils/http.server";

/** A direct visit has nothing to start: back to the sign-in page. */
export const loader = () => redirect("/login");

/** The login page's "Sign in with …" button (POST with the form token): off to the provider. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  pageHandler(async () => {
    requireMethod(request, "POST");
    const form = await readForm(request);
    await enforceRateLimit("oidcSignIn", clientIp(request));
    const next = safeNext(form.get("next"), env().PUBLIC_URL, "/my/requests");
    const { redirectTo, setCookie } = await startOidcSignIn(params.provider ?? "", next);
    return redirect(redirectTo, { headers: { "Set-Cookie": setCookie } });
  });
