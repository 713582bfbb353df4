/**
 * PUT /api/v1/admin/staff/:id/roles `{ roles }` → 200 StaffMember; the member's sessions end. 404 another agency's
 * account, 422 unknown role, 409 `LAST_ADMIN` when the agency would have no admin.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { changeStaffRoles } from "~/services/onboarding/staff.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(async () => {
    requireMethod(request, "PUT");
    const actor = await requireApiActor(request);
    return json(await changeStaffRoles(actor, params.id ?? "", ((await readJsonBody(request)) ?? {}) as Record<string, unknown>));
  });

export const loader = actionOnly("PUT");
