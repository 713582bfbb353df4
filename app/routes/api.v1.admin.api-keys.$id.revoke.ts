/** POST /api/v1/admin/api-keys/:id/revoke → 200 `{ apiKey }`, refused at once from then on · 404 another agency's key. */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { revokeApiKey } from "~/services/api-keys/revoke-api-key.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    return json({ apiKey: await revokeApiKey(actor, params.id ?? "") });
  });
}

// A GET gets the API's 405, not Remix's own page.
export const loader = actionOnly("POST");
