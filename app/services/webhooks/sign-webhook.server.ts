import { createHmac, randomBytes } from "node:crypto";
import { seal, unseal } from "~/utils/encryption.server";

/**
 * Signing as the Standard Webhooks spec says: the secret is `whsec_` + base64 of random bytes; the signature is
 * base64(HMAC-SHA256(secret bytes, `${webhook-id}.${webhook-timestamp}.${body}`)), sent as `v1,<base64>`; during
 * a rotation both secrets sign, space-separated, so a receiver holding either accepts the message.
 */
const SECRET_PREFIX = "whsec_";
const SEALED_PURPOSE = "webhook-secret";

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

export const sealWebhookSecret = (secret: string): string => seal(SEALED_PURPOSE, secret);
export const openWebhookSecret = (sealed: string): string => unseal(SEALED_PURPOSE, sealed);

export function signatureOf(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
}

/** The three headers of one attempt: the id stays the same on every attempt, the timestamp is the attempt's. */
export function webhookHeaders(secrets: string[], id: string, at: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => signatureOf(s, id, timestamp, body)).join(" "),
  };
}
