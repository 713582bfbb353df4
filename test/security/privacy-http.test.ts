import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRIVACY_NOTICE_VERSION } from "~/core/privacy-notice";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { hashPassword } from "~/utils/passwords.server";
import { startApp, type RunningApp } from "../support/app-server";
import { healthHazardApplication } from "../support/factories";
import { HEALTH_HAZARD_SLUG } from "../support/journeys";
import { unzip } from "../support/zip";

describe("PDPA pages and the personal-data download on the built server", () => {
  let app: RunningApp;
  let db: mongoose.Connection;

  beforeAll(async () => {
    app = await startApp();
    db = await mongoose.createConnection(app.mongoUri).asPromise();
    await db.collection("users").insertOne({ email: "second@example.co.th", passwordHash: await hashPassword(DEMO_PASSWORD), name: "ประชาชนคนที่สอง", kind: "citizen", roles: [], createdAt: new Date() });
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  /** Signs in through the login form; the cookie comes back. POSTs with the cookie carry the site's Origin. */
  async function signIn(email: string): Promise<string> {
    const res = await fetch(`${app.baseUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.baseUrl },
      body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(302);
    return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  }

  it("shows the versioned privacy notice in Thai and English, linked from the footer of every page", async () => {
    const th = await (await fetch(`${app.baseUrl}/privacy`)).text();
    expect(th).toContain("ประกาศความเป็นส่วนตัว");
    expect(th).toContain(PRIVACY_NOTICE_VERSION);
    const en = await (await fetch(`${app.baseUrl}/privacy?lang=en`)).text();
    expect(en).toContain("Privacy notice");
    expect(await (await fetch(`${app.baseUrl}/`)).text()).toContain('href="/privacy"');
  });

  it("links the notice and its version beside the application form", async () => {
    const cookie = await signIn("citizen@demo.borikan.local");
    const page = await (await fetch(`${app.baseUrl}/services/${HEALTH_HAZARD_SLUG}/apply`, { headers: { Cookie: cookie } })).text();
    expect(page).toMatch(/data-testid="privacy-link"[^>]*href="\/privacy"|href="\/privacy"[^>]*data-testid="privacy-link"/);
    expect(page).toContain(PRIVACY_NOTICE_VERSION);
  });

  it("gives each citizen a zip of their own data only", async () => {
    const first = await signIn("citizen@demo.borikan.local");
    const filed = await fetch(`${app.baseUrl}/api/v1/services/${HEALTH_HAZARD_SLUG}/applications`, {
      method: "POST",
      headers: { Cookie: first, Origin: app.baseUrl, "Content-Type": "application/json" },
      body: JSON.stringify({ data: await healthHazardApplication({}, 9001) }),
    });
    expect(filed.status).toBe(201);
    const { trackingNumber } = (await filed.json()) as { trackingNumber: string };

    const mine = await fetch(`${app.baseUrl}/my/personal-data.zip`, { headers: { Cookie: first } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("Content-Type")).toBe("application/zip");
    const entries = await unzip(Buffer.from(await mine.arrayBuffer()));
    const json = JSON.parse(entries.get("personal-data.json")!.toString("utf8")) as { cases: { trackingNumber: string }[] };
    expect(json.cases.map((c) => c.trackingNumber)).toContain(trackingNumber);
    expect([...entries.keys()].some((name) => name.startsWith(`attachments/${trackingNumber}/`))).toBe(true);

    const second = await signIn("second@example.co.th");
    const theirs = await unzip(Buffer.from(await (await fetch(`${app.baseUrl}/my/personal-data.zip`, { headers: { Cookie: second } })).arrayBuffer()));
    expect([...theirs.keys()]).toEqual(["personal-data.json"]);
    expect(JSON.parse(theirs.get("personal-data.json")!.toString("utf8"))).toMatchObject({ account: { email: "second@example.co.th" }, cases: [], drafts: [], uploads: [] });

    const anonymous = await fetch(`${app.baseUrl}/my/personal-data.zip`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
  });
});
