import type { ServiceDefinition } from "~/core/definitions/types";
import { loadRepositoryDefinitions } from "~/services/load-repository-definitions.server";

/** An OPDC template from the repository, loaded and validated the way start-up does; a fresh copy each call. */
export function repositoryDefinition(id: string): ServiceDefinition {
  const found = loadRepositoryDefinitions().definitions.find((d) => d.definition.manifest.id === id);
  if (!found) throw new Error(`no repository definition "${id}"`);
  return structuredClone(found.definition);
}
