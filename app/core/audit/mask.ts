import type { AuditDetails } from "./chain";

// A national ID (13 digits, optionally grouped 1-2345-67890-12-3) and a Thai phone (0 + 8–9 digits, optionally grouped).
const NATIONAL_ID = /(?<!\d)\d[- ]?\d{4}[- ]?\d{5}[- ]?\d{2}[- ]?\d(?!\d)/g;
const PHONE = /(?<!\d)0\d{1,2}[- ]?\d{3}[- ]?\d{3,4}(?!\d)/g;
const MAX_TEXT = 300;
const MAX_DEPTH = 4;
const MAX_KEYS = 40;

/** Keeps the last digits only: enough to tell two people apart in a log, not to identify either. */
export function maskPersonalText(text: string): string {
  return text
    .replace(NATIONAL_ID, (m) => `x-xxxx-xxxxx-${m.replace(/\D/g, "").slice(10, 12)}-${m.slice(-1)}`)
    .replace(PHONE, (m) => `xxx-xxx-${m.replace(/\D/g, "").slice(-4)}`);
}

/**
 * Summary details safe to keep for ever: national IDs and phones masked, long text cut, and keys the
 * database refuses (`$…`, `a.b`) or that reach prototypes renamed away — the log must not fail to record.
 */
export function maskDetails(details: unknown, depth = 0): AuditDetails {
  const out: AuditDetails = {};
  if (!details || typeof details !== "object" || Array.isArray(details)) return out;
  for (const [key, value] of Object.entries(details).slice(0, MAX_KEYS)) {
    const safeKey = key.replace(/^\$/, "_").replace(/\./g, "_");
    if (safeKey === "__proto__" || safeKey === "constructor" || safeKey === "prototype") continue;
    const masked = maskValue(value, depth);
    if (masked !== undefined) out[safeKey] = masked;
  }
  return out;
}

function maskValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string") return maskPersonalText(value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value);
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return undefined;
  // Arrays of arrays are refused by FerretDB: inner arrays become objects keyed by index.
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => (Array.isArray(v) ? maskDetails({ ...v }, depth + 1) : maskValue(v, depth + 1)) ?? null);
  if (typeof value === "object") return maskDetails(value, depth + 1);
  return undefined;
}
