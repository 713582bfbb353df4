import { TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import type { Actor } from "~/core/actor";
import { refusalOf } from "~/core/security/second-factor";
import { auditStore } from "~/models/audit-entry.server";
import { createUser, findUserByEmail, getUser, type User } from "~/models/user.server";
import { lastAuditEntry } from "~/services/audit/append-audit-entry.server";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { confirmTotpEnrolment, startTotpEnrolment } from "~/services/second-factor/enrol-totp.server";
import { finishPasskeyEnrolment, startPasskeyEnrolment } from "~/services/second-factor/enrol-passkey.server";
import { getSecondFactorView } from "~/services/second-factor/get-second-factor-view.server";
import { secondFactorStepFor } from "~/services/second-factor/policy.server";
import { regenerateRecoveryCodes } from "~/services/second-factor/recovery-codes.server";
import { removeSecondFactor } from "~/services/second-factor/remove-second-factor.server";
import { resetSecondFactor } from "~/services/second-factor/reset-second-factor.server";
import { setAgencySecondFactorPolicy } from "~/services/second-factor/set-agency-second-factor-policy.server";
import { secondStepChoices, verifySecondFactor } from "~/services/second-factor/verify-second-factor.server";
import { actorOfUser, login } from "~/utils/auth.server";
import { hashPassword, passwordNeedsRehash, verifyNoPassword, verifyPassword } from "~/utils/passwords.server";
import { createSession, resolveSession, sessionCookieName } from "~/utils/session.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { SoftwareAuthenticator } from "../support/software-authenticator";

// This file turns the requirement on (the test environment turns it off for the other tests).
process.env.SECOND_FACTOR_REQUIRED_ROLES = "agencyAdmin,opdcAdmin,approver";
process.env.PUBLIC_URL = "http://localhost:3000";
const SITE = { origin: "http://localhost:3000", rpId: "localhost" };

withTestDatabase();

const T0 = new Date("2026-12-05T03:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

async function user(email: string): Promise<User> {
  const found = await findUserByEmail(email);
  if (!found) throw new Error(`no ${email}`);
  return found;
}

/** A fresh agency staff account, so tests do not share factors. */
let made = 0;
async function newStaff(kind: User["kind"], roles: User["roles"] = [], agencyId = "sukjai"): Promise<User> {
  made += 1;
  return createUser({ email: `sf-${made}-${Date.now()}@sukjai.test`, passwordHash: await hashPassword(DEMO_PASSWORD), name: `ทดสอบ ${made}`, kind, agencyId, roles });
}

const pendingSession = async (u: User) => (await createSession(u, { pendingStep: "secondFactor" })).record._id;

async function enrolTotp(u: User, when = T0): Promise<{ totp: TOTP; recoveryCodes: string[] | null }> {
  const { secret } = await startTotpEnrolment(u, when);
  const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" });
  const { recoveryCodes } = await confirmTotpEnrolment(u, totp.generate({ timestamp: when.getTime() }), when);
  return { totp, recoveryCodes };
}

async function enrolPasskey(u: User, authenticator = new SoftwareAuthenticator(), name = "Laptop") {
  const sessionId = await pendingSession(u);
  const options = await startPasskeyEnrolment(u, sessionId);
  const result = await finishPasskeyEnrolment(u, sessionId, name, authenticator.register(options.challenge, SITE));
  return { authenticator, ...result };
}

async function refusal(fn: () => Promise<unknown>, code: string) {
  return refusalOf(await expectAppError(fn, code));
}

describe("passwords", () => {
  it("hashes with argon2id and still accepts an older scrypt hash", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("wrong", hash)).toBe(false);
    const scrypt = "scrypt$1YefSQJfFR8NJJ/hBfs7HA==$wm4T+iM/tuIQS21kRSXRBovDH0/MsqozhGpqMd11hRE=";
    expect(await verifyPassword("not it", scrypt)).toBe(false);
    expect(passwordNeedsRehash(scrypt)).toBe(true);
    expect(passwordNeedsRehash(hash)).toBe(false);
    expect(await verifyNoPassword("anything")).toBe(false);
  });

  it("rehashes an old scrypt hash to argon2id at a successful sign-in, and not at a failed one", async () => {
    const { scrypt, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const old = await new Promise<string>((resolve, reject) =>
      scrypt("an old password 1", salt, 32, (e, key) => (e ? reject(e) : resolve(`scrypt$${salt.toString("base64")}$${key.toString("base64")}`))),
    );
    const u = await createUser({ email: `old-${Date.now()}@sukjai.test`, passwordHash: old, name: "เก่า", kind: "staff", agencyId: "sukjai", roles: ["officer"] });
    expect(await login(u.email, "wrong")).toBeNull();
    expect((await getUser(String(u._id)))!.passwordHash).toBe(old);
    expect(await login(u.email, "an old password 1")).not.toBeNull();
    const stored = (await getUser(String(u._id)))!.passwordHash;
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await login(u.email, "an old password 1")).not.toBeNull();
  });
});

