import { randomBytes } from "node:crypto";
import { formatRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT, secondFactorRefused } from "~/core/security/second-factor";
import { claim } from "~/models/claim.server";
import { findSecondFactorSet, hasAnyFactor, removeRecoveryCode, replaceRecoveryCodes } from "~/models/second-factor.server";
import type { User } from "~/models/user.server";
import { actorOfUser } from "~/utils/auth.server";
import { recordAudit } from "../audit/record-audit.server";
import { recoveryCodeHash } from "./secrets.server";

/** Ten new recovery codes, replacing any earlier ones; the codes are returned to be shown once and kept only hashed. */
export async function issueRecoveryCodes(userId: string, now = new Date()): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => formatRecoveryCode(randomBytes(10)));
  await replaceRecoveryCodes(userId, codes.map((c) => recoveryCodeHash(userId, normalizeRecoveryCode(c)!)), now);
  return codes;
}

/** The account page's "new recovery codes": only with a factor enrolled (codes stand in for a lost factor). */
export async function regenerateRecoveryCodes(user: User, now = new Date()): Promise<string[]> {
  if (!hasAnyFactor(await findSecondFactorSet(String(user._id)))) throw secondFactorRefused("lastFactor", "manage");
  const codes = await issueRecoveryCodes(String(user._id), now);
  if (user.kind !== "citizen") await recordAudit(actorOfUser(user), { action: "second-factor.recovery-codes", target: { type: "user", id: String(user._id) } });
  return codes;
}

/**
 * Signs in with a recovery code instead of the factor: each code works once (a unique claim on its hash, then
 * it is removed). Errors: UNAUTHENTICATED (recoveryCodeWrong).
 */
export async function spendRecoveryCode(userId: string, typed: string): Promise<{ left: number }> {
  const code = normalizeRecoveryCode(typed);
  if (!code) throw secondFactorRefused("recoveryCodeWrong", "signIn");
  const hash = recoveryCodeHash(userId, code);
  const set = await findSecondFactorSet(userId);
  if (!set?.recoveryCodeHashes.includes(hash) || !(await claim(`recovery-code:${hash}`))) throw secondFactorRefused("recoveryCodeWrong", "signIn");
  await removeRecoveryCode(userId, hash);
  return { left: set.recoveryCodeHashes.length - 1 };
}
