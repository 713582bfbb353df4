import { afterAll, describe, expect, it } from "vitest";
import { getAgency } from "~/models/agency.server";
import { findUserByEmail } from "~/models/user.server";
import * as agenciesRoute from "~/routes/api.v1.admin.agencies";
import * as agencyInviteRoute from "~/routes/api.v1.admin.agencies.$id.invitations";
import * as invitationsRoute from "~/routes/api.v1.admin.invitations";
import * as resendRoute from "~/routes/api.v1.admin.invitations.$id.resend";
import * as revokeRoute from "~/routes/api.v1.admin.invitations.$id.revoke";
import * as staffRoute from "~/routes/api.v1.admin.staff";
import * as deactivateRoute from "~/routes/api.v1.admin.staff.$id.deactivate";
import * as reactivateRoute from "~/routes/api.v1.admin.staff.$id.reactivate";
import * as rolesRoute from "~/routes/api.v1.admin.staff.$id.roles";
import * as staffInviteRoute from "~/routes/api.v1.admin.staff.invitations";
import * as acceptRoute from "~/routes/api.v1.invitations.$token.accept";
import { acceptInvitation } from "~/services/onboarding/accept-invitation.server";
import { publicOrigin } from "~/utils/web-security.server";
import { withTestDatabase } from "../support/db";
import { sessionCookieOf } from "../support/sessions";
import { startTestSmtp } from "../support/smtp";

/** A real SMTP server on loopback, started before env() is first read (it is cached for the file). */
const smtp = await startTestSmtp();
const inbox = smtp.inbox;
process.env.SMTP_URL = smtp.url;

withTestDatabase();

afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
});

const OPDC = "opdc@demo.borikan.local";
const SUKJAI_ADMIN = "admin@sukjai.demo.borikan.local";
const SUKJAI_OFFICER = "officer@sukjai.demo.borikan.local";
const THUNGTHONG_OFFICER = "officer@thungthong.demo.borikan.local";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read by the tests

