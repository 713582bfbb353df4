import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import type { User } from "~/models/user.server";
import { changeAccountEndingSessions } from "./account-change.server";
import { staffAccountManagedBy } from "./agency-admin-access.server";

/**
 * Cuts a staff member off: they cannot sign in and every session they have ends at once.
 * Only an agency admin of the same agency, and not on their own account (an agency must keep an admin who can
 * undo it). Errors: FORBIDDEN, NOT_FOUND.
 */
export async function deactivateUser(admin: Actor, userId: string, now = new Date()): Promise<User> {
  await staffAccountManagedBy(admin, userId);
  if (admin.id === userId) {
    throw new AppError("FORBIDDEN", { th: "ไม่สามารถระงับบัญชีของตนเองได้", en: "You cannot deactivate your own account" });
  }
  return changeAccountEndingSessions(userId, { active: false }, now);
}
