/** DELETE /api/v1/admin/webhooks/:id → 200 `{ endpoint }`: nothing more is sent to it · 404 another agency's endpoint. */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { deleteWebhookEndpoint } from "~/services/webhooks/change-webhook-endpoint.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "DELETE");
    const actor = await requireApiActor(request);
    return json({ endpoint: await deleteWebhookEndpoint(actor, params.id ?? "") });
  });
}

export const loader = actionOnly("DELETE");
