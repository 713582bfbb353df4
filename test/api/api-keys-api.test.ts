import { describe, expect, it } from "vitest";
import mongoose from "mongoose";
import { ApiClientModel, ApiKeyHashModel } from "~/models/api-client.server";
import { bumpConfigStamp } from "~/models/config-stamp.server";
import * as keysRoute from "~/routes/api.v1.admin.api-keys";
import * as revokeRoute from "~/routes/api.v1.admin.api-keys.$id.revoke";
import * as rotateRoute from "~/routes/api.v1.admin.api-keys.$id.rotate";
import * as filingRoute from "~/routes/api.v1.services.$slug.applications";
import { rotateApiKey } from "~/services/api-keys/rotate-api-key.server";
import { cloneSlug, DEMO_API_KEY } from "~/services/seed-demo.server";
import { actorOfUser, requireApiActor } from "~/utils/auth.server";
import { findUserByEmail } from "~/models/user.server";
import { publicOrigin } from "~/utils/web-security.server";
import { ADMIN, cookieOf, readJson as read } from "../support/admin-api";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";

withTestDatabase();

const auditCount = (action: string, id: string) => mongoose.connection.collection("audit_entries").countDocuments({ action, "target.id": id });
const OFFICER = "officer@sukjai.demo.borikan.local";
const OTHER_AGENCY_STAFF = "officer@thungthong.demo.borikan.local";
const HH = cloneSlug("sukjai", "health-hazard-licence");
const PETITION = cloneSlug("sukjai", "general-petition");
const DAY = 24 * 3600_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

