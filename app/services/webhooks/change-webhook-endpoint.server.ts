import type { Actor } from "~/core/actor";
import { deleteEndpoint, rebuildRoute, updateEndpoint } from "~/models/webhook.server";
import { recordAudit } from "../audit/record-audit.server";
import { newWebhookSecret, sealWebhookSecret } from "./sign-webhook.server";
import { endpointManagedBy, endpointView, requireAgencyAdmin, type EndpointView } from "./webhook-access.server";

/** How long the replaced secret keeps signing beside the new one, so the receiver can switch without a gap. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

/**
 * Replaces an endpoint's signing secret; the new one is returned once. For 24 hours both sign (two `v1,`
 * signatures in the header). Errors: FORBIDDEN, NOT_FOUND.
 */
export async function rotateWebhookSecret(actor: Actor, id: string, now = new Date()): Promise<{ endpoint: EndpointView; secret: string }> {
  const admin = requireAgencyAdmin(actor);
  const endpoint = await endpointManagedBy(admin, id);
  const secret = newWebhookSecret();
  const set = { secretSealed: sealWebhookSecret(secret), previousSecretSealed: endpoint.secretSealed, previousUntil: new Date(now.getTime() + ROTATION_GRACE_MS), rotatedAt: now };
  await updateEndpoint(endpoint._id, set);
  await recordAudit(admin, { action: "webhook.rotate", at: now, target: { type: "webhook", id: endpoint._id }, details: { url: endpoint.url } });
  return { endpoint: endpointView({ ...endpoint, ...set }, now), secret };
}

/** Stops (or resumes) sending to an endpoint: a disabled one gets no new deliveries. Errors: FORBIDDEN, NOT_FOUND. */
export async function setWebhookEndpointEnabled(actor: Actor, id: string, enabled: boolean, now = new Date()): Promise<EndpointView> {
  const admin = requireAgencyAdmin(actor);
  const endpoint = await endpointManagedBy(admin, id);
  await updateEndpoint(endpoint._id, { enabled });
  await rebuildRoute(admin.agencyId);
  await recordAudit(admin, { action: "webhook.status", at: now, target: { type: "webhook", id: endpoint._id }, details: { url: endpoint.url, enabled } });
  return endpointView({ ...endpoint, enabled }, now);
}

/** Deletes an endpoint; its pending deliveries are parked as failed at their next attempt. Errors: FORBIDDEN, NOT_FOUND. */
export async function deleteWebhookEndpoint(actor: Actor, id: string, now = new Date()): Promise<EndpointView> {
  const admin = requireAgencyAdmin(actor);
  const endpoint = await endpointManagedBy(admin, id);
  await deleteEndpoint(endpoint._id);
  await rebuildRoute(admin.agencyId);
  await recordAudit(admin, { action: "webhook.delete", at: now, target: { type: "webhook", id: endpoint._id }, details: { url: endpoint.url } });
  return endpointView(endpoint, now);
}
