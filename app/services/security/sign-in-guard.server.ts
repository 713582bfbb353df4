import { setTimeout as delay } from "node:timers/promises";
import { RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "~/core/errors";
import { signInDelayMs, type SignInPolicy } from "~/core/security/limits";
import type { User } from "~/models/user.server";
import { login } from "~/utils/auth.server";
import { clientIp } from "~/utils/client-ip.server";
import { env } from "~/utils/env.server";
import { RateLimiterClaimStore } from "./rate-limiter-store.server";

export type SignInResult = { outcome: "signedIn"; user: User } | { outcome: "wrong" } | { outcome: "locked"; error: AppError };

type FailureCounter = { limiter: RateLimiterClaimStore; lockAt: number };
let counters: { account: FailureCounter; address: FailureCounter } | undefined;

function failureCounters() {
  if (counters) return counters;
  const policy = env().signIn;
  const counter = (name: string, lockAt: number): FailureCounter => ({
    // The failure that reaches `lockAt` crosses `points` and sets the lock (the library's block).
    limiter: new RateLimiterClaimStore({ keyPrefix: `sign-in:${name}`, points: lockAt - 1, duration: policy.windowSeconds, blockDuration: policy.lockSeconds, resettable: true }),
    lockAt,
  });
  counters = { account: counter("account", policy.failuresPerAccount), address: counter("address", policy.failuresPerAddress) };
  return counters;
}

/**
 * Signs in with an e-mail and password, guarded: failures are counted per account (the e-mail, whether or not
 * it has an account) and per client address. Past half the allowed failures each wrong answer is held back
 * longer (progressive delay); at the limit that account, or that address, is locked for a while and every
 * attempt is refused with 429 without checking the password. A successful sign-in clears the account's count.
 */
export async function guardedLogin(request: Request, email: string, password: string): Promise<SignInResult> {
  const policy = env().signIn;
  const { account, address } = failureCounters();
  const keys = { account: email.trim().toLowerCase(), address: clientIp(request) };
  const locks = await Promise.all([lockedFor(account, keys.account), lockedFor(address, keys.address)]);
  const lockedMs = Math.max(...locks);
  if (lockedMs > 0) return { outcome: "locked", error: signInLocked(lockedMs) };

  const user = await login(email, password);
  if (user) {
    await account.limiter.delete(keys.account);
    return { outcome: "signedIn", user };
  }

  const [byAccount, byAddress] = await Promise.all([countFailure(account, keys.account), countFailure(address, keys.address)]);
  if (byAccount.lockedMs > 0 || byAddress.lockedMs > 0) return { outcome: "locked", error: signInLocked(Math.max(byAccount.lockedMs, byAddress.lockedMs)) };
  const wait = Math.max(holdBack(byAccount.failures, account, policy), holdBack(byAddress.failures, address, policy));
  if (wait > 0) await delay(wait);
  return { outcome: "wrong" };
}

async function lockedFor(counter: FailureCounter, key: string): Promise<number> {
  const state = await counter.limiter.get(key);
  return state && state.consumedPoints >= counter.lockAt ? Math.max(state.msBeforeNext, 1) : 0;
}

async function countFailure(counter: FailureCounter, key: string): Promise<{ failures: number; lockedMs: number }> {
  try {
    const result = await counter.limiter.consume(key);
    return { failures: result.consumedPoints, lockedMs: 0 };
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    return { failures: error.consumedPoints, lockedMs: Math.max(error.msBeforeNext, 1) };
  }
}

function holdBack(failures: number, counter: FailureCounter, policy: SignInPolicy): number {
  return signInDelayMs(failures, counter.lockAt, policy.firstDelayMs);
}

/** 429 with Retry-After; the same words whether the account or the network address is locked. */
export function signInLocked(ms: number): AppError {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  const wait = seconds >= 120 ? { th: `${Math.ceil(seconds / 60)} นาที`, en: `${Math.ceil(seconds / 60)} minutes` } : { th: `${seconds} วินาที`, en: `${seconds} seconds` };
  return new AppError(
    "RATE_LIMITED",
    {
      th: `ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป ระบบจึงระงับการลงชื่อเข้าใช้ไว้ชั่วคราว กรุณารอ ${wait.th} แล้วลองใหม่`,
      en: `Too many failed sign-ins: signing in is paused for now. Wait ${wait.en} and try again`,
    },
    { retryAfterSeconds: seconds },
  );
}