function request(path: string, method: string, cookie?: string, body?: unknown): Request {
  const headers = new Headers({ Origin: publicOrigin() });
  if (cookie) headers.set("Cookie", cookie);
  if (body !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
const call = async (
  route: { action?: (a: never) => Response | Promise<Response>; loader?: (a: never) => Response | Promise<Response> },
  method: string,
  path: string,
  who: string | null,
  body?: unknown,
  params: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> => {
  const cookie = who ? (who.includes("=") ? who : await sessionCookieOf(who)) : undefined;
  const args = { request: request(path, method, cookie, body), params, context: {} } as never;
  const res = method === "GET" ? await route.loader!(args) : await route.action!(args);
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
};

const newAgency = (code: string) => ({
  code,
  name: { th: `เทศบาลตำบลทดสอบ ${code}`, en: `Test Subdistrict Municipality ${code}` },
  kind: "municipality",
  province: "เชียงใหม่",
  contact: { name: "สมปอง ทดสอบ", email: `contact-${code.toLowerCase()}@example.go.th`, phone: "053 123 456" },
  targetLevel: "initial",
});
const tokenOfLink = (link: string) => link.split("/invitations/")[1]!;
const linkInMail = (to: string) => {
  const mail = inbox.filter((m) => m.rcpt.includes(to)).at(-1)?.mail;
  const match = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(mail?.text ?? "");
  return match?.[0] ?? null;
};
const expectMessage = (body: Json, code: string) => {
  expect(body.error.code).toBe(code);
  expect(body.error.message.th).toMatch(/[\u0E00-\u0E7F]/);
  expect(body.error.message.en).toMatch(/[a-z]/);
};

describe("OPDC adds an agency and invites its admin", () => {
  it("creates an agency, refuses bad input and a taken code, and sends the admin's invitation by real SMTP", async () => {
    const created = await call(agenciesRoute, "POST", "/api/v1/admin/agencies", OPDC, newAgency("CMX01"));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "cmx01", code: "CMX01", province: "เชียงใหม่", admins: 0, contact: { phone: "053123456" } });

    const bad = await call(agenciesRoute, "POST", "/api/v1/admin/agencies", OPDC, { ...newAgency("BAD1"), code: "bad code!", province: "Atlantis", kind: "castle" });
    expect(bad.status).toBe(422);
    expectMessage(bad.body, "FORM_INVALID");
    expect(bad.body.error.details.fields.map((f: Json) => f.pointer).sort()).toEqual(["/code", "/kind", "/province"]);

    const taken = await call(agenciesRoute, "POST", "/api/v1/admin/agencies", OPDC, newAgency("SKJ"));
    expect(taken.status).toBe(409);
    expect(await getAgency("skj")).toBeNull();

    const listed = await call(agenciesRoute, "GET", "/api/v1/admin/agencies", OPDC);
    expect(listed.body.items.map((a: Json) => a.id)).toEqual(expect.arrayContaining(["cmx01", "sukjai", "thungthong"]));

    const invited = await call(agencyInviteRoute, "POST", "/api/v1/admin/agencies/cmx01/invitations", OPDC, { email: "head@cmx01.example.go.th" }, { id: "cmx01" });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ delivered: true, invitation: { state: "pending", kind: "agencyAdmin", email: "head@cmx01.example.go.th" } });
    expect(invited.body.link).toBeUndefined();
    const hours = (Date.parse(invited.body.invitation.expiresAt) - Date.parse(invited.body.invitation.createdAt)) / 3_600_000;
    expect(hours).toBe(72);
    const link = linkInMail("head@cmx01.example.go.th");
    expect(link).not.toBeNull();
    const mail = inbox.at(-1)!.mail;
    expect(mail.subject).toContain("Test Subdistrict Municipality CMX01");

    // The admin accepts: an account of the invited kind and agency, signed in at once.
    const accepted = await call(acceptRoute, "POST", "/x", null, { name: "หัวหน้า ทดสอบ", password: "a long enough password" }, { token: tokenOfLink(link!) });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ kind: "agencyAdmin", agencyId: "cmx01" });
    const cookie = accepted.headers.get("Set-Cookie")!.split(";")[0]!;
    const staff = await call(staffRoute, "GET", "/api/v1/admin/staff", cookie);
    expect(staff.status).toBe(200);
    expect(staff.body.staff).toEqual([expect.objectContaining({ email: "head@cmx01.example.go.th", isAdmin: true, active: true })]);
    // A new agency is offered the roles of OPDC's templates at its level, plus the admin right.
    expect(staff.body.roles).toEqual(expect.arrayContaining(["officer", "agencyAdmin"]));

    // The link works once.
    const again = await call(acceptRoute, "POST", "/x", null, { name: "ใครก็ได้", password: "another long password" }, { token: tokenOfLink(link!) });
    expect(again.status).toBe(409);
    expect(again.body.error.details.reason).toBe("ACCEPTED");
  });

  it("refuses non-OPDC callers with 403 and an unknown agency with 404", async () => {
    for (const who of [SUKJAI_ADMIN, SUKJAI_OFFICER]) {
      const list = await call(agenciesRoute, "GET", "/api/v1/admin/agencies", who);
      expect(list.status).toBe(403);
      expectMessage(list.body, "FORBIDDEN");
      expect((await call(agenciesRoute, "POST", "/api/v1/admin/agencies", who, newAgency("NOPE1"))).status).toBe(403);
      expect((await call(agencyInviteRoute, "POST", "/x", who, { email: "x@example.go.th" }, { id: "sukjai" })).status).toBe(403);
    }
    expect(await getAgency("nope1")).toBeNull();
    expect((await call(agencyInviteRoute, "POST", "/x", OPDC, { email: "x@example.go.th" }, { id: "nowhere" })).status).toBe(404);
    expect((await call(agenciesRoute, "GET", "/api/v1/admin/agencies", null)).status).toBe(401);
  });
});

