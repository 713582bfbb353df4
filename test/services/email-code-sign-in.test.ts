import { afterAll, describe, expect, it } from "vitest";
import { SIGN_IN_CODE } from "~/core/security/sign-in-code";
import { replaceSignInCode } from "~/models/sign-in-code.server";
import { findUserByEmail } from "~/models/user.server";
import { requestSignInCode } from "~/services/citizen-sign-in/request-sign-in-code.server";
import { codeHash, emailKey } from "~/services/citizen-sign-in/sign-in-code-keys.server";
import { signInWithCode } from "~/services/citizen-sign-in/sign-in-with-code.server";
import { login } from "~/utils/auth.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { codeIn, startTestSmtp } from "../support/smtp";

// Started before anything reads env(), which is cached for the file.
const smtp = await startTestSmtp();
process.env.SMTP_URL = smtp.url;

withTestDatabase();

afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
});

let n = 0;
/** Each test speaks from its own address and for its own e-mail, so the rate limits of one do not reach another. */
const fresh = () => {
  n++;
  return { email: `visitor${n}-${Math.random().toString(36).slice(2, 6)}@example.org`, address: `203.0.113.${n}` };
};

/** Asks for a code and reads it from the message the SMTP server received. */
async function codeFor(who: { email: string; address: string }, now = new Date()): Promise<string> {
  const before = smtp.mailsTo(who.email).length;
  await requestSignInCode(who, now);
  return codeIn(await smtp.nextMailTo(who.email, before));
}