describe("who must give or enrol a second factor", () => {
  it("sends admins and approvers without a factor to enrolment, lets officers in, and asks anyone enrolled for it", async () => {
    expect(await secondFactorStepFor(await user("admin@sukjai.demo.borikan.local"))).toBe("enrolSecondFactor");
    expect(await secondFactorStepFor(await user("opdc@demo.borikan.local"))).toBe("enrolSecondFactor");
    expect(await secondFactorStepFor(await user("approver@sukjai.demo.borikan.local"))).toBe("enrolSecondFactor");
    expect(await secondFactorStepFor(await user("officer@sukjai.demo.borikan.local"))).toBeNull();
    expect(await secondFactorStepFor(await user("citizen@demo.borikan.local"))).toBeNull();
    const officer = await newStaff("staff", ["officer"]);
    await enrolTotp(officer);
    expect(await secondFactorStepFor(officer)).toBe("secondFactor");
  });

  it("requires it of all the agency's staff when its admin says so, and of no other agency's", async () => {
    const admin = actorOfUser(await user("admin@sukjai.demo.borikan.local"));
    const officer = await user("officer@sukjai.demo.borikan.local");
    const other = await user("officer@thungthong.demo.borikan.local");
    const otherStep = await secondFactorStepFor(other);
    await setAgencySecondFactorPolicy(admin, true);
    expect(await secondFactorStepFor(officer)).toBe("enrolSecondFactor");
    expect(await secondFactorStepFor(other)).toBe(otherStep);
    await setAgencySecondFactorPolicy(admin, false);
    expect(await secondFactorStepFor(officer)).toBeNull();
    await expectAppError(() => setAgencySecondFactorPolicy(actorOfUser(officer), true), "FORBIDDEN");
  });
});

