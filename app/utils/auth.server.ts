import { redirect } from "@remix-run/node";
import type { Actor } from "~/core/actor";
import { AppError, notFound } from "~/core/errors";
import { keyRefusedError, refusalOfKey } from "~/core/api-keys";
import { findApiKey, noteApiClientUsed } from "~/models/api-client.server";
import type { PendingStep } from "~/models/session.server";
import { findUserByEmail, getUser, updatePasswordHash, type User } from "~/models/user.server";
import { connectDb } from "./db.server";
import { hashApiKey, hashPassword, passwordNeedsRehash, verifyNoPassword, verifyPassword } from "./passwords.server";
import { clearSessionCookie, createSession, currentSessionId, destroySession, resolveSession } from "./session.server";
import { assertSameOrigin } from "./web-security.server";

export function actorOfUser(user: User): Actor {
  const id = String(user._id);
  if (user.kind === "citizen") return { kind: "citizen", id, name: user.name, email: user.email };
  if (user.kind === "opdcAdmin") return { kind: "opdc", id, name: user.name };
  return { kind: "staff", id, name: user.name, agencyId: user.agencyId ?? "", roles: user.roles, isAdmin: user.kind === "agencyAdmin" };
}

export type SessionInfo = { createdAt: Date; lastSeenAt: Date; expiresAt: Date };
export type SessionContext = {
  actor: Actor | null;
  session: SessionInfo | null;
  /** A sign-in waiting at its second step: it acts for nobody; only the second-factor pages use it. */
  pending?: { step: PendingStep; user: User; sessionId: string };
  /** The session record's id (server-side only: passkey challenges are bound to it). */
  sessionId?: string;
  /** Set when the request brought a session cookie that is no longer accepted: send it to clear the cookie. */
  clearCookie?: string;
};

// The root and the page's own loader both ask within one request: look the session up once per request.
const resolved = new WeakMap<Request, Promise<SessionContext>>();

/** The signed-in person and their session, for pages that show or end it. */
export function sessionContext(request: Request): Promise<SessionContext> {
  let pending = resolved.get(request);
  if (!pending) {
    pending = resolveSession(request).then(({ session, presentedButRefused }): SessionContext => {
      const step = session?.record.pendingStep;
      if (session && step) return { actor: null, session: null, pending: { step, user: session.user, sessionId: session.record._id } };
      return {
        actor: session ? actorOfUser(session.user) : null,
        session: session ? { createdAt: session.record.createdAt, lastSeenAt: session.record.lastSeenAt, expiresAt: session.record.expiresAt } : null,
        ...(session ? { sessionId: session.record._id } : {}),
        ...(presentedButRefused ? { clearCookie: clearSessionCookie() } : {}),
      };
    });
    resolved.set(request, pending);
    // A failed look-up is not remembered: the next caller tries again.
    pending.catch(() => resolved.delete(request));
  }
  return pending;
}

/** The signed-in person, or null (an unknown, expired, idle or revoked session counts as signed out). */
export async function sessionActor(request: Request): Promise<Actor | null> {
  return (await sessionContext(request)).actor;
}

/** Pages: a signed-in person, else a redirect to the login page that comes back here. */
export async function requireSessionActor(request: Request): Promise<Actor> {
  const { actor, clearCookie, pending } = await sessionContext(request);
  if (actor) return actor;
  const url = new URL(request.url);
  // Half signed in: the second factor (or its enrolment) comes before any other page.
  if (pending) throw redirect(`${pendingStepPath(pending.step)}?next=${encodeURIComponent(url.pathname + url.search)}`);
  throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, clearCookie ? { headers: { "Set-Cookie": clearCookie } } : undefined);
}

/**
 * API: `Authorization: Bearer <key>` of an agency client, or a browser session. A revoked, expired or
 * rotated-away (grace over) key is refused with 401 saying which; an unknown key says nothing more.
 */
