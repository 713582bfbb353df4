import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import { getDelivery, setDue, updateDelivery } from "~/models/webhook.server";
import { recordAudit } from "../audit/record-audit.server";
import { enforceRateLimit } from "../security/rate-limits.server";
import { deliverWebhook, type DeliverOptions } from "./deliver-webhooks.server";
import { deliveryManagedBy, deliveryView, requireAgencyAdmin, type DeliveryView } from "./webhook-access.server";

/**
 * Sends a parked (failed) or retrying delivery again now, with the same `webhook-id` and body, as a new round of
 * attempts (the back-off starts over if this one fails); the answer is awaited, so the page shows it. A
 * delivered one is not sent again. Errors: FORBIDDEN, NOT_FOUND, CONFLICT (already delivered), RATE_LIMITED.
 */
export async function resendWebhookDelivery(actor: Actor, id: string, options: DeliverOptions = {}): Promise<DeliveryView> {
  const admin = requireAgencyAdmin(actor);
  const delivery = await deliveryManagedBy(admin, id);
  if (delivery.status === "delivered") {
    throw new AppError("CONFLICT", { th: "ส่งถึงปลายทางแล้ว ไม่ต้องส่งซ้ำ", en: "Already delivered: nothing to resend" });
  }
  await enforceRateLimit("webhookSends", admin.id);
  const now = options.now ?? new Date();
  if (delivery.status === "failed") {
    await updateDelivery(delivery._id, { status: "pending", roundStart: delivery.attempts.length, nextAttemptAt: now, resentAt: now });
  } else {
    await updateDelivery(delivery._id, { roundStart: delivery.attempts.length, nextAttemptAt: now, resentAt: now });
  }
  await setDue(delivery._id, now);
  await recordAudit(admin, { action: "webhook.resend", at: now, target: { type: "webhook-delivery", id: delivery._id }, details: { event: delivery.event, endpointId: delivery.endpointId, attempts: delivery.attempts.length } });
  // Another sender holding it right now answers for this round; the page then shows its outcome.
  await deliverWebhook(delivery._id, { ...options, now, force: true });
  return deliveryView((await getDelivery(delivery._id))!);
}
