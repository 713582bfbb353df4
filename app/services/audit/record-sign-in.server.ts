import { createHash } from "node:crypto";
import { findUserByEmail, type User } from "~/models/user.server";
import { actorOfUser, sessionActor } from "~/utils/auth.server";
import { recordAudit } from "./record-audit.server";

const isStaffAccount = (user: User | null): user is User => !!user && user.kind !== "citizen";

/** An e-mail address as a log may keep it: a short hash that matches repeated attempts, not the address. */
function emailRef(email: string): string {
  return `sha256:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 16)}`;
}

/**
 * After a sign-in attempt (`user` null when it failed): a staff or OPDC sign-in goes to their chain; a failed
 * attempt on a staff account to that agency's chain; a failed attempt on any other address to OPDC's chain,
 * the address kept only as a hash. Citizens' own sign-ins are not staff actions and are not recorded.
 */
export async function recordSignIn(email: string, user: User | null): Promise<void> {
  if (user) {
    if (isStaffAccount(user)) await recordAudit(actorOfUser(user), { action: "sign-in", target: { type: "user", id: String(user._id) } });
    return;
  }
  // The same lookup whether or not the address has an account, so recording does not time-leak which.
  const knownAccount = await findUserByEmail(email).catch(() => null);
  if (isStaffAccount(knownAccount)) {
    const owner = actorOfUser(knownAccount);
    await recordAudit(
      { kind: "anonymous", id: "", name: "" },
      { action: "sign-in.failed", target: { type: "user", id: String(knownAccount._id) }, agencyId: "agencyId" in owner ? owner.agencyId : undefined },
    );
    return;
  }
  await recordAudit({ kind: "anonymous", id: "", name: "" }, { action: "sign-in.failed", target: { type: "email", id: emailRef(email) } });
}

/** Before the session is ended: who is signing out (staff and OPDC only). */
export async function recordSignOut(request: Request): Promise<void> {
  const actor = await sessionActor(request).catch(() => null);
  if (actor && actor.kind !== "citizen") await recordAudit(actor, { action: "sign-out", target: { type: "user", id: actor.id } });
}
