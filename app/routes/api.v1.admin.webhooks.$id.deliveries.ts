/**
 * GET /api/v1/admin/webhooks/:id/deliveries?limit= → `{ deliveries[] }`, newest first: event, status, every
 * attempt with the receiver's status code (or the error), next attempt · 404 another agency's endpoint.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { listWebhookDeliveries } from "~/services/webhooks/list-webhooks.server";
import { requireApiActor } from "~/utils/auth.server";
import { apiHandler } from "~/utils/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiHandler(async () => {
    const limit = Number(new URL(request.url).searchParams.get("limit") ?? 50);
    const deliveries = await listWebhookDeliveries(await requireApiActor(request), params.id ?? "", Number.isFinite(limit) ? limit : 50);
    return json({ deliveries }, { headers: { "Cache-Control": "no-store" } });
  });
}
