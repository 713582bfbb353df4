import { findUserByEmail, type User } from "~/models/user.server";
import { createSession, sessionCookieName } from "~/utils/session.server";

/** A `Cookie` header value for a new server-side session of `user` (as signing in would create). */
export async function sessionCookieFor(user: Pick<User, "_id" | "kind">): Promise<string> {
  const { cookieId } = await createSession(user);
  return `${sessionCookieName()}=${cookieId}`;
}

/** The same, for a seeded user found by e-mail. */
export async function sessionCookieOf(email: string): Promise<string> {
  const user = await findUserByEmail(email);
  if (!user) throw new Error(`seeded user ${email} is missing`);
  return sessionCookieFor(user);
}
