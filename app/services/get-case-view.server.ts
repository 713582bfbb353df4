import { actingOnCase, type Actor } from "~/core/actor";
import { availableEvents } from "~/core/workflow/runner";
import { loadVisibleCase } from "./case-access.server";

/** A case as the actor may see it, with exactly the events they may send now (roles and four-eyes rules). */
export async function getCaseView(actor: Actor, caseId: string) {
  const { record, service } = await loadVisibleCase(actor, caseId);
  const party = actingOnCase(actor, record);
  const data = JSON.parse(record.dataJson) as Record<string, unknown>;
  const events = availableEvents(service.definition.workflow, JSON.parse(record.snapshotJson), data, party);
  return { record, service, data, roles: party.roles, events };
}
