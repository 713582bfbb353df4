/**
 * POST /api/v1/admin/staff/:id/second-factor/reset → 200 `{ userId }` — forgets the staff member's passkeys, TOTP
 * and recovery codes and ends their sessions. An agency admin for their own agency's staff, an OPDC admin for
 * agency admins · 403 anyone else · 404 another agency's account.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { resetSecondFactor } from "~/services/second-factor/reset-second-factor.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    return json(await resetSecondFactor(actor, params.id ?? ""));
  });
}

export const loader = actionOnly("POST");
