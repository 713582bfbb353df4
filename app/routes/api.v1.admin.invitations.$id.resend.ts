/** POST /api/v1/admin/invitations/:id/resend → `{ invitation, delivered, link? }`: a new link for 72 hours, the old one revoked. 404 another agency's invitation; 409 already accepted. */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { resendInvitation } from "~/services/onboarding/manage-invitations.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, requireMethod } from "~/utils/http.server";

export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(async () => {
    requireMethod(request, "POST");
    return json(await resendInvitation(await requireApiActor(request), params.id ?? ""));
  });

export const loader = actionOnly("POST");
