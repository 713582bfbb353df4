import { hash as argon2Hash, verify as argon2Verify, type Options } from "@node-rs/argon2";
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane). `algorithm` is the package's
 * const enum value for argon2id, written as a number because esbuild cannot inline const enums.
 */
const ARGON2ID: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const ARGON2ID_PREFIX = `$argon2id$v=19$m=${ARGON2ID.memoryCost},t=${ARGON2ID.timeCost},p=${ARGON2ID.parallelism}$`;

/** argon2id with a random salt, as a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2ID);
}

/** Checks a password against an argon2id hash or an older `scrypt$<salt>$<hash>` one. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith("$argon2id$")) {
    try {
      return await argon2Verify(stored, password);
    } catch {
      // A malformed stored hash is a wrong password, not a crash.
      return false;
    }
  }
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length);
  return timingSafeEqual(expected, actual);
}

/** True when a stored hash is not argon2id with today's parameters: rehash it at the next successful sign-in. */
export function passwordNeedsRehash(stored: string): boolean {
  return !stored.startsWith(ARGON2ID_PREFIX);
}

/** A hash of a random password nobody knows, made once per process with the same parameters as hashPassword. */
let nobodysHash: Promise<string> | undefined;

/**
 * For a sign-in to an account that does not exist: the same hashing work as checking a real password, so that
 * the time of the answer does not tell whether an e-mail has an account. Always false.
 */
export async function verifyNoPassword(password: string): Promise<false> {
  nobodysHash ??= hashPassword(randomBytes(24).toString("base64url"));
  await verifyPassword(password, await nobodysHash);
  return false;
}

/** API keys are long random secrets, so a fast hash is enough to keep them unreadable at rest. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function newApiKey(): string {
  return `bk_${randomBytes(24).toString("base64url")}`;
}
