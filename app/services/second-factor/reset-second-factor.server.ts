import type { Actor } from "~/core/actor";
import { AppError, forbidden, notFound } from "~/core/errors";
import { deleteSecondFactorSet } from "~/models/second-factor.server";
import { getUser, type User } from "~/models/user.server";
import { connectDb } from "~/utils/db.server";
import { recordAudit } from "../audit/record-audit.server";
import { changeAccountEndingSessions } from "../accounts/account-change.server";
import { staffAccountManagedBy } from "../accounts/agency-admin-access.server";

/** An OPDC admin manages agency admins (of any agency); others' accounts look as if they did not exist. */
async function accountResettableBy(admin: Actor, userId: string): Promise<User> {
  if (admin.kind === "staff") return staffAccountManagedBy(admin, userId);
  if (admin.kind !== "opdc") throw forbidden();
  await connectDb();
  const user = await getUser(userId);
  if (!user || user.kind !== "agencyAdmin") throw notFound({ th: "บัญชีผู้ดูแลระบบหน่วยงาน", en: "Agency admin account" });
  return user;
}

/**
 * Forgets every second factor of a staff member who lost theirs (passkeys, TOTP, recovery codes) and ends their
 * sessions at once; at their next sign-in they enrol again if required. An agency admin resets their own
 * agency's staff, an OPDC admin resets agency admins; nobody resets their own.
 * Errors: FORBIDDEN, NOT_FOUND (another agency's account too).
 */
export async function resetSecondFactor(admin: Actor, userId: string, now = new Date()): Promise<{ userId: string }> {
  const user = await accountResettableBy(admin, userId);
  if (admin.id === userId) {
    throw new AppError("FORBIDDEN", {
      th: "ไม่สามารถรีเซ็ตการยืนยันตัวตนขั้นที่สองของตนเองได้ ให้ผู้ดูแลระบบอีกคนทำแทน",
      en: "You cannot reset your own second factor: ask another administrator",
    });
  }
  await deleteSecondFactorSet(userId);
  await changeAccountEndingSessions(userId, {}, now);
  await recordAudit(admin, {
    action: "second-factor.reset",
    target: { type: "user", id: userId },
    ...(user.agencyId ? { agencyId: user.agencyId } : {}),
    details: { email: user.email },
  });
  return { userId };
}
