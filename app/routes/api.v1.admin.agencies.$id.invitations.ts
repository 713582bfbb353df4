/**
 * POST /api/v1/admin/agencies/:id/invitations `{ email }` → 201 `{ invitation, delivered, link? }`: OPDC invites the
 * agency's admin. `link` only when no e-mail was sent (no SMTP_URL). 403 non-OPDC, 404 agency, 409 account exists.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { inviteAgencyAdmin } from "~/services/onboarding/agencies.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    const body = ((await readJsonBody(request)) ?? {}) as Record<string, unknown>;
    return json(await inviteAgencyAdmin(actor, params.id ?? "", body), { status: 201 });
  });

export const loader = actionOnly("POST");
