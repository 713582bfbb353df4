import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isValidThaiNationalId } from "~/core/thai/national-id";
import { freePort } from "../../scripts/ferretdb.mjs";
import { DEMO_CITIZENS, startDemoOidcProvider, type DemoProvider } from "../../scripts/demo-oidc-provider";
import { startApp, type RunningApp } from "../support/app-server";
import { CookieJar, followUntil, locationOf } from "./oidc-support";

/**
 * Citizens' sign-in through an OpenID provider, against the built server and real oidc-provider instances on
 * loopback: the whole code flow hop by hop, then each answer the app must refuse (wrong state, a replayed code,
 * another issuer, another audience, an expired ID token) with a th/en page and no account or session written.
 */

const SECRET = "demo-client-secret-0123456789";
const CLIENT = "borikan";
const PETITION = "sukjai-general-petition";

let app: RunningApp;
let db: mongoose.Connection;
const providers: DemoProvider[] = [];
let otherIssuer: DemoProvider;

const label = (en: string) => ({ th: en, en });
const callbackOf = (id: string) => `${app.baseUrl}/auth/oidc/${id}/callback`;

beforeAll(async () => {
  const ports = { thaid: await freePort(), expired: await freePort(), audience: await freePort() };
  const entry = (id: string, port: number) => ({ id, label: label(id), issuer: `http://127.0.0.1:${port}`, clientId: CLIENT, clientSecret: SECRET, demo: true });
  const OIDC_PROVIDERS = JSON.stringify([
    { ...entry("thaid-demo", ports.thaid), label: { th: "ThaID (สาธิต)", en: "ThaID (demo)" } },
    entry("expired", ports.expired),
    entry("audience", ports.audience),
  ]);
  app = await startApp({ env: { OIDC_PROVIDERS } });
  // The providers learn the app's callback addresses once the app has its port.
  const client = (id: string) => [{ clientId: CLIENT, clientSecret: SECRET, redirectUris: [callbackOf(id)] }];
  providers.push(await startDemoOidcProvider({ port: ports.thaid, clients: client("thaid-demo") }));
  providers.push(await startDemoOidcProvider({ port: ports.expired, clients: client("expired"), faults: { expiredIdTokens: true } }));
  providers.push(await startDemoOidcProvider({ port: ports.audience, clients: client("audience"), faults: { idTokenAudience: "another-client" } }));
  // Another issuer that also knows our client and callback: its codes must not be accepted for ThaID's sign-in.
  otherIssuer = await startDemoOidcProvider({ port: 0, host: "localhost", clients: client("thaid-demo") });
  providers.push(otherIssuer);
  db = await mongoose.createConnection(app.mongoUri).asPromise();
}, 120_000);

afterAll(async () => {
  await db?.close();
  for (const p of providers) await p.stop();
  await app?.stop();
});