const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("e-mail sign-in codes", () => {
  it("sends a 6-digit code that signs in once, creating a citizen account without a password on first use", async () => {
    const who = fresh();
    const code = await codeFor(who);
    expect(smtp.mailsTo(who.email).at(-1)!.mail.subject).toContain("Borikan");
    expect(await findUserByEmail(who.email)).toBeNull();

    const user = await signInWithCode({ ...who, code });
    expect(user).toMatchObject({ email: who.email, kind: "citizen", roles: [] });
    // No password opens it.
    expect(await login(who.email, "")).toBeNull();

    // The next sign-in finds the same account.
    const again = await signInWithCode({ ...who, code: await codeFor(who) });
    expect(String(again._id)).toBe(String(user._id));
  });

  it("accepts the code typed with spaces or a dash", async () => {
    const who = fresh();
    const code = await codeFor(who);
    await signInWithCode({ ...who, code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
  });

  it("refuses a wrong code and says how many tries are left, in Thai and English", async () => {
    const who = fresh();
    const code = await codeFor(who);
    const error = await expectAppError(() => signInWithCode({ ...who, code: otherThan(code) }), "UNAUTHENTICATED");
    expect(error.details).toEqual({ reason: "wrong", triesLeft: SIGN_IN_CODE.maxWrongTries - 1 });
    expect(error.text.th).toContain("รหัสไม่ถูกต้อง");
    expect(error.text.en).toContain("4 tries left");
    // The right code still works afterwards.
    await signInWithCode({ ...who, code });
  });

  it("refuses a code after 10 minutes", async () => {
    const who = fresh();
    const issuedAt = new Date();
    const code = await codeFor(who, issuedAt);
    const justInTime = new Date(issuedAt.getTime() + SIGN_IN_CODE.ttlMs - 1_000);
    const tooLate = new Date(issuedAt.getTime() + SIGN_IN_CODE.ttlMs);
    const error = await expectAppError(() => signInWithCode({ ...who, code }, tooLate), "UNAUTHENTICATED");
    expect(error.details).toMatchObject({ reason: "expired" });
    expect(error.text.en).toContain("expired");
    await signInWithCode({ ...who, code }, justInTime);
  });

  it("refuses a code used before, also when both uses come at once", async () => {
    const who = fresh();
    const code = await codeFor(who);
    const both = await Promise.allSettled([signInWithCode({ ...who, code }), signInWithCode({ ...who, code })]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const error = await expectAppError(() => signInWithCode({ ...who, code }), "UNAUTHENTICATED");
    expect(error.details).toMatchObject({ reason: "used" });
    expect(error.text.th).toContain("ถูกใช้ไปแล้ว");
  });

  it("voids a code at its fifth wrong entry: the sixth try is refused even with the right code", async () => {
    const who = fresh();
    const code = await codeFor(who);
    for (let i = 1; i < SIGN_IN_CODE.maxWrongTries; i++) {
      const error = await expectAppError(() => signInWithCode({ ...who, code: otherThan(code) }), "UNAUTHENTICATED");
      expect(error.details).toEqual({ reason: "wrong", triesLeft: SIGN_IN_CODE.maxWrongTries - i });
    }
    const fifth = await expectAppError(() => signInWithCode({ ...who, code: otherThan(code) }), "UNAUTHENTICATED");
    expect(fifth.details).toMatchObject({ reason: "void" });
    const sixth = await expectAppError(() => signInWithCode({ ...who, code }), "UNAUTHENTICATED");
    expect(sixth.details).toMatchObject({ reason: "void" });
    expect(sixth.text.en).toContain("void");
    // A new code works.
    await signInWithCode({ ...who, code: await codeFor(who) });
  });

  it("counts wrong entries made at the same moment one by one", async () => {
    const who = fresh();
    const code = await codeFor(who);
    const results = await Promise.allSettled(Array.from({ length: SIGN_IN_CODE.maxWrongTries + 2 }, () => signInWithCode({ ...who, code: otherThan(code) })));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    const error = await expectAppError(() => signInWithCode({ ...who, code }), "UNAUTHENTICATED");
    expect(error.details).toMatchObject({ reason: "void" });
  });

  it("a new code voids the one sent before", async () => {
    const who = fresh();
    const first = await codeFor(who);
    const second = await codeFor(who);
    if (first !== second) {
      const error = await expectAppError(() => signInWithCode({ ...who, code: first }), "UNAUTHENTICATED");
      expect(error.details).toMatchObject({ reason: "wrong" });
    }
    await signInWithCode({ ...who, code: second });
  });

  it("refuses a code for an address that was sent none", async () => {
    const who = fresh();
    const error = await expectAppError(() => signInWithCode({ ...who, code: "123456" }), "UNAUTHENTICATED");
    expect(error.details).toMatchObject({ reason: "none" });
  });

  it("refuses malformed input by field, before looking anything up", async () => {
    const who = fresh();
    const error = await expectAppError(() => signInWithCode({ email: "not-an-address", code: "12ab", address: who.address }), "FORM_INVALID");
    const fields = (error.details as { fields: { pointer: string }[] }).fields.map((f) => f.pointer);
    expect(fields).toEqual(["/email", "/code"]);
    await expectAppError(() => requestSignInCode({ email: "two@@example.org", address: who.address }), "FORM_INVALID");
  });

  it("limits codes per e-mail address: the sixth in an hour is refused with a wait", async () => {
    const who = fresh();
    for (let i = 0; i < 5; i++) await requestSignInCode({ email: who.email, address: `198.18.${n}.${i}` });
    const error = await expectAppError(() => requestSignInCode({ email: who.email, address: "198.18.250.1" }), "RATE_LIMITED");
    // Windows are fixed and staggered per key: the wait is what is left of this address's hour.
    const wait = (error.details as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(error.text.th).toContain("กรุณารอ");
  });

  it("answers an unknown address exactly as a known one", async () => {
    const known = { ...fresh(), email: "citizen@demo.borikan.local" };
    const unknown = fresh();
    const a = await requestSignInCode(known);
    const b = await requestSignInCode(unknown);
    expect({ ...a, email: "" }).toEqual({ ...b, email: "" });
  });

  it("does not send staff a code: their mailbox is told to use password and second factor, and a code would be refused", async () => {
    const staff = { ...fresh(), email: "officer@sukjai.demo.borikan.local" };
    const citizenLike = fresh();
    const before = smtp.mailsTo(staff.email).length;
    // The requester sees the same answer as for anyone.
    const answer = await requestSignInCode(staff);
    expect({ ...answer, email: "" }).toEqual({ ...(await requestSignInCode(citizenLike)), email: "" });
    const notice = await smtp.nextMailTo(staff.email, before);
    expect(notice.mail.text).not.toMatch(/\b\d{6}\b/);
    expect(notice.mail.text).toContain("staff accounts cannot sign in with e-mail codes");
    // Entering codes behaves as for anyone (a code is stored, wrong entries count)…
    const wrong = await expectAppError(() => signInWithCode({ ...staff, code: "000000" }), "UNAUTHENTICATED");
    expect(wrong.details).toMatchObject({ reason: expect.stringMatching(/wrong|void/) });
    // …and even the right code does not open a staff account.
    const issueId = "test-staff-issue";
    await replaceSignInCode({ _id: emailKey(staff.email), issueId, codeHash: codeHash(issueId, "424242"), expiresAt: new Date(Date.now() + 60_000), createdAt: new Date() });
    const refused = await expectAppError(() => signInWithCode({ ...staff, code: "424242" }), "FORBIDDEN");
    expect(refused.text.en).toContain("password and second factor");
  });

  it("stores neither the address nor the code in the clear", async () => {
    const who = fresh();
    const code = await codeFor(who);
    const mongoose = (await import("mongoose")).default;
    const raw = JSON.stringify(await mongoose.connection.db!.collection("signincodes").find({}).toArray());
    expect(raw).not.toContain(who.email);
    expect(raw).not.toContain(code);
  });
});
