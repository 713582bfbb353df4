/** POST /api/v1/admin/staff/:id/reactivate → 200 StaffMember. 404 another agency's account; 403 not an agency admin. */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { reactivateStaff } from "~/services/onboarding/staff.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, requireMethod } from "~/utils/http.server";

export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(async () => {
    requireMethod(request, "POST");
    return json(await reactivateStaff(await requireApiActor(request), params.id ?? ""));
  });

export const loader = actionOnly("POST");
