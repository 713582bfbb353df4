import type { VerifiedClaims } from "~/core/identity/verified-claims";
import { getUser, type User, type VerifiedIdentityRecord } from "~/models/user.server";
import { keyedHash, seal, unseal } from "~/utils/encryption.server";

/**
 * The national ID and other verified claims are personal data (PDPA): kept AES-256-GCM sealed with the account,
 * and the national ID also as a keyed hash so a person can be found by it without storing it in the clear.
 */
const CLAIMS_PURPOSE = "borikan-verified-claims";
const NATIONAL_ID_PURPOSE = "borikan-national-id";

export function nationalIdHash(nationalId: string): string {
  return keyedHash(NATIONAL_ID_PURPOSE, nationalId);
}

export function sealVerifiedClaims(claims: VerifiedClaims): VerifiedIdentityRecord {
  return { provider: claims.provider, verifiedAt: new Date(claims.verifiedAt), sealedClaims: seal(CLAIMS_PURPOSE, JSON.stringify(claims)) };
}

/** The claims sealed with an account, or null (none, or sealed under another secret). */
export function openVerifiedClaims(record: VerifiedIdentityRecord | undefined): VerifiedClaims | null {
  if (!record?.sealedClaims) return null;
  try {
    return JSON.parse(unseal(CLAIMS_PURPOSE, record.sealedClaims)) as VerifiedClaims;
  } catch {
    return null;
  }
}

/** The verified claims of a signed-in citizen (by account id), or null when they signed in another way. */
export async function verifiedClaimsOfUser(userId: string, loaded?: Pick<User, "verifiedIdentity"> | null): Promise<VerifiedClaims | null> {
  const user = loaded ?? (await getUser(userId));
  return openVerifiedClaims(user?.verifiedIdentity);
}
