/**
 * Rules of agency API keys, without I/O: what a new key may hold, when a presented key is refused, and which
 * services it may act on. The use cases in services/api-keys and requireApiActor apply them.
 */
import { AppError } from "./errors";
import { addCalendarDays, bangkokDate } from "./time/bangkok-clock";
import type { FieldError } from "./forms/form-validation";
import type { LocalizedText } from "./text";
import type { StaffRole } from "./workflow/types";

export const MAX_KEY_LIFETIME_DAYS = 730;
export const DEFAULT_GRACE_HOURS = 24;
export const MAX_GRACE_HOURS = 7 * 24;
export const MAX_KEY_NAME_LENGTH = 100;

/** What a key's record tells the rules (the model's shape, narrowed). */
export type KeyState = { expiresAt?: Date | null; revokedAt?: Date | null };
/** The hash record a key was found by: `graceUntil` is set once the key has been replaced by a rotation. */
export type KeyLookupState = { graceUntil?: Date | null };

export type KeyStatus = "active" | "expired" | "revoked";

export function keyStatus(key: KeyState, now: Date): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

export type KeyRefusal = "revoked" | "expired" | "rotated";

/** Why a presented key is refused, or null when it may act. Says only what is true of this key. */
export function refusalOfKey(key: KeyState, lookup: KeyLookupState, now: Date): KeyRefusal | null {
  const status = keyStatus(key, now);
  if (status !== "active") return status;
  if (lookup.graceUntil && lookup.graceUntil.getTime() <= now.getTime()) return "rotated";
  return null;
}

const isoDay = bangkokDate;

export function keyRefusedError(refusal: KeyRefusal, key: KeyState, lookup: KeyLookupState): AppError {
  const texts: Record<KeyRefusal, LocalizedText> = {
    revoked: { th: "API key นี้ถูกยกเลิกแล้ว ขอ key ใหม่จากผู้ดูแลระบบของหน่วยงาน", en: "This API key has been revoked; ask your agency admin for a new key" },
    expired: {
      th: `API key นี้หมดอายุแล้ว (${key.expiresAt ? isoDay(key.expiresAt) : ""}) ขอ key ใหม่จากผู้ดูแลระบบของหน่วยงาน`,
      en: `This API key expired (${key.expiresAt ? isoDay(key.expiresAt) : ""}); ask your agency admin for a new key`,
    },
    rotated: {
      th: "API key นี้ถูกเปลี่ยนเป็น key ใหม่แล้ว และช่วงผ่อนผันสิ้นสุดแล้ว ใช้ key ใหม่แทน",
      en: "This API key was replaced by a new one and its grace period has ended; use the new key",
    },
  };
  const at = refusal === "revoked" ? key.revokedAt : refusal === "expired" ? key.expiresAt : lookup.graceUntil;
  return new AppError("UNAUTHENTICATED", texts[refusal], { reason: refusal, at: at ? at.toISOString() : null });
}

/** `undefined` services means every service of the key's agency. */
export function serviceInScope(services: readonly string[] | undefined, slug: string): boolean {
  return services === undefined || services.includes(slug);
}

export function serviceOutOfScopeError(slug: string): AppError {
  return new AppError(
    "FORBIDDEN",
    { th: `API key นี้ไม่ได้รับสิทธิ์ให้ดำเนินการกับบริการ ${slug}`, en: `This API key may not act on the service ${slug}` },
    { service: slug },
  );
}

export type NewKeyInput = { name: string; roles: StaffRole[]; services: string[] | "all"; expiresAt: Date };

export type KeyOptions = {
  /** The case roles the agency's workflows use: the only roles a key may hold (never admin rights). */
  roles: readonly StaffRole[];
  /** The agency's own service slugs. */
  services: readonly string[];
};

