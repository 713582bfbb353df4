import type { Actor } from "~/core/actor";
import { keyStatus, type KeyOptions, type KeyStatus } from "~/core/api-keys";
import { forbidden, notFound } from "~/core/errors";
import type { LocalizedText } from "~/core/text";
import { STAFF_ROLES, transitionsOf, type StaffRole } from "~/core/workflow/types";
import { getApiClient, type ApiClient } from "~/models/api-client.server";
import { getCurrentService, listServices } from "~/models/service.server";
import { connectDb } from "~/utils/db.server";

export type AgencyAdmin = Extract<Actor, { kind: "staff" }>;

/** Only an agency admin manages its agency's keys (an API key never does, whatever its roles). */
export function requireAgencyAdmin(actor: Actor): AgencyAdmin {
  if (actor.kind !== "staff" || !actor.isAdmin) throw forbidden();
  return actor;
}

/** The key `id` of the admin's agency; another agency's key looks exactly like one that does not exist. */
export async function apiClientManagedBy(admin: AgencyAdmin, id: string): Promise<ApiClient> {
  await connectDb();
  const client = await getApiClient(id);
  if (!client || client.agencyId !== admin.agencyId) throw notFound({ th: "API key นี้", en: "API key" });
  return client;
}

export type KeyChoices = KeyOptions & { serviceTitles: Record<string, LocalizedText> };

/** What a key of `agencyId` may hold: the case roles its services' workflows use, and those services. */
export async function keyChoicesFor(agencyId: string): Promise<KeyChoices> {
  await connectDb();
  const summaries = await listServices({ agencyId, isTemplate: false });
  const roles = new Set<StaffRole>();
  for (const summary of summaries) {
    const current = await getCurrentService(summary._id);
    for (const state of Object.values(current?.service.definition.workflow.states ?? {})) {
      for (const [, t] of transitionsOf(state)) for (const role of t.meta.roles) if (role !== "applicant") roles.add(role);
    }
  }
  return {
    roles: STAFF_ROLES.filter((r) => roles.has(r)),
    services: summaries.map((s) => s._id),
    serviceTitles: Object.fromEntries(summaries.map((s) => [s._id, s.title])),
  };
}

export type ApiKeyView = {
  id: string;
  name: string;
  keyPrefix: string;
  roles: string[];
  services: string[] | "all";
  expiresAt: string | null;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: KeyStatus;
  /** The key the last rotation replaced and when it stops (or stopped) working. */
  previousKey: { keyPrefix: string; graceUntil: string; working: boolean } | null;
};

const iso = (d: Date | undefined | null) => (d ? new Date(d).toISOString() : null);

/** What the admin sees of a key: never its hash. */
export function apiKeyView(client: ApiClient, now: Date): ApiKeyView {
  const status = keyStatus(client, now);
  return {
    id: String(client._id),
    name: client.name,
    keyPrefix: client.keyPrefix,
    roles: client.roles,
    services: client.services ?? "all",
    expiresAt: iso(client.expiresAt),
    createdAt: iso(client.createdAt) ?? "",
    createdBy: client.createdBy ? { id: client.createdBy.id, name: client.createdBy.name } : null,
    lastUsedAt: iso(client.lastUsedAt),
    revokedAt: iso(client.revokedAt),
    status,
    previousKey: client.previousKey
      ? {
          keyPrefix: client.previousKey.keyPrefix,
          graceUntil: client.previousKey.graceUntil.toISOString(),
          working: status === "active" && client.previousKey.graceUntil.getTime() > now.getTime(),
        }
      : null,
  };
}
