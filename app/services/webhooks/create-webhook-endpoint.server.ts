import { randomBytes } from "node:crypto";
import type { Actor } from "~/core/actor";
import { checkEndpointInput, MAX_ENDPOINTS_PER_AGENCY, webhookFormInvalid } from "~/core/webhooks/webhook-rules";
import { insertEndpoint, listEndpoints, rebuildRoute } from "~/models/webhook.server";
import { connectDb } from "~/utils/db.server";
import { recordAudit } from "../audit/record-audit.server";
import { checkWebhookHost } from "./check-webhook-url.server";
import { newWebhookSecret, sealWebhookSecret } from "./sign-webhook.server";
import { endpointView, requireAgencyAdmin, type EndpointView } from "./webhook-access.server";

export type IssuedEndpoint = { endpoint: EndpointView; /** `whsec_…`, shown once. */ secret: string };

/**
 * Registers a receiver of the admin's agency: `{ url, description?, events[] }`. The signing secret is made
 * here and returned once. Errors: FORBIDDEN (not an agency admin), FORM_INVALID with every field's error.
 */
export async function createWebhookEndpoint(actor: Actor, body: unknown, now = new Date(), options: { allowPrivate?: boolean } = {}): Promise<IssuedEndpoint> {
  const admin = requireAgencyAdmin(actor);
  const checked = checkEndpointInput(body);
  if (!checked.ok) throw webhookFormInvalid(checked.errors);
  const hostErrors = await checkWebhookHost(checked.value.url, options);
  if (hostErrors.length > 0) throw webhookFormInvalid(hostErrors);
  await connectDb();
  if ((await listEndpoints(admin.agencyId)).length >= MAX_ENDPOINTS_PER_AGENCY) {
    throw webhookFormInvalid([{ pointer: "/url", message: { th: `หน่วยงานมีปลายทางได้ไม่เกิน ${MAX_ENDPOINTS_PER_AGENCY} แห่ง`, en: `An agency may have at most ${MAX_ENDPOINTS_PER_AGENCY} endpoints` } }]);
  }
  const secret = newWebhookSecret();
  const endpoint = {
    _id: `ep_${randomBytes(12).toString("hex")}`,
    agencyId: admin.agencyId,
    ...checked.value,
    enabled: true,
    secretSealed: sealWebhookSecret(secret),
    createdAt: now,
    createdBy: { id: admin.id, name: admin.name },
  };
  await insertEndpoint(endpoint);
  await rebuildRoute(admin.agencyId);
  await recordAudit(admin, { action: "webhook.create", at: now, target: { type: "webhook", id: endpoint._id }, details: { url: endpoint.url, events: endpoint.events } });
  return { endpoint: endpointView(endpoint, now), secret };
}
