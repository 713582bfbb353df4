import { AppError } from "~/core/errors";
import { SIGN_IN_CODE, codeRefusalText, judgeSignInCode, normalizeEmail, normalizeSignInCode, type CodeRefusal } from "~/core/security/sign-in-code";
import { isDuplicateKey } from "~/models/claim.server";
import { claimCodeUse, countWrongEntries, getSignInCode, recordWrongEntry } from "~/models/sign-in-code.server";
import { createUser, findUserByEmail, type User } from "~/models/user.server";
import { recordSignIn } from "~/services/audit/record-sign-in.server";
import { enforceRateLimit } from "~/services/security/rate-limits.server";
import { connectDb } from "~/utils/db.server";
import { codeMatches, emailKey } from "./sign-in-code-keys.server";

/** Marks an account that has no password: no password hash scheme reads it, so a password sign-in always fails. */
export const NO_PASSWORD = "!none";

/**
 * Signs a citizen in with the code e-mailed to them: the code must be the address's latest, under 10 minutes
 * old, not used, and not voided by 5 wrong entries. A first use creates the citizen account. Staff accounts are
 * refused (they sign in with password and second factor). The caller starts the session.
 * Errors: RATE_LIMITED (checks per address), FORM_INVALID (/email, /code), UNAUTHENTICATED (details.reason:
 * none, wrong, expired, used, void, inactive), FORBIDDEN (staff).
 */
export async function signInWithCode(input: { email: unknown; code: unknown; address: string }, now = new Date()): Promise<User> {
  await enforceRateLimit("signInCodeChecks", input.address);
  const email = normalizeEmail(input.email);
  const code = normalizeSignInCode(input.code);
  if (!email || !code) {
    const fields = [
      ...(!email ? [{ pointer: "/email", message: { th: "กรุณากรอกอีเมลให้ถูกต้อง", en: "Enter a valid e-mail address" } }] : []),
      ...(!code ? [{ pointer: "/code", message: codeRefusalText("malformed") }] : []),
    ];
    throw new AppError("FORM_INVALID", { th: "กรุณาตรวจสอบข้อมูล", en: "Check the form" }, { fields });
  }
  await connectDb();
  const stored = await getSignInCode(emailKey(email));
  if (!stored) throw refused("none");
  const wrongSoFar = await countWrongEntries(stored.issueId, SIGN_IN_CODE.maxWrongTries);
  const verdict = judgeSignInCode({ expiresAt: stored.expiresAt, wrongSoFar, matches: codeMatches(stored.codeHash, stored.issueId, code) }, now);
  if (!verdict.ok) {
    const wrongEntry = verdict.refusal === "wrong" || (verdict.refusal === "void" && wrongSoFar < SIGN_IN_CODE.maxWrongTries);
    if (wrongEntry) await recordWrongEntry(stored.issueId, wrongSoFar, SIGN_IN_CODE.maxWrongTries);
    throw refused(verdict.refusal, verdict.triesLeft);
  }
  if (!(await claimCodeUse(stored.issueId))) throw refused("used");

  const user = await findUserByEmail(email);
  if (user && user.kind !== "citizen") {
    await recordSignIn(email, null);
    throw new AppError("FORBIDDEN", codeRefusalText("staff"), { reason: "staff" });
  }
  if (user && user.active === false) throw refused("inactive");
  return user ?? (await createCitizen(email));
}

async function createCitizen(email: string): Promise<User> {
  try {
    return await createUser({ email, passwordHash: NO_PASSWORD, name: email, kind: "citizen", roles: [] });
  } catch (error) {
    // Another request created it a moment ago.
    const existing = isDuplicateKey(error) ? await findUserByEmail(email) : null;
    if (existing?.kind === "citizen") return existing;
    throw error;
  }
}

function refused(reason: CodeRefusal, triesLeft?: number): AppError {
  return new AppError("UNAUTHENTICATED", codeRefusalText(reason, triesLeft), { reason, ...(triesLeft !== undefined ? { triesLeft } : {}) });
}
