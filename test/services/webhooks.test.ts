import { spawn } from "node:child_process";
import { Webhook } from "standardwebhooks";
import mongoose from "mongoose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/core/actor";
import { RETRY_DELAYS_MS } from "~/core/webhooks/webhook-rules";
import { getCase } from "~/models/case.server";
import { claimedAt } from "~/models/claim.server";
import { getDelivery, getDue, listDeliveries } from "~/models/webhook.server";
import { caseDocuments } from "~/services/case-documents.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { sweepPendingEffects } from "~/services/effects/run-effects.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { changeStatus } from "~/services/permit-lifecycle.server";
import { submitApplication } from "~/services/submit-application.server";
import { deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled } from "~/services/webhooks/change-webhook-endpoint.server";
import { createWebhookEndpoint } from "~/services/webhooks/create-webhook-endpoint.server";
import { deliverDueWebhooks, settleWebhookKicks } from "~/services/webhooks/deliver-webhooks.server";
import { listWebhooks } from "~/services/webhooks/list-webhooks.server";
import { publishCaseReferred, publishEvent, publishEventEffect } from "~/services/webhooks/publish-event.server";
import { resendWebhookDelivery } from "~/services/webhooks/resend-webhook-delivery.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { healthHazardApplication } from "../support/factories";
import { HEALTH_HAZARD_SLUG, approver, caseAwaitingFee, citizen, demoActor, officer } from "../support/journeys";
import { startReceiver, type Receiver } from "../support/webhook-receiver";

withTestDatabase();

const admin = () => demoActor("admin@sukjai.demo.borikan.local");
/** An admin of another agency (the demo has none: Suk Jai's admin as if of Thung Thong). */
const otherAdmin = async (): Promise<Actor> => ({ ...(await admin()), agencyId: "thungthong" }) as Actor;

let receivers: Receiver[] = [];
async function receiver(script: number[] = [200]): Promise<Receiver> {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}
beforeAll(() => {
  receivers = [];
});
// Each test sweeps at its own instants: what an earlier test left due is not its business.
beforeEach(async () => {
  await settleWebhookKicks();
  await mongoose.connection.collection("webhook_due").deleteMany({});
});
afterAll(async () => {
  await settleWebhookKicks();
  await Promise.all(receivers.map((r) => r.close()));
});

/** Registers an endpoint of Suk Jai for `events`; returns its id and secret. */
async function register(url: string, events: string[]) {
  const issued = await createWebhookEndpoint(await admin(), { url, description: "test", events });
  return { id: issued.endpoint.id, secret: issued.secret };
}

const bodyOf = (r: Receiver, i: number) => JSON.parse(r.received[i]!.body) as { type: string; timestamp: string; data: Record<string, unknown> };

