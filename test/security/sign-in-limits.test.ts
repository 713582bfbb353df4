import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";

let app: RunningApp;
const LOCK_AT_ACCOUNT = 4;
const LOCK_AT_ADDRESS = 8;
const FIRST_DELAY_MS = 400;

beforeAll(async () => {
  app = await startApp({
    env: {
      // One proxy hop is trusted, so each test can speak from its own address through X-Forwarded-For.
      TRUST_PROXY: "1",
      SIGN_IN_FAILURES_PER_ACCOUNT: String(LOCK_AT_ACCOUNT),
      SIGN_IN_FAILURES_PER_ADDRESS: String(LOCK_AT_ADDRESS),
      SIGN_IN_DELAY_MS: String(FIRST_DELAY_MS),
      // Counting windows are fixed: a day-long one makes a window ending in the middle of a test unlikely.
      SIGN_IN_WINDOW_MINUTES: "1440",
    },
  });
});
afterAll(async () => {
  await app?.stop();
});

let addresses = 0;
const freshAddress = () => `198.51.100.${++addresses}`;
let unknowns = 0;
const unknownEmail = () => `nobody-${++unknowns}-${Math.random().toString(36).slice(2, 8)}@example.test`;
const [citizen, officer, approver, admin] = DEMO_USERS.map((u) => u.email);

type Attempt = { status: number; retryAfter: string | null; body: string; ms: number };

/** Posts the login form as a browser without JavaScript does (or as Remix's fetch does, with `?_data`). */
async function signIn(email: string, password: string, from: string, options: { data?: boolean; lang?: "th" | "en" } = {}): Promise<Attempt> {
  const started = performance.now();
  const query = new URLSearchParams({ ...(options.data ? { _data: "routes/login" } : {}), ...(options.lang ? { lang: options.lang } : {}) });
  const response = await fetch(`${app.baseUrl}/login?${query}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: app.baseUrl,
      "X-Forwarded-For": from,
    },
    body: new URLSearchParams({ email, password, next: "" }),
  });
  const body = await response.text();
  return { status: response.status, retryAfter: response.headers.get("Retry-After"), body, ms: performance.now() - started };
}

const signedIn = (a: Attempt) => a.status === 302 || a.status === 204 || (a.status >= 300 && a.status < 400);
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

describe("sign-in protection, against the built server", () => {
  it("locks an account after its limit of failures: 429, Retry-After and the message in Thai and English, even for the right password", async () => {
    const from = freshAddress();
    for (let i = 1; i < LOCK_AT_ACCOUNT; i++) expect((await signIn(officer, "wrong", from)).status).toBe(401);
    const locking = await signIn(officer, "wrong", from);
    expect(locking.status).toBe(429);
    expect(Number(locking.retryAfter)).toBeGreaterThan(60);
    expect(Number(locking.retryAfter)).toBeLessThanOrEqual(15 * 60);
    expect(locking.body).toContain("ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป");

    const rightPassword = await signIn(officer, DEMO_PASSWORD, freshAddress(), { lang: "en" });
    expect(rightPassword.status).toBe(429);
    expect(rightPassword.retryAfter).toMatch(/^\d+$/);
    expect(rightPassword.body).toContain("Too many failed sign-ins");

    const viaFetch = await signIn(officer, DEMO_PASSWORD, freshAddress(), { data: true });
    expect(viaFetch.status).toBe(429);
    expect(viaFetch.retryAfter).toMatch(/^\d+$/);
    const json = JSON.parse(viaFetch.body) as { message: { th: string; en: string } };
    expect(json.message.th).toContain("กรุณารอ");
    expect(json.message.en).toContain("Wait");

    // Another account from the same address is not locked.
    expect(signedIn(await signIn(approver, DEMO_PASSWORD, from))).toBe(true);
  });

  it("holds back the answer once half the allowed failures are used", async () => {
    const from = freshAddress();
    const early = await signIn(admin, "wrong-1", from);
    expect(early.status).toBe(401);
    await signIn(admin, "wrong-2", from);
    const late = await signIn(admin, "wrong-3", from);
    expect(late.status).toBe(401);
    expect(late.ms).toBeGreaterThanOrEqual(FIRST_DELAY_MS);
    expect(signedIn(await signIn(admin, DEMO_PASSWORD, from))).toBe(true);
  });

  it("counts failures per address too, across accounts, unknown e-mails included", async () => {
    const from = freshAddress();
    for (let i = 1; i < LOCK_AT_ADDRESS; i++) expect((await signIn(unknownEmail(), "guess", from)).status).toBe(401);
    const locking = await signIn(unknownEmail(), "guess", from);
    expect(locking.status).toBe(429);
    expect(Number(locking.retryAfter)).toBeGreaterThan(0);
    expect((await signIn(citizen, DEMO_PASSWORD, from)).status).toBe(429);
    expect(signedIn(await signIn(citizen, DEMO_PASSWORD, freshAddress()))).toBe(true);
  });

  it("clears the account's failures when the right password is given", async () => {
    const from = () => freshAddress();
    for (let i = 1; i < LOCK_AT_ACCOUNT; i++) expect((await signIn(citizen, "wrong", from())).status).toBe(401);
    expect(signedIn(await signIn(citizen, DEMO_PASSWORD, from()))).toBe(true);
    // Without the reset the next failure would be the one that locks.
    for (let i = 1; i < LOCK_AT_ACCOUNT; i++) expect((await signIn(citizen, "wrong", from())).status).toBe(401);
    expect(signedIn(await signIn(citizen, DEMO_PASSWORD, from()))).toBe(true);
  });

  it("takes as long for an e-mail without an account as for a wrong password", async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    // Warm both paths first (module loading, connection pool).
    await signIn(unknownEmail(), "warm-up", freshAddress());
    for (let i = 0; i < 20; i++) {
      known.push((await signIn(approver, `wrong-${i}`, freshAddress())).ms);
      unknown.push((await signIn(unknownEmail(), `wrong-${i}`, freshAddress())).ms);
      // The approver's one failure is cleared, so no delay or lock ever applies to it here.
      expect(signedIn(await signIn(approver, DEMO_PASSWORD, freshAddress()))).toBe(true);
    }
    const ratio = median(known) / median(unknown);
    expect(ratio, `median known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(ratio, `median known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeLessThan(2);
  });
});
