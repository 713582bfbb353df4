import { rolesOnCase, type Actor } from "~/core/actor";
import { availableEvents } from "~/core/workflow/runner";
import { loadVisibleCase } from "./case-access.server";

/** A case as the actor may see it, with exactly the events their roles may send now. */
export async function getCaseView(actor: Actor, caseId: string) {
  const { record, service } = await loadVisibleCase(actor, caseId);
  const roles = rolesOnCase(actor, record);
  const data = JSON.parse(record.dataJson) as Record<string, unknown>;
  const events = availableEvents(service.definition.workflow, JSON.parse(record.snapshotJson), data, roles);
  return { record, service, data, roles, events };
}