/** Starts a sign-in at the app (the login page's button) and returns the provider's authorization URL. */
async function startSignIn(jar: CookieJar, provider: string, next = "/my/requests"): Promise<string> {
  const res = await jar.fetch(`${app.baseUrl}/auth/oidc/${provider}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.baseUrl },
    body: new URLSearchParams({ next }),
  });
  expect(res.status).toBe(302);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("borikan_oidc="));
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  const authorize = new URL(locationOf(res, app.baseUrl));
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("state")).toBeTruthy();
  expect(authorize.searchParams.get("nonce")).toBeTruthy();
  return authorize.href;
}

/** At the provider: picks a demo citizen, consents, and returns the callback URL the provider redirects to. */
async function consentAt(jar: CookieJar, authorizeUrl: string, citizen = DEMO_CITIZENS[0].sub): Promise<string> {
  const isCallback = (url: string) => url.startsWith(app.baseUrl);
  const interaction = await followUntil(jar, authorizeUrl, isCallback);
  expect(interaction.res?.status).toBe(200);
  const html = await interaction.res!.text();
  expect(html).toContain(DEMO_CITIZENS[0].name);
  const res = await jar.fetch(interaction.url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ citizen, decision: "consent" }),
  });
  expect(res.status).toBeGreaterThanOrEqual(300);
  const back = await followUntil(jar, locationOf(res, interaction.url), isCallback);
  return back.url;
}

async function counts() {
  const citizens = await db.collection("users").countDocuments({ kind: "citizen" });
  const sessions = await db.collection("sessions").countDocuments({});
  const identities = await db.collection("citizenidentities").countDocuments({});
  return { citizens, sessions, identities };
}

/** A refusal: 4xx, the th/en page, no session cookie, and the pending cookie cleared. */
async function expectRefused(res: Response, reason: string) {
  expect(res.status).toBe(400);
  expect(res.headers.getSetCookie().some((c) => c.startsWith("borikan_session="))).toBe(false);
  const html = await res.text();
  expect(html).toContain("เข้าสู่ระบบไม่สำเร็จ / Sign-in refused");
  expect(html).toContain(`data-reason="${reason}"`);
}

async function formTokenOf(jar: CookieJar): Promise<string> {
  const root = (await (await jar.fetch(`${app.baseUrl}/?_data=root`)).json()) as { formToken: string };
  return root.formToken;
}

function petition(overrides: { fullName?: string; nationalId?: string } = {}) {
  return {
    complainant: { anonymous: false, fullName: overrides.fullName ?? DEMO_CITIZENS[0].name, nationalId: overrides.nationalId ?? DEMO_CITIZENS[0].pid, mobile: "0812345678" },
    complaint: { subject: "ไฟฟ้าส่องสว่างดับ", category: "light", details: "ไฟดับทั้งซอยมาสามคืนแล้ว" },
    consent: true,
  };
}

describe("signing in with an OpenID provider", () => {
  it("walks the code flow with PKCE, state and nonce, creates the citizen's account, and signs them in", async () => {
    const before = await counts();
    const jar = new CookieJar();
    const callback = await consentAt(jar, await startSignIn(jar, "thaid-demo", "/services/" + PETITION));
    const url = new URL(callback);
    expect(url.pathname).toBe("/auth/oidc/thaid-demo/callback");
    expect(url.searchParams.get("iss")).toBe(providers[0].issuer);

    const res = await jar.fetch(callback);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/services/${PETITION}`);
    expect(jar.value(app.baseUrl, "borikan_session")).toBeTruthy();
    expect(jar.value(app.baseUrl, "borikan_oidc")).toBeUndefined();

    const root = (await (await jar.fetch(`${app.baseUrl}/?_data=root`)).json()) as { user: { kind: string; name: string } | null };
    expect(root.user).toMatchObject({ kind: "citizen", name: DEMO_CITIZENS[0].name });
    expect(await counts()).toEqual({ citizens: before.citizens + 1, sessions: before.sessions + 1, identities: before.identities + 1 });

    // The second sign-in of the same person finds the same account.
    const again = new CookieJar();
    const res2 = await again.fetch(await consentAt(again, await startSignIn(again, "thaid-demo")));
    expect(res2.status).toBe(302);
    expect((await counts()).citizens).toBe(before.citizens + 1);
  });

  it("keeps the national ID encrypted, with only a keyed hash to find the person by", async () => {
    const { nationalIdHash } = await import("~/services/citizen-identity/verified-identity.server");
    const { findCitizenIdentityByNationalIdHash } = await import("~/models/citizen-identity.server");
    const { openVerifiedClaims } = await import("~/services/citizen-identity/verified-identity.server");
    // This process shares the server's KEY_ENCRYPTION_SECRET (startApp sets it) and database.
    await mongoose.connect(app.mongoUri);
    try {
      const pid = DEMO_CITIZENS[0].pid;
      const identity = await findCitizenIdentityByNationalIdHash(nationalIdHash(pid));
      expect(identity?.provider).toBe("thaid-demo");
      const user = await db.collection("users").findOne({ _id: new mongoose.Types.ObjectId(identity!.userId) });
      const raw = JSON.stringify([user, await db.collection("citizenidentities").find({}).toArray()]);
      expect(raw).not.toMatch(/\d{13}/);
      expect(raw).not.toContain(DEMO_CITIZENS[0].birthdate);
      const claims = openVerifiedClaims(user!.verifiedIdentity as never);
      expect(claims).toMatchObject({ provider: "thaid-demo", pid, name: DEMO_CITIZENS[0].name, birthdate: DEMO_CITIZENS[0].birthdate });
      expect(isValidThaiNationalId(claims!.pid!)).toBe(true);
    } finally {
      await mongoose.connection.close();
    }
  });

  it("refuses an answer whose state is not the one sent, writing nothing", async () => {
    const before = await counts();
    const jar = new CookieJar();
    const callback = new URL(await consentAt(jar, await startSignIn(jar, "thaid-demo")));
    callback.searchParams.set("state", "forged-state-value");
    await expectRefused(await jar.fetch(callback.href), "wrong-state");
    expect(await counts()).toEqual(before);
  });

  it("refuses a replayed callback and a code replayed into a new sign-in", async () => {
    const jar = new CookieJar();
    const callback = await consentAt(jar, await startSignIn(jar, "thaid-demo"));
    const pendingCookie = jar.value(app.baseUrl, "borikan_oidc")!;
    expect((await jar.fetch(callback)).status).toBe(302);
    const before = await counts();

    // The same answer again, with the attempt's cookie as an attacker who copied both would send it.
    const replay = new CookieJar();
    replay.set(app.baseUrl, "borikan_oidc", pendingCookie);
    await expectRefused(await replay.fetch(callback), "no-attempt");

    // The used code inside a fresh attempt of the attacker's own (its state, its cookie).
    const attacker = new CookieJar();
    const state = new URL(await startSignIn(attacker, "thaid-demo")).searchParams.get("state")!;
    const forged = new URL(callback);
    forged.searchParams.set("state", state);
    await expectRefused(await attacker.fetch(forged.href), "code-reused");
    expect(await counts()).toEqual(before);
  });

  it("refuses a code from another issuer delivered to this provider's callback (mix-up)", async () => {
    const before = await counts();
    const jar = new CookieJar();
    const authorize = new URL(await startSignIn(jar, "thaid-demo"));
    // The same request (state, nonce, PKCE challenge) sent to the other issuer, which answers our callback.
    const elsewhere = new URL(authorize.pathname + authorize.search, otherIssuer.issuer);
    const callback = await consentAt(jar, elsewhere.href);
    expect(new URL(callback).searchParams.get("iss")).toBe(otherIssuer.issuer);
    await expectRefused(await jar.fetch(callback), "id-token-invalid");
    expect(await counts()).toEqual(before);
  });

  it("refuses an ID token addressed to another client", async () => {
    const before = await counts();
    const jar = new CookieJar();
    await expectRefused(await jar.fetch(await consentAt(jar, await startSignIn(jar, "audience"))), "id-token-invalid");
    expect(await counts()).toEqual(before);
  });

  it("refuses an expired ID token", async () => {
    const before = await counts();
    const jar = new CookieJar();
    await expectRefused(await jar.fetch(await consentAt(jar, await startSignIn(jar, "expired"))), "id-token-invalid");
    expect(await counts()).toEqual(before);
  });

  it("refuses a callback with no sign-in started from this browser", async () => {
    const res = await fetch(`${callbackOf("thaid-demo")}?code=abc&state=def`, { headers: { Connection: "close" } });
    await expectRefused(res, "no-attempt");
  });
});

