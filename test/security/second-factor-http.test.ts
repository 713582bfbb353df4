import { TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";

let app: RunningApp;
const ADMIN = "admin@sukjai.demo.borikan.local";
const OFFICER = "officer@sukjai.demo.borikan.local";

beforeAll(async () => {
  app = await startApp({ env: { SECOND_FACTOR_REQUIRED_ROLES: "agencyAdmin,opdcAdmin,approver" } });
});
afterAll(async () => {
  await app?.stop();
});

/** A browser without JavaScript's cookie jar of one session cookie. */
class Browser {
  cookie = "";
  private take(response: Response) {
    const set = response.headers.get("Set-Cookie");
    const match = set ? /^([^=]+=[^;]*)/.exec(set) : null;
    if (match) this.cookie = match[1].endsWith("=") ? "" : match[1];
  }
  async get(path: string): Promise<Response> {
    const response = await fetch(`${app.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: this.cookie, Connection: "close" } });
    this.take(response);
    return response;
  }
  async formToken(): Promise<string> {
    return ((await (await this.get("/?_data=root")).json()) as { formToken: string }).formToken;
  }
  async post(path: string, fields: Record<string, string>): Promise<Response> {
    const token = this.cookie ? await this.formToken() : "";
    const response = await fetch(`${app.baseUrl}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: this.cookie, Origin: app.baseUrl, "Content-Type": "application/x-www-form-urlencoded", Connection: "close" },
      body: new URLSearchParams({ ...fields, ...(token ? { _csrf: token } : {}) }),
    });
    this.take(response);
    return response;
  }
  signIn(email: string) {
    return this.post("/login?_data=routes/login", { email, password: DEMO_PASSWORD, next: "/inbox" });
  }
}

const redirectOf = (r: Response) => r.headers.get("X-Remix-Redirect") ?? r.headers.get("Location");
const ENROL = "/account/second-factor?_data=routes/account_.second-factor";
const STEP = "/login/second-factor?next=%2Finbox&_data=routes/login_.second-factor";

describe("staff sign-in with a second factor, against the built server", () => {
  let totp: TOTP;
  let recoveryCodes: string[];
  // The code that confirmed the enrolment, sent again later: a new 30-second step may have begun meanwhile.
  let enrolmentCode: string;

  it("sends an admin without a factor to enrolment; nothing else works until one is added", async () => {
    const browser = new Browser();
    expect(redirectOf(await browser.signIn(ADMIN))).toBe("/account/second-factor?next=%2Finbox");
    expect(redirectOf(await browser.get("/inbox"))).toBe("/account/second-factor?next=%2Finbox");
    expect(redirectOf(await browser.get("/account"))).toMatch(/^\/account\/second-factor\?next=/);
    expect((await browser.get("/api/v1/applications/000000000000000000000000")).status).toBe(401);
    expect((await browser.post(ENROL, { intent: "regenerateCodes" })).status).toBe(403);

    const started = (await (await browser.post(ENROL, { intent: "totpStart" })).json()) as { totp: { secret: string; uri: string; qrDataUrl: string } };
    expect(started.totp.uri).toMatch(/^otpauth:\/\/totp\/Borikan:/);
    expect(started.totp.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    totp = new TOTP({ secret: started.totp.secret, digits: 6, period: 30, algorithm: "SHA1" });

    const wrong = await browser.post(ENROL, { intent: "totpConfirm", code: "12" });
    expect(wrong.status).toBe(422);
    expect(JSON.stringify(await wrong.json())).toContain("6 digits");

    const before = browser.cookie;
    const confirmed = await browser.post(`${ENROL.replace("?", "?next=%2Finbox&")}`, { intent: "totpConfirm", code: (enrolmentCode = totp.generate()) });
    expect(confirmed.status).toBe(200);
    const body = (await confirmed.json()) as { recoveryCodes: string[]; next: string };
    expect(body.recoveryCodes).toHaveLength(10);
    expect(body.next).toBe("/inbox");
    recoveryCodes = body.recoveryCodes;
    // The half sign-in became a full one under a new session id.
    expect(browser.cookie).not.toBe(before);
    expect((await browser.get("/inbox")).status).toBe(200);
  });

  it("asks for the second step after the password; a reused code is refused in Thai and English; a recovery code works once", async () => {
    const browser = new Browser();
    expect(redirectOf(await browser.signIn(ADMIN))).toBe("/login/second-factor?next=%2Finbox");
    expect(redirectOf(await browser.get("/inbox"))).toMatch(/^\/login\/second-factor/);
    const page = await browser.get("/login/second-factor?next=%2Finbox");
    expect(page.status).toBe(200);

    // The code that confirmed the enrolment used up its step.
    const reused = await browser.post(STEP, { intent: "totp", code: enrolmentCode });
    expect(reused.status).toBe(401);
    const refusal = (await reused.json()) as { message: { th: string; en: string } };
    expect(refusal.message.th).toContain("ถูกใช้ไปแล้ว");
    expect(refusal.message.en).toContain("already been used");

    const inWithCode = await browser.post(STEP, { intent: "recovery", code: recoveryCodes[0] });
    expect(redirectOf(inWithCode)).toBe("/inbox");
    expect((await browser.get("/inbox")).status).toBe(200);

    const again = new Browser();
    await again.signIn(ADMIN);
    const second = await again.post(STEP, { intent: "recovery", code: recoveryCodes[0] });
    expect(second.status).toBe(401);
    expect(((await second.json()) as { message: { en: string } }).message.en).toContain("already been used");
  });

  it("lets an officer (not required) in with the password alone", async () => {
    const browser = new Browser();
    expect(redirectOf(await browser.signIn(OFFICER))).toBe("/inbox");
  });

  it("resets a second factor through the API: tenant-scoped, sessions ended", async () => {
    const admin = new Browser();
    await admin.signIn(ADMIN);
    await admin.post(STEP, { intent: "recovery", code: recoveryCodes[1] });
    const officer = new Browser();
    await officer.signIn(OFFICER);
    expect((await officer.get("/inbox")).status).toBe(200);
    const { MongoClient } = await import("mongodb");
    const client = await MongoClient.connect(app.mongoUri);
    const users = client.db().collection<{ _id: unknown; email: string }>("users");
    const officerDoc = await users.findOne({ email: OFFICER });
    const elsewhere = await users.findOne({ email: "officer@thungthong.demo.borikan.local" });
    await client.close();

    const reset = (id: string, browser: Browser) =>
      fetch(`${app.baseUrl}/api/v1/admin/staff/${id}/second-factor/reset`, { method: "POST", headers: { Cookie: browser.cookie, Origin: app.baseUrl, Connection: "close" } });
    expect((await reset(String(elsewhere!._id), admin)).status).toBe(404);
    expect((await reset(String(officerDoc!._id), officer)).status).toBe(403);
    const done = await reset(String(officerDoc!._id), admin);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ userId: String(officerDoc!._id) });
    expect(redirectOf(await officer.get("/inbox"))).toMatch(/^\/login/);
  });
});
