import type { Actor } from "~/core/actor";
import { checkNewKey, formInvalid } from "~/core/api-keys";
import { createApiClient } from "~/models/api-client.server";
import { hashApiKey, newApiKey } from "~/utils/passwords.server";
import { recordAudit } from "../audit/record-audit.server";
import { apiKeyView, keyChoicesFor, requireAgencyAdmin, type ApiKeyView } from "./api-key-access.server";

export type IssuedKey = { apiKey: ApiKeyView; /** Shown once: only its hash is stored. */ key: string };

/**
 * Issues a key for another system of the admin's agency: `{ name, roles, services: "all" | slugs, expiresAt }`.
 * Errors: FORBIDDEN (not an agency admin), FORM_INVALID with every field's error (nothing written).
 */
export async function createApiKey(actor: Actor, body: unknown, now = new Date()): Promise<IssuedKey> {
  const admin = requireAgencyAdmin(actor);
  const checked = checkNewKey(body, await keyChoicesFor(admin.agencyId), now);
  if (!checked.ok) throw formInvalid(checked.errors);
  const { name, roles, services, expiresAt } = checked.value;
  const key = newApiKey();
  const client = await createApiClient({
    name,
    agencyId: admin.agencyId,
    keyHash: hashApiKey(key),
    keyPrefix: key.slice(0, 10),
    roles,
    ...(services === "all" ? {} : { services }),
    expiresAt,
    createdBy: { id: admin.id, name: admin.name },
  });
  await recordAudit(admin, {
    action: "api-key.create",
    target: { type: "api-key", id: String(client._id) },
    details: { name, keyPrefix: client.keyPrefix, roles, services, expiresAt: expiresAt.toISOString() },
  });
  return { apiKey: apiKeyView(client, now), key };
}