/** The end of a Bangkok day given as YYYY-MM-DD, or an exact ISO time. */
export function parseExpiry(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return validDay(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function validDay(text: string): Date | null {
  const [y, m, d] = text.split("-").map(Number);
  const probe = new Date(Date.UTC(y!, m! - 1, d!));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m! - 1 || probe.getUTCDate() !== d) return null;
  return new Date(`${text}T23:59:59.999+07:00`);
}

/** The latest expiry a key made at `now` may have: the end of the Bangkok day MAX_KEY_LIFETIME_DAYS later. */
export function latestExpiry(now: Date): Date {
  const day = addCalendarDays(bangkokDate(now), MAX_KEY_LIFETIME_DAYS);
  return new Date(`${day}T23:59:59.999+07:00`);
}

const field = (pointer: string, th: string, en: string): FieldError => ({ pointer, message: { th, en } });

/**
 * Checks a new key's request `{ name, roles, services, expiresAt }` against the agency's options.
 * Returns the clean input, or every field's error (nothing may be written then).
 */
export function checkNewKey(body: unknown, options: KeyOptions, now: Date): { ok: true; value: NewKeyInput } | { ok: false; errors: FieldError[] } {
  const input = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const errors: FieldError[] = [];

  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (!name) errors.push(field("/name", "กรุณาใส่ชื่อระบบที่จะใช้ key นี้", "Enter the name of the system that will use this key"));
  else if (name.length > MAX_KEY_NAME_LENGTH) errors.push(field("/name", `ชื่อต้องยาวไม่เกิน ${MAX_KEY_NAME_LENGTH} ตัวอักษร`, `The name must be at most ${MAX_KEY_NAME_LENGTH} characters`));

  const rolesIn = Array.isArray(input.roles) ? input.roles : input.roles === undefined ? [] : null;
  const roles: StaffRole[] = [];
  if (rolesIn === null) errors.push(field("/roles", "บทบาทต้องเป็นรายการ", "Roles must be a list"));
  else {
    const unknown = rolesIn.filter((r) => typeof r !== "string" || !(options.roles as readonly string[]).includes(r));
    if (unknown.length > 0) {
      const list = unknown.map(String).join(", ");
      const allowed = options.roles.join(", ") || "—";
      errors.push(field("/roles", `ไม่มีบทบาท ${list} ในบริการของหน่วยงาน ใช้ได้เฉพาะ ${allowed}`, `No such role in the agency's services: ${list}; use ${allowed}`));
    } else roles.push(...new Set(rolesIn as StaffRole[]));
  }

  let services: string[] | "all" = "all";
  if (input.services === "all") services = "all";
  else if (Array.isArray(input.services) && input.services.length > 0) {
    const foreign = input.services.filter((s) => typeof s !== "string" || !options.services.includes(s));
    if (foreign.length > 0) {
      const list = foreign.map(String).join(", ");
      errors.push(field("/services", `บริการ ${list} ไม่ใช่บริการของหน่วยงานนี้`, `${list}: not a service of this agency`));
    } else services = [...new Set(input.services as string[])];
  } else errors.push(field("/services", "เลือกบริการอย่างน้อยหนึ่งบริการ หรือทุกบริการ", "Choose at least one service, or all services"));

  const expiresAt = parseExpiry(input.expiresAt);
  if (!expiresAt) errors.push(field("/expiresAt", "กรุณาใส่วันหมดอายุ (ปปปป-ดด-วว)", "Enter an expiry date (YYYY-MM-DD)"));
  else if (expiresAt.getTime() <= now.getTime()) errors.push(field("/expiresAt", "วันหมดอายุต้องอยู่ในอนาคต", "The expiry date must be in the future"));
  else if (expiresAt.getTime() > latestExpiry(now).getTime()) {
    errors.push(field("/expiresAt", `วันหมดอายุต้องไม่เกิน ${MAX_KEY_LIFETIME_DAYS} วัน (2 ปี) นับจากวันนี้`, `The expiry must be at most ${MAX_KEY_LIFETIME_DAYS} days (2 years) from today`));
  }

  if (errors.length > 0 || !expiresAt) return { ok: false, errors };
  return { ok: true, value: { name, roles, services, expiresAt } };
}

/** The grace period of a rotation, in hours: 0–168, default 24. */
export function checkGraceHours(value: unknown): { ok: true; hours: number } | { ok: false; errors: FieldError[] } {
  if (value === undefined || value === null || value === "") return { ok: true, hours: DEFAULT_GRACE_HOURS };
  const hours = typeof value === "string" ? Number(value) : value;
  if (typeof hours !== "number" || !Number.isFinite(hours) || hours < 0 || hours > MAX_GRACE_HOURS) {
    return { ok: false, errors: [field("/graceHours", `ช่วงผ่อนผันต้องเป็น 0–${MAX_GRACE_HOURS} ชั่วโมง (ไม่เกิน 7 วัน)`, `The grace period must be 0–${MAX_GRACE_HOURS} hours (at most 7 days)`)] };
  }
  return { ok: true, hours };
}

export function formInvalid(errors: FieldError[]): AppError {
  return new AppError("FORM_INVALID", { th: "ข้อมูลของ API key ไม่ถูกต้อง", en: "The API key's details have errors" }, { fields: errors });
}