describe("prefilled fields", () => {
  it("files with the verified values and refuses a tampered national ID or name with 422 and the field's pointer", async () => {
    const jar = new CookieJar();
    expect((await jar.fetch(await consentAt(jar, await startSignIn(jar, "thaid-demo")))).status).toBe(302);
    const token = await formTokenOf(jar);
    const file = (data: unknown) =>
      jar.fetch(`${app.baseUrl}/api/v1/services/${PETITION}/applications`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: app.baseUrl },
        body: JSON.stringify({ data, _csrf: token }),
      });

    const tampered = await file(petition({ nationalId: DEMO_CITIZENS[1].pid, fullName: "คนอื่น ไม่ใช่ฉัน" }));
    expect(tampered.status).toBe(422);
    const body = (await tampered.json()) as { error: { code: string; details: { fields: { pointer: string; message: { th: string; en: string } }[] } } };
    expect(body.error.code).toBe("FORM_INVALID");
    const pointers = body.error.details.fields.map((f) => f.pointer).sort();
    expect(pointers).toEqual(["/complainant/fullName", "/complainant/nationalId"]);
    expect(body.error.details.fields[0].message.en).toMatch(/verified identity/);
    expect(body.error.details.fields[0].message.th).toBeTruthy();

    const filed = await file(petition());
    expect(filed.status).toBe(201);
  });

  it("lets a citizen without verified claims fill the fields by hand", async () => {
    const jar = new CookieJar();
    const login = await jar.fetch(`${app.baseUrl}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.baseUrl },
      body: new URLSearchParams({ email: "citizen@demo.borikan.local", password: "borikan-demo" }),
    });
    expect(login.status).toBe(302);
    const token = await formTokenOf(jar);
    const res = await jar.fetch(`${app.baseUrl}/api/v1/services/${PETITION}/applications`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: app.baseUrl },
      body: JSON.stringify({ data: petition({ fullName: "สมชาย ใจดี", nationalId: DEMO_CITIZENS[2].pid }), _csrf: token }),
    });
    expect(res.status).toBe(201);
  });
});
