import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";

/**
 * Server-side sessions against the built server: what a browser holding a cookie — or a thief holding a copy of
 * it — can still do after logout, sign-out everywhere, a password change, or the idle and absolute limits.
 */

const OFFICER = "officer@sukjai.demo.borikan.local";
const APPROVER = "approver@sukjai.demo.borikan.local";
const CITIZEN = "citizen@demo.borikan.local";

type Browser = { cookie: string };

/** The site's own origin as the browser would send it (what the cross-origin check compares against). */
const originOf = (app: RunningApp) => app.env.PUBLIC_URL ?? app.baseUrl;

/** Headers of a browser's same-site POST; behind a proxy for PUBLIC_URL, the host the proxy forwards too. */
function sameSiteHeaders(app: RunningApp): Record<string, string> {
  const publicUrl = app.env.PUBLIC_URL;
  return { Origin: originOf(app), ...(publicUrl ? { "X-Forwarded-Host": new URL(publicUrl).host } : {}) };
}

function setCookiesOf(res: Response): string[] {
  return res.headers.getSetCookie();
}

/** The session cookie a response sets (name=value), if any. */
function sessionCookieIn(res: Response): string | undefined {
  return setCookiesOf(res)
    .map((c) => c.split(";")[0]!)
    .find((c) => /^(__Host-borikan|borikan_session)=./.test(c));
}

