import type { Actor } from "~/core/actor";
import { notFound } from "~/core/errors";
import { getUser, type UserKind } from "~/models/user.server";
import { connectDb } from "~/utils/db.server";

export type AccountView = { name: string; email: string; kind: UserKind; agencyId: string | null; roles: string[]; canChangePassword: boolean };

/** What the account page shows a signed-in person about themselves. Errors: NOT_FOUND. */
export async function getAccountView(actor: Actor): Promise<AccountView> {
  await connectDb();
  const user = actor.kind === "api" ? null : await getUser(actor.id);
  if (!user) throw notFound({ th: "บัญชีผู้ใช้", en: "Account" });
  return {
    name: user.name,
    email: user.email,
    kind: user.kind,
    agencyId: user.agencyId ?? null,
    roles: user.roles ?? [],
    // Citizens will sign in through ThaID / Digital ID; staff and OPDC keep a password here.
    canChangePassword: user.kind !== "citizen",
  };
}
