import { toPointer } from "../json-pointer";

export type JsonChange =
  | { kind: "added"; path: string; after: unknown }
  | { kind: "removed"; path: string; before: unknown }
  | { kind: "changed"; path: string; before: unknown; after: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What changed between two JSON documents, as JSON pointers: objects compared key by key, arrays index by
 * index, anything else by value. The smallest changed subtree is reported, so a renamed label is one row.
 */
export function diffJson(before: unknown, after: unknown, path: string[] = []): JsonChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      if (!(key in after)) return [{ kind: "removed" as const, path: toPointer([...path, key]), before: before[key] }];
      if (!(key in before)) return [{ kind: "added" as const, path: toPointer([...path, key]), after: after[key] }];
      return diffJson(before[key], after[key], [...path, key]);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: JsonChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i >= after.length) changes.push({ kind: "removed", path: toPointer([...path, String(i)]), before: before[i] });
      else if (i >= before.length) changes.push({ kind: "added", path: toPointer([...path, String(i)]), after: after[i] });
      else changes.push(...diffJson(before[i], after[i], [...path, String(i)]));
    }
    return changes;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ kind: "changed", path: toPointer(path), before, after }];
}
