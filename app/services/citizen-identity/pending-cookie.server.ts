import { cookieValue } from "~/utils/form-token.server";
import { env } from "~/utils/env.server";

/** Ten minutes to sign in at the provider and come back. */
export const PENDING_TTL_SECONDS = 600;
const COOKIE = /^[A-Za-z0-9_-]{43}$/;

function secure(): boolean {
  return env().PUBLIC_URL.startsWith("https:");
}

export function pendingCookieName(): string {
  return secure() ? "__Host-borikan_oidc" : "borikan_oidc";
}

/** httpOnly, SameSite=Lax (sent on the provider's top-level redirect back to us, not on cross-site posts). */
export function pendingCookie(value: string, maxAgeSeconds: number): string {
  return [`${pendingCookieName()}=${value}`, "Path=/", `Max-Age=${maxAgeSeconds}`, "HttpOnly", "SameSite=Lax", ...(secure() ? ["Secure"] : [])].join("; ");
}

export function clearPendingCookie(): string {
  return pendingCookie("", 0);
}

export function pendingCookieValue(request: Request): string | null {
  const value = cookieValue(request.headers.get("Cookie"), pendingCookieName());
  return value && COOKIE.test(value) ? value : null;
}
