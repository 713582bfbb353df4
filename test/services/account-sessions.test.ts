import { describe, expect, it } from "vitest";
import type { Actor } from "~/core/actor";
import type { StaffRole } from "~/core/workflow/types";
import { countSessionsOfUser } from "~/models/session.server";
import { createUser, findUserByEmail, getUser, type User, type UserKind } from "~/models/user.server";
import { changePassword } from "~/services/accounts/change-password.server";
import { cleanupEndedSessions } from "~/services/accounts/cleanup-ended-sessions.server";
import { changeRoles } from "~/services/accounts/change-roles.server";
import { deactivateUser } from "~/services/accounts/deactivate-user.server";
import { reactivateUser } from "~/services/accounts/reactivate-user.server";
import { signOutEverywhere } from "~/services/accounts/sign-out-everywhere.server";
import { actorOfUser, login } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { hashPassword } from "~/utils/passwords.server";
import { createSession, resolveSession, sessionCookieName } from "~/utils/session.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";

withTestDatabase();

const PASSWORD = "correct-horse-battery";
let n = 0;

async function account(kind: UserKind = "staff", agencyId: string | undefined = "sukjai", roles: StaffRole[] = ["officer"]): Promise<User> {
  return createUser({ email: `person${++n}@sessions.test`, passwordHash: await hashPassword(PASSWORD), name: `คนที่ ${n}`, kind, agencyId, roles });
}

/** A browser signed in as `user`: the Request it would send. */
async function browserOf(user: User, now = new Date()): Promise<Request> {
  const { cookieId } = await createSession(user, {}, now);
  return new Request("http://localhost/inbox", { headers: { Cookie: `${sessionCookieName()}=${cookieId}` } });
}

async function whoIs(browser: Request, now = new Date()): Promise<string | null> {
  const { session } = await resolveSession(browser, now);
  return session ? String(session.user._id) : null;
}

async function admin(): Promise<Actor> {
  const found = await findUserByEmail("admin@sukjai.demo.borikan.local");
  return actorOfUser(found!);
}

describe("a session's limits", () => {
  const MIN = 60_000;
  it("ends a staff session left idle for STAFF_SESSION_IDLE_MINUTES, and deletes it", async () => {
    const user = await account();
    const start = new Date();
    const browser = await browserOf(user, start);
    const idle = env().sessions.staff.idleMs;
    expect(await whoIs(browser, new Date(start.getTime() + idle - MIN))).toBe(String(user._id));
    expect(await countSessionsOfUser(String(user._id))).toBe(1);
    // Used at idle − 1 min (and written, as that is more than a minute after the last write): still alive a while on.
    expect(await whoIs(browser, new Date(start.getTime() + 2 * idle - 2 * MIN))).toBe(String(user._id));
    expect(await whoIs(browser, new Date(start.getTime() + 3 * idle))).toBeNull();
    expect(await countSessionsOfUser(String(user._id))).toBe(0);
  });

  it("ends a staff session at STAFF_SESSION_MAX_HOURS however busy it is", async () => {
    const user = await account();
    const start = new Date();
    const browser = await browserOf(user, start);
    const { maxMs, idleMs } = env().sessions.staff;
    for (let t = idleMs / 2; t < maxMs; t += idleMs / 2) expect(await whoIs(browser, new Date(start.getTime() + t))).toBe(String(user._id));
    expect(await whoIs(browser, new Date(start.getTime() + maxMs))).toBeNull();
  });

  it("gives citizens their own idle limit", async () => {
    const citizen = await account("citizen", undefined, []);
    const start = new Date();
    const browser = await browserOf(citizen, start);
    const { citizen: limits, staff } = env().sessions;
    expect(limits.idleMs).toBeGreaterThan(staff.idleMs);
    expect(await whoIs(browser, new Date(start.getTime() + staff.idleMs + MIN))).toBe(String(citizen._id));
    expect(await whoIs(browser, new Date(start.getTime() + staff.idleMs + MIN + limits.idleMs))).toBeNull();
  });

  it("does not accept a cookie value that is not a stored session", async () => {
    const forged = new Request("http://localhost/", { headers: { Cookie: `${sessionCookieName()}=${"A".repeat(43)}` } });
    expect(await resolveSession(forged)).toEqual({ session: null, presentedButRefused: true });
  });
});

describe("signOutEverywhere", () => {
  it("ends the user's sessions in every browser, and nobody else's", async () => {
    const user = await account();
    const other = await account();
    const [laptop, phone, othersBrowser] = [await browserOf(user), await browserOf(user), await browserOf(other)];
    expect(await whoIs(laptop)).toBe(String(user._id));
    await signOutEverywhere(String(user._id));
    expect(await whoIs(laptop)).toBeNull();
    expect(await whoIs(phone)).toBeNull();
    expect(await whoIs(othersBrowser)).toBe(String(other._id));
    expect(await whoIs(await browserOf(user))).toBe(String(user._id));
  });

  it("refuses a session that started before sessionsValidFrom even if its record survived", async () => {
    const user = await account();
    const started = new Date(Date.now() - 5_000);
    const browser = await browserOf(user, started);
    // A session recorded after the delete ran (a sign-in racing the sign-out) but dated before it.
    await signOutEverywhere(String(user._id));
    const late = await browserOf(user, started);
    expect(await whoIs(browser)).toBeNull();
    expect(await whoIs(late)).toBeNull();
  });
});

