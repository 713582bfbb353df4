import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { secondFactorRefused } from "~/core/security/second-factor";
import { addPasskey, findSecondFactorSet } from "~/models/second-factor.server";
import type { User } from "~/models/user.server";
import { actorOfUser } from "~/utils/auth.server";
import { recordAudit } from "../audit/record-audit.server";
import { issueRecoveryCodes } from "./recovery-codes.server";
import { registrationOptions, verifyRegistration } from "./webauthn.server";

/** The options for the browser's `navigator.credentials.create`, with a fresh challenge bound to this session. */
export async function startPasskeyEnrolment(user: User, sessionId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const set = await findSecondFactorSet(String(user._id));
  return registrationOptions(user, sessionId, set?.passkeys ?? []);
}

/**
 * Stores a new passkey after checking the browser's registration (challenge, origin, RP ID). With the account's
 * first recovery codes when it had none (shown once). Errors: FORM_INVALID (reason).
 */
export async function finishPasskeyEnrolment(
  user: User,
  sessionId: string,
  rawName: string,
  response: unknown,
  now = new Date(),
): Promise<{ recoveryCodes: string[] | null }> {
  const name = rawName.trim();
  if (name.length < 1 || [...name].length > 60) throw secondFactorRefused("nameMissing", "manage");
  const userId = String(user._id);
  const passkey = await verifyRegistration(user, sessionId, response, name, now);
  const set = await findSecondFactorSet(userId);
  if (set?.passkeys.some((p) => p.credentialId === passkey.credentialId)) throw secondFactorRefused("passkeyInvalid", "manage");
  await addPasskey(userId, passkey);
  await recordAudit(actorOfUser(user), { action: "second-factor.enrol", target: { type: "user", id: userId }, details: { method: "passkey", name } });
  return { recoveryCodes: set?.recoveryCodeHashes.length ? null : await issueRecoveryCodes(userId, now) };
}
