/**
 * POST /api/v1/invitations/:token/accept `{ name, password }` → 201 `{ user }` and a new session cookie. 404 unknown
 * link; 409 with `details.reason` EXPIRED, ACCEPTED, REVOKED or ACCOUNT_EXISTS; 422 name or password refused.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { acceptInvitation } from "~/services/onboarding/accept-invitation.server";
import { secondFactorStepFor } from "~/services/second-factor/policy.server";
import { clientIp } from "~/utils/client-ip.server";
import { actionOnly, apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";
import { createSession, destroySession } from "~/utils/session.server";
import { assertSameOrigin } from "~/utils/web-security.server";

export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(async () => {
    requireMethod(request, "POST");
    assertSameOrigin(request);
    await enforceRateLimit("invitationAccept", clientIp(request));
    const body = ((await readJsonBody(request)) ?? {}) as Record<string, unknown>;
    const user = await acceptInvitation(params.token ?? "", { name: body.name, password: body.password });
    await destroySession(request);
    // Someone who must have a second factor gets a session that can only enrol one.
    const pendingStep = (await secondFactorStepFor(user)) ?? undefined;
    const { setCookie } = await createSession(user, { userAgent: request.headers.get("User-Agent") ?? undefined, pendingStep });
    return json(
      { ...(pendingStep ? { pendingStep } : {}), user: { id: String(user._id), name: user.name, email: user.email, kind: user.kind, agencyId: user.agencyId, roles: user.roles } },
      { status: 201, headers: { "Set-Cookie": setCookie } },
    );
  });

export const loader = actionOnly("POST");
