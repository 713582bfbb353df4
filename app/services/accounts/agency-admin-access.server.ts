import type { Actor } from "~/core/actor";
import { forbidden, notFound } from "~/core/errors";
import { getUser, type User } from "~/models/user.server";
import { connectDb } from "~/utils/db.server";

/**
 * The staff account `userId` when `admin` is an agency admin of the same agency. Another agency's accounts and
 * citizens' accounts look as if they did not exist. Errors: FORBIDDEN (not an agency admin), NOT_FOUND.
 */
export async function staffAccountManagedBy(admin: Actor, userId: string): Promise<User> {
  if (admin.kind !== "staff" || !admin.isAdmin) throw forbidden();
  await connectDb();
  const user = await getUser(userId);
  if (!user || (user.kind !== "staff" && user.kind !== "agencyAdmin") || user.agencyId !== admin.agencyId) {
    throw notFound({ th: "บัญชีเจ้าหน้าที่", en: "Staff account" });
  }
  return user;
}
