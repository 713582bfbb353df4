/** POST /api/v1/admin/services/:id/verify → the verification report `{ ok, errors[], warnings[] }` of the draft. */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { verifyServiceDraft } from "~/services/admin/service-admin.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    return json(await verifyServiceDraft(await requireApiActor(request), params.id ?? ""));
  });
}

// A GET gets the API's 405, not Remix's own page.
export const loader = actionOnly("POST");
