import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as endpointRoute from "~/routes/api.v1.admin.webhooks.$id";
import * as deliveriesRoute from "~/routes/api.v1.admin.webhooks.$id.deliveries";
import * as resendRoute from "~/routes/api.v1.admin.webhooks.deliveries.$id.resend";
import * as webhooksRoute from "~/routes/api.v1.admin.webhooks";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { settleWebhookKicks } from "~/services/webhooks/deliver-webhooks.server";
import { sendTestWebhook } from "~/services/webhooks/send-test-webhook.server";
import { publicOrigin } from "~/utils/web-security.server";
import { ADMIN, cookieOf, readJson as read } from "../support/admin-api";
import { withTestDatabase } from "../support/db";
import { demoActor } from "../support/journeys";
import { startReceiver, type Receiver } from "../support/webhook-receiver";

withTestDatabase();

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver([503, 200]);
});
afterAll(async () => {
  await settleWebhookKicks();
  await receiver.close();
});

function req(path: string, method: string, auth: { cookie?: string; key?: string }, body?: unknown) {
  const headers = new Headers({ Origin: publicOrigin() });
  if (auth.cookie) headers.set("Cookie", auth.cookie);
  if (auth.key) headers.set("Authorization", `Bearer ${auth.key}`);
  if (body !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as never;
const auditCount = (action: string) => mongoose.connection.collection("audit_entries").countDocuments({ action });

describe("/api/v1/admin/webhooks", () => {
  it("registers, lists (no secret), shows deliveries with the receiver's codes, resends and deletes; refuses API keys and bad input", async () => {
    const cookie = await cookieOf(ADMIN);
    const created = await webhooksRoute.action(args(req("/api/v1/admin/webhooks", "POST", { cookie }, { url: receiver.url, description: "records", events: ["case.filed", "permit.issued"] })));
    expect(created.status).toBe(201);
    const { endpoint, secret } = (await read(created)) as unknown as { endpoint: { id: string; events: string[] }; secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint.events).toEqual(["case.filed", "permit.issued"]);
    expect(await auditCount("webhook.create")).toBe(1);

    const invalid = await webhooksRoute.action(args(req("/api/v1/admin/webhooks", "POST", { cookie }, { url: "http://example.go.th/", events: [] })));
    expect(invalid.status).toBe(422);
    expect(((await read(invalid)).error!.details as { fields: { pointer: string }[] }).fields.map((f) => f.pointer)).toEqual(["/url", "/events"]);
    // an agency's API key is a system, never its admin
    expect((await webhooksRoute.loader(args(req("/api/v1/admin/webhooks", "GET", { key: DEMO_API_KEY })))).status).toBe(403);

    const listed = await read(await webhooksRoute.loader(args(req("/api/v1/admin/webhooks", "GET", { cookie }))));
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));
    expect((listed.endpoints as unknown[]).length).toBe(1);

    const sent = await sendTestWebhook(await demoActor(ADMIN), endpoint.id);
    expect(sent.outcome).toBe("retrying");
    const deliveries = await read(await deliveriesRoute.loader(args(req(`/api/v1/admin/webhooks/${endpoint.id}/deliveries`, "GET", { cookie }), { id: endpoint.id })));
    expect(deliveries.deliveries).toMatchObject([{ id: sent.delivery.id, event: "webhook.test", status: "pending", lastStatusCode: 503 }]);

    const resent = await resendRoute.action(args(req(`/api/v1/admin/webhooks/deliveries/${sent.delivery.id}/resend`, "POST", { cookie }), { id: sent.delivery.id }));
    expect(resent.status).toBe(200);
    expect((await read(resent)).delivery).toMatchObject({ status: "delivered", lastStatusCode: 200 });
    const again = await resendRoute.action(args(req(`/api/v1/admin/webhooks/deliveries/${sent.delivery.id}/resend`, "POST", { cookie }), { id: sent.delivery.id }));
    expect(again.status).toBe(409);
    expect(receiver.received.map((r) => r.headers["webhook-id"])).toEqual([sent.delivery.id, sent.delivery.id]);

    expect((await endpointRoute.action(args(req(`/api/v1/admin/webhooks/${endpoint.id}`, "DELETE", { cookie }), { id: endpoint.id }))).status).toBe(200);
    expect((await endpointRoute.action(args(req(`/api/v1/admin/webhooks/${endpoint.id}`, "DELETE", { cookie }), { id: endpoint.id }))).status).toBe(404);
    expect(await auditCount("webhook.delete")).toBe(1);
  });
});
