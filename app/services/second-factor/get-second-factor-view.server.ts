import { findSecondFactorSet } from "~/models/second-factor.server";
import type { User } from "~/models/user.server";
import { secondFactorRequiredFor } from "./policy.server";

export type SecondFactorView = {
  required: boolean;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  totp: { createdAt: Date } | null;
  recoveryCodesLeft: number;
};

/** What the account's second-factor page lists. */
export async function getSecondFactorView(user: User): Promise<SecondFactorView> {
  const set = await findSecondFactorSet(String(user._id));
  return {
    required: await secondFactorRequiredFor(user),
    passkeys: (set?.passkeys ?? []).map((p) => ({ id: p.credentialId, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt ?? null })),
    totp: set?.totp ? { createdAt: set.totp.createdAt } : null,
    recoveryCodesLeft: set?.recoveryCodeHashes.length ?? 0,
  };
}
