import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** scrypt with a random salt; stored as `scrypt$<salt>$<hash>` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length);
  return timingSafeEqual(expected, actual);
}

/** A hash of a random password nobody knows, made with the same parameters as hashPassword. */
const NOBODYS_HASH = "scrypt$1YefSQJfFR8NJJ/hBfs7HA==$wm4T+iM/tuIQS21kRSXRBovDH0/MsqozhGpqMd11hRE=";

/**
 * For a sign-in to an account that does not exist: the same hashing work as checking a real password, so that
 * the time of the answer does not tell whether an e-mail has an account. Always false.
 */
export async function verifyNoPassword(password: string): Promise<false> {
  await verifyPassword(password, NOBODYS_HASH);
  return false;
}

/** API keys are long random secrets, so a fast hash is enough to keep them unreadable at rest. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function newApiKey(): string {
  return `bk_${randomBytes(24).toString("base64url")}`;
}
