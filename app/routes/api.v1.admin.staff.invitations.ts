/**
 * POST /api/v1/admin/staff/invitations `{ email, roles }` → 201 `{ invitation, delivered, link? }`. Roles: the
 * agency's services' roles and "agencyAdmin"; 422 unknown role, 409 the address has an account or open invitation.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { inviteStaff } from "~/services/onboarding/staff.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    return json(await inviteStaff(actor, ((await readJsonBody(request)) ?? {}) as Record<string, unknown>), { status: 201 });
  });

export const loader = actionOnly("POST");