function req(path: string, method: string, auth: { cookie?: string; key?: string }, body?: unknown) {
  const headers = new Headers({ Origin: publicOrigin() });
  if (auth.cookie) headers.set("Cookie", auth.cookie);
  if (auth.key) headers.set("Authorization", `Bearer ${auth.key}`);
  if (body !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as never;

const api = {
  list: async (who: string) => keysRoute.loader(args(req("/api/v1/admin/api-keys", "GET", { cookie: await cookieOf(who) }))),
  create: async (who: string, body: unknown) => keysRoute.action(args(req("/api/v1/admin/api-keys", "POST", { cookie: await cookieOf(who) }, body))),
  rotate: async (who: string, id: string, body?: unknown) =>
    rotateRoute.action(args(req(`/api/v1/admin/api-keys/${id}/rotate`, "POST", { cookie: await cookieOf(who) }, body), { id })),
  revoke: async (who: string, id: string) => revokeRoute.action(args(req(`/api/v1/admin/api-keys/${id}/revoke`, "POST", { cookie: await cookieOf(who) }), { id })),
};

async function file(key: string, slug = HH) {
  return filingRoute.action(args(req(`/api/v1/services/${slug}/applications`, "POST", { key }, { data: await healthHazardApplication({}, 3) }), { slug }));
}

type Issued = { apiKey: { id: string; keyPrefix: string; status: string; lastUsedAt: string | null; previousKey: { graceUntil: string } | null }; key: string };

async function issue(body: Record<string, unknown> = {}): Promise<Issued> {
  const res = await api.create(ADMIN, { name: "ระบบสารบรรณจังหวัด", roles: ["officer"], services: "all", expiresAt: inDays(30), ...body });
  expect(res.status).toBe(201);
  return (await res.json()) as Issued;
}

async function fieldErrors(res: Response) {
  expect(res.status).toBe(422);
  const body = await read(res);
  expect(body.error?.code).toBe("FORM_INVALID");
  return (body.error?.details as { fields: { pointer: string; message: { th: string; en: string } }[] }).fields;
}

describe("agency admin issues, lists, rotates and revokes API keys", () => {
  it("creates a key shown once, stored only as its SHA-256 under _id, and audited", async () => {
    const { apiKey, key } = await issue({ services: [HH] });
    expect(key).toMatch(/^bk_/);
    expect(apiKey).toMatchObject({ keyPrefix: key.slice(0, 10), status: "active", services: [HH], roles: ["officer"] });
    const stored = await ApiClientModel.findById(apiKey.id).lean();
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(await ApiKeyHashModel.countDocuments({ clientId: stored!._id })).toBe(1);
    expect(await auditCount("api-key.create", apiKey.id)).toBe(1);
  });

  it("lists the agency's keys with their prefix, roles, services, expiry, last use and status — never a hash or key", async () => {
    const { apiKey, key } = await issue({ name: "ระบบที่ใช้แล้ว" });
    expect((await file(key)).status).toBe(201);
    const res = await api.list(ADMIN);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: (Issued["apiKey"] & { name: string })[]; choices: { roles: string[]; services: string[] } };
    const row = body.keys.find((k) => k.id === apiKey.id)!;
    expect(row).toMatchObject({ name: "ระบบที่ใช้แล้ว", keyPrefix: apiKey.keyPrefix, status: "active" });
    expect(row.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(body)).not.toContain(key);
    expect(JSON.stringify(body)).not.toMatch(/keyHash/);
    expect(body.choices.services).toContain(HH);
    expect(body.choices.roles).toContain("officer");
  });

  it("refuses a revoked key with 401 saying it was revoked, and audits the revocation", async () => {
    const { apiKey, key } = await issue();
    expect((await file(key)).status).toBe(201);
    const revoked = await api.revoke(ADMIN, apiKey.id);
    expect(revoked.status).toBe(200);
    expect((await read(revoked)).apiKey).toMatchObject({ status: "revoked" });
    const after = await file(key);
    expect(after.status).toBe(401);
    const body = await read(after);
    expect(body.error?.details).toMatchObject({ reason: "revoked" });
    expect(body.error?.message.en).toMatch(/revoked/);
    expect(body.error?.message.th).toMatch(/ยกเลิก/);
    expect(await auditCount("api-key.revoke", apiKey.id)).toBe(1);
  });

  it("refuses an expired key with 401 saying it expired", async () => {
    const { apiKey, key } = await issue({ expiresAt: inDays(1) });
    const later = new Date(Date.now() + 3 * DAY);
    const error = await requireApiActor(req("/api/v1/applications", "GET", { key }), later).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UNAUTHENTICATED", details: { reason: "expired" } });
    // And through HTTP, once the record says so.
    await ApiClientModel.updateOne({ _id: apiKey.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    // A writer outside the model's functions must say the configuration changed, as theirs do.
    await bumpConfigStamp();
    const res = await file(key);
    expect(res.status).toBe(401);
    expect((await read(res)).error?.message.en).toMatch(/expired/);
  });

  it("rotates: the new key works at once, the old one until its grace end, then 401", async () => {
    const { apiKey, key: oldKey } = await issue();
    const res = await api.rotate(ADMIN, apiKey.id, { graceHours: 2 });
    expect(res.status).toBe(201);
    const rotated = (await res.json()) as Issued;
    expect(rotated.key).not.toBe(oldKey);
    expect(rotated.apiKey.keyPrefix).toBe(rotated.key.slice(0, 10));
    const graceUntil = new Date(rotated.apiKey.previousKey!.graceUntil);
    expect(graceUntil.getTime() - Date.now()).toBeGreaterThan(1.9 * 3600_000);
    expect((await file(rotated.key)).status).toBe(201);
    expect((await file(oldKey)).status).toBe(201);
    const pastGrace = new Date(graceUntil.getTime() + 1000);
    const error = await requireApiActor(req("/", "GET", { key: oldKey }), pastGrace).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UNAUTHENTICATED", details: { reason: "rotated" } });
    await expect(requireApiActor(req("/", "GET", { key: rotated.key }), pastGrace)).resolves.toMatchObject({ kind: "api", id: apiKey.id });
    expect(await auditCount("api-key.rotate", apiKey.id)).toBe(1);
  });

  it("a rotation with no grace stops the old key at once", async () => {
    const { apiKey, key: oldKey } = await issue();
    const rotated = (await (await api.rotate(ADMIN, apiKey.id, { graceHours: 0 })).json()) as Issued;
    const res = await file(oldKey);
    expect(res.status).toBe(401);
    expect((await read(res)).error?.details).toMatchObject({ reason: "rotated" });
    expect((await file(rotated.key)).status).toBe(201);
  });

  it("rotates with the default grace of 24 hours, at the service level with an injected now", async () => {
    const { apiKey } = await issue();
    const admin = actorOfUser((await findUserByEmail(ADMIN))!);
    const now = new Date();
    const rotated = await rotateApiKey(admin, apiKey.id, {}, now);
    expect(new Date(rotated.apiKey.previousKey!.graceUntil).getTime()).toBe(now.getTime() + 24 * 3600_000);
  });

  it("a key scoped to one service gets 403 filing to another, with a th/en message", async () => {
    const { key } = await issue({ services: [HH] });
    expect((await file(key, HH)).status).toBe(201);
    const res = await filingRoute.action(args(req(`/api/v1/services/${PETITION}/applications`, "POST", { key }, { data: {} }), { slug: PETITION }));
    expect(res.status).toBe(403);
    const body = await read(res);
    expect(body.error?.code).toBe("FORBIDDEN");
    expect(body.error?.message.th).toContain(PETITION);
    expect(body.error?.message.en).toContain(PETITION);
  });

  it("the demo key keeps working through its _id look-up", async () => {
    expect((await file(DEMO_API_KEY)).status).toBe(201);
  });
});

describe("bad input: th/en errors by field, nothing written", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["an empty name", { name: "  " }, "/name"],
    ["an unknown role", { roles: ["officer", "superuser"] }, "/roles"],
    ["an admin right as a role", { roles: ["agencyAdmin"] }, "/roles"],
    ["another agency's service", { services: [cloneSlug("thungthong", "health-hazard-licence")] }, "/services"],
    ["no services", { services: [] }, "/services"],
    ["an expiry in the past", { expiresAt: inDays(-1) }, "/expiresAt"],
    ["an expiry more than 2 years away", { expiresAt: inDays(800) }, "/expiresAt"],
    ["no expiry", { expiresAt: undefined }, "/expiresAt"],
    ["a date that does not exist", { expiresAt: "2027-02-30" }, "/expiresAt"],
  ];
  for (const [what, override, pointer] of cases) {
    it(`refuses ${what}`, async () => {
      const before = await ApiClientModel.countDocuments();
      const body = { name: "ระบบ", roles: ["officer"], services: "all", expiresAt: inDays(30), ...override };
      const fields = await fieldErrors(await api.create(ADMIN, body));
      expect(fields.map((f) => f.pointer)).toContain(pointer);
      const error = fields.find((f) => f.pointer === pointer)!;
      expect(error.message.th.length).toBeGreaterThan(0);
      expect(error.message.en.length).toBeGreaterThan(0);
      expect(await ApiClientModel.countDocuments()).toBe(before);
    });
  }

  it("reports every bad field at once", async () => {
    const fields = await fieldErrors(await api.create(ADMIN, { name: "", roles: ["x"], services: ["nope"], expiresAt: "soon" }));
    expect(fields.map((f) => f.pointer).sort()).toEqual(["/expiresAt", "/name", "/roles", "/services"]);
  });

  it("refuses a grace period over 7 days", async () => {
    const { apiKey, key } = await issue();
    const fields = await fieldErrors(await api.rotate(ADMIN, apiKey.id, { graceHours: 169 }));
    expect(fields[0]!.pointer).toBe("/graceHours");
    expect((await file(key)).status).toBe(201);
  });

  it("refuses to rotate a revoked key (409)", async () => {
    const { apiKey } = await issue();
    await api.revoke(ADMIN, apiKey.id);
    expect((await api.rotate(ADMIN, apiKey.id)).status).toBe(409);
  });
});

describe("tenant isolation", () => {
  it("another agency's admin gets 404 on rotate and revoke of a foreign key, and does not list it", async () => {
    const { apiKey, key } = await issue();
    const other = await createOtherAdmin();
    expect((await api.rotate(other, apiKey.id)).status).toBe(404);
    expect((await api.revoke(other, apiKey.id)).status).toBe(404);
    const list = (await (await api.list(other)).json()) as { keys: { id: string }[] };
    expect(list.keys.map((k) => k.id)).not.toContain(apiKey.id);
    expect((await file(key)).status).toBe(201);
  });

  it("an unknown or malformed id is the same 404", async () => {
    expect((await api.revoke(ADMIN, "65f000000000000000000000")).status).toBe(404);
    expect((await api.revoke(ADMIN, "not-an-id")).status).toBe(404);
  });

  it("staff who are not admins get 403 on every endpoint", async () => {
    const { apiKey } = await issue();
    expect((await api.list(OFFICER)).status).toBe(403);
    expect((await api.create(OFFICER, { name: "x", roles: [], services: "all", expiresAt: inDays(3) })).status).toBe(403);
    expect((await api.rotate(OTHER_AGENCY_STAFF, apiKey.id)).status).toBe(403);
    expect((await api.revoke(OFFICER, apiKey.id)).status).toBe(403);
  });

  it("an API key cannot manage keys (403), and no credentials is 401", async () => {
    const res = await keysRoute.loader(args(req("/api/v1/admin/api-keys", "GET", { key: DEMO_API_KEY })));
    expect(res.status).toBe(403);
    const anon = await keysRoute.loader(args(req("/api/v1/admin/api-keys", "GET", {})));
    expect(anon.status).toBe(401);
  });
});

async function createOtherAdmin(): Promise<string> {
  const { createUser } = await import("~/models/user.server");
  const email = "admin@thungthong.test.borikan.local";
  if (!(await findUserByEmail(email))) await createUser({ email, name: "ผู้ดูแล อบต.ทุ่งทอง", kind: "agencyAdmin", agencyId: "thungthong", roles: [], passwordHash: "unused" });
  return email;
}
