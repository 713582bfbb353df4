import { redirect } from "@remix-run/node";
import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import { findApiClientByKeyHash } from "~/models/api-client.server";
import { findUserByEmail, getUser, type User } from "~/models/user.server";
import { connectDb } from "./db.server";
import { hashApiKey, verifyPassword } from "./passwords.server";
import { getSession, sessionStorage } from "./session.server";
import { assertSameOrigin } from "./web-security.server";

export function actorOfUser(user: User): Actor {
  const id = String(user._id);
  if (user.kind === "citizen") return { kind: "citizen", id, name: user.name, email: user.email };
  if (user.kind === "opdcAdmin") return { kind: "opdc", id, name: user.name };
  return { kind: "staff", id, name: user.name, agencyId: user.agencyId ?? "", roles: user.roles, isAdmin: user.kind === "agencyAdmin" };
}

/** The signed-in person, or null. */
export async function sessionActor(request: Request): Promise<Actor | null> {
  await connectDb();
  const session = await getSession(request);
  const userId = session.get("userId");
  if (typeof userId !== "string") return null;
  const user = await getUser(userId);
  return user ? actorOfUser(user) : null;
}

/** Pages: a signed-in person, else a redirect to the login page that comes back here. */
export async function requireSessionActor(request: Request): Promise<Actor> {
  const actor = await sessionActor(request);
  if (actor) return actor;
  const url = new URL(request.url);
  throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/** API: `Authorization: Bearer <key>` of an agency client, or a browser session. */
export async function requireApiActor(request: Request): Promise<Actor> {
  await connectDb();
  const header = request.headers.get("Authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const client = match ? await findApiClientByKeyHash(hashApiKey(match[1])) : null;
    if (!client) throw unauthenticated();
    return { kind: "api", id: String(client._id), name: client.name, agencyId: client.agencyId, roles: client.roles };
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
  if (!user || !(await verifyPassword(password, user.passwordHash))) return null;
  return user;
}

export async function startSession(request: Request, user: User, redirectTo: string) {
  const session = await getSession(request);
  session.set("userId", String(user._id));
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionStorage().commitSession(session) } });
}

export async function endSession(request: Request) {
  const session = await getSession(request);
  return redirect("/", { headers: { "Set-Cookie": await sessionStorage().destroySession(session) } });
}
