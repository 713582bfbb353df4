import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import { env } from "./env.server";

/**
 * Secrets and personal data at rest: AES-256-GCM under a key derived from KEY_ENCRYPTION_SECRET and a purpose,
 * so each kind of data has its own key. Sealed text is base64url `iv.tag.ciphertext`.
 */
function keyFor(purpose: string): Buffer {
  return createHash("sha256").update(`${purpose}:${env().KEY_ENCRYPTION_SECRET}`).digest();
}

export function seal(purpose: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
}

/** Throws when the text was not sealed under this purpose and secret (or was altered). */
export function unseal(purpose: string, sealed: string): string {
  const [iv, tag, body] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}

/** A keyed hash (HMAC-SHA-256, hex) for finding a record by a personal value without storing the value. */
export function keyedHash(purpose: string, value: string): string {
  return createHmac("sha256", keyFor(`${purpose}:hmac`)).update(value).digest("hex");
}