describe("agency admins manage their staff", () => {
  const invite = (email: string, roles: unknown, who = SUKJAI_ADMIN) =>
    call(staffInviteRoute, "POST", "/api/v1/admin/staff/invitations", who, { email, roles });

  it("invites an officer who accepts; the officer's roles can be changed, and they can be deactivated and reactivated", async () => {
    const invited = await invite("new.officer@sukjai.example.go.th", ["officer"]);
    expect(invited.status).toBe(201);
    expect(invited.body.invitation).toMatchObject({ kind: "staff", roles: ["officer"], state: "pending" });
    const link = linkInMail("new.officer@sukjai.example.go.th");
    const user = await acceptInvitation(tokenOfLink(link!), { name: "เจ้าหน้าที่ ใหม่", password: "officer password 123" });
    const id = String(user._id);

    const changed = await call(rolesRoute, "PUT", "/x", SUKJAI_ADMIN, { roles: ["officer", "approver"] }, { id });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(["officer", "approver"]);

    const officerCookie = await sessionCookieOf("new.officer@sukjai.example.go.th");
    const off = await call(deactivateRoute, "POST", "/x", SUKJAI_ADMIN, undefined, { id });
    expect(off.body.active).toBe(false);
    // Its session ended at once.
    expect((await call(staffRoute, "GET", "/api/v1/admin/staff", officerCookie)).status).toBe(401);
    const on = await call(reactivateRoute, "POST", "/x", SUKJAI_ADMIN, undefined, { id });
    expect(on.body.active).toBe(true);
  });

  it("refuses unknown roles, an address with an account, and non-admins", async () => {
    const unknown = await invite("someone@sukjai.example.go.th", ["superuser"]);
    expect(unknown.status).toBe(422);
    expectMessage(unknown.body, "FORM_INVALID");
    expect(unknown.body.error.details.fields[0].message.en).toContain("superuser");
    const existing = await invite(SUKJAI_OFFICER, ["officer"]);
    expect(existing.status).toBe(409);
    expect(existing.body.error.details.reason).toBe("ACCOUNT_EXISTS");
    const officer = await findUserByEmail(SUKJAI_OFFICER);
    const badRoles = await call(rolesRoute, "PUT", "/x", SUKJAI_ADMIN, { roles: ["officer", "king"] }, { id: String(officer!._id) });
    expect(badRoles.status).toBe(422);
    expect((await findUserByEmail(SUKJAI_OFFICER))!.roles).toEqual(officer!.roles);
    for (const who of [SUKJAI_OFFICER, OPDC]) {
      expect((await call(staffRoute, "GET", "/api/v1/admin/staff", who)).status).toBe(403);
      expect((await invite("x@sukjai.example.go.th", ["officer"], who)).status).toBe(403);
      expect((await call(rolesRoute, "PUT", "/x", who, { roles: ["officer"] }, { id: String(officer!._id) })).status).toBe(403);
    }
  });

  it("refuses leaving the agency without an admin", async () => {
    const admin = await findUserByEmail(SUKJAI_ADMIN);
    const id = String(admin!._id);
    const demote = await call(rolesRoute, "PUT", "/x", SUKJAI_ADMIN, { roles: ["officer"] }, { id });
    expect(demote.status).toBe(409);
    expectMessage(demote.body, "CONFLICT");
    expect(demote.body.error.details.reason).toBe("LAST_ADMIN");
    expect(demote.body.error.message.en).toContain("the agency would have no admin");
    const self = await call(deactivateRoute, "POST", "/x", SUKJAI_ADMIN, undefined, { id });
    expect(self.status).toBe(409);
    const after = await findUserByEmail(SUKJAI_ADMIN);
    expect(after).toMatchObject({ kind: "agencyAdmin", active: true });
  });

  it("answers 404 for another agency's staff and invitations", async () => {
    const foreign = await findUserByEmail(THUNGTHONG_OFFICER);
    const id = String(foreign!._id);
    for (const [route, method, body] of [[rolesRoute, "PUT", { roles: ["officer"] }], [deactivateRoute, "POST", undefined], [reactivateRoute, "POST", undefined]] as const) {
      const res = await call(route, method, "/x", SUKJAI_ADMIN, body, { id });
      expect(res.status).toBe(404);
      expectMessage(res.body, "NOT_FOUND");
    }
    expect((await findUserByEmail(THUNGTHONG_OFFICER))!.active).toBe(true);
    // An invitation OPDC made for another agency.
    const other = await call(agencyInviteRoute, "POST", "/x", OPDC, { email: "second.admin@thungthong.example.go.th" }, { id: "thungthong" });
    const invitationId = other.body.invitation.id as string;
    expect((await call(revokeRoute, "POST", "/x", SUKJAI_ADMIN, undefined, { id: invitationId })).status).toBe(404);
    expect((await call(resendRoute, "POST", "/x", SUKJAI_ADMIN, undefined, { id: invitationId })).status).toBe(404);
    expect((await call(invitationsRoute, "GET", "/api/v1/admin/invitations?agency=thungthong", SUKJAI_ADMIN)).status).toBe(404);
    const mine = await call(invitationsRoute, "GET", "/api/v1/admin/invitations", SUKJAI_ADMIN);
    expect(mine.body.items.map((i: Json) => i.id)).not.toContain(invitationId);
  });
});

