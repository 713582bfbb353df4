/**
 * The per-session form token: an HMAC of the session cookie's value under SESSION_SECRET. It changes whenever
 * the session cookie does (sign-in, sign-out), needs no storage, and another site cannot compute it because it
 * can read neither the cookie nor the secret.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "./env.server";
import { sessionCookieName } from "./session.server";

/** The form field (and JSON body key) that carries the token. */
export const FORM_TOKEN_FIELD = "_csrf";

/** A cookie's raw value from a Cookie header, or null. */
export function cookieValue(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return value === "" ? null : value;
    }
  }
  return null;
}

export function hasSessionCookie(cookieHeader: string | null, name = sessionCookieName()): boolean {
  return cookieValue(cookieHeader, name) !== null;
}

/** The form token of the request's session, or null when it carries no session cookie. */
export function formTokenOf(request: Request): string | null {
  const value = cookieValue(request.headers.get("Cookie"), sessionCookieName());
  if (value === null) return null;
  return createHmac("sha256", env().SESSION_SECRET).update(value).digest("base64url");
}

/** True when the request has no session cookie, or `submitted` is its form token. */
export function formTokenMatches(request: Request, submitted: unknown): boolean {
  const expected = formTokenOf(request);
  if (expected === null) return true;
  if (typeof submitted !== "string") return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
