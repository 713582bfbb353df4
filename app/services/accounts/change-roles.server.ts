import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import { STAFF_ROLES, type StaffRole } from "~/core/workflow/types";
import type { User } from "~/models/user.server";
import { changeAccountEndingSessions } from "./account-change.server";
import { staffAccountManagedBy } from "./agency-admin-access.server";

const isStaffRole = (role: unknown): role is StaffRole => typeof role === "string" && (STAFF_ROLES as readonly string[]).includes(role);

/**
 * Sets a staff member's roles; their sessions end at once, so no page keeps acting with the old roles.
 * Only an agency admin of the same agency. Errors: FORBIDDEN, NOT_FOUND, FORM_INVALID (an unknown role).
 */
export async function changeRoles(admin: Actor, userId: string, roles: readonly unknown[], now = new Date()): Promise<User> {
  const unknown = roles.filter((role) => !isStaffRole(role));
  if (unknown.length > 0) {
    const list = unknown.map(String).join(", ");
    throw new AppError("FORM_INVALID", { th: "บทบาทไม่ถูกต้อง", en: "Unknown role" }, {
      fields: [{ pointer: "/roles", message: { th: `ไม่มีบทบาท ${list} ในระบบ ใช้ได้เฉพาะ ${STAFF_ROLES.join(", ")}`, en: `No such role: ${list}; use ${STAFF_ROLES.join(", ")}` } }],
    });
  }
  await staffAccountManagedBy(admin, userId);
  return changeAccountEndingSessions(userId, { roles: [...new Set(roles as StaffRole[])] }, now);
}
