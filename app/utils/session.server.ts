import { randomBytes } from "node:crypto";
import { sessionRefusal, touchIntervalMs, type SessionRefusal } from "~/core/session-rules";
import {
  createSessionRecord,
  deleteSessionRecordById,
  findLiveSessionRecord,
  findSessionRecord,
  forgetSessionRecord,
  touchSessionRecord,
  type PendingStep,
  type SessionKind,
  type SessionRecord,
} from "~/models/session.server";
import { forgetSessionHolder, getSessionHolder, recordUserSignIn, type User } from "~/models/user.server";
import { connectDb } from "./db.server";
import { env, type SessionLimits } from "./env.server";

/**
 * Server-side sessions: the cookie holds only a random id (32 bytes, base64url); the record, found by that id's
 * SHA-256, says who is signed in and since when. Any number of web processes can serve a user, and a session
 * ends for all of them the moment its record is deleted or its holder's `sessionsValidFrom` moves on.
 */

const COOKIE_ID = /^[A-Za-z0-9_-]{43}$/;

function secure(): boolean {
  return env().PUBLIC_URL.startsWith("https:");
}

/** The session cookie's name: other modules (the form token) read its value from the Cookie header. */
export function sessionCookieName(): string {
  // `__Host-` makes the browser refuse it unless Secure, host-only and Path=/: no subdomain can plant or read it.
  return secure() ? "__Host-borikan" : "borikan_session";
}

/** The raw session id from the request's Cookie header (well-formed, not necessarily a live session), or null. */
export function currentSessionId(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  const name = sessionCookieName();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return COOKIE_ID.test(value) ? value : null;
    }
  }
  return null;
}

function hasSessionCookie(request: Request): boolean {
  return (request.headers.get("Cookie") ?? "").split(";").some((part) => part.split("=")[0]?.trim() === sessionCookieName());
}

function cookieHeader(value: string, maxAgeSeconds: number): string {
  return [`${sessionCookieName()}=${value}`, "Path=/", `Max-Age=${maxAgeSeconds}`, "HttpOnly", "SameSite=Lax", ...(secure() ? ["Secure"] : [])].join("; ");
}

/** A Set-Cookie value that removes the session cookie. */
export function clearSessionCookie(): string {
  return cookieHeader("", 0);
}

export function sessionKindOf(user: Pick<User, "kind">): SessionKind {
  if (user.kind === "citizen") return "citizen";
  return user.kind === "opdcAdmin" ? "opdc" : "staff";
}

export function sessionLimits(kind: SessionKind): SessionLimits {
  return kind === "citizen" ? env().sessions.citizen : env().sessions.staff;
}

export type NewSession = { cookieId: string; record: SessionRecord; setCookie: string };

/** How long a sign-in may wait at its second step (giving or enrolling a second factor). */
export const PENDING_SESSION_MAX_MS = 15 * 60_000;

/**
 * Starts a session for `user` under a new random id (never one the request brought: no session fixation).
 * With `pendingStep` it is a half sign-in that only the second-factor pages accept, for at most 15 minutes.
 */
export async function createSession(
  user: Pick<User, "_id" | "kind">,
  meta: { ip?: string; userAgent?: string; pendingStep?: PendingStep } = {},
  now = new Date(),
): Promise<NewSession> {
  await connectDb();
  const kind = sessionKindOf(user);
  const maxMs = meta.pendingStep ? Math.min(PENDING_SESSION_MAX_MS, sessionLimits(kind).maxMs) : sessionLimits(kind).maxMs;
  const cookieId = randomBytes(32).toString("base64url");
  const record = await createSessionRecord(cookieId, {
    userId: String(user._id),
    kind,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + maxMs),
    ...(meta.ip ? { ip: meta.ip } : {}),
    ...(meta.userAgent ? { userAgent: meta.userAgent.slice(0, 300) } : {}),
    ...(meta.pendingStep ? { pendingStep: meta.pendingStep } : {}),
  });
  if (!meta.pendingStep) await recordUserSignIn(String(user._id), now);
  return { cookieId, record, setCookie: cookieHeader(cookieId, Math.ceil(maxMs / 1000)) };
}

export type ActiveSession = { record: SessionRecord; user: User };

/**
 * The request's live session and its holder. `presentedButRefused` is true when the request carried a session
 * cookie that is unknown, expired, idle or revoked: the caller should clear that cookie.
 */
export async function resolveSession(request: Request, now = new Date()): Promise<{ session: ActiveSession | null; presentedButRefused: boolean }> {
  // Callers rely on this to have connected, as pages that only ask "who is this?" touch the database next.
  await connectDb();
  const cookieId = currentSessionId(request);
  if (!cookieId) return { session: null, presentedButRefused: hasSessionCookie(request) };
  // Copies kept while the configuration stamp is unchanged (every end of a session or change of an account bumps it).
  let record = await findLiveSessionRecord(cookieId);
  if (!record) return { session: null, presentedButRefused: true };
  let user = await getSessionHolder(record.userId);
  const { idleMs } = sessionLimits(record.kind);
  let refusal: SessionRefusal | null = sessionRefusal(record, user, idleMs, now);
  if (refusal || !user) {
    // A copy may be behind (another process touched the session): refuse only on what the database says now.
    forgetSessionRecord(record._id);
    forgetSessionHolder(record.userId);
    record = await findLiveSessionRecord(cookieId);
    if (!record) return { session: null, presentedButRefused: true };
    user = await getSessionHolder(record.userId);
    refusal = sessionRefusal(record, user, idleMs, now);
  }
  if (refusal || !user) {
    await deleteSessionRecordById(record._id);
    return { session: null, presentedButRefused: true };
  }
  await touchSessionRecord(record, now, touchIntervalMs(idleMs));
  return { session: { record, user }, presentedButRefused: false };
}

/** Ends the request's session on the server (if any) and returns the Set-Cookie value that clears the cookie. */
export async function destroySession(request: Request): Promise<string> {
  const cookieId = currentSessionId(request);
  if (cookieId) {
    await connectDb();
    const record = await findSessionRecord(cookieId);
    if (record) await deleteSessionRecordById(record._id);
  }
  return clearSessionCookie();
}
