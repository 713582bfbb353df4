import { Secret, TOTP } from "otpauth";
import { normalizeTotpCode, secondFactorRefused, TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_WINDOW } from "~/core/security/second-factor";
import { claim } from "~/models/claim.server";

/** RFC 6238 as every authenticator app speaks it: SHA-1, 6 digits, 30-second steps. */
export function totpOf(secretBase32: string, label = "Borikan"): TOTP {
  return new TOTP({ issuer: "Borikan", label, algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * Accepts a code of the current step or the one either side, once: the step is claimed under a unique `_id`
 * (`totp:<user>:<step>`), so the same code (or any code of that step) is refused the second time, also when
 * two requests race. Errors (UNAUTHENTICATED or FORM_INVALID by `during`): codeMalformed, codeWrong, codeReused.
 */
export async function spendTotpCode(userId: string, secretBase32: string, typed: string, during: "signIn" | "manage", now = new Date()): Promise<void> {
  const token = normalizeTotpCode(typed);
  if (!token) throw secondFactorRefused("codeMalformed", during);
  const delta = totpOf(secretBase32).validate({ token, timestamp: now.getTime(), window: TOTP_WINDOW });
  if (delta === null) throw secondFactorRefused("codeWrong", during);
  const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  if (!(await claim(`totp:${userId}:${step}`))) throw secondFactorRefused("codeReused", during);
}
