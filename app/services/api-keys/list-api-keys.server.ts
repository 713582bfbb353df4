import type { Actor } from "~/core/actor";
import { listApiClients } from "~/models/api-client.server";
import { connectDb } from "~/utils/db.server";
import { apiKeyView, keyChoicesFor, requireAgencyAdmin, type ApiKeyView, type KeyChoices } from "./api-key-access.server";

/** The admin's agency's keys, newest first, and what a new key may hold. Errors: FORBIDDEN. */
export async function listApiKeys(actor: Actor, now = new Date()): Promise<{ agencyId: string; keys: ApiKeyView[]; choices: KeyChoices }> {
  const admin = requireAgencyAdmin(actor);
  await connectDb();
  const [clients, choices] = await Promise.all([listApiClients(admin.agencyId), keyChoicesFor(admin.agencyId)]);
  return { agencyId: admin.agencyId, keys: clients.map((c) => apiKeyView(c, now)), choices };
}
