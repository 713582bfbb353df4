/**
 * POST /api/v1/admin/webhooks/deliveries/:id/resend → 200 `{ delivery }` after one attempt now, same `webhook-id`
 * and body · 409 CONFLICT already delivered · 404 another agency's delivery · 429 RATE_LIMITED.
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { resendWebhookDelivery } from "~/services/webhooks/resend-webhook-delivery.server";
import { requireApiActor } from "~/utils/auth.server";
import { actionOnly, apiHandler, requireMethod } from "~/utils/http.server";

export async function action({ request, params }: ActionFunctionArgs) {
  return apiHandler(async () => {
    requireMethod(request, "POST");
    const actor = await requireApiActor(request);
    return json({ delivery: await resendWebhookDelivery(actor, params.id ?? "") });
  });
}

export const loader = actionOnly("POST");
