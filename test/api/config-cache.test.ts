/**
 * Issue 12: configuration read on every filing and transition (API keys, the current service version, webhook
 * routes, the agency) is kept per web process while the configuration stamp is unchanged. Two built servers
 * share one database; this test process is a third process that changes the configuration through the same
 * model functions an admin's request uses. Each change must show on the servers' very next request.
 */
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAgency, upsertAgency } from "~/models/agency.server";
import { bumpConfigStamp } from "~/models/config-stamp.server";
import { getCurrentService, publishServiceVersion, ServiceModel } from "~/models/service.server";
import { deleteSessionsOfUser } from "~/models/session.server";
import { findUserByEmail, updateUserSecurity } from "~/models/user.server";
import { createApiKey } from "~/services/api-keys/create-api-key.server";
import { revokeApiKey } from "~/services/api-keys/revoke-api-key.server";
import { cloneSlug, DEMO_API_KEY } from "~/services/seed-demo.server";
import { createWebhookEndpoint } from "~/services/webhooks/create-webhook-endpoint.server";
import { deleteWebhookEndpoint } from "~/services/webhooks/change-webhook-endpoint.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { ADMIN } from "../support/admin-api";
import { startApp, type AppProcess, type RunningApp } from "../support/app-server";
import { healthHazardApplication } from "../support/factories";
import { sessionOf, type Auth } from "../support/tus-client";
import { demoActor } from "../support/journeys";
import { startReceiver, type Receiver } from "../support/webhook-receiver";

const SLUG = cloneSlug("sukjai", "health-hazard-licence");

let app: RunningApp;
let another: AppProcess;
let receiver: Receiver;

beforeAll(async () => {
  app = await startApp({ env: { WEBHOOK_ALLOW_PRIVATE: "1" } });
  another = await app.startAnother();
  receiver = await startReceiver();
  await connectDb(app.mongoUri);
}, 180_000);
afterAll(async () => {
  await receiver?.close();
  await disconnectDb();
  await app?.stop();
});

let n = 9100;
async function file(baseUrl: string, key = DEMO_API_KEY): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/services/${SLUG}/applications`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ data: await healthHazardApplication({}, ++n) }),
  });
}

async function filed(baseUrl: string, key = DEMO_API_KEY): Promise<{ id: string; trackingNumber: string }> {
  const res = await file(baseUrl, key);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; trackingNumber: string };
}

async function serviceVersionOf(baseUrl: string): Promise<{ version: number; title: string }> {
  const res = await fetch(`${baseUrl}/api/v1/services/${SLUG}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { version: number; manifest: { title: { en: string } } };
  return { version: body.version, title: body.manifest.title.en };
}

const servers = () => [app.baseUrl, another.baseUrl];

