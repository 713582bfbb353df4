import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { isAppError } from "~/core/errors";
import { secondFactorRefused } from "~/core/security/second-factor";
import { findSecondFactorSet, recordPasskeyUse } from "~/models/second-factor.server";
import type { User } from "~/models/user.server";
import { actorOfUser } from "~/utils/auth.server";
import { recordAudit } from "../audit/record-audit.server";
import { enforceRateLimit } from "../security/rate-limits.server";
import { spendRecoveryCode } from "./recovery-codes.server";
import { openSecret } from "./secrets.server";
import { spendTotpCode } from "./totp.server";
import { authenticationOptions, verifyAuthentication } from "./webauthn.server";

export type SecondStepChoices = { passkey: PublicKeyCredentialRequestOptionsJSON | null; totp: boolean; recoveryCodes: boolean };

/** What the second step offers this account, with a fresh passkey challenge bound to the pending session. */
export async function secondStepChoices(user: User, sessionId: string): Promise<SecondStepChoices> {
  const set = await findSecondFactorSet(String(user._id));
  const passkeys = set?.passkeys ?? [];
  return {
    passkey: passkeys.length > 0 ? await authenticationOptions(user, sessionId, passkeys) : null,
    totp: !!set?.totp,
    recoveryCodes: (set?.recoveryCodeHashes.length ?? 0) > 0,
  };
}

export type SecondStepProof = { method: "passkey"; response: unknown } | { method: "totp"; code: string } | { method: "recovery"; code: string };

/**
 * The second step of a sign-in: a passkey assertion, a TOTP code or a recovery code. Attempts count against the
 * account's limit (RATE_LIMIT_SECOND_FACTOR), every failure is an audit entry.
 * Errors: RATE_LIMITED, UNAUTHENTICATED (with the refusal's reason).
 */
export async function verifySecondFactor(user: User, sessionId: string, proof: SecondStepProof, now = new Date()): Promise<void> {
  const userId = String(user._id);
  await enforceRateLimit("secondFactorAttempts", userId);
  const set = await findSecondFactorSet(userId);
  try {
    if (proof.method === "passkey") {
      const used = await verifyAuthentication(user, sessionId, set?.passkeys ?? [], proof.response, now);
      await recordPasskeyUse(userId, used.credentialId, used.counter, now);
    } else if (proof.method === "totp") {
      if (!set?.totp) throw secondFactorRefused("codeWrong", "signIn");
      await spendTotpCode(userId, openSecret(set.totp.secretEncrypted), proof.code, "signIn", now);
    } else {
      await spendRecoveryCode(userId, proof.code);
    }
  } catch (error) {
    if (isAppError(error)) {
      const reason = (error.details as { reason?: string } | undefined)?.reason ?? error.code;
      await recordAudit(actorOfUser(user), { action: "second-factor.failed", target: { type: "user", id: userId }, details: { method: proof.method, reason } });
    }
    throw error;
  }
  await recordAudit(actorOfUser(user), { action: "second-factor.verify", target: { type: "user", id: userId }, details: { method: proof.method } });
}
