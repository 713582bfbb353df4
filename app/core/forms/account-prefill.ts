import { getAt, parsePointer, setAt } from "../json-pointer";

/**
 * Fields the signed-in account fills (`x-prefill: "email"`, and `"name"` when no verified claim filled it). The
 * account's values are not verified, so these fields stay editable; a value already there (a draft, a verified
 * claim) is kept.
 */
export type AccountDetails = { name?: string; email?: string };

type Node = { "x-prefill"?: unknown; properties?: Record<string, Node> };

/** The pointers of fields marked `x-prefill: "email"` or `"name"`, with the account value each takes. */
export function accountPrefillFields(schema: unknown): { pointer: string; key: "email" | "name" }[] {
  const out: { pointer: string; key: "email" | "name" }[] = [];
  const visit = (node: Node | undefined, pointer: string) => {
    if (!node || typeof node !== "object") return;
    const mark = node["x-prefill"];
    if (pointer && (mark === "email" || mark === "name")) out.push({ pointer, key: mark });
    for (const [key, child] of Object.entries(node.properties ?? {})) visit(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  };
  visit(schema as Node, "");
  return out;
}

const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/** The data with each empty account-prefilled field set from the account; `filled` lists the pointers set. */
export function applyAccountPrefill(schema: unknown, data: Record<string, unknown>, account: AccountDetails): { data: Record<string, unknown>; filled: string[] } {
  let out = data;
  const filled: string[] = [];
  for (const { pointer, key } of accountPrefillFields(schema)) {
    const value = account[key]?.trim();
    if (!value || !isEmpty(getAt(out, pointer))) continue;
    if (parsePointer(pointer).length === 0) continue;
    out = setAt(out, pointer, value);
    filled.push(pointer);
  }
  return { data: out, filled };
}
