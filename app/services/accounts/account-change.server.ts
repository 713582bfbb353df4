import { notFound } from "~/core/errors";
import { deleteSessionsOfUser } from "~/models/session.server";
import { updateUserSecurity, type User } from "~/models/user.server";

export type AccountChange = Partial<Pick<User, "passwordHash" | "roles" | "active" | "kind">>;

/**
 * Applies a change to an account and ends every session it has, at once: one write sets the change together with
 * `sessionsValidFrom` (so every web process refuses older sessions from then on), then the records are deleted.
 * Errors: NOT_FOUND.
 */
export async function changeAccountEndingSessions(userId: string, change: AccountChange, now = new Date()): Promise<User> {
  const updated = await updateUserSecurity(userId, { ...change, sessionsValidFrom: now });
  if (!updated) throw notFound({ th: "บัญชีผู้ใช้", en: "Account" });
  await deleteSessionsOfUser(userId);
  return updated;
}