describe("configuration cached per web process", () => {
  it("refuses a key revoked by another process on the next request of every server", async () => {
    const { key, apiKey } = await createApiKey(await demoActor(ADMIN), { name: "ระบบทดสอบ", roles: ["officer"], services: "all", expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) });
    // Both servers have the key in their caches.
    for (const baseUrl of servers()) await filed(baseUrl, key);
    await revokeApiKey(await demoActor(ADMIN), apiKey.id);
    for (const baseUrl of servers()) {
      const res = await file(baseUrl, key);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe("revoked");
    }
  });

  it("serves a key created by another process at once (a miss is not remembered)", async () => {
    const actor = await demoActor(ADMIN);
    const unknown = "bk_live_not-yet-a-key";
    for (const baseUrl of servers()) expect((await file(baseUrl, unknown)).status).toBe(401);
    const { key } = await createApiKey(actor, { name: "ระบบใหม่", roles: ["officer"], services: "all", expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) });
    for (const baseUrl of servers()) await filed(baseUrl, key);
  });

  it("files under a service version published by another process on the next request", async () => {
    const before = await serviceVersionOf(another.baseUrl);
    await filed(another.baseUrl);
    const current = (await getCurrentService(SLUG))!;
    const definition = structuredClone(current.service.definition);
    definition.manifest.title = { th: `${definition.manifest.title.th} (ฉบับใหม่)`, en: "Health hazard licence, new edition" };
    await publishServiceVersion({ slug: SLUG, agencyId: current.summary.agencyId, isTemplate: false, definition });
    for (const baseUrl of servers()) {
      expect(await serviceVersionOf(baseUrl)).toEqual({ version: before.version + 1, title: "Health hazard licence, new edition" });
      const { id } = await filed(baseUrl);
      const stored = await mongoose.connection.collection("cases").findOne({ _id: new mongoose.Types.ObjectId(id) });
      expect(stored?.serviceVersionId).toBe(`${SLUG}@${before.version + 1}`);
    }
  });

  it("keeps its copy until the stamp changes: the stamp, not a re-read, is what makes a change visible", async () => {
    const before = await serviceVersionOf(another.baseUrl);
    // A write that does not bump the stamp (what a forgotten writer would do) is not seen…
    await ServiceModel.updateOne({ _id: SLUG }, { $set: { currentVersion: before.version - 1 } });
    expect((await serviceVersionOf(another.baseUrl)).version).toBe(before.version);
    // …until the stamp says the configuration changed.
    await bumpConfigStamp();
    expect((await serviceVersionOf(another.baseUrl)).version).toBe(before.version - 1);
    await ServiceModel.updateOne({ _id: SLUG }, { $set: { currentVersion: before.version } });
    await bumpConfigStamp();
    expect((await serviceVersionOf(another.baseUrl)).version).toBe(before.version);
  });

  it("sends the next event to a webhook endpoint registered by another process, and none once it is deleted", async () => {
    // Both servers have read the agency's route (none) already.
    for (const baseUrl of servers()) await filed(baseUrl);
    const admin = await demoActor(ADMIN);
    const { endpoint } = await createWebhookEndpoint(admin, { url: receiver.url, events: ["case.filed"] }, new Date(), { allowPrivate: true });
    const { trackingNumber: first } = await filed(another.baseUrl);
    const { trackingNumber: second } = await filed(app.baseUrl);
    await receiver.waitFor(2);
    const numbers = receiver.received.map((r) => (JSON.parse(r.body) as { data: { case: { trackingNumber: string } } }).data.case.trackingNumber);
    expect(numbers.sort()).toEqual([first, second].sort());
    await deleteWebhookEndpoint(admin, endpoint.id);
    // After the delete no delivery is even written for a new filing (the filing queues no webhook effect).
    const { id } = await filed(another.baseUrl);
    const stored = await mongoose.connection.collection("cases").findOne({ _id: new mongoose.Types.ObjectId(id) });
    expect(JSON.stringify(stored?.effects ?? [])).not.toContain("publishEvent");
  });

  it("names the agency as renamed by another process on the next document", async () => {
    for (const baseUrl of servers()) expect((await filed(baseUrl)).trackingNumber).toMatch(/SKJ/);
    const agency = (await getAgency("sukjai"))!;
    await upsertAgency({ ...agency, code: "SKN", name: { th: "เทศบาลนครสุขใจ", en: "Sukjai City Municipality" } });
    try {
      for (const baseUrl of servers()) expect((await filed(baseUrl)).trackingNumber).toMatch(/SKN/);
    } finally {
      await upsertAgency(agency);
    }
  });
});

describe("sessions and their holders cached per web process", () => {
  const caseStatus = async (baseUrl: string, id: string, auth: Auth) => (await fetch(`${baseUrl}/api/v1/applications/${id}`, { headers: auth })).status;

  it("ends sessions deleted by another process (sign-out everywhere) on every server's next request", async () => {
    const email = "officer@sukjai.demo.borikan.local";
    const officer = await sessionOf(app.baseUrl, email);
    const { id } = await filed(app.baseUrl);
    for (const baseUrl of servers()) expect(await caseStatus(baseUrl, id, officer)).toBe(200);
    await deleteSessionsOfUser(String((await findUserByEmail(email))!._id));
    for (const baseUrl of servers()) expect(await caseStatus(baseUrl, id, officer)).toBe(401);
  });

  it("refuses the sessions of an account another process changed (roles, revocation) on every server's next request", async () => {
    const email = "approver@sukjai.demo.borikan.local";
    const approver = await sessionOf(app.baseUrl, email);
    const { id } = await filed(app.baseUrl);
    for (const baseUrl of servers()) expect(await caseStatus(baseUrl, id, approver)).toBe(200);
    const user = (await findUserByEmail(email))!;
    await updateUserSecurity(String(user._id), { sessionsValidFrom: new Date(), roles: user.roles });
    for (const baseUrl of servers()) expect(await caseStatus(baseUrl, id, approver)).toBe(401);
    // A new sign-in works at once (a session unknown to a process is read, never remembered as missing).
    const again = await sessionOf(app.baseUrl, email);
    for (const baseUrl of servers()) expect(await caseStatus(baseUrl, id, again)).toBe(200);
  });
});
