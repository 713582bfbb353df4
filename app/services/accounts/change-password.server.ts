import { AppError, notFound } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { getUser, type User } from "~/models/user.server";
import { connectDb } from "~/utils/db.server";
import { hashPassword, verifyPassword } from "~/utils/passwords.server";
import { changeAccountEndingSessions } from "./account-change.server";

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

/**
 * Changes a person's password after checking the current one; every session they have ends at once (the caller
 * may start a new one for the browser that made the change). Lengths count characters, so Thai counts fairly.
 * Errors: NOT_FOUND, FORM_INVALID (per field: /currentPassword, /newPassword).
 */
export async function changePassword(userId: string, current: string, next: string, now = new Date()): Promise<User> {
  await connectDb();
  const user = await getUser(userId);
  if (!user) throw notFound({ th: "บัญชีผู้ใช้", en: "Account" });
  const fields: FieldError[] = [];
  if (!(await verifyPassword(current, user.passwordHash))) {
    fields.push({ pointer: "/currentPassword", message: { th: "รหัสผ่านปัจจุบันไม่ถูกต้อง", en: "The current password is not correct" } });
  }
  const length = [...next].length;
  if (length < MIN_PASSWORD_LENGTH) {
    fields.push({ pointer: "/newPassword", message: { th: `รหัสผ่านใหม่ต้องยาวอย่างน้อย ${MIN_PASSWORD_LENGTH} ตัวอักษร`, en: `The new password must be at least ${MIN_PASSWORD_LENGTH} characters long` } });
  } else if (length > MAX_PASSWORD_LENGTH) {
    fields.push({ pointer: "/newPassword", message: { th: `รหัสผ่านใหม่ต้องยาวไม่เกิน ${MAX_PASSWORD_LENGTH} ตัวอักษร`, en: `The new password must be at most ${MAX_PASSWORD_LENGTH} characters long` } });
  } else if (next === current) {
    fields.push({ pointer: "/newPassword", message: { th: "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านปัจจุบัน", en: "The new password must differ from the current one" } });
  }
  if (fields.length > 0) {
    throw new AppError("FORM_INVALID", { th: "เปลี่ยนรหัสผ่านไม่สำเร็จ", en: "The password was not changed" }, { fields });
  }
  return changeAccountEndingSessions(userId, { passwordHash: await hashPassword(next) }, now);
}
