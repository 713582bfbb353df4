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
  | "CONFLICT";

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
  ROLE_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  STALE_REVISION: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  FORM_INVALID: 422,
  EVENT_NOT_ALLOWED: 422,
  COMMENT_REQUIRED: 422,
  DEFINITION_INVALID: 422,
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