describe("registering an endpoint", () => {
  it("shows the secret once as whsec_…, keeps it out of every view, and refuses plain http elsewhere, credentials and unknown events", async () => {
    const issued = await createWebhookEndpoint(await admin(), { url: "https://example.go.th/hooks", description: "สารบรรณ", events: ["case.filed"] });
    expect(issued.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(JSON.stringify(await listWebhooks(await admin()))).not.toContain(issued.secret.slice(6, 20));

    const refused = async (body: object, pointer: string) => {
      const error = await expectAppError(async () => createWebhookEndpoint(await admin(), body), "FORM_INVALID");
      expect((error.details as { fields: { pointer: string }[] }).fields.map((f) => f.pointer)).toContain(pointer);
      return (error.details as { fields: { pointer: string; message: { th: string } }[] }).fields.find((f) => f.pointer === pointer)!.message.th;
    };
    expect(await refused({ url: "http://example.go.th/hooks", events: ["case.filed"] }, "/url")).toContain("https://");
    await refused({ url: "https://user:pw@example.go.th/hooks", events: ["case.filed"] }, "/url");
    await refused({ url: "ftp://example.go.th/", events: ["case.filed"] }, "/url");
    await refused({ url: "https://example.go.th/hooks", events: ["case.deleted"] }, "/events");
    await refused({ url: "https://example.go.th/hooks", events: [] }, "/events");
    // another agency's admin sees none of it, and cannot touch it
    expect((await listWebhooks(await otherAdmin())).endpoints).toEqual([]);
    await expectAppError(async () => deleteWebhookEndpoint(await otherAdmin(), issued.endpoint.id), "NOT_FOUND");
    await expectAppError(async () => createWebhookEndpoint(await officer(), { url: "https://example.go.th/x", events: ["case.filed"] }), "FORBIDDEN");
    await deleteWebhookEndpoint(await admin(), issued.endpoint.id);
  });

  it("in production refuses an https address that resolves to a private or link-local network", async () => {
    const inProduction = { allowPrivate: false };
    for (const url of ["https://10.1.2.3/h", "https://169.254.169.254/latest", "https://localhost/h", "https://[::1]/h", "https://192.168.0.10/h"]) {
      const error = await expectAppError(async () => createWebhookEndpoint(await admin(), { url, events: ["case.filed"] }, new Date(), inProduction), "FORM_INVALID");
      expect(JSON.stringify(error.details)).toContain("/url");
    }
  });
});

describe("deliveries of case events", () => {
  it("signs a filing and a transition so the independent Standard Webhooks verifier accepts them", async () => {
    const r = await receiver([200]);
    const { id, secret } = await register(r.url, ["case.filed", "case.transitioned"]);
    const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 901), "web");
    await settleCaseEffects(filed.id);
    await settleWebhookKicks();
    expect(r.received).toHaveLength(1);
    const filedEvent = new Webhook(secret).verify(r.received[0]!.body, r.headersOf(0)) as { type: string; data: { case: { trackingNumber: string } } };
    expect(filedEvent.type).toBe("case.filed");
    expect(filedEvent.data.case.trackingNumber).toBe(filed.trackingNumber);
    expect(r.received[0]!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    await fireCaseEvent(await officer(), filed.id, { type: "ACCEPT" });
    await settleCaseEffects(filed.id);
    await settleWebhookKicks();
    expect(r.received).toHaveLength(2);
    const moved = new Webhook(secret).verify(r.received[1]!.body, r.headersOf(1)) as { type: string; data: { transition: { event: string; from: string } } };
    expect(moved).toMatchObject({ type: "case.transitioned", data: { transition: { event: "ACCEPT", from: filed.state } } });
    // a tampered body or another secret is refused by the verifier
    expect(() => new Webhook(secret).verify(r.received[1]!.body.replace("ACCEPT", "REJECT"), r.headersOf(1))).toThrow();
    const other = await createWebhookEndpoint(await admin(), { url: "https://example.go.th/x", events: ["permit.issued"] });
    expect(() => new Webhook(other.secret).verify(r.received[1]!.body, r.headersOf(1))).toThrow();
    // shown delivered, with the receiver's code
    const view = (await listWebhooks(await admin())).endpoints.find((e) => e.id === id)!;
    expect(view.deliveries.map((d) => [d.event, d.status, d.lastStatusCode])).toEqual([
      ["case.transitioned", "delivered", 200],
      ["case.filed", "delivered", 200],
    ]);
    await deleteWebhookEndpoint(await admin(), id);
    await deleteWebhookEndpoint(await admin(), other.endpoint.id);
  });

  it("fans out one delivery per subscribed endpoint, exactly once however often the effect runs", async () => {
    const [a, b, c] = [await receiver(), await receiver(), await receiver()];
    const ea = await register(a.url, ["case.transitioned"]);
    const eb = await register(b.url, ["case.transitioned", "case.filed"]);
    const ec = await register(c.url, ["permit.issued"]); // not subscribed
    const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 902), "web");
    await fireCaseEvent(await officer(), filed.id, { type: "ACCEPT" });
    await settleCaseEffects(filed.id);
    await settleWebhookKicks();
    const record = (await getCase(filed.id))!;
    const publish = record.effects.filter((e) => e.type === "publishEvent");
    expect(publish).toHaveLength(2); // the filing's and the transition's
    // the runner again (a re-run after a crash): nothing new is written or sent
    for (let i = 0; i < 3; i++) await publishEventEffect({ record, effect: publish[1]! });
    await deliverDueWebhooks({ staleAfterMs: 0 });
    await settleWebhookKicks();
    expect(a.received.map((x) => bodyOf(a, a.received.indexOf(x)).type)).toEqual(["case.transitioned"]);
    expect(b.received.map((_, i) => bodyOf(b, i).type)).toEqual(["case.filed", "case.transitioned"]);
    expect(c.received).toHaveLength(0);
    expect(await listDeliveries(ea.id)).toHaveLength(1);
    expect(await listDeliveries(eb.id)).toHaveLength(2);
    for (const e of [ea, eb, ec]) await deleteWebhookEndpoint(await admin(), e.id);
  });
});

describe("the outbox", () => {
  it("a filing whose process never ran its effects is published by the worker's effect sweep", async () => {
    const r = await receiver();
    const { id: endpointId } = await register(r.url, ["case.filed"]);
    // as a web process that wrote the case and died before its runner started
    process.env.BORIKAN_HOLD_EFFECTS = "1";
    let filedId = "";
    try {
      filedId = (await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 907), "web")).id;
    } finally {
      delete process.env.BORIKAN_HOLD_EFFECTS;
    }
    await settleWebhookKicks();
    expect(r.received).toHaveLength(0);
    expect(await listDeliveries(endpointId)).toHaveLength(0);

    expect(await sweepPendingEffects()).toBeGreaterThan(0);
    await settleWebhookKicks();
    expect(r.received).toHaveLength(1);
    expect(bodyOf(r, 0)).toMatchObject({ type: "case.filed", data: { case: { id: filedId } } });
    await deleteWebhookEndpoint(await admin(), endpointId);
  });
});

