import { createHash } from "node:crypto";
import { Types } from "mongoose";
import * as client from "openid-client";
import { AppError } from "~/core/errors";
import type { OidcProviderConfig } from "~/core/identity/oidc-providers";
import { verifiedClaimsFrom, type VerifiedClaims } from "~/core/identity/verified-claims";
import type { LocalizedText } from "~/core/text";
import {
  deletePendingOidcSignIn,
  findCitizenIdentity,
  findCitizenIdentityByNationalIdHash,
  findPendingOidcSignIn,
  insertCitizenIdentity,
  touchCitizenIdentity,
} from "~/models/citizen-identity.server";
import { claim } from "~/models/claim.server";
import { createUser, getUser, setUserVerifiedIdentity, UserModel, type User } from "~/models/user.server";
import { recordAudit } from "~/services/audit/record-audit.server";
import { connectDb } from "~/utils/db.server";
import { oidcConfiguration, oidcProvider, providerUnavailable } from "./oidc-client.server";
import { pendingCookieValue } from "./pending-cookie.server";
import { pendingRecordId } from "./start-oidc-sign-in.server";
import { nationalIdHash, sealVerifiedClaims } from "./verified-identity.server";

export type OidcSignInResult = { user: User; next: string; claims: VerifiedClaims };

export type RefusalReason = "no-attempt" | "attempt-used" | "provider-error" | "wrong-state" | "code-reused" | "token-refused" | "id-token-invalid";

const REASONS: Record<RefusalReason, LocalizedText> = {
  "no-attempt": {
    th: "ไม่พบการเข้าสู่ระบบที่เริ่มไว้ หรือหมดเวลาแล้ว (10 นาที) กรุณาเริ่มเข้าสู่ระบบใหม่จากหน้าเข้าสู่ระบบ",
    en: "No sign-in was started from this browser, or it timed out (10 minutes). Please start again from the sign-in page",
  },
  "attempt-used": {
    th: "การเข้าสู่ระบบครั้งนี้ถูกใช้ไปแล้ว กรุณาเริ่มเข้าสู่ระบบใหม่",
    en: "This sign-in has already been used. Please start again",
  },
  "provider-error": {
    th: "ผู้ให้บริการยืนยันตัวตนไม่ได้ยืนยันตัวตนของท่าน (ยกเลิกหรือปฏิเสธ) กรุณาลองใหม่",
    en: "The identity provider did not confirm your identity (cancelled or refused). Please try again",
  },
  "wrong-state": {
    th: "คำตอบจากผู้ให้บริการยืนยันตัวตนไม่ตรงกับการเข้าสู่ระบบที่เริ่มไว้ (state ไม่ตรง) จึงไม่ยอมรับ",
    en: "The identity provider's answer does not belong to the sign-in started here (state mismatch), so it was refused",
  },
  "code-reused": {
    th: "รหัสยืนยันจากผู้ให้บริการถูกใช้ไปแล้ว จึงไม่ยอมรับซ้ำ",
    en: "The provider's authorization code has already been used, so it was refused",
  },
  "token-refused": {
    th: "ผู้ให้บริการยืนยันตัวตนไม่ยอมรับรหัสยืนยันนี้ (หมดอายุ ใช้แล้ว หรือออกให้ระบบอื่น)",
    en: "The identity provider refused this authorization code (expired, used, or issued to another system)",
  },
  "id-token-invalid": {
    th: "โทเค็นยืนยันตัวตน (ID token) ไม่ผ่านการตรวจสอบ (ผู้ออก ผู้รับ nonce หรือวันหมดอายุไม่ถูกต้อง) จึงไม่ยอมรับ",
    en: "The ID token failed verification (wrong issuer, audience or nonce, or expired), so it was refused",
  },
};

