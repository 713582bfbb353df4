import type { LocalizedText } from "./text";

/** Stable error codes; the HTTP status of each is decided in one place (httpStatusFor). */
export type ErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "FORM_INVALID"
  | "EVENT_NOT_ALLOWED"
  | "ROLE_NOT_ALLOWED"
  | "COMMENT_REQUIRED"
  | "STALE_REVISION"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "DEFINITION_INVALID"
  | "CONFLICT"
  | "CROSS_ORIGIN"
  | "METHOD_NOT_ALLOWED"
  | "RATE_LIMITED"
  | "SEPARATION_OF_DUTIES"
  | "UNAVAILABLE"
  | "PROVIDER_UNAVAILABLE";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly text: LocalizedText,
    readonly details?: unknown,
  ) {
    super(`${code}: ${text.en}`);
    this.name = "AppError";
  }
}

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_ORIGIN: 403,
  SEPARATION_OF_DUTIES: 403,
  ROLE_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  STALE_REVISION: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  FORM_INVALID: 422,
  EVENT_NOT_ALLOWED: 422,
  COMMENT_REQUIRED: 422,
  DEFINITION_INVALID: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  // An identity provider (ThaID …) did not answer or answered nonsense: not the citizen's fault.
  PROVIDER_UNAVAILABLE: 502,
};

export function httpStatusFor(code: ErrorCode): number {
  return STATUS[code];
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function notFound(what: LocalizedText): AppError {
  return new AppError("NOT_FOUND", {
    th: `ไม่พบ${what.th}`,
    en: `${what.en} not found`,
  });
}

export function forbidden(): AppError {
  return new AppError("FORBIDDEN", {
    th: "คุณไม่มีสิทธิ์ดำเนินการนี้",
    en: "You are not allowed to do this",
  });
}

export function crossOrigin(): AppError {
  return new AppError("CROSS_ORIGIN", {
    th: "คำขอนี้ไม่ได้มาจากหน้าเว็บของระบบ จึงถูกปฏิเสธ: กลับไปที่หน้าเว็บแล้วลองอีกครั้ง",
    en: "This request did not come from this site's own pages and was refused: go back to the page and try again",
  });
}

export function methodNotAllowed(allowed: readonly string[]): AppError {
  return new AppError(
    "METHOD_NOT_ALLOWED",
    { th: `ไม่รองรับเมธอดนี้ ใช้ ${allowed.join(", ")}`, en: `This method is not supported here; use ${allowed.join(", ")}` },
    { allowed },
  );
}

export function rateLimited(retryAfterSeconds: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  const wait = seconds >= 120 ? { th: `${Math.ceil(seconds / 60)} นาที`, en: `${Math.ceil(seconds / 60)} minutes` } : { th: `${seconds} วินาที`, en: `${seconds} seconds` };
  return new AppError(
    "RATE_LIMITED",
    { th: `มีคำขอมากเกินไป กรุณารอ ${wait.th} แล้วลองใหม่`, en: `Too many requests: wait ${wait.en} and try again` },
    { retryAfterSeconds: seconds },
  );
}

/** Response headers an error implies (Retry-After for 429, Allow for 405). */
export function headersFor(error: AppError): Record<string, string> {
  const details = (error.details ?? {}) as { retryAfterSeconds?: number; allowed?: string[] };
  if (error.code === "RATE_LIMITED" && details.retryAfterSeconds) return { "Retry-After": String(details.retryAfterSeconds) };
  if (error.code === "METHOD_NOT_ALLOWED" && details.allowed) return { Allow: details.allowed.join(", ") };
  return {};
}