describe("changePassword", () => {
  it("refuses a wrong current password and a short new one, per field, in Thai and English", async () => {
    const user = await account();
    const error = await expectAppError(() => changePassword(String(user._id), "wrong", "short"), "FORM_INVALID");
    const fields = (error.details as { fields: { pointer: string; message: { th: string; en: string } }[] }).fields;
    expect(fields.map((f) => f.pointer)).toEqual(["/currentPassword", "/newPassword"]);
    expect(fields[1]!.message.th).toContain("12");
    expect(fields[1]!.message.en).toContain("12");
    // Eleven Thai characters (with marks) are still too short: characters are counted, not bytes.
    await expectAppError(() => changePassword(String(user._id), PASSWORD, "รหัสผ่านใหม่ๆ".slice(0, 11)), "FORM_INVALID");
    expect(await login(user.email, PASSWORD)).not.toBeNull();
  });

  it("changes the password and ends every session", async () => {
    const user = await account();
    const browser = await browserOf(user);
    await changePassword(String(user._id), PASSWORD, "a much longer passphrase");
    expect(await whoIs(browser)).toBeNull();
    expect(await login(user.email, PASSWORD)).toBeNull();
    expect(await login(user.email, "a much longer passphrase")).not.toBeNull();
  });
});

describe("changeRoles, deactivateUser and reactivateUser (agency admins only)", () => {
  it("an agency admin changes an officer's roles, ending the officer's sessions", async () => {
    const officer = await account();
    const browser = await browserOf(officer);
    await changeRoles(await admin(), String(officer._id), ["approver", "approver"]);
    expect((await getUser(String(officer._id)))?.roles).toEqual(["approver"]);
    expect(await whoIs(browser)).toBeNull();
  });

  it("refuses an unknown role", async () => {
    const officer = await account();
    const error = await expectAppError(async () => changeRoles(await admin(), String(officer._id), ["superuser"]), "FORM_INVALID");
    expect(JSON.stringify(error.details)).toContain("/roles");
    expect((await getUser(String(officer._id)))?.roles).toEqual(["officer"]);
  });

  it("refuses anyone but an admin of the same agency, and leaves the sessions alone", async () => {
    const officer = await account();
    const browser = await browserOf(officer);
    const colleague = actorOfUser(await account());
    const otherAdmin = actorOfUser(await account("agencyAdmin", "thungthong", []));
    const opdc = actorOfUser((await findUserByEmail("opdc@demo.borikan.local"))!);
    for (const who of [colleague, opdc]) {
      await expectAppError(() => changeRoles(who, String(officer._id), ["approver"]), "FORBIDDEN");
      await expectAppError(() => deactivateUser(who, String(officer._id)), "FORBIDDEN");
    }
    // Another agency's admin cannot even tell the account exists.
    await expectAppError(() => changeRoles(otherAdmin, String(officer._id), ["approver"]), "NOT_FOUND");
    await expectAppError(() => deactivateUser(otherAdmin, String(officer._id)), "NOT_FOUND");
    await expectAppError(() => reactivateUser(otherAdmin, String(officer._id)), "NOT_FOUND");
    // Citizens are not staff accounts an agency manages.
    const citizen = await account("citizen", undefined, []);
    await expectAppError(async () => deactivateUser(await admin(), String(citizen._id)), "NOT_FOUND");
    expect(await whoIs(browser)).toBe(String(officer._id));
  });

  it("deactivation ends the sessions and stops sign-in; reactivation lets a new sign-in in, not the old sessions", async () => {
    const officer = await account();
    const browser = await browserOf(officer);
    await deactivateUser(await admin(), String(officer._id));
    expect(await whoIs(browser)).toBeNull();
    expect(await login(officer.email, PASSWORD)).toBeNull();
    // Even a session created afterwards (by something that skipped login) is refused while inactive.
    expect(await whoIs(await browserOf(officer))).toBeNull();
    await reactivateUser(await admin(), String(officer._id));
    expect(await whoIs(browser)).toBeNull();
    expect(await login(officer.email, PASSWORD)).not.toBeNull();
    expect(await whoIs(await browserOf(officer))).toBe(String(officer._id));
  });

  it("an admin cannot deactivate their own account", async () => {
    const me = await admin();
    await expectAppError(() => deactivateUser(me, me.id), "FORBIDDEN");
    expect((await getUser(me.id))?.active).toBe(true);
  });
});

describe("cleanupEndedSessions", () => {
  it("removes records past their absolute end or idle too long, and keeps live ones", async () => {
    const user = await account();
    const citizen = await account("citizen", undefined, []);
    const now = new Date();
    const { staff, citizen: citizenLimits } = env().sessions;
    const live = await browserOf(user, now);
    await browserOf(user, new Date(now.getTime() - staff.idleMs - 1));
    await browserOf(user, new Date(now.getTime() - staff.maxMs - 1));
    // Idle longer than staff may be, shorter than citizens may be: a citizen's session stays.
    const citizenLive = await browserOf(citizen, new Date(now.getTime() - staff.idleMs - 1));
    expect(citizenLimits.idleMs).toBeGreaterThan(staff.idleMs + 1);
    expect(await cleanupEndedSessions(now)).toBeGreaterThanOrEqual(2);
    expect(await countSessionsOfUser(String(user._id))).toBe(1);
    expect(await whoIs(live, now)).toBe(String(user._id));
    expect(await whoIs(citizenLive, now)).toBe(String(citizen._id));
  });
});
