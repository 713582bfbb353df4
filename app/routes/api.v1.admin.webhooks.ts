/**
 * GET /api/v1/admin/webhooks → `{ endpoints[] }` — the agency admin's own agency's endpoints, each with its latest
 * deliveries (never a secret). POST `{ url, description?, events[] }` → 201 `{ endpoint, secret }` (the secret
 * `whsec_…` is shown only here) · 422 FORM_INVALID with `details.fields[{ pointer, message }]` · 401 · 403.
 */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { createWebhookEndpoint } from "~/services/webhooks/create-webhook-endpoint.server";
import { listWebhooks } from "~/services/webhooks/list-webhooks.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler, readJsonBody, requireMethod } from "~/utils/http.server";

const NO_STORE = { "Cache-Control": "no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  return apiHandler(async () => json(await listWebhooks(await requireApiActor(request)), { headers: NO_STORE }));
}

export async function action({ request }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    return json(await createWebhookEndpoint(actor, await readJsonBody(request)), { status: 201, headers: NO_STORE });
  });
}
