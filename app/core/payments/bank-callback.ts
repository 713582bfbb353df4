/**
 * The bank callback's signature: `X-Borikan-Signature: sha256=<hex HMAC-SHA-256 of "<timestamp>.<raw body>">` under
 * the agency's callback secret, with `X-Borikan-Timestamp` (Unix seconds) within five minutes of our clock. The
 * HMAC itself is computed by the caller (node:crypto); this module keeps the rules pure.
 */
export const CALLBACK_TOLERANCE_MS = 5 * 60_000;
export const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/;

/** The text that is signed. */
export const signedText = (timestamp: string, rawBody: string) => `${timestamp}.${rawBody}`;

/** Whether the timestamp header is a whole number of seconds within the tolerance of `now`. */
export function timestampFresh(header: string | null, now: Date): boolean {
  if (!header || !/^\d{1,12}$/.test(header)) return false;
  return Math.abs(Number(header) * 1000 - now.getTime()) <= CALLBACK_TOLERANCE_MS;
}

export type CallbackBody = { transactionId: string; ref1: string; ref2: string; amountSatang: number; paidAt: Date };

/** Reads the JSON body: `{ transactionId, ref1, ref2?, amount (baht, ≤ 2 decimals, number or string), paidAt (ISO 8601 with offset) }`. */
export function parseCallbackBody(body: unknown): { ok: true; value: CallbackBody } | { ok: false; pointer: string } {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { ok: false, pointer: "/" };
  const b = body as Record<string, unknown>;
  if (typeof b.transactionId !== "string" || !/^[\x21-\x7e]{1,64}$/.test(b.transactionId)) return { ok: false, pointer: "/transactionId" };
  if (typeof b.ref1 !== "string" || !/^[0-9A-Za-z]{1,20}$/.test(b.ref1)) return { ok: false, pointer: "/ref1" };
  if (b.ref2 !== undefined && (typeof b.ref2 !== "string" || !/^[0-9A-Za-z]{0,20}$/.test(b.ref2))) return { ok: false, pointer: "/ref2" };
  const amountText = typeof b.amount === "number" ? String(b.amount) : typeof b.amount === "string" ? b.amount : "";
  const amount = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(amountText);
  if (!amount) return { ok: false, pointer: "/amount" };
  const amountSatang = Number(amount[1]) * 100 + Number((amount[2] ?? "").padEnd(2, "0"));
  if (amountSatang <= 0) return { ok: false, pointer: "/amount" };
  // An instant must say its offset: a bank's local time without one is ambiguous.
  if (typeof b.paidAt !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(b.paidAt)) return { ok: false, pointer: "/paidAt" };
  const paidAt = new Date(b.paidAt);
  if (Number.isNaN(paidAt.getTime())) return { ok: false, pointer: "/paidAt" };
  return { ok: true, value: { transactionId: b.transactionId, ref1: b.ref1, ref2: typeof b.ref2 === "string" ? b.ref2 : "", amountSatang, paidAt } };
}
