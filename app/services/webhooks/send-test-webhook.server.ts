import { randomUUID } from "node:crypto";
import type { Actor } from "~/core/actor";
import { TEST_EVENT } from "~/core/webhooks/webhook-rules";
import { getDelivery } from "~/models/webhook.server";
import { recordAudit } from "../audit/record-audit.server";
import { enforceRateLimit } from "../security/rate-limits.server";
import { deliverWebhook, type DeliverOptions, type DeliverOutcome } from "./deliver-webhooks.server";
import { publishEvent } from "./publish-event.server";
import { deliveryView, endpointManagedBy, requireAgencyAdmin, type DeliveryView } from "./webhook-access.server";

/**
 * Sends a `webhook.test` event to one endpoint now and waits for the answer. It is an ordinary delivery: a
 * failure is retried on the usual schedule and can be resent. Errors: FORBIDDEN, NOT_FOUND, RATE_LIMITED.
 */
export async function sendTestWebhook(actor: Actor, endpointId: string, options: DeliverOptions = {}): Promise<{ outcome: DeliverOutcome; delivery: DeliveryView }> {
  const admin = requireAgencyAdmin(actor);
  const endpoint = await endpointManagedBy(admin, endpointId);
  await enforceRateLimit("webhookSends", admin.id);
  const now = options.now ?? new Date();
  const [id] = await publishEvent({
    agencyId: admin.agencyId,
    event: TEST_EVENT,
    sourceKey: `test:${randomUUID()}`,
    at: now,
    endpointId: endpoint._id,
    kick: false,
    data: { message: { th: "ข้อความทดสอบจากระบบบริการ", en: "A test message from Borikan" }, endpointId: endpoint._id, sentBy: admin.name },
  });
  await recordAudit(admin, { action: "webhook.test", at: now, target: { type: "webhook", id: endpoint._id }, details: { url: endpoint.url, delivery: id } });
  const outcome = await deliverWebhook(id!, { ...options, now });
  return { outcome, delivery: deliveryView((await getDelivery(id!))!) };
}
