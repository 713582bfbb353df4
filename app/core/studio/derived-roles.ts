import type { ServiceDefinition } from "../definitions/types";
import { STAFF_ROLES, transitionsOf } from "../workflow/types";

/**
 * The manifest's staff roles follow from the workflow (the roles its transitions give work to), so the studio
 * keeps them in step instead of asking the admin to declare them twice.
 */
export function withDerivedRoles(def: ServiceDefinition): ServiceDefinition {
  const used = new Set<string>();
  for (const state of Object.values(def.workflow.states ?? {})) for (const [, t] of transitionsOf(state)) for (const r of t.meta?.roles ?? []) used.add(r);
  const roles = STAFF_ROLES.filter((r) => used.has(r));
  const same = roles.length === def.manifest.roles.length && roles.every((r, i) => def.manifest.roles[i] === r);
  return same ? def : { ...def, manifest: { ...def.manifest, roles } };
}