function refuse(reason: RefusalReason, detail?: string): AppError {
  return new AppError("BAD_REQUEST", REASONS[reason], { reason, ...(detail ? { detail } : {}) });
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Finishes a sign-in at the provider's redirect: the pending attempt is taken once (its cookie and record), the
 * code exchanged once, and the ID token checked by openid-client (signature, issuer, audience, nonce, expiry,
 * and the `iss` of the answer where the provider announces it). Then the citizen's account is found by
 * (provider, subject), or by national ID from another configured provider, or created; the verified claims
 * are sealed with it. Any refusal writes no account and no session.
 * Errors: NOT_FOUND (unknown provider), BAD_REQUEST with `details.reason`, PROVIDER_UNAVAILABLE.
 */
export async function completeOidcSignIn(request: Request, providerId: string, now = new Date()): Promise<OidcSignInResult> {
  const provider = oidcProvider(providerId);
  try {
    return await complete(request, provider, now);
  } catch (error) {
    if (error instanceof AppError && error.code === "BAD_REQUEST") {
      const { reason, detail } = (error.details ?? {}) as { reason?: string; detail?: string };
      await recordAudit({ kind: "anonymous", id: "", name: "" }, { action: "sign-in.failed", target: { type: "oidc-provider", id: provider.id }, details: { reason, ...(detail ? { detail } : {}) } });
    }
    throw error;
  }
}

async function complete(request: Request, provider: OidcProviderConfig, now: Date): Promise<OidcSignInResult> {
  await connectDb();
  const cookie = pendingCookieValue(request);
  if (!cookie) throw refuse("no-attempt");
  const pendingId = pendingRecordId(cookie);
  const pending = await findPendingOidcSignIn(pendingId);
  if (!pending || pending.provider !== provider.id || pending.expiresAt.getTime() <= now.getTime()) throw refuse("no-attempt");
  // Single use: the first callback that claims the attempt owns it, any replay of it is refused.
  if (!(await claim(`oidc-attempt:${pendingId}`))) throw refuse("attempt-used");
  await deletePendingOidcSignIn(pendingId);

  const params = new URL(request.url).searchParams;
  if (params.has("error")) throw refuse("provider-error", String(params.get("error")).slice(0, 100));
  if (params.get("state") !== pending.state) throw refuse("wrong-state");
  const code = params.get("code");
  if (!code) throw refuse("provider-error", "no code");
  if (!(await claim(`oidc-code:${provider.id}:${sha256(code)}`))) throw refuse("code-reused");

  const config = await oidcConfiguration(provider);
  // The answer as the provider addressed it: our registered redirect URL plus its query.
  const currentUrl = new URL(provider.redirectUrl);
  currentUrl.search = params.toString();
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw classify(error, provider);
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw refuse("id-token-invalid", "no ID token");
  let userinfo: Record<string, unknown> = {};
  if (config.serverMetadata().userinfo_endpoint) {
    try {
      userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    } catch (error) {
      throw classify(error, provider);
    }
  }
  // The signed ID token wins over userinfo where both carry a claim.
  const claims = verifiedClaimsFrom(provider, { ...userinfo, ...idClaims }, now);
  const user = await findOrCreateCitizen(provider, idClaims.sub, claims, now);
  return { user, next: pending.next, claims };
}

function classify(error: unknown, provider: OidcProviderConfig): AppError {
  if (error instanceof AppError) return error;
  const detail = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}`.slice(0, 200) : String(error);
  console.warn(JSON.stringify({ event: "oidc-callback-refused", provider: provider.id, detail }));
  if (error instanceof client.AuthorizationResponseError) return refuse("provider-error", error.error);
  if (error instanceof client.ResponseBodyError) return refuse("token-refused", error.error);
  const code = (error as { code?: string }).code ?? "";
  if (code.startsWith("OAUTH_") || error instanceof client.ClientError) {
    // The answer's `iss` (RFC 9207) differs from the configured issuer: a mix-up, refused like a bad ID token.
    return refuse("id-token-invalid", detail);
  }
  return providerUnavailable(provider);
}

/** An account per person: by (provider, subject); else by national ID already verified by another provider; else new. */
async function findOrCreateCitizen(provider: OidcProviderConfig, subject: string, claims: VerifiedClaims, now: Date): Promise<User> {
  const identityId = `${provider.id}:${sha256(subject)}`;
  const pidHash = claims.pid ? nationalIdHash(claims.pid) : undefined;
  const sealed = sealVerifiedClaims(claims);
  const linked = await findCitizenIdentity(identityId);
  if (linked) {
    const user = await getUser(linked.userId);
    if (user && user.kind === "citizen" && user.active !== false) {
      await setUserVerifiedIdentity(String(user._id), sealed);
      await touchCitizenIdentity(identityId, { lastSignInAt: now, ...(pidHash ? { nationalIdHash: pidHash } : {}) });
      return { ...user, verifiedIdentity: sealed };
    }
    throw new AppError("FORBIDDEN", { th: "บัญชีนี้ถูกระงับการใช้งาน", en: "This account is deactivated" });
  }
  const samePerson = pidHash ? await findCitizenIdentityByNationalIdHash(pidHash) : null;
  const existing = samePerson ? await getUser(samePerson.userId) : null;
  let user: User;
  let created = false;
  if (existing && existing.kind === "citizen") {
    user = existing;
  } else {
    const id = new Types.ObjectId();
    user = await createUser({
      _id: id,
      // Not an address anyone reads: citizens of a provider have no e-mail of ours (the form asks for one where needed).
      email: `${provider.id}.${sha256(subject).slice(0, 24)}@citizen.invalid`,
      // No password: this account signs in through its provider only.
      passwordHash: "!oidc",
      name: claims.name ?? claims.nameEn ?? provider.label.th,
      kind: "citizen",
      roles: [],
      verifiedIdentity: sealed,
    } as Parameters<typeof createUser>[0]);
    created = true;
  }
  const inserted = await insertCitizenIdentity({ _id: identityId, userId: String(user._id), provider: provider.id, ...(pidHash ? { nationalIdHash: pidHash } : {}), createdAt: now, lastSignInAt: now });
  if (!inserted) {
    // Another first sign-in of the same person won the race: use its account, drop ours.
    if (created) await UserModel.deleteOne({ _id: user._id });
    const winner = await findCitizenIdentity(identityId);
    const winnerUser = winner ? await getUser(winner.userId) : null;
    if (!winnerUser) throw refuse("attempt-used");
    user = winnerUser;
  }
  await setUserVerifiedIdentity(String(user._id), sealed);
  return { ...user, verifiedIdentity: sealed };
}
