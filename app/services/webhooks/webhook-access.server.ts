import { notFound } from "~/core/errors";
import { WEBHOOK_EVENT_NAMES, type DeliveryStatus } from "~/core/webhooks/webhook-rules";
import { getDelivery, getEndpoint, type WebhookDelivery, type WebhookEndpoint } from "~/models/webhook.server";
import { connectDb } from "~/utils/db.server";
import { requireAgencyAdmin, type AgencyAdmin } from "../api-keys/api-key-access.server";

export { requireAgencyAdmin, type AgencyAdmin };

const ENDPOINT = { th: "ปลายทาง webhook นี้", en: "Webhook endpoint" };
const DELIVERY = { th: "การส่ง webhook นี้", en: "Webhook delivery" };

/** The endpoint `id` of the admin's agency; another agency's looks exactly like one that does not exist. */
export async function endpointManagedBy(admin: AgencyAdmin, id: string): Promise<WebhookEndpoint> {
  await connectDb();
  const endpoint = id ? await getEndpoint(id) : null;
  if (!endpoint || endpoint.agencyId !== admin.agencyId) throw notFound(ENDPOINT);
  return endpoint;
}

export async function deliveryManagedBy(admin: AgencyAdmin, id: string): Promise<WebhookDelivery> {
  await connectDb();
  const delivery = id ? await getDelivery(id) : null;
  if (!delivery || delivery.agencyId !== admin.agencyId) throw notFound(DELIVERY);
  return delivery;
}

export type EndpointView = {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
  createdBy: string;
  rotatedAt: string | null;
  /** Until when the secret replaced by the last rotation also signs. */
  previousSecretUntil: string | null;
};

export type AttemptView = { at: string; statusCode: number | null; excerpt: string | null; error: string | null; ms: number };

export type DeliveryView = {
  id: string;
  endpointId: string;
  event: string;
  createdAt: string;
  status: DeliveryStatus;
  attempts: AttemptView[];
  lastStatusCode: number | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
};

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** What the admin (and the API) sees of an endpoint: never its secret. */
export function endpointView(e: WebhookEndpoint, now = new Date()): EndpointView {
  return {
    id: e._id,
    url: e.url,
    description: e.description,
    events: WEBHOOK_EVENT_NAMES.filter((name) => e.events.includes(name)),
    enabled: e.enabled,
    createdAt: iso(e.createdAt) ?? "",
    createdBy: e.createdBy.name,
    rotatedAt: iso(e.rotatedAt),
    previousSecretUntil: e.previousUntil && e.previousUntil.getTime() > now.getTime() ? iso(e.previousUntil) : null,
  };
}

export function deliveryView(d: WebhookDelivery): DeliveryView {
  const attempts = d.attempts.map((a) => ({ at: iso(a.at) ?? "", statusCode: a.statusCode ?? null, excerpt: a.excerpt ?? null, error: a.error ?? null, ms: a.ms }));
  return {
    id: d._id,
    endpointId: d.endpointId,
    event: d.event,
    createdAt: iso(d.createdAt) ?? "",
    status: d.status,
    attempts,
    lastStatusCode: attempts.at(-1)?.statusCode ?? null,
    nextAttemptAt: d.status === "pending" ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
    failedAt: iso(d.failedAt),
  };
}
