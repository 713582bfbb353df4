import { AppError } from "./errors";
import { toPointer } from "./json-pointer";

/** Names that reach an object's prototype when code copies or merges by key. */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * JSON Schema's own `$` keywords. Only service definitions (the studio's admin API) may carry them, since a
 * form's schema is itself JSON Schema; the definitions are stored as JSON text, never as MongoDB keys.
 */
export const JSON_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set(["$schema", "$id", "$ref", "$defs", "$comment"]);

/** Why a key may not be used: MongoDB operators start with `$`, `.` splits a MongoDB path, the rest are prototype pollution. */
export function isForbiddenKey(key: string, allowed?: ReadonlySet<string>): boolean {
  if (allowed?.has(key)) return false;
  return key.startsWith("$") || key.includes(".") || PROTOTYPE_KEYS.has(key);
}

/**
 * The JSON pointer of the first key, at any depth, that no body may carry: one starting with `$`, containing
 * `.`, or named `__proto__`/`constructor`/`prototype`. `JSON.parse` makes `"__proto__"` an own key, so
 * `Object.keys` sees it. Null when the value is clean. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findForbiddenKey(value: unknown, allowed?: ReadonlySet<string>): string | null {
  // Paths are kept as parent links and only spelled out for a hit: no copying per node on deep bodies.
  type Step = { value: unknown; key: string; parent: Step | null };
  const pointerOf = (step: Step | null, key: string) => {
    const parts = [key];
    for (let s = step; s && s.parent; s = s.parent) parts.push(s.key);
    return toPointer(parts.reverse());
  };
  const stack: Step[] = [{ value, key: "", parent: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const node = step.value;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], key: String(i), parent: step });
      continue;
    }
    const keys = Object.keys(node);
    for (const key of keys) if (isForbiddenKey(key, allowed)) return pointerOf(step, key);
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (node as Record<string, unknown>)[keys[i]], key: keys[i], parent: step });
  }
  return null;
}

/** 400 BAD_REQUEST naming the forbidden key's pointer. */
export function forbiddenKeyError(pointer: string): AppError {
  return new AppError(
    "BAD_REQUEST",
    {
      th: `ข้อมูลที่ส่งมามีชื่อช่องที่ไม่อนุญาต (${pointer}): ชื่อช่องต้องไม่ขึ้นต้นด้วย $ ไม่มีจุด และไม่ใช่ __proto__, constructor หรือ prototype`,
      en: `The request contains a key that is not allowed (${pointer}): keys may not start with $, contain a dot, or be __proto__, constructor or prototype`,
    },
    { pointer },
  );
}

/** Throws BAD_REQUEST when the value carries a forbidden key anywhere. */
export function assertNoForbiddenKeys(value: unknown, allowed?: ReadonlySet<string>): void {
  const pointer = findForbiddenKey(value, allowed);
  if (pointer !== null) throw forbiddenKeyError(pointer);
}
