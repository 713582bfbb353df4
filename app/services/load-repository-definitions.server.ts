import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { WorkflowConfig } from "~/core/workflow/types";
import type { DefinitionIssue, ServiceDefinition, ServiceManifest } from "~/core/definitions/types";
import { formatIssues, validateServiceDefinition, type DefinitionFiles } from "~/core/definitions/validate-definition";

/** Raised at start-up when a definition file is broken; the message names each file and JSON path. */
export class DefinitionLoadError extends Error {
  constructor(readonly issues: DefinitionIssue[]) {
    super(`Invalid service definitions:\n${formatIssues(issues)}`);
    this.name = "DefinitionLoadError";
  }
}

export type LoadedDefinition = { definition: ServiceDefinition; files: DefinitionFiles };

function readJson(root: string, file: string, issues: DefinitionIssue[]): unknown {
  const full = path.join(root, file);
  if (!existsSync(full)) {
    issues.push({ severity: "error", file, path: "/", message: { th: "ไม่พบไฟล์", en: "File not found" } });
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(full, "utf8"));
  } catch (error) {
    issues.push({
      severity: "error",
      file,
      path: "/",
      message: { th: `JSON ไม่ถูกต้อง: ${(error as Error).message}`, en: `Malformed JSON: ${(error as Error).message}` },
    });
    return undefined;
  }
}

/**
 * Loads every service in the repository: schemas/services/<id>.manifest.json, the form and UI schema it
 * names (schemas/services/<form>.form.json, .ui.json) and its workflow (workflows/<workflow>.workflow.json).
 * Throws DefinitionLoadError listing every error; warnings are returned with the definitions.
 */
export function loadRepositoryDefinitions(root = process.cwd()): { definitions: LoadedDefinition[]; warnings: DefinitionIssue[] } {
  const issues: DefinitionIssue[] = [];
  const definitions: LoadedDefinition[] = [];
  const servicesDir = path.join(root, "schemas/services");
  const manifests = readdirSync(servicesDir).filter((f) => f.endsWith(".manifest.json")).sort();
  for (const manifestName of manifests) {
    const manifestFile = `schemas/services/${manifestName}`;
    const manifest = readJson(root, manifestFile, issues) as ServiceManifest | undefined;
    if (!manifest) continue;
    const formName = typeof manifest.form === "string" ? manifest.form : "";
    const workflowName = typeof manifest.workflow === "string" ? manifest.workflow : "";
    const files: DefinitionFiles = {
      manifest: manifestFile,
      form: `schemas/services/${formName}.form.json`,
      ui: `schemas/services/${formName}.ui.json`,
      workflow: `workflows/${workflowName}.workflow.json`,
    };
    const missing: DefinitionIssue[] = [];
    for (const [key, file] of [["form", files.form], ["workflow", files.workflow]] as const) {
      if (!existsSync(path.join(root, file))) {
        missing.push({
          severity: "error",
          file: manifestFile,
          path: `/${key}`,
          message: { th: `อ้างถึงไฟล์ที่ไม่มีอยู่: ${file}`, en: `Refers to a missing file: ${file}` },
        });
      }
    }
    if (missing.length > 0) {
      issues.push(...missing);
      continue;
    }
    const schema = readJson(root, files.form, issues);
    const uiSchema = existsSync(path.join(root, files.ui)) ? readJson(root, files.ui, issues) : {};
    const workflow = readJson(root, files.workflow, issues);
    if (!schema || !uiSchema || !workflow) continue;
    const definition: ServiceDefinition = {
      manifest,
      form: { schema: schema as Record<string, unknown>, uiSchema: uiSchema as Record<string, unknown> },
      workflow: workflow as WorkflowConfig,
    };
    issues.push(...validateServiceDefinition(definition, files));
    definitions.push({ definition, files });
  }
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0) throw new DefinitionLoadError(errors);
  return { definitions, warnings: issues.filter((i) => i.severity === "warning") };
}
