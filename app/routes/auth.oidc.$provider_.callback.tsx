import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { headersFor, httpStatusFor, isAppError } from "~/core/errors";
import { completeOidcSignIn } from "~/services/citizen-identity/complete-oidc-sign-in.server";
import { clearPendingCookie } from "~/services/citizen-identity/pending-cookie.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { clientIp } from "~/utils/client-ip.server";
import { startSession } from "~/utils/auth.server";
import { keepRetryAfter } from "~/services/security/rate-limits.server";

export const headers = keepRetryAfter;

export const meta: MetaFunction = () => [{ title: "เข้าสู่ระบบไม่สำเร็จ / Sign-in refused — Borikan" }];

/** The provider sends the citizen back here: on success a new session, else a th/en page and nothing written. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    await enforceRateLimit("oidcSignIn", clientIp(request));
    const { user, next } = await completeOidcSignIn(request, params.provider ?? "");
    const response = await startSession(request, user, next);
    response.headers.append("Set-Cookie", clearPendingCookie());
    return response;
  } catch (error) {
    if (!isAppError(error)) throw error;
    const reason = (error.details as { reason?: string } | undefined)?.reason ?? null;
    return json(
      { code: error.code, reason, message: error.text },
      { status: httpStatusFor(error.code), headers: { ...headersFor(error), "Set-Cookie": clearPendingCookie(), "Cache-Control": "no-store" } },
    );
  }
}

export default function OidcCallbackRefused() {
  const { code, reason, message } = useLoaderData<typeof loader>();
  return (
    <div className="bk-card" style={{ maxWidth: 560, margin: "20px auto" }} data-testid="oidc-refused" data-code={code} data-reason={reason ?? ""}>
      <h1>เข้าสู่ระบบไม่สำเร็จ / Sign-in refused</h1>
      <div className="bk-alert error" role="alert">
        <p lang="th">{message.th}</p>
        <p lang="en">{message.en}</p>
      </div>
      <p><Link to="/login">กลับไปหน้าเข้าสู่ระบบ / Back to sign-in</Link></p>
    </div>
  );
}