describe("TOTP", () => {
  it("enrols with a code from the app, then signs in with a later code; recovery codes come with the first factor", async () => {
    const u = await newStaff("agencyAdmin");
    const { totp, recoveryCodes } = await enrolTotp(u);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const sessionId = await pendingSession(u);
    await verifySecondFactor(u, sessionId, { method: "totp", code: totp.generate({ timestamp: at(30).getTime() }) }, at(30));
    // A code of the step before or after is accepted too (clock drift).
    await verifySecondFactor(u, sessionId, { method: "totp", code: totp.generate({ timestamp: at(120).getTime() }) }, at(90));
    const view = await getSecondFactorView(u);
    expect(view).toMatchObject({ required: true, totp: { createdAt: T0 }, recoveryCodesLeft: 10, passkeys: [] });
  });

  it("refuses a code reused within its window, in Thai and English, also when two requests race", async () => {
    const u = await newStaff("staff", ["officer"]);
    const { totp } = await enrolTotp(u);
    const sessionId = await pendingSession(u);
    const code = totp.generate({ timestamp: at(60).getTime() });
    await verifySecondFactor(u, sessionId, { method: "totp", code }, at(60));
    const reused = await expectAppError(() => verifySecondFactor(u, sessionId, { method: "totp", code }, at(75)), "UNAUTHENTICATED");
    expect(refusalOf(reused)).toBe("codeReused");
    expect(reused.text.th).toContain("ถูกใช้ไปแล้ว");
    expect(reused.text.en).toContain("already been used");

    const raceCode = totp.generate({ timestamp: at(300).getTime() });
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => verifySecondFactor(u, sessionId, { method: "totp", code: raceCode }, at(300))));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses the enrolment code for sign-in in the same step, a wrong code and a malformed one", async () => {
    const u = await newStaff("staff", ["officer"]);
    const { totp } = await enrolTotp(u);
    const sessionId = await pendingSession(u);
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "totp", code: totp.generate({ timestamp: T0.getTime() }) }, T0), "UNAUTHENTICATED")).toBe("codeReused");
    const wrong = String((Number(totp.generate({ timestamp: at(600).getTime() })) + 1) % 1_000_000).padStart(6, "0");
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "totp", code: wrong }, at(600)), "UNAUTHENTICATED")).toBe("codeWrong");
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "totp", code: "12ab" }, at(600)), "UNAUTHENTICATED")).toBe("codeMalformed");
    // A code far outside the window.
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "totp", code: totp.generate({ timestamp: at(900).getTime() }) }, at(600)), "UNAUTHENTICATED")).toBe("codeWrong");
  });

  it("refuses to confirm an enrolment with a wrong code or none started", async () => {
    const u = await newStaff("staff", ["officer"]);
    expect(await refusal(() => confirmTotpEnrolment(u, "123456", T0), "FORM_INVALID")).toBe("noPendingTotp");
    await startTotpEnrolment(u, T0);
    expect(await refusal(() => confirmTotpEnrolment(u, "000000", at(3600)), "FORM_INVALID")).toMatch(/codeWrong|codeReused/);
    expect((await getSecondFactorView(u)).totp).toBeNull();
  });
});

describe("recovery codes", () => {
  it("signs in once per code; a used, wrong or replaced code is refused", async () => {
    const u = await newStaff("agencyAdmin");
    const { recoveryCodes } = await enrolTotp(u);
    const [first, second] = recoveryCodes!;
    const sessionId = await pendingSession(u);
    await verifySecondFactor(u, sessionId, { method: "recovery", code: first.toLowerCase().replace("-", " ") });
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "recovery", code: first }), "UNAUTHENTICATED")).toBe("recoveryCodeWrong");
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "recovery", code: "AAAAA-AAAAA" }), "UNAUTHENTICATED")).toBe("recoveryCodeWrong");
    expect((await getSecondFactorView(u)).recoveryCodesLeft).toBe(9);

    const fresh = await regenerateRecoveryCodes(u);
    expect(fresh).toHaveLength(10);
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "recovery", code: second }), "UNAUTHENTICATED")).toBe("recoveryCodeWrong");
    await verifySecondFactor(u, sessionId, { method: "recovery", code: fresh[0] });
  });

  it("is not issued to someone without a factor", async () => {
    const u = await newStaff("staff", ["officer"]);
    await expectAppError(() => regenerateRecoveryCodes(u), "FORM_INVALID");
  });
});

