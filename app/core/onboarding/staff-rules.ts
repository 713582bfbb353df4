import type { FieldError } from "../forms/form-validation";
import { STAFF_ROLES, type StaffRole } from "../workflow/types";

/** The agency-admin right, offered beside the workflow roles; it makes the account an `agencyAdmin`. */
export const ADMIN_RIGHT = "agencyAdmin";

export type RoleChoice = { roles: StaffRole[]; admin: boolean };

const isStaffRole = (role: string): role is StaffRole => (STAFF_ROLES as readonly string[]).includes(role);

/**
 * Reads a requested set of roles: each must be one the agency offers (its services' roles, plus the admin
 * right) or one the person already holds (so an admin can keep a role a retired service used).
 */
export function parseRoleChoice(input: unknown, offered: readonly string[], held: readonly string[] = []): { choice: RoleChoice } | { fields: FieldError[] } {
  if (!Array.isArray(input) || input.some((r) => typeof r !== "string")) {
    return { fields: [{ pointer: "/roles", message: { th: "ส่งบทบาทเป็นรายการข้อความ", en: "Send the roles as a list of strings" } }] };
  }
  const requested = [...new Set(input as string[])];
  const allowed = new Set([...offered, ...held, ADMIN_RIGHT]);
  const unknown = requested.filter((r) => !allowed.has(r) || (r !== ADMIN_RIGHT && !isStaffRole(r)));
  if (unknown.length > 0) {
    const list = unknown.join(", ");
    const choices = [...offered, ADMIN_RIGHT].join(", ");
    return {
      fields: [{ pointer: "/roles", message: { th: `หน่วยงานนี้ไม่มีบทบาท ${list} เลือกได้เฉพาะ ${choices}`, en: `This agency has no role ${list}; choose from ${choices}` } }],
    };
  }
  const roles = STAFF_ROLES.filter((r) => requested.includes(r));
  const admin = requested.includes(ADMIN_RIGHT);
  if (roles.length === 0 && !admin) {
    return { fields: [{ pointer: "/roles", message: { th: "เลือกอย่างน้อยหนึ่งบทบาท", en: "Choose at least one role" } }] };
  }
  return { choice: { roles, admin } };
}

export type AdminSeat = { id: string; isAdmin: boolean; active: boolean };

/** True when, after `change` to account `id`, the agency would have no active admin left. */
export function leavesAgencyWithoutAdmin(accounts: readonly AdminSeat[], id: string, change: { isAdmin?: boolean; active?: boolean }): boolean {
  const after = accounts.map((a) => (a.id === id ? { ...a, ...change } : a));
  const before = accounts.some((a) => a.isAdmin && a.active);
  return before && !after.some((a) => a.isAdmin && a.active);
}

export const NO_ADMIN_LEFT = {
  th: "ทำไม่ได้: หน่วยงานจะไม่มีผู้ดูแลระบบเหลืออยู่ ให้สิทธิ์ผู้ดูแลระบบแก่บุคคลอื่นก่อน",
  en: "Not possible: the agency would have no admin. Give another person the admin right first",
};
