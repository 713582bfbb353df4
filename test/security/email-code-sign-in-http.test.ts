import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../support/app-server";
import { codeIn, startTestSmtp, type TestSmtp } from "../support/smtp";

/** The e-mail code sign-in page against the built server, with a real SMTP server receiving the codes. */
let app: RunningApp;
let smtp: TestSmtp;
const CODES_PER_EMAIL = 3;

beforeAll(async () => {
  smtp = await startTestSmtp();
  app = await startApp({ env: { SMTP_URL: smtp.url, TRUST_PROXY: "1", RATE_LIMIT_SIGN_IN_CODES_PER_EMAIL: `${CODES_PER_EMAIL}/hour` } });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.close();
});

let n = 0;
const fresh = () => {
  n++;
  return { email: `person${n}-${Math.random().toString(36).slice(2, 6)}@example.net`, from: `192.0.2.${n}` };
};

type Answer = { status: number; retryAfter: string | null; location: string | null; setCookie: string | null; body: string };

/** Posts the page's form as a browser without JavaScript would (`data`: as Remix's fetch does, JSON back). */
async function post(fields: Record<string, string>, from: string, options: { data?: boolean; next?: string } = {}): Promise<Answer> {
  const query = options.data ? "?_data=routes%2Flogin_.email" : "";
  const response = await fetch(`${app.baseUrl}/login/email${query}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.baseUrl, "X-Forwarded-For": from, Connection: "close" },
    body: new URLSearchParams({ next: options.next ?? "", ...fields }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("Retry-After"),
    location: response.headers.get("Location") ?? response.headers.get("X-Remix-Redirect"),
    setCookie: response.headers.get("Set-Cookie"),
    body: await response.text(),
  };
}

async function askForCode(who: { email: string; from: string }): Promise<string> {
  const before = smtp.mailsTo(who.email).length;
  const answer = await post({ intent: "request", email: who.email }, who.from);
  expect(answer.status).toBe(200);
  return codeIn(await smtp.nextMailTo(who.email, before));
}

describe("signing in with an e-mail code, against the built server", () => {
  it("links from the sign-in page and signs a new citizen in, back to where they were going", async () => {
    const login = await (await fetch(`${app.baseUrl}/login?next=%2Fservices`, { headers: { Connection: "close" } })).text();
    expect(login).toContain('href="/login/email?next=%2Fservices"');
    expect(login).toContain("No ThaID? Get a code by e-mail");

    const who = fresh();
    const code = await askForCode(who);
    const signedIn = await post({ intent: "verify", email: who.email, code }, who.from, { next: "/my/requests" });
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe("/my/requests");
    const cookie = signedIn.setCookie!.split(";")[0]!;
    const page = await fetch(`${app.baseUrl}/my/requests`, { headers: { Cookie: cookie, Connection: "close" }, redirect: "manual" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(who.email);
  });

  it("shows a wrong or reused code beside the field, in Thai and English, with 401", async () => {
    const who = fresh();
    const code = await askForCode(who);
    const wrong = await post({ intent: "verify", email: who.email, code: code === "111111" ? "222222" : "111111" }, who.from);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain("รหัสไม่ถูกต้อง กรอกได้อีก 4 ครั้ง");
    expect(wrong.body).toContain('data-testid="error-summary"');
    expect((await post({ intent: "verify", email: who.email, code }, who.from)).status).toBe(302);
    const reused = await post({ intent: "verify", email: who.email, code }, who.from, { data: true });
    expect(reused.status).toBe(401);
    expect(JSON.parse(reused.body).errors[0]).toEqual({ pointer: "/code", message: expect.objectContaining({ en: expect.stringContaining("already been used") }) });
  });

  it("answers the same for an unknown address, a citizen's and a staff member's, and sends staff no code", async () => {
    const unknown = fresh();
    const citizen = { ...fresh(), email: "citizen@demo.borikan.local" };
    const staff = { ...fresh(), email: "approver@sukjai.demo.borikan.local" };
    const staffMails = smtp.mailsTo(staff.email).length;
    const answers = await Promise.all([unknown, citizen, staff].map((who) => post({ intent: "request", email: who.email }, who.from, { data: true })));
    const shapes = answers.map((a, i) => ({ status: a.status, body: a.body.replace([unknown, citizen, staff][i]!.email, "<email>") }));
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
    const notice = await smtp.nextMailTo(staff.email, staffMails);
    expect(notice.mail.text).not.toMatch(/\b\d{6}\b/);
    expect(notice.mail.text).toContain("password and second factor");
  });

  it("refuses more codes for one address than the limit with 429 and Retry-After, on the page in Thai and English", async () => {
    const who = fresh();
    for (let i = 0; i < CODES_PER_EMAIL; i++) expect((await post({ intent: "request", email: who.email }, `${who.from}${i}`)).status).toBe(200);
    const refused = await post({ intent: "request", email: who.email.toUpperCase() }, "192.0.2.250");
    expect(refused.status).toBe(429);
    // Windows are fixed and staggered per key, so the wait is whatever is left of this address's hour.
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600);
    expect(refused.body).toContain("มีคำขอมากเกินไป");
    // Another address is not affected.
    const other = fresh();
    expect((await post({ intent: "request", email: other.email }, other.from)).status).toBe(200);
  });
});