describe("retries", () => {
  it("backs off 10 s, 1 min, 5 min, 30 min, 2 h, 6 h at chosen instants, parks as failed, and a resend delivers with the same webhook-id", async () => {
    const r = await receiver([500]);
    const { id: endpointId, secret } = await register(r.url, ["case.filed"]);
    const t0 = new Date("2026-03-02T02:00:00.000Z");
    const [id] = await publishEvent({ agencyId: "sukjai", event: "case.filed", sourceKey: "backoff-test", data: { n: 1 }, at: t0, kick: false });
    expect((await getDue(id!))!.dueAt).toEqual(t0);

    let at = t0;
    expect(await deliverDueWebhooks({ now: new Date(t0.getTime() - 1) })).toMatchObject({ attempted: 0 });
    expect(await deliverDueWebhooks({ now: at })).toMatchObject({ attempted: 1, retrying: 1 });
    for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
      // one millisecond early: nothing is sent
      expect(await deliverDueWebhooks({ now: new Date(at.getTime() + delay - 1) })).toMatchObject({ attempted: 0 });
      at = new Date(at.getTime() + delay);
      expect((await getDelivery(id!))!.nextAttemptAt).toEqual(at);
      const last = i === RETRY_DELAYS_MS.length - 1;
      expect(await deliverDueWebhooks({ now: at })).toMatchObject(last ? { attempted: 1, failed: 1 } : { attempted: 1, retrying: 1 });
    }
    const parked = (await getDelivery(id!))!;
    expect(parked.status).toBe("failed");
    expect(parked.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 500, 500, 500]);
    expect(parked.attempts[0]!.excerpt).toBe("receiver says 500");
    expect(await getDue(id!)).toBeNull();
    expect(await deliverDueWebhooks({ now: new Date(at.getTime() + 86_400_000) })).toMatchObject({ attempted: 0 });
    expect(r.received).toHaveLength(7);

    // resent by the admin: the receiver now accepts
    r.answer(200);
    const resent = await resendWebhookDelivery(await admin(), id!);
    expect(resent.status).toBe("delivered");
    expect(resent.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 500, 500, 500, 200]);
    expect(new Set(r.received.map((x) => x.headers["webhook-id"]))).toEqual(new Set([id]));
    expect(new Webhook(secret).verify(r.received[7]!.body, r.headersOf(7))).toMatchObject({ type: "case.filed", data: { n: 1 } });
    await expectAppError(async () => resendWebhookDelivery(await admin(), id!), "CONFLICT");
    await expectAppError(async () => resendWebhookDelivery(await otherAdmin(), id!), "NOT_FOUND");
    await deleteWebhookEndpoint(await admin(), endpointId);
  });

  it("counts a timeout and a refused connection as failed attempts, with their errors", async () => {
    const closed = await receiver();
    const url = closed.url;
    await closed.close();
    receivers = receivers.filter((x) => x !== closed);
    const { id: endpointId } = await register(url, ["case.filed"]);
    const at = new Date("2026-03-03T02:00:00.000Z");
    const [id] = await publishEvent({ agencyId: "sukjai", event: "case.filed", sourceKey: "refused-test", data: {}, at, kick: false });
    expect(await deliverDueWebhooks({ now: at })).toMatchObject({ attempted: 1, retrying: 1 });
    expect((await getDelivery(id!))!.attempts[0]!.error).toMatch(/ECONNREFUSED/);
    await deleteWebhookEndpoint(await admin(), endpointId);
    // the endpoint is gone: its pending delivery is parked at its next attempt, not sent anywhere
    expect(await deliverDueWebhooks({ now: new Date(at.getTime() + 10_000) })).toMatchObject({ attempted: 1, failed: 1 });
    expect((await getDelivery(id!))!.attempts[1]!.error).toBe("endpoint deleted");
  });
});

