import { localizeSchema } from "./form-validation";
import type { Lang } from "../text";

type Node = { type?: string; title?: string; format?: string; required?: string[]; properties?: Record<string, Node> };

export type SectionStatus = "notStarted" | "inProgress" | "complete";
export type FormSection = { key: string; title: string; status: SectionStatus; filled: number; required: number };

const answered = (value: unknown) =>
  value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0) && !(typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);

/** The required answers under a node (nested sections included; a Thai address counts as one answer). */
function requiredAnswers(node: Node, data: unknown): { filled: number; required: number } {
  let filled = 0;
  let required = 0;
  const values = (data ?? {}) as Record<string, unknown>;
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (child.type === "object" && child.format !== "thai-address" && child.properties) {
      const inner = requiredAnswers(child, values[key]);
      filled += inner.filled;
      required += inner.required;
    } else if (node.required?.includes(key)) {
      required++;
      if (answered(values[key])) filled++;
    }
  }
  return { filled, required };
}

/**
 * The sections of a long form as a task list (GOV.UK pattern): each top-level group with whether its required
 * answers are all given, some, or none yet. A form with fewer than three groups is short: no task list.
 * Conditional requirements are left to validation; the list is a guide, never the check.
 */
export function formSections(schema: unknown, data: unknown, lang: Lang): FormSection[] {
  const root = localizeSchema(schema as Node, lang);
  const values = (data ?? {}) as Record<string, unknown>;
  const sections = Object.entries(root.properties ?? {})
    .filter(([, node]) => node.type === "object" && node.format !== "thai-address" && node.properties)
    .map(([key, node]) => {
      const { filled, required } = requiredAnswers(node, values[key]);
      const status: SectionStatus = required > 0 && filled === required ? "complete" : filled === 0 && !answered(values[key]) ? "notStarted" : required === 0 ? "complete" : "inProgress";
      return { key, title: node.title ?? key, status, filled, required };
    });
  return sections.length >= 3 ? sections : [];
}
