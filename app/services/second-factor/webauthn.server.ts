/**
 * Passkeys through SimpleWebAuthn. The relying party is PUBLIC_URL: its hostname is the RP ID and its origin the
 * only accepted origin (an IP address cannot be an RP ID, so the site must be reached by a name). Every challenge
 * is made and kept here, bound to the asking session, good for five minutes and used once.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { CHALLENGE_TTL_MS, secondFactorRefused } from "~/core/security/second-factor";
import { claim } from "~/models/claim.server";
import {
  deleteWebAuthnChallenge,
  findWebAuthnChallenge,
  insertWebAuthnChallenge,
  type StoredPasskey,
  type WebAuthnChallenge,
} from "~/models/second-factor.server";
import type { User } from "~/models/user.server";
import { env } from "~/utils/env.server";

export function relyingParty(): { rpID: string; origin: string; rpName: string } {
  const url = new URL(env().PUBLIC_URL);
  return { rpID: url.hostname, origin: url.origin, rpName: "Borikan" };
}

const transportsOf = (p: StoredPasskey) => (p.transports ? (p.transports.split(",") as AuthenticatorTransport[]) : undefined);

async function keepChallenge(challenge: string, userId: string, sessionId: string, purpose: WebAuthnChallenge["purpose"], now: Date) {
  await insertWebAuthnChallenge({ _id: challenge, userId, sessionId, purpose, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
}

export async function registrationOptions(user: User, sessionId: string, existing: StoredPasskey[], now = new Date()): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rpID, rpName } = relyingParty();
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(String(user._id)),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
    timeout: CHALLENGE_TTL_MS,
  });
  await keepChallenge(options.challenge, String(user._id), sessionId, "register", now);
  return options;
}

export async function authenticationOptions(user: User, sessionId: string, passkeys: StoredPasskey[], now = new Date()): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
    userVerification: "preferred",
    timeout: CHALLENGE_TTL_MS,
  });
  await keepChallenge(options.challenge, String(user._id), sessionId, "authenticate", now);
  return options;
}

/** The challenge the browser signed, read from its client data; null when the data is not readable. */
function signedChallenge(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== "string" || !isoBase64URL.isBase64URL(clientDataJSON)) return null;
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    return typeof data.challenge === "string" ? data.challenge : null;
  } catch {
    return null;
  }
}

/**
 * Takes the challenge the response answers, once: unknown, already used, another session's or another purpose's
 * challenge is refused, and so is an expired one.
 */
async function takeChallenge(clientDataJSON: unknown, userId: string, sessionId: string, purpose: WebAuthnChallenge["purpose"], during: "signIn" | "manage", now: Date) {
  const challenge = signedChallenge(clientDataJSON);
  if (!challenge || challenge.length > 200) throw secondFactorRefused("challengeUnknown", during);
  const stored = await findWebAuthnChallenge(challenge);
  if (!stored || !(await claim(`webauthn-challenge:${challenge}`))) throw secondFactorRefused("challengeUnknown", during);
  await deleteWebAuthnChallenge(challenge);
  if (stored.userId !== userId || stored.sessionId !== sessionId || stored.purpose !== purpose) throw secondFactorRefused("challengeUnknown", during);
  if (stored.expiresAt.getTime() <= now.getTime()) throw secondFactorRefused("challengeExpired", during);
  return challenge;
}

function isResponseShaped(value: unknown): value is { id: string; rawId: string; type: string; response: Record<string, unknown> } {
  const v = value as { id?: unknown; response?: unknown } | null;
  return typeof v === "object" && v !== null && typeof v.id === "string" && typeof v.response === "object" && v.response !== null;
}

/** Checks a new passkey's registration; returns it ready to store. Errors: FORM_INVALID (reason). */
export async function verifyRegistration(user: User, sessionId: string, response: unknown, name: string, now = new Date()): Promise<StoredPasskey> {
  if (!isResponseShaped(response)) throw secondFactorRefused("passkeyInvalid", "manage");
  const challenge = await takeChallenge(response.response.clientDataJSON, String(user._id), sessionId, "register", "manage", now);
  const { rpID, origin } = relyingParty();
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch {
    throw secondFactorRefused("passkeyInvalid", "manage");
  }
  if (!verification.verified) throw secondFactorRefused("passkeyInvalid", "manage");
  const { credential } = verification.registrationInfo;
  return {
    credentialId: credential.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: (credential.transports ?? []).join(","),
    name,
    createdAt: now,
  };
}

/**
 * Checks a passkey sign-in: the credential must be one of this account's, the challenge this session's, and the
 * signature, origin and RP ID right. Returns the credential id and its new counter. Errors: UNAUTHENTICATED (reason).
 */
export async function verifyAuthentication(
  user: User,
  sessionId: string,
  passkeys: StoredPasskey[],
  response: unknown,
  now = new Date(),
): Promise<{ credentialId: string; counter: number }> {
  if (!isResponseShaped(response)) throw secondFactorRefused("passkeyInvalid", "signIn");
  const passkey = passkeys.find((p) => p.credentialId === response.id);
  const challenge = await takeChallenge(response.response.clientDataJSON, String(user._id), sessionId, "authenticate", "signIn", now);
  if (!passkey) throw secondFactorRefused("passkeyNotRegistered", "signIn");
  const { rpID, origin } = relyingParty();
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: passkey.credentialId, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter, transports: transportsOf(passkey) },
      requireUserVerification: false,
    });
  } catch {
    throw secondFactorRefused("passkeyInvalid", "signIn");
  }
  if (!verification.verified) throw secondFactorRefused("passkeyInvalid", "signIn");
  return { credentialId: passkey.credentialId, counter: verification.authenticationInfo.newCounter };
}