async function postForm(app: RunningApp, path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  // A page's form carries the session's form token, as the browser's would (CsrfField).
  const token = cookie ? ((await (await fetch(`${app.baseUrl}/?_data=root`, { headers: { Cookie: cookie } })).json()) as { formToken: string | null }).formToken : null;
  return fetch(`${app.baseUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...sameSiteHeaders(app), ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(token ? { ...fields, _csrf: token } : fields),
    redirect: "manual",
  });
}

async function signIn(app: RunningApp, email: string, carrying?: string): Promise<Browser & { res: Response }> {
  const res = await postForm(app, "/login", { email, password: DEMO_PASSWORD }, carrying);
  const cookie = sessionCookieIn(res);
  if (res.status !== 302 || !cookie) throw new Error(`could not sign in as ${email}: ${res.status}`);
  return { cookie, res };
}

const get = (app: RunningApp, path: string, browser?: Browser) =>
  fetch(`${app.baseUrl}${path}`, { headers: browser ? { Cookie: browser.cookie } : {}, redirect: "manual" });

/** True when the account page answers as signed in; false when it sends the browser to sign in. */
async function isSignedIn(app: RunningApp, browser: Browser): Promise<boolean> {
  const res = await get(app, "/account", browser);
  await res.arrayBuffer();
  if (res.status === 200) return true;
  expect(res.status).toBe(302);
  expect(res.headers.get("Location")).toMatch(/^\/login\?next=/);
  return false;
}

const valueOf = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1);

describe("sessions on the server (http PUBLIC_URL, default limits)", () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  }, 120_000);
  afterAll(async () => app?.stop());

  it("sets a random-id cookie named borikan_session: HttpOnly, SameSite=Lax, Path=/, not Secure over http", async () => {
    const { res, cookie } = await signIn(app, OFFICER);
    const header = setCookiesOf(res).find((c) => c.startsWith("borikan_session="))!;
    expect(valueOf(cookie)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header).toMatch(/; Path=\//);
    expect(header).not.toMatch(/Secure/);
    // The old cookie-stored session format is gone: the id carries no user id.
    expect(Buffer.from(valueOf(cookie), "base64url").toString("latin1")).not.toMatch(/userId/);
  });

  it("after logout the old cookie no longer works, on pages or the API", async () => {
    const browser = await signIn(app, OFFICER);
    expect(await isSignedIn(app, browser)).toBe(true);
    const logout = await postForm(app, "/logout", {}, browser.cookie);
    expect(logout.status).toBe(302);
    expect(setCookiesOf(logout).find((c) => c.startsWith("borikan_session="))).toMatch(/Max-Age=0/);
    // A copy of the cookie kept by a thief, replayed.
    expect(await isSignedIn(app, browser)).toBe(false);
    const api = await fetch(`${app.baseUrl}/api/v1/services/sukjai-health-hazard-licence/applications`, {
      method: "POST",
      headers: { Cookie: browser.cookie, ...sameSiteHeaders(app), "Content-Type": "application/json" },
      body: JSON.stringify({ data: {} }),
    });
    expect(api.status).toBe(401);
  });

  it("logout by GET is refused with 405 and leaves the session alone", async () => {
    const browser = await signIn(app, OFFICER);
    const res = await get(app, "/logout", browser);
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    const body = (await res.json()) as { error: { code: string; message: { th: string; en: string } } };
    expect(body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(body.error.message.th).toBeTruthy();
    expect(await isSignedIn(app, browser)).toBe(true);
  });

  it("sign-in always issues a new id, and ends the session the browser brought", async () => {
    const first = await signIn(app, OFFICER);
    const second = await signIn(app, OFFICER, first.cookie);
    expect(valueOf(second.cookie)).not.toBe(valueOf(first.cookie));
    expect(await isSignedIn(app, second)).toBe(true);
    expect(await isSignedIn(app, first)).toBe(false);
    // Session fixation: an id an attacker planted in the victim's browser is never adopted.
    const planted = `borikan_session=${"P".repeat(43)}`;
    const victim = await signIn(app, APPROVER, planted);
    expect(victim.cookie).not.toBe(planted);
    expect(await isSignedIn(app, { cookie: planted })).toBe(false);
  });

  it("a cookie value that is not a stored session does not work, and is cleared", async () => {
    for (const value of ["A".repeat(43), "not-even-the-right-shape", ""]) {
      const res = await get(app, "/account", { cookie: `borikan_session=${value}` });
      expect(res.status).toBe(302);
      expect(setCookiesOf(res).find((c) => c.startsWith("borikan_session="))).toMatch(/Max-Age=0/);
    }
    // On a public page too: shown signed out, and the cookie is cleared.
    const home = await get(app, "/", { cookie: `borikan_session=${"B".repeat(43)}` });
    expect(home.status).toBe(200);
    expect(await home.text()).not.toContain('data-testid="account-link"');
    expect(setCookiesOf(home).find((c) => c.startsWith("borikan_session="))).toMatch(/Max-Age=0/);
  });

  it("the header links to the account page, which shows who you are and when this session started", async () => {
    const browser = await signIn(app, OFFICER);
    const home = await (await get(app, "/", browser)).text();
    expect(home).toContain('href="/account"');
    const page = await (await get(app, "/account", browser)).text();
    expect(page).toContain(OFFICER);
    expect(page).toContain('data-testid="account-session"');
    expect(page).toContain('data-testid="sign-out-everywhere"');
  });

  it("sign out everywhere ends the session in another browser too", async () => {
    const laptop = await signIn(app, APPROVER);
    const phone = await signIn(app, APPROVER);
    const bystander = await signIn(app, OFFICER);
    const res = await postForm(app, "/account", { intent: "signOutEverywhere" }, phone.cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?signedOut=everywhere");
    expect(await isSignedIn(app, laptop)).toBe(false);
    expect(await isSignedIn(app, phone)).toBe(false);
    expect(await isSignedIn(app, bystander)).toBe(true);
  });

  it("a password change is checked field by field, then ends the other sessions and keeps this browser signed in under a new id", async () => {
    const email = "officer@thungthong.demo.borikan.local";
    const here = await signIn(app, email);
    const elsewhere = await signIn(app, email);
    const refused = await postForm(app, "/account", { intent: "changePassword", currentPassword: "wrong", newPassword: "short" }, here.cookie);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('data-testid="error-summary"');
    expect(html).toContain('href="#current-password"');
    expect(html).toContain('href="#new-password"');
    expect(await isSignedIn(app, elsewhere)).toBe(true);

    const changed = await postForm(app, "/account", { intent: "changePassword", currentPassword: DEMO_PASSWORD, newPassword: "a long enough passphrase" }, here.cookie);
    expect(changed.status).toBe(302);
    expect(changed.headers.get("Location")).toBe("/account?passwordChanged=1");
    const renewed = { cookie: sessionCookieIn(changed)! };
    expect(valueOf(renewed.cookie)).not.toBe(valueOf(here.cookie));
    expect(await isSignedIn(app, renewed)).toBe(true);
    expect(await isSignedIn(app, here)).toBe(false);
    expect(await isSignedIn(app, elsewhere)).toBe(false);
    expect((await postForm(app, "/login", { email, password: DEMO_PASSWORD })).status).toBe(401);
  });

  it("sign-in goes to next only on this site: the known bypass forms land on the person's home", async () => {
    const land = async (next: string) => (await postForm(app, "/login", { email: OFFICER, password: DEMO_PASSWORD, next })).headers.get("Location");
    expect(await land("/cases/1?x=1#y")).toBe("/cases/1?x=1#y");
    for (const next of ["//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "\t//evil.example", "/\n/evil.example", "https://evil.example", "http:evil.example/x", "javascript:alert(1)", "/.//evil.example"]) {
      const location = await land(next);
      expect(location === "/inbox" || location === "/evil.example/x", `${JSON.stringify(next)} → ${location}`).toBe(true);
      expect(location).not.toMatch(/^\/\/|^[a-z]+:|\\/i);
    }
    // The login page does not carry a foreign next into its form either.
    const page = await (await get(app, `/login?next=${encodeURIComponent("/\t/evil.example")}`)).text();
    expect(page).toContain('name="next" value=""');
    const good = await (await get(app, `/login?next=${encodeURIComponent("/cases/1")}`)).text();
    expect(good).toContain('name="next" value="/cases/1"');
  });
});

describe("sessions that time out (https PUBLIC_URL, tiny limits)", () => {
  let app: RunningApp;
  const STAFF_IDLE_MS = 0.05 * 60_000;
  const CITIZEN_MAX_MS = 0.002 * 3_600_000;
  beforeAll(async () => {
    app = await startApp({
      env: {
        // Behind a TLS-terminating proxy: the site's address is https although this process listens on http.
        PUBLIC_URL: "https://borikan.test",
        STAFF_SESSION_IDLE_MINUTES: String(STAFF_IDLE_MS / 60_000),
        CITIZEN_SESSION_IDLE_MINUTES: "10",
        CITIZEN_SESSION_MAX_HOURS: String(CITIZEN_MAX_MS / 3_600_000),
      },
    });
  }, 120_000);
  afterAll(async () => app?.stop());

  it("names the cookie __Host-borikan and marks it Secure under an https PUBLIC_URL", async () => {
    const { res, cookie } = await signIn(app, OFFICER);
    expect(cookie).toMatch(/^__Host-borikan=/);
    const header = setCookiesOf(res).find((c) => c.startsWith("__Host-borikan="))!;
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; Path=\//);
    expect(header).not.toMatch(/Domain=/i);
    expect(await isSignedIn(app, { cookie })).toBe(true);
  });

  it("ends a staff session left idle for STAFF_SESSION_IDLE_MINUTES", async () => {
    const browser = await signIn(app, APPROVER);
    const signedInAt = Date.now();
    expect(await isSignedIn(app, browser)).toBe(true);
    // Idleness is the absence of requests, so this waits without asking; a slow machine only waits longer.
    await new Promise((resolve) => setTimeout(resolve, signedInAt + STAFF_IDLE_MS + 300 - Date.now()));
    expect(await isSignedIn(app, browser)).toBe(false);
  });

  it("ends a citizen session at CITIZEN_SESSION_MAX_HOURS even while it is in use", async () => {
    const before = Date.now();
    const browser = await signIn(app, CITIZEN);
    let accepted = 0;
    // Keep using the session until the server refuses it; it may not refuse before the absolute end.
    while (await isSignedIn(app, browser)) {
      accepted += 1;
      expect(Date.now() - before, "still accepted well past the absolute end").toBeLessThan(CITIZEN_MAX_MS + 30_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(Date.now() - before).toBeGreaterThanOrEqual(CITIZEN_MAX_MS);
    expect(accepted).toBeGreaterThanOrEqual(1);
  });
});
