import type { Actor } from "~/core/actor";
import { notFound } from "~/core/errors";
import { revokeApiClient } from "~/models/api-client.server";
import { recordAudit } from "../audit/record-audit.server";
import { apiClientManagedBy, apiKeyView, requireAgencyAdmin, type ApiKeyView } from "./api-key-access.server";

/**
 * Revokes key `id` at once, together with a rotated-away key still in its grace period. Revoking a revoked
 * key changes nothing. Errors: FORBIDDEN, NOT_FOUND (also another agency's key).
 */
export async function revokeApiKey(actor: Actor, id: string, now = new Date()): Promise<ApiKeyView> {
  const admin = requireAgencyAdmin(actor);
  const client = await apiClientManagedBy(admin, id);
  if (client.revokedAt) return apiKeyView(client, now);
  const revoked = await revokeApiClient(client._id, now, { id: admin.id, name: admin.name });
  if (!revoked) throw notFound({ th: "API key นี้", en: "API key" });
  await recordAudit(admin, { action: "api-key.revoke", target: { type: "api-key", id }, details: { name: client.name, keyPrefix: client.keyPrefix } });
  return apiKeyView(revoked, now);
}