describe("a worker killed mid-delivery", () => {
  it("leaves the delivery due under its lease; once the lease is stale the next sweep sends it again with the same webhook-id", async () => {
    const r = await receiver([200]);
    const { id: endpointId, secret } = await register(r.url, ["case.filed"]);
    const [id] = await publishEvent({ agencyId: "sukjai", event: "case.filed", sourceKey: "crash-test", data: { crash: true }, at: new Date(), kick: false });

    const child = spawn(process.execPath, ["--import", "tsx", "test/support/children/deliver-webhooks.ts"], { env: { ...process.env, BORIKAN_CRASH_AT: "webhook:sent" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const status = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(stderr).toContain("crash injected at webhook:sent");
    expect(status).toBe(137);

    // the receiver has it; the platform recorded nothing and still holds it due, under the dead sender's lease
    expect(r.received).toHaveLength(1);
    expect((await getDelivery(id!))!).toMatchObject({ status: "pending", attempts: [] });
    expect(await getDue(id!)).not.toBeNull();
    expect(await claimedAt(`webhook:${id}`)).not.toBeNull();
    // a sweep while the lease is fresh leaves it alone (the sender might still be alive)
    expect(await deliverDueWebhooks()).toMatchObject({ attempted: 0 });
    expect(r.received).toHaveLength(1);
    // stale (60 s in production; at once here): sent again, same id, then done
    expect(await deliverDueWebhooks({ staleAfterMs: 0 })).toMatchObject({ attempted: 1, delivered: 1 });
    expect(r.received).toHaveLength(2);
    expect(r.received[1]!.headers["webhook-id"]).toBe(r.received[0]!.headers["webhook-id"]);
    expect(new Webhook(secret).verify(r.received[1]!.body, r.headersOf(1))).toMatchObject({ data: { crash: true } });
    expect(await getDue(id!)).toBeNull();
    expect(await deliverDueWebhooks({ staleAfterMs: 0 })).toMatchObject({ attempted: 0 });
    await deleteWebhookEndpoint(await admin(), endpointId);
  });
});

describe("permits, referrals and endpoint changes", () => {
  it("sends permit.issued once where the permit is written and permit.status_changed on a suspension", async () => {
    const r = await receiver();
    const { id: endpointId, secret } = await register(r.url, ["permit.issued", "permit.status_changed"]);
    const caseId = await caseAwaitingFee(903);
    await fireCaseEvent(await officer(), caseId, { type: "FEE_PAID" });
    await settleCaseEffects(caseId);
    await settleWebhookKicks();
    const permit = (await caseDocuments((await getCase(caseId))!)).issued.find((d) => d.kind === "permit") as { number: string };
    expect(r.received).toHaveLength(1);
    expect(new Webhook(secret).verify(r.received[0]!.body, r.headersOf(0))).toMatchObject({ type: "permit.issued", data: { permit: { number: permit.number, status: "valid", caseId } } });

    await changeStatus(await approver(), permit.number, { to: "suspended", reason: "ปิดปรับปรุงสถานที่" });
    await settleWebhookKicks();
    expect(r.received).toHaveLength(2);
    expect(bodyOf(r, 1)).toMatchObject({ type: "permit.status_changed", data: { permit: { number: permit.number, status: "suspended" }, change: { from: "valid", to: "suspended" } } });
    await deleteWebhookEndpoint(await admin(), endpointId);
  });

  it("publishCaseReferred sends case.referred once per referral", async () => {
    const r = await receiver();
    const { id: endpointId } = await register(r.url, ["case.referred"]);
    const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 904), "web");
    const record = (await getCase(filed.id))!;
    const referral = { id: "ref-1", at: new Date(), reason: "ไม่ใช่อำนาจของเทศบาล" };
    const target = { agencyId: "thungthong", name: "อบต.ทุ่งทอง", onPlatform: true };
    expect(await publishCaseReferred(record, target, referral)).toHaveLength(1);
    expect(await publishCaseReferred(record, target, referral)).toHaveLength(1);
    await settleWebhookKicks();
    expect(r.received).toHaveLength(1);
    expect(bodyOf(r, 0)).toMatchObject({ type: "case.referred", data: { case: { id: filed.id }, referredTo: target } });
    await deleteWebhookEndpoint(await admin(), endpointId);
  });

  it("a disabled endpoint gets nothing new; a rotated secret signs beside the old one for a day", async () => {
    const r = await receiver();
    const { id: endpointId, secret: oldSecret } = await register(r.url, ["case.filed"]);
    await setWebhookEndpointEnabled(await admin(), endpointId, false);
    await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 905), "web");
    await settleWebhookKicks();
    expect(await listDeliveries(endpointId)).toHaveLength(0);

    await setWebhookEndpointEnabled(await admin(), endpointId, true);
    const { secret: newSecret } = await rotateWebhookSecret(await admin(), endpointId);
    expect(newSecret).not.toBe(oldSecret);
    const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 906), "web");
    await settleCaseEffects(filed.id);
    await settleWebhookKicks();
    expect(r.received).toHaveLength(1);
    expect(String(r.received[0]!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(new Webhook(newSecret).verify(r.received[0]!.body, r.headersOf(0))).toMatchObject({ type: "case.filed" });
    expect(new Webhook(oldSecret).verify(r.received[0]!.body, r.headersOf(0))).toMatchObject({ type: "case.filed" });
    await deleteWebhookEndpoint(await admin(), endpointId);
  });
});