export async function requireApiActor(request: Request, now = new Date()): Promise<Actor> {
  await connectDb();
  const header = request.headers.get("Authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const found = match ? await findApiKey(hashApiKey(match[1])) : null;
    if (!found) throw unauthenticated();
    const { client, lookup } = found;
    const refusal = refusalOfKey(client, lookup, now);
    if (refusal) throw keyRefusedError(refusal, client, lookup);
    await noteApiClientUsed(client._id, now);
    return {
      kind: "api",
      id: String(client._id),
      name: client.name,
      agencyId: client.agencyId,
      roles: client.roles,
      ...(client.services ? { services: client.services } : {}),
    };
  }
  // A browser session may change things only from our own pages.
  assertSameOrigin(request);
  const actor = await sessionActor(request);
  if (!actor) throw unauthenticated();
  return actor;
}

function unauthenticated() {
  return new AppError("UNAUTHENTICATED", {
    th: "ต้องยืนยันตัวตน: ส่ง Authorization: Bearer <API key> ที่ถูกต้อง หรือเข้าสู่ระบบ",
    en: "Authentication required: send a valid Authorization: Bearer <API key> or sign in",
  });
}

export async function login(email: string, password: string): Promise<User | null> {
  await connectDb();
  const user = await findUserByEmail(email);
  if (!user) return verifyNoPassword(password).then(() => null);
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  // Checked after the password, so a deactivated account answers exactly like a wrong password.
  if (user.active === false) return null;
  // An older (scrypt) hash becomes argon2id now that the password is known to be right.
  if (passwordNeedsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(password);
    await updatePasswordHash(String(user._id), passwordHash);
    return { ...user, passwordHash };
  }
  return user;
}

/**
 * Who may manage second factors on this request: a signed-in staff or OPDC account, or one half signed in who
 * must enrol a factor first (`enrolling`). Anyone else is sent to sign in; citizens and API clients get 404.
 */
export async function requireSecondFactorAccount(request: Request): Promise<{ user: User; sessionId: string; enrolling: boolean }> {
  const context = await sessionContext(request);
  if (context.pending) {
    if (context.pending.step === "enrolSecondFactor") return { user: context.pending.user, sessionId: context.pending.sessionId, enrolling: true };
    const url = new URL(request.url);
    throw redirect(`${pendingStepPath(context.pending.step)}?next=${encodeURIComponent(url.searchParams.get("next") ?? "/")}`);
  }
  const actor = await requireSessionActor(request);
  const user = actor.kind === "citizen" || actor.kind === "api" ? null : await getUser(actor.id);
  if (!user || !context.sessionId) throw notFound({ th: "หน้านี้", en: "This page" });
  return { user, sessionId: context.sessionId, enrolling: false };
}

/** Where a half-signed-in browser must go next. */
export function pendingStepPath(step: PendingStep): string {
  return step === "secondFactor" ? "/login/second-factor" : "/account/second-factor";
}

/** Signs `user` in under a new session id (ending any session the request carried) and redirects. */
export async function startSession(request: Request, user: User, redirectTo: string, pendingStep?: PendingStep) {
  return redirect(redirectTo, { headers: { "Set-Cookie": await newSessionCookie(request, user, pendingStep) } });
}

/**
 * A new session for `user` (ending any session the request carried), as a Set-Cookie value. `pendingStep`: a
 * half sign-in that must give (or enrol) a second factor next.
 */
export async function newSessionCookie(request: Request, user: User, pendingStep?: PendingStep): Promise<string> {
  if (currentSessionId(request)) await destroySession(request);
  const { setCookie } = await createSession(user, { userAgent: request.headers.get("User-Agent") ?? undefined, ...(pendingStep ? { pendingStep } : {}) });
  return setCookie;
}

/** Signs out: the session record is deleted on the server, so the cookie is worthless even if it was copied. */
export async function endSession(request: Request, redirectTo = "/") {
  return redirect(redirectTo, { headers: { "Set-Cookie": await destroySession(request) } });
}