describe("passkeys", () => {
  it("registers a named passkey and signs in with it; the counter moves on", async () => {
    const u = await newStaff("agencyAdmin");
    const { authenticator, recoveryCodes } = await enrolPasskey(u, undefined, "โน้ตบุ๊กที่ทำงาน");
    expect(recoveryCodes).toHaveLength(10);
    const sessionId = await pendingSession(u);
    const choices = await secondStepChoices(u, sessionId);
    expect(choices.passkey?.allowCredentials?.map((c) => c.id)).toEqual([authenticator.id]);
    expect(choices.passkey?.rpId).toBe("localhost");
    await verifySecondFactor(u, sessionId, { method: "passkey", response: authenticator.authenticate(choices.passkey!.challenge, SITE) });
    const view = await getSecondFactorView(u);
    expect(view.passkeys).toEqual([expect.objectContaining({ id: authenticator.id, name: "โน้ตบุ๊กที่ทำงาน", lastUsedAt: expect.any(Date) })]);
  });

  it("refuses a replayed challenge, another session's challenge and an expired one", async () => {
    const u = await newStaff("staff", ["officer"]);
    const { authenticator } = await enrolPasskey(u);
    const sessionId = await pendingSession(u);
    const { passkey } = await secondStepChoices(u, sessionId);
    const response = authenticator.authenticate(passkey!.challenge, SITE);
    await verifySecondFactor(u, sessionId, { method: "passkey", response });
    const replay = await expectAppError(() => verifySecondFactor(u, sessionId, { method: "passkey", response }), "UNAUTHENTICATED");
    expect(refusalOf(replay)).toBe("challengeUnknown");
    expect(replay.text.en).toMatch(/already used/);

    const other = await pendingSession(u);
    const theirs = (await secondStepChoices(u, other)).passkey!;
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "passkey", response: authenticator.authenticate(theirs.challenge, SITE) }), "UNAUTHENTICATED")).toBe("challengeUnknown");

    const late = (await secondStepChoices(u, sessionId)).passkey!;
    const sixMinutesOn = new Date(Date.now() + 6 * 60_000);
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "passkey", response: authenticator.authenticate(late.challenge, SITE) }, sixMinutesOn), "UNAUTHENTICATED")).toBe("challengeExpired");
  });

  it("refuses a passkey registered to another account", async () => {
    const mine = await newStaff("staff", ["officer"]);
    const theirs = await newStaff("staff", ["officer"]);
    await enrolPasskey(mine);
    const { authenticator: theirKey } = await enrolPasskey(theirs);
    const sessionId = await pendingSession(mine);
    const { passkey } = await secondStepChoices(mine, sessionId);
    const error = await expectAppError(() => verifySecondFactor(mine, sessionId, { method: "passkey", response: theirKey.authenticate(passkey!.challenge, SITE) }), "UNAUTHENTICATED");
    expect(refusalOf(error)).toBe("passkeyNotRegistered");
    expect(error.text.th).toContain("ไม่ได้ลงทะเบียนไว้กับบัญชีนี้");
  });

  it("refuses an answer made for another origin or another RP ID (a phishing site)", async () => {
    const u = await newStaff("staff", ["officer"]);
    const { authenticator } = await enrolPasskey(u);
    const sessionId = await pendingSession(u);
    for (const site of [
      { origin: "http://localhost:4000", rpId: "localhost" },
      { origin: "http://localhost:3000", rpId: "evil.localhost" },
    ]) {
      const { passkey } = await secondStepChoices(u, sessionId);
      expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "passkey", response: authenticator.authenticate(passkey!.challenge, site) }), "UNAUTHENTICATED")).toBe("passkeyInvalid");
    }
    // At registration too.
    const options = await startPasskeyEnrolment(u, sessionId);
    const phished = new SoftwareAuthenticator().register(options.challenge, { origin: "http://localhost:4000", rpId: "localhost" });
    expect(await refusal(() => finishPasskeyEnrolment(u, sessionId, "Phone", phished), "FORM_INVALID")).toBe("passkeyInvalid");
    expect(await refusal(() => verifySecondFactor(u, sessionId, { method: "passkey", response: { junk: true } }), "UNAUTHENTICATED")).toBe("passkeyInvalid");
  });

  it("refuses an unnamed passkey before anything is stored", async () => {
    const u = await newStaff("staff", ["officer"]);
    const sessionId = await pendingSession(u);
    const options = await startPasskeyEnrolment(u, sessionId);
    expect(await refusal(() => finishPasskeyEnrolment(u, sessionId, "  ", new SoftwareAuthenticator().register(options.challenge, SITE)), "FORM_INVALID")).toBe("nameMissing");
    expect((await getSecondFactorView(u)).passkeys).toEqual([]);
  });
});

