import type { Actor } from "~/core/actor";
import { listDeliveries, listEndpoints } from "~/models/webhook.server";
import { connectDb } from "~/utils/db.server";
import { deliveryView, endpointManagedBy, endpointView, requireAgencyAdmin, type DeliveryView, type EndpointView } from "./webhook-access.server";

export type EndpointWithDeliveries = EndpointView & { deliveries: DeliveryView[] };

/** The admin's agency's endpoints, oldest first, each with its latest deliveries. Errors: FORBIDDEN. */
export async function listWebhooks(actor: Actor, now = new Date(), deliveriesEach = 10): Promise<{ endpoints: EndpointWithDeliveries[] }> {
  const admin = requireAgencyAdmin(actor);
  await connectDb();
  const endpoints = await listEndpoints(admin.agencyId);
  const deliveries = await Promise.all(endpoints.map((e) => listDeliveries(e._id, deliveriesEach)));
  return { endpoints: endpoints.map((e, i) => ({ ...endpointView(e, now), deliveries: deliveries[i]!.map(deliveryView) })) };
}

/** One endpoint's latest deliveries (newest first). Errors: FORBIDDEN, NOT_FOUND. */
export async function listWebhookDeliveries(actor: Actor, endpointId: string, limit = 50): Promise<DeliveryView[]> {
  const admin = requireAgencyAdmin(actor);
  const endpoint = await endpointManagedBy(admin, endpointId);
  return (await listDeliveries(endpoint._id, Math.min(Math.max(1, limit), 200))).map(deliveryView);
}
