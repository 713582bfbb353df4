/**
 * PDPA: personal data kept out of logs and error details. Pure, so logs, error responses and tests share it.
 */

// 13 digits, with or without the usual separators (1-2345-67890-12-3), not part of a longer number or word (hex ids). Any such
// number is masked, valid checksum or not: a mistyped ID is still someone's personal data.
const NATIONAL_ID = /(?<![\dA-Za-z])\d[- ]?\d{4}[- ]?\d{5}[- ]?\d{2}[- ]?\d(?![\dA-Za-z])/g;
// Thai phone numbers: 0 then 8–9 digits (mobiles 06/08/09, landlines 02…), separators allowed, or +66 / 66 forms.
const PHONE = /(?<![\dA-Za-z+])(?:\+?66[- ]?|0)(?:\d[- ]?){7}\d(?:[- ]?\d)?(?![\dA-Za-z])/g;

const keepLast = (match: string, visible: number) => {
  const digits = match.replace(/\D/g, "");
  return "*".repeat(Math.max(0, digits.length - visible)) + digits.slice(-visible);
};

/** A text with every national ID shown as `*********0123` and every phone number as `******5678`. */
export function maskPersonalText(text: string): string {
  return text.replace(NATIONAL_ID, (m) => keepLast(m, 4)).replace(PHONE, (m) => keepLast(m, 4));
}

/**
 * Any value with national IDs and phone numbers masked in every string, at any depth: text, arrays, plain
 * objects (keys kept) and errors (message and stack, as text). Other values come back as they are.
 */
export function maskPersonalData<T>(value: T): T;
export function maskPersonalData(value: unknown): unknown {
  return mask(value, new WeakSet());
}

function mask(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return maskPersonalText(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) {
    const masked = new Error(maskPersonalText(value.message));
    masked.name = value.name;
    masked.stack = value.stack ? maskPersonalText(value.stack) : undefined;
    const cause = (value as { cause?: unknown }).cause;
    if (cause !== undefined) (masked as { cause?: unknown }).cause = mask(cause, seen);
    return masked;
  }
  if (Array.isArray(value)) return value.map((v) => mask(v, seen));
  if (value instanceof Date) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return maskPersonalText(String(value));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = mask(v, seen);
  return out;
}
