import QRCode from "qrcode";
import { secondFactorRefused } from "~/core/security/second-factor";
import { confirmTotp, findSecondFactorSet, setPendingTotp } from "~/models/second-factor.server";
import type { User } from "~/models/user.server";
import { actorOfUser } from "~/utils/auth.server";
import { recordAudit } from "../audit/record-audit.server";
import { issueRecoveryCodes } from "./recovery-codes.server";
import { openSecret, sealSecret } from "./secrets.server";
import { newTotpSecret, totpOf, spendTotpCode } from "./totp.server";

export type TotpEnrolment = { secret: string; uri: string; qrDataUrl: string };

async function enrolmentOf(user: User, secret: string): Promise<TotpEnrolment> {
  const uri = totpOf(secret, user.email).toString();
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/**
 * A new TOTP secret for the account, kept (encrypted) as pending until a code from the app confirms it; the
 * existing one, if any, keeps working until then.
 */
export async function startTotpEnrolment(user: User, now = new Date()): Promise<TotpEnrolment> {
  const secret = newTotpSecret();
  await setPendingTotp(String(user._id), sealSecret(secret), now);
  return enrolmentOf(user, secret);
}

/** The pending enrolment again (after a wrong code), or null. */
export async function pendingTotpEnrolment(user: User): Promise<TotpEnrolment | null> {
  const set = await findSecondFactorSet(String(user._id));
  return set?.totpPending ? enrolmentOf(user, openSecret(set.totpPending.secretEncrypted)) : null;
}

/**
 * Confirms the pending secret with a current code from the app (the code's step is used up, as at sign-in).
 * Errors: FORM_INVALID (noPendingTotp, codeMalformed, codeWrong, codeReused).
 */
export async function confirmTotpEnrolment(user: User, code: string, now = new Date()): Promise<{ recoveryCodes: string[] | null }> {
  const userId = String(user._id);
  const set = await findSecondFactorSet(userId);
  if (!set?.totpPending) throw secondFactorRefused("noPendingTotp", "manage");
  await spendTotpCode(userId, openSecret(set.totpPending.secretEncrypted), code, "manage", now);
  await confirmTotp(userId, set.totpPending.secretEncrypted, now);
  await recordAudit(actorOfUser(user), { action: "second-factor.enrol", target: { type: "user", id: userId }, details: { method: "totp" } });
  return { recoveryCodes: set.recoveryCodeHashes.length ? null : await issueRecoveryCodes(userId, now) };
}
