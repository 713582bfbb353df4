import type { Actor } from "~/core/actor";
import type { User } from "~/models/user.server";
import { changeAccountEndingSessions } from "./account-change.server";
import { staffAccountManagedBy } from "./agency-admin-access.server";

/**
 * Lets a deactivated staff member sign in again (with a new session: none from before survives).
 * Only an agency admin of the same agency. Errors: FORBIDDEN, NOT_FOUND.
 */
export async function reactivateUser(admin: Actor, userId: string, now = new Date()): Promise<User> {
  await staffAccountManagedBy(admin, userId);
  return changeAccountEndingSessions(userId, { active: true }, now);
}