describe("removing factors", () => {
  it("keeps the last factor of someone who must have one, and lets others remove theirs", async () => {
    const admin = await newStaff("agencyAdmin");
    const { authenticator } = await enrolPasskey(admin);
    await enrolTotp(admin);
    await removeSecondFactor(admin, "totp");
    expect(await refusal(() => removeSecondFactor(admin, authenticator.id), "FORM_INVALID")).toBe("lastFactor");
    expect((await getSecondFactorView(admin)).passkeys).toHaveLength(1);

    const officer = await newStaff("staff", ["officer"]);
    const { authenticator: key } = await enrolPasskey(officer);
    await removeSecondFactor(officer, key.id);
    expect((await getSecondFactorView(officer)).passkeys).toEqual([]);
  });
});

describe("an admin resets a second factor", () => {
  async function sessionsOf(u: User) {
    const { cookieId } = await createSession(u);
    return new Request("http://localhost:3000/", { headers: { Cookie: `${sessionCookieName()}=${cookieId}` } });
  }

  it("forgets the factors, ends the sessions and records who did it", async () => {
    const admin = actorOfUser(await user("admin@sukjai.demo.borikan.local"));
    const approver = await newStaff("staff", ["approver"]);
    await enrolTotp(approver);
    const browser = await sessionsOf(approver);
    expect((await resolveSession(browser)).session).not.toBeNull();
    const before = (await lastAuditEntry("sukjai"))?.seq ?? 0;

    await resetSecondFactor(admin, String(approver._id), new Date(Date.now() + 1000));

    expect(await getSecondFactorView(approver)).toMatchObject({ passkeys: [], totp: null, recoveryCodesLeft: 0 });
    expect((await resolveSession(browser)).session).toBeNull();
    expect(await secondFactorStepFor(approver)).toBe("enrolSecondFactor");
    const entries = await auditStore().findEntries("sukjai", before + 1, before + 20);
    expect(entries.find((e) => e.action === "second-factor.reset")).toMatchObject({ actor: { id: admin.id }, target: { type: "user", id: String(approver._id) } });
  });

  it("is a 404 across agencies, 403 for non-admins and for oneself; OPDC resets agency admins only", async () => {
    const admin = actorOfUser(await user("admin@sukjai.demo.borikan.local"));
    const officer = actorOfUser(await user("officer@sukjai.demo.borikan.local"));
    const opdc = actorOfUser(await user("opdc@demo.borikan.local"));
    const elsewhere = await newStaff("staff", ["approver"], "thungthong");
    await expectAppError(() => resetSecondFactor(admin, String(elsewhere._id)), "NOT_FOUND");
    await expectAppError(() => resetSecondFactor(admin, "not-an-id"), "NOT_FOUND");
    await expectAppError(() => resetSecondFactor(officer, String(elsewhere._id)), "FORBIDDEN");
    await expectAppError(() => resetSecondFactor(admin, admin.id), "FORBIDDEN");
    await expectAppError(() => resetSecondFactor(opdc, String(elsewhere._id)), "NOT_FOUND");
    const citizen = await user("citizen@demo.borikan.local");
    await expectAppError(() => resetSecondFactor(admin, String(citizen._id)), "NOT_FOUND");

    const agencyAdmin = await newStaff("agencyAdmin", [], "thungthong");
    await enrolTotp(agencyAdmin);
    await resetSecondFactor(opdc, String(agencyAdmin._id));
    expect((await getSecondFactorView(agencyAdmin)).totp).toBeNull();
    const api: Actor = { kind: "api", id: "x", name: "key", agencyId: "sukjai", roles: [] };
    await expectAppError(() => resetSecondFactor(api, String(elsewhere._id)), "FORBIDDEN");
  });
});
