/**
 * Rules of webhooks to other agencies' systems, without I/O: the events, what an endpoint address may be,
 * the retry schedule and what a delivery's attempts mean. The use cases in services/webhooks apply them.
 */
import { AppError } from "../errors";
import type { FieldError } from "../forms/form-validation";
import type { LocalizedText } from "../text";

export const WEBHOOK_EVENTS = {
  "case.filed": { th: "ยื่นคำขอใหม่", en: "Application filed" },
  "case.transitioned": { th: "คำขอเปลี่ยนขั้นตอน", en: "Case moved to another step" },
  "case.referred": { th: "โอนคำขอไปหน่วยงานอื่น", en: "Case referred to another agency" },
  "permit.issued": { th: "ออกใบอนุญาต", en: "Permit issued" },
  "permit.status_changed": { th: "สถานะใบอนุญาตเปลี่ยน (พักใช้ เพิกถอน คืนสภาพ)", en: "Permit status changed (suspended, revoked, reinstated)" },
} as const satisfies Record<string, LocalizedText>;

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];
/** The event of the "send a test" button; never subscribed to, always allowed. */
export const TEST_EVENT = "webhook.test";

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return typeof value === "string" && Object.hasOwn(WEBHOOK_EVENTS, value);
}

/**
 * Waits after the 1st, 2nd … failed attempt of a round (a round starts at creation or at a resend); after the
 * last one fails the delivery is parked as failed, with a resend button. 7 attempts over about 8 h 46 min.
 */
export const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000] as const;
export const ATTEMPTS_PER_ROUND = RETRY_DELAYS_MS.length + 1;

export type DeliveryStatus = "pending" | "delivered" | "failed";
export type AttemptResult = { statusCode?: number; error?: string };

/** A receiver accepts a delivery with any 2xx; anything else (3xx included: redirects are not followed) is a failure. */
export const isAccepted = (attempt: AttemptResult): boolean => attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;

/** What follows an attempt: delivered; another attempt at `nextAttemptAt`; or failed (parked). */
export function afterAttempt(attempt: AttemptResult, attemptsInRound: number, at: Date): { status: DeliveryStatus; nextAttemptAt: Date | null } {
  if (isAccepted(attempt)) return { status: "delivered", nextAttemptAt: null };
  const delay = RETRY_DELAYS_MS[attemptsInRound - 1];
  if (delay === undefined) return { status: "failed", nextAttemptAt: null };
  return { status: "pending", nextAttemptAt: new Date(at.getTime() + delay) };
}

export const MAX_URL_LENGTH = 2000;
export const MAX_DESCRIPTION_LENGTH = 200;
export const MAX_ENDPOINTS_PER_AGENCY = 20;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.has(hostname.toLowerCase());

/**
 * Addresses an endpoint in production may not resolve to (the platform's own network): loopback, private
 * (RFC 1918, fc00::/7), link-local (169.254/16 — cloud metadata — and fe80::/10), CGNAT, "this network",
 * multicast and reserved. IPv4-mapped IPv6 is checked as IPv4.
 */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 198 && (b === 18 || b === 19)) || a >= 224
    );
  }
  const v6 = ip.toLowerCase();
  if (v6 === "::" || v6 === "::1") return true;
  return /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith("ff");
}

export type EndpointInput = { url: string; description: string; events: WebhookEvent[] };
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Checks a new endpoint `{ url, description?, events }`: https only, or http to loopback (a receiver on the
 * same machine, as in tests); no user name or password in the address; at least one known event. Whether an
 * https host resolves to a private address is checked by the use case (it needs DNS).
 */
export function checkEndpointInput(body: unknown): Checked<EndpointInput> {
  const input = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  const url = typeof input.url === "string" ? input.url.trim() : "";
  const urlProblem = problemOfUrl(url);
  if (urlProblem) errors.push({ pointer: "/url", message: urlProblem });
  const description = typeof input.description === "string" ? input.description.trim() : "";
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    errors.push({ pointer: "/description", message: { th: `คำอธิบายยาวได้ไม่เกิน ${MAX_DESCRIPTION_LENGTH} ตัวอักษร`, en: `At most ${MAX_DESCRIPTION_LENGTH} characters` } });
  }
  const raw = Array.isArray(input.events) ? input.events : typeof input.events === "string" ? [input.events] : [];
  const events = [...new Set(raw)].filter(isWebhookEvent);
  if (events.length === 0 || events.length !== new Set(raw).size) {
    errors.push({ pointer: "/events", message: { th: "เลือกเหตุการณ์ที่จะส่งอย่างน้อยหนึ่งรายการ", en: "Choose at least one event to send" } });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { url: new URL(url).href, description, events } };
}

/** Why `url` cannot be an endpoint, or null. */
export function problemOfUrl(url: string): LocalizedText | null {
  if (!url) return { th: "กรอกที่อยู่ (URL) ที่ขึ้นต้นด้วย https://", en: "Enter an address (URL) starting with https://" };
  if (url.length > MAX_URL_LENGTH) return { th: `ที่อยู่ยาวได้ไม่เกิน ${MAX_URL_LENGTH} ตัวอักษร`, en: `At most ${MAX_URL_LENGTH} characters` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { th: "ที่อยู่ไม่ถูกต้อง ต้องขึ้นต้นด้วย https://", en: "Not a valid address: it must start with https://" };
  }
  if (parsed.username || parsed.password) {
    return { th: "ที่อยู่ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน ระบบจะลงลายมือชื่อทุกข้อความแทน", en: "The address may not hold a user name or password: every message is signed instead" };
  }
  if (parsed.protocol === "https:") return null;
  if (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname)) return null;
  return { th: "ที่อยู่ต้องขึ้นต้นด้วย https:// (http:// ใช้ได้เฉพาะเครื่องเดียวกัน)", en: "The address must start with https:// (http:// only on this machine)" };
}

export function webhookFormInvalid(errors: FieldError[]): AppError {
  return new AppError("FORM_INVALID", { th: "ข้อมูลของปลายทาง webhook ไม่ถูกต้อง", en: "The webhook endpoint's details have errors" }, { fields: errors });
}

/** The text kept of a receiver's answer: enough to see what it said, never a whole page. */
export function bodyExcerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
