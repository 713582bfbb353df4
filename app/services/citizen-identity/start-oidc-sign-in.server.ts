import { createHash, randomBytes } from "node:crypto";
import * as client from "openid-client";
import { insertPendingOidcSignIn } from "~/models/citizen-identity.server";
import { connectDb } from "~/utils/db.server";
import { oidcConfiguration, oidcProvider } from "./oidc-client.server";
import { pendingCookie, PENDING_TTL_SECONDS } from "./pending-cookie.server";

export function pendingRecordId(cookieValue: string): string {
  return createHash("sha256").update(cookieValue).digest("hex");
}

/**
 * Sends the citizen to the provider (authorization-code flow with PKCE, state and nonce). What the callback
 * must check is kept server-side, found through a random value in a short-lived cookie, and usable once.
 */
export async function startOidcSignIn(providerId: string, next: string, now = new Date()): Promise<{ redirectTo: string; setCookie: string }> {
  const provider = oidcProvider(providerId);
  const config = await oidcConfiguration(provider);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: provider.redirectUrl,
    scope: provider.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const cookieValue = randomBytes(32).toString("base64url");
  await connectDb();
  await insertPendingOidcSignIn({
    _id: pendingRecordId(cookieValue),
    provider: provider.id,
    state,
    nonce,
    codeVerifier,
    next,
    expiresAt: new Date(now.getTime() + PENDING_TTL_SECONDS * 1000),
  });
  return { redirectTo: url.href, setCookie: pendingCookie(cookieValue, PENDING_TTL_SECONDS) };
}
