import { toPointer } from "../json-pointer";
import type { Lang } from "../text";
import { isAttachmentNode } from "../uploads/upload-rules";
import { localizeSchema, withConditionalFields } from "./form-validation";

export type FormField = {
  pointer: string;
  title: string;
  section: string;
  kind: "value" | "attachment" | "address";
  /** Labels of enum values, when the field is a choice. */
  options?: Record<string, string>;
};

type Node = { type?: string; title?: string; format?: string; enum?: unknown[]; enumNames?: string[]; properties?: Record<string, Node>; items?: Node };

/**
 * The fields of a form as a flat list (JSON pointer, title, section), in schema order — used to pick
 * missing items, show submitted data and highlight corrections. Thai addresses count as one field.
 * Fields that only a condition shows (root `allOf[].then` or `then`) are listed after their section's others.
 */
export function listFormFields(schema: unknown, lang: Lang): FormField[] {
  const out: FormField[] = [];
  const walk = (node: Node, path: string[], section: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const here = [...path, key];
      const title = child.title ?? key;
      if (child.type === "object" && child.format !== "thai-address") {
        walk(child, here, title);
        continue;
      }
      const kind = isAttachmentNode(child) || isAttachmentNode(child.items) ? "attachment" : child.format === "thai-address" ? "address" : "value";
      const options =
        child.enum && child.enumNames ? Object.fromEntries(child.enum.map((value, i) => [String(value), child.enumNames![i] ?? String(value)])) : undefined;
      out.push({ pointer: toPointer(here), title, section, kind, ...(options ? { options } : {}) });
    }
  };
  walk(localizeSchema(withConditionalFields(schema as Node), lang), [], "");
  return out;
}

/** A data-url's file name and type, for listing attachments. */
export function describeDataUrl(value: unknown): { name: string; mime: string; bytes: number } | null {
  if (typeof value !== "string" || !value.startsWith("data:")) return null;
  const comma = value.indexOf(",");
  const header = value.slice(5, comma);
  const parts = header.split(";");
  const nameParam = parts.find((p) => p.startsWith("name="));
  const base64Length = value.length - comma - 1;
  return {
    mime: parts[0] || "application/octet-stream",
    name: nameParam ? decodeURIComponent(nameParam.slice(5)) : "file",
    bytes: Math.floor((base64Length * 3) / 4),
  };
}
