import { secondFactorRefused } from "~/core/security/second-factor";
import { findSecondFactorSet, removePasskey, removeTotp } from "~/models/second-factor.server";
import type { User } from "~/models/user.server";
import { actorOfUser } from "~/utils/auth.server";
import { recordAudit } from "../audit/record-audit.server";
import { secondFactorRequiredFor } from "./policy.server";

/**
 * Removes one of the account's own factors (`totp` or a passkey's credential id). Someone required to have a
 * second factor cannot remove their last one. Errors: FORM_INVALID (lastFactor), NOT_FOUND-like no-op for an
 * unknown id (nothing to remove).
 */
export async function removeSecondFactor(user: User, factor: string): Promise<void> {
  const userId = String(user._id);
  const set = await findSecondFactorSet(userId);
  if (!set) return;
  const isTotp = factor === "totp";
  const exists = isTotp ? !!set.totp : set.passkeys.some((p) => p.credentialId === factor);
  if (!exists) return;
  const remaining = set.passkeys.length + (set.totp ? 1 : 0) - 1;
  if (remaining < 1 && (await secondFactorRequiredFor(user))) throw secondFactorRefused("lastFactor", "manage");
  if (isTotp) await removeTotp(userId);
  else await removePasskey(userId, factor);
  await recordAudit(actorOfUser(user), { action: "second-factor.remove", target: { type: "user", id: userId }, details: { method: isTotp ? "totp" : "passkey" } });
}
