import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { afterAttempt, checkEndpointInput, isPrivateAddress, problemOfUrl, RETRY_DELAYS_MS } from "~/core/webhooks/webhook-rules";
import { newWebhookSecret, webhookHeaders } from "~/services/webhooks/sign-webhook.server";

describe("endpoint addresses", () => {
  it("takes https anywhere and http only on loopback; refuses credentials and other schemes", () => {
    expect(problemOfUrl("https://example.go.th/hooks")).toBeNull();
    for (const ok of ["http://127.0.0.1:8080/h", "http://localhost/h", "http://[::1]:9/h"]) expect(problemOfUrl(ok)).toBeNull();
    for (const bad of ["http://example.go.th/h", "http://10.0.0.1/h", "ftp://example.go.th/", "https://u:p@example.go.th/", "https://u@example.go.th/", "not a url", ""]) {
      expect(problemOfUrl(bad), bad).not.toBeNull();
    }
    expect(problemOfUrl("http://example.go.th/h")!.th).toContain("https://");
  });

  it("knows private, loopback, link-local and mapped addresses", () => {
    for (const ip of ["10.0.0.1", "127.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fc00::1", "fd12::3", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1"]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ["8.8.8.8", "172.32.0.1", "203.150.1.1", "2001:db8::1", "::ffff:8.8.8.8"]) expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it("checks a new endpoint's events and normalises its address", () => {
    expect(checkEndpointInput({ url: " https://Example.go.th/h ", events: ["case.filed", "case.filed"] })).toEqual({ ok: true, value: { url: "https://example.go.th/h", description: "", events: ["case.filed"] } });
    const bad = checkEndpointInput({ url: "https://example.go.th/h", events: ["case.filed", "nope"] });
    expect(bad.ok).toBe(false);
    expect(checkEndpointInput({ url: "https://example.go.th/h", events: "permit.issued" }).ok).toBe(true);
  });
});

describe("the retry schedule", () => {
  const t = new Date("2026-01-01T00:00:00Z");
  it("waits 10 s, 1 min, 5 min, 30 min, 2 h, 6 h after the 1st…6th failure and parks after the 7th", () => {
    expect(RETRY_DELAYS_MS).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000]);
    for (let n = 1; n <= 6; n++) expect(afterAttempt({ statusCode: 503 }, n, t)).toEqual({ status: "pending", nextAttemptAt: new Date(t.getTime() + RETRY_DELAYS_MS[n - 1]!) });
    expect(afterAttempt({ error: "ECONNREFUSED" }, 7, t)).toEqual({ status: "failed", nextAttemptAt: null });
  });
  it("takes any 2xx as delivered and a redirect as a failure", () => {
    expect(afterAttempt({ statusCode: 204 }, 3, t).status).toBe("delivered");
    expect(afterAttempt({ statusCode: 301 }, 1, t).status).toBe("pending");
  });
});

describe("signatures", () => {
  it("are accepted by the independent Standard Webhooks verifier, with one or two secrets", () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({ type: "case.filed", timestamp: new Date().toISOString(), data: { ก: "ไทย" } });
    const headers = webhookHeaders([a, b], "msg_abc", new Date(), body);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(a).verify(body, headers)).toMatchObject({ type: "case.filed" });
    expect(new Webhook(b).verify(body, headers)).toMatchObject({ data: { ก: "ไทย" } });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});