describe("invitation links", () => {
  it("revoked, resent, expired and unknown links each get a clear refusal", async () => {
    const first = await call(staffInviteRoute, "POST", "/x", SUKJAI_ADMIN, { email: "revoked@sukjai.example.go.th", roles: ["officer"] });
    const token = tokenOfLink(linkInMail("revoked@sukjai.example.go.th")!);
    const revoked = await call(revokeRoute, "POST", "/x", SUKJAI_ADMIN, undefined, { id: first.body.invitation.id });
    expect(revoked.body.state).toBe("revoked");
    const refused = await call(acceptRoute, "POST", "/x", null, { name: "ก", password: "a long enough password" }, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.reason).toBe("REVOKED");
    expect(await findUserByEmail("revoked@sukjai.example.go.th")).toBeNull();

    const second = await call(staffInviteRoute, "POST", "/x", SUKJAI_ADMIN, { email: "resent@sukjai.example.go.th", roles: ["officer"] });
    const oldToken = tokenOfLink(linkInMail("resent@sukjai.example.go.th")!);
    const resent = await call(resendRoute, "POST", "/x", SUKJAI_ADMIN, undefined, { id: second.body.invitation.id });
    expect(resent.status).toBe(200);
    const newToken = tokenOfLink(linkInMail("resent@sukjai.example.go.th")!);
    expect(newToken).not.toBe(oldToken);
    expect((await call(acceptRoute, "POST", "/x", null, { name: "ข", password: "a long enough password" }, { token: oldToken })).body.error.details.reason).toBe("REVOKED");

    const expiredAt = new Date(Date.now() + 73 * 3_600_000);
    await expect(acceptInvitation(newToken, { name: "ค", password: "a long enough password" }, expiredAt)).rejects.toMatchObject({ code: "CONFLICT", details: { reason: "EXPIRED" } });

    const unknown = await call(acceptRoute, "POST", "/x", null, { name: "ง", password: "a long enough password" }, { token: "A".repeat(43) });
    expect(unknown.status).toBe(404);
    expectMessage(unknown.body, "NOT_FOUND");

    // A short password is refused and the link stays usable.
    const weak = await call(acceptRoute, "POST", "/x", null, { name: "จ", password: "short" }, { token: newToken });
    expect(weak.status).toBe(422);
    expect(weak.body.error.details.fields[0].pointer).toBe("/password");
    expect((await call(acceptRoute, "POST", "/x", null, { name: "จ", password: "a long enough password" }, { token: newToken })).status).toBe(201);
  });

  it("two tabs accepting at once create one account", async () => {
    await call(staffInviteRoute, "POST", "/x", SUKJAI_ADMIN, { email: "twotabs@sukjai.example.go.th", roles: ["officer"] });
    const token = tokenOfLink(linkInMail("twotabs@sukjai.example.go.th")!);
    const results = await Promise.all(
      [1, 2, 3].map((n) => call(acceptRoute, "POST", "/x", null, { name: `แท็บ ${n}`, password: "a long enough password" }, { token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });
});
