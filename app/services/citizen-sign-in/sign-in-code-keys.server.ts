import { createHmac, hkdfSync, randomInt, timingSafeEqual } from "node:crypto";
import { env } from "~/utils/env.server";

/**
 * Keys for e-mail sign-in codes, derived from SESSION_SECRET (HKDF, its own label) so that a database copy alone
 * can neither read which addresses asked for codes nor try the million possible codes offline.
 */
let derived: { secret: string; key: Buffer } | undefined;

function codeKey(): Buffer {
  const secret = env().SESSION_SECRET;
  if (derived?.secret !== secret) derived = { secret, key: Buffer.from(hkdfSync("sha256", secret, "borikan", "e-mail sign-in codes v1", 32)) };
  return derived.key;
}

const mac = (text: string) => createHmac("sha256", codeKey()).update(text).digest("base64url");

/** The `_id` of an address's code and its rate-limit subject: a keyed hash of the normalized address. */
export function emailKey(email: string): string {
  return `e:${mac(`email:${email}`)}`;
}

/** The stored form of a code, bound to the one issue it belongs to. */
export function codeHash(issueId: string, code: string): string {
  return mac(`code:${issueId}:${code}`);
}

export function codeMatches(stored: string, issueId: string, code: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(codeHash(issueId, code));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Six random digits, leading zeros kept. */
export function newSignInCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}
