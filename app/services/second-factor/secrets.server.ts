import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import { env } from "~/utils/env.server";

// Keys derived from KEY_ENCRYPTION_SECRET as the agencies' signing keys are, each under its own label.
const derived = (label: string) => createHash("sha256").update(`${label}:${env().KEY_ENCRYPTION_SECRET}`).digest();

/** AES-256-GCM: base64url iv.tag.ciphertext. */
export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derived("borikan-totp-secrets"), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
}

export function openSecret(sealed: string): string {
  const [iv, tag, body] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  const decipher = createDecipheriv("aes-256-gcm", derived("borikan-totp-secrets"), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}

/**
 * A recovery code as stored: an HMAC under a server key, bound to the account. The codes are 50 random bits, so
 * a keyed fast hash keeps a copied database useless without the key and needs no slow hash per attempt.
 */
export function recoveryCodeHash(userId: string, normalizedCode: string): string {
  return createHmac("sha256", derived("borikan-recovery-codes")).update(`${userId}:${normalizedCode}`).digest("base64url");
}
