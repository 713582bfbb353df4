import { toPointer } from "../json-pointer";
import { diffJson, type JsonChange } from "./definition-diff";

export type UpgradeConflict = { path: string; base: unknown; theirs: unknown; ours: unknown };

export type TemplateUpgradeResult = {
  /** The agency's draft with the template's changes applied. */
  merged: unknown;
  /** Template changes (base → theirs) written into the draft. */
  applied: JsonChange[];
  /** The agency's own changes (base → ours) at places the template did not touch; they stay as they are. */
  kept: { path: string }[];
  /** Places both changed differently: the agency's value is kept. An absent side is `undefined`. */
  conflicts: UpgradeConflict[];
};

/**
 * Places that identify the agency's copy rather than describe the service: a template upgrade must never
 * rename the clone, repoint its files or rewrite where it came from (the caller bumps sourceTemplate itself).
 */
export const AGENCY_SPECIFIC_PATHS = ["/manifest/id", "/manifest/sourceTemplate", "/workflow/id", "/manifest/form", "/manifest/workflow"];

const isProtected = (path: string) => AGENCY_SPECIFIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/** A missing object key or array element, distinct from a JSON null. */
const ABSENT: unique symbol = Symbol("absent");
type Slot = unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isPrimitive = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);
const out = (v: Slot) => (v === ABSENT ? undefined : v);

/** Structural equality; key order does not matter (JSON.stringify would say it does). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

type Acc = Omit<TemplateUpgradeResult, "merged">;

/**
 * Three-way merge of a template upgrade into an agency's clone, by JSON pointer. `base` is the template at
 * the version the clone was made from, `theirs` its current version, `ours` the agency's draft. A template
 * change is applied where the agency left the place as it was in base; where the agency changed it too, a
 * different value is a conflict (ours kept) and the same value is simply already there. Objects merge key by
 * key (workflow states are keyed, so new states arrive whole); arrays of plain values merge as sets (roles,
 * `required`, enums: both sides' additions survive); other arrays merge index by index.
 */
export function mergeTemplateUpgrade(base: unknown, theirs: unknown, ours: unknown): TemplateUpgradeResult {
  const acc: Acc = { applied: [], kept: [], conflicts: [] };
  const merged = mergeAt(base, theirs, ours, [], acc);
  return { merged: out(merged), ...acc };
}

function mergeAt(base: Slot, theirs: Slot, ours: Slot, path: string[], acc: Acc): Slot {
  const pointer = toPointer(path);
  if (isProtected(pointer)) return ours;
  if (isObject(base) && isObject(theirs) && isObject(ours)) return mergeObjects(base, theirs, ours, path, acc);
  if (Array.isArray(base) && Array.isArray(theirs) && Array.isArray(ours)) {
    // An array the agency left alone follows the template exactly, reordering included.
    if (jsonEqual(base, ours)) {
      acc.applied.push(...diffJson(base, theirs, path));
      return theirs;
    }
    return [base, theirs, ours].every((a) => a.every(isPrimitive)) ? mergeSets(base, theirs, ours, path, acc) : mergeByIndex(base, theirs, ours, path, acc);
  }
  const templateChanged = !jsonEqual(base, theirs);
  const agencyChanged = !jsonEqual(base, ours);
  if (!templateChanged) {
    if (agencyChanged) acc.kept.push({ path: pointer });
    return ours;
  }
  if (!agencyChanged) {
    acc.applied.push(change(pointer, base, theirs));
    return theirs;
  }
  if (!jsonEqual(theirs, ours)) acc.conflicts.push({ path: pointer, base: out(base), theirs: out(theirs), ours: out(ours) });
  return ours;
}

function change(path: string, before: Slot, after: Slot): JsonChange {
  if (before === ABSENT) return { kind: "added", path, after };
  if (after === ABSENT) return { kind: "removed", path, before };
  return { kind: "changed", path, before, after };
}

function mergeObjects(base: Record<string, unknown>, theirs: Record<string, unknown>, ours: Record<string, unknown>, path: string[], acc: Acc) {
  const slot = (o: Record<string, unknown>, k: string): Slot => (Object.hasOwn(o, k) ? o[k] : ABSENT);
  // The agency's key order first, then keys the template added, so a diff of the draft stays readable.
  const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs), ...Object.keys(base)])];
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const value = mergeAt(slot(base, key), slot(theirs, key), slot(ours, key), [...path, key], acc);
    if (value !== ABSENT) result[key] = value;
  }
  return result;
}

function mergeByIndex(base: unknown[], theirs: unknown[], ours: unknown[], path: string[], acc: Acc) {
  const slot = (a: unknown[], i: number): Slot => (i < a.length ? a[i] : ABSENT);
  const result: unknown[] = [];
  for (let i = 0; i < Math.max(base.length, theirs.length, ours.length); i++) {
    const value = mergeAt(slot(base, i), slot(theirs, i), slot(ours, i), [...path, String(i)], acc);
    if (value !== ABSENT) result.push(value);
  }
  return result;
}

/** Plain-value arrays as sets: ours, minus what the template removed, plus what it added (in its order). */
function mergeSets(base: unknown[], theirs: unknown[], ours: unknown[], path: string[], acc: Acc) {
  const has = (a: unknown[], v: unknown) => a.some((x) => jsonEqual(x, v));
  const result = ours.filter((v) => {
    const removedByTemplate = has(base, v) && !has(theirs, v);
    if (removedByTemplate) acc.applied.push({ kind: "removed", path: toPointer([...path, String(base.findIndex((x) => jsonEqual(x, v)))]), before: v });
    return !removedByTemplate;
  });
  for (const v of theirs) {
    if (has(base, v) || has(result, v)) continue;
    // Something the agency removed itself is not re-added; only genuinely new template values arrive.
    result.push(v);
    acc.applied.push({ kind: "added", path: toPointer([...path, String(result.length - 1)]), after: v });
  }
  base.forEach((v, i) => {
    if (!has(ours, v) && has(theirs, v)) acc.kept.push({ path: toPointer([...path, String(i)]) });
  });
  ours.forEach((v) => {
    if (!has(base, v) && !has(theirs, v)) acc.kept.push({ path: toPointer([...path, String(result.findIndex((x) => jsonEqual(x, v)))]) });
  });
  return result;
}
