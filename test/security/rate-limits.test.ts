import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY, OTHER_AGENCY_API_KEY } from "~/services/seed-demo.server";
import { startApp, type AppProcess, type RunningApp } from "../support/app-server";
import { bearer, createUpload, sessionOf, type Auth } from "../support/tus-client";

let app: RunningApp;
let another: AppProcess;

// Small limits over long windows, so no window can end in the middle of a test.
const LIMITS = { search: 3, csv: 2, verify: 3, perApplicant: 2, perApiKey: 3, uploads: 2, oidc: 2 };

beforeAll(async () => {
  app = await startApp({
    env: {
      TRUST_PROXY: "1",
      RATE_LIMIT_REGISTRY_SEARCH: `${LIMITS.search}/day`,
      RATE_LIMIT_REGISTRY_CSV: `${LIMITS.csv}/day`,
      RATE_LIMIT_PERMIT_VERIFY: `${LIMITS.verify}/day`,
      RATE_LIMIT_FILINGS_PER_APPLICANT: `${LIMITS.perApplicant}/day`,
      RATE_LIMIT_FILINGS_PER_API_KEY: `${LIMITS.perApiKey}/day`,
      RATE_LIMIT_UPLOADS_PER_UPLOADER: `${LIMITS.uploads}/day`,
      RATE_LIMIT_OIDC_SIGN_IN: `${LIMITS.oidc}/day`,
    },
  });
  another = await app.startAnother();
});
afterAll(async () => {
  await app?.stop();
});

let addresses = 0;
const freshAddress = () => `203.0.113.${++addresses}`;
const SERVICE = "sukjai-health-hazard-licence";

type ErrorBody = { error: { code: string; message: { th: string; en: string }; details: { retryAfterSeconds: number } } };

async function expectRefusedAsJson(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe("RATE_LIMITED");
  expect(body.error.message.th).toContain("กรุณารอ");
  expect(body.error.message.en).toContain("wait");
  expect(body.error.details.retryAfterSeconds).toBe(retryAfter);
}

/** `count` requests that must pass, then one that must be refused; returns the refusal. */
async function exhaust(count: number, send: () => Promise<Response>, passes: (status: number) => boolean = (s) => s < 400) {
  for (let i = 0; i < count; i++) {
    const response = await send();
    expect(passes(response.status), `request ${i + 1} answered ${response.status}`).toBe(true);
    await response.body?.cancel();
  }
  return send();
}

const get = (path: string, from: string, baseUrl = app.baseUrl) => fetch(`${baseUrl}${path}`, { headers: { "X-Forwarded-For": from } });

describe("request limits, against the built server", () => {
  it("limits registry search per address, in the API and on the page alike", async () => {
    const from = freshAddress();
    await expectRefusedAsJson(await exhaust(LIMITS.search, () => get("/api/v1/registry/permits?q=x", from)));
    // The page counts against the same limit and says so in Thai and English.
    const page = await get("/registry?q=x", from);
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("Retry-After"))).toBeGreaterThan(0);
    const html = await page.text();
    expect(html).toContain("มีคำขอมากเกินไป");
    expect(html).toContain("Too many requests");
    // Another address is not affected.
    expect((await get("/registry?q=x", freshAddress())).status).toBe(200);
  });

  it("limits the CSV export per address", async () => {
    const from = freshAddress();
    await expectRefusedAsJson(await exhaust(LIMITS.csv, () => get("/api/v1/registry/permits.csv", from)));
  });

  it("limits verification by number per address, unknown numbers included, and the permit page with it", async () => {
    const from = freshAddress();
    const refused = await exhaust(LIMITS.verify, () => get("/api/v1/permits/NOPE-1/verify", from), (s) => s === 404);
    await expectRefusedAsJson(refused);
    const page = await get("/permits/NOPE-1", from);
    expect(page.status).toBe(429);
    expect(page.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("limits filings per API key, whatever the address", async () => {
    const post = () =>
      fetch(`${app.baseUrl}/api/v1/services/${SERVICE}/applications`, {
        method: "POST",
        headers: { ...bearer(OTHER_AGENCY_API_KEY), "Content-Type": "application/json", "X-Forwarded-For": freshAddress() },
        body: JSON.stringify({ data: {} }),
      });
    // Incomplete filings count too: the limit is checked before the body is read.
    await expectRefusedAsJson(await exhaust(LIMITS.perApiKey, post, (s) => s === 422 || s === 404));
  });

  it("limits filings per applicant, through the API and the apply page together", async () => {
    const citizen = await sessionOf(app.baseUrl, "citizen@demo.borikan.local");
    const headers: Auth = { ...citizen, Origin: app.baseUrl, "Content-Type": "application/json" };
    const viaApi = () => fetch(`${app.baseUrl}/api/v1/services/${SERVICE}/applications`, { method: "POST", headers, body: JSON.stringify({ data: {} }) });
    // The page sends the session's form token, as the browser's form does.
    const { formToken } = (await (await fetch(`${app.baseUrl}/?_data=root`, { headers: citizen })).json()) as { formToken: string };
    const viaPage = () =>
      fetch(`${app.baseUrl}/services/${SERVICE}/apply?_data=${encodeURIComponent("routes/services.$slug.apply")}`, {
        method: "POST",
        headers,
        body: JSON.stringify({ intent: "submit", formData: {}, _csrf: formToken }),
      });
    expect((await viaApi()).status).toBe(422);
    expect((await viaPage()).status).toBe(422);
    await expectRefusedAsJson(await viaApi());
    const page = await viaPage();
    expect(page.status).toBe(429);
    expect(page.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(((await page.json()) as { message: { th: string; en: string } }).message.en).toContain("Too many requests");
  });

  it("limits returns from an identity provider per address (each costs a token exchange)", async () => {
    const from = freshAddress();
    const callback = () => get("/auth/oidc/thaid/callback?code=x&state=y", from);
    const refused = await exhaust(LIMITS.oidc, callback, (status) => status !== 429);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await refused.text()).toContain("กรุณารอ");
    // Another address is not held up.
    expect((await get("/auth/oidc/thaid/callback?code=x&state=y", freshAddress())).status).not.toBe(429);
  });

  it("limits upload creation per uploader", async () => {
    const agency = bearer(DEMO_API_KEY);
    const create = () => createUpload(app.baseUrl, agency, 1000, { filename: "a.pdf", filetype: "application/pdf", service: SERVICE, field: "/documents/idCard" });
    await expectRefusedAsJson(await exhaust(LIMITS.uploads, create));
  });

  it("shares one count between two web processes", async () => {
    const from = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await get("/api/v1/registry/permits?q=y", from, i % 2 ? another.baseUrl : app.baseUrl);
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMITS.search);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8 - LIMITS.search);
  });

  it("lets requests arriving at once from two processes through exactly up to the limit", async () => {
    const from = freshAddress();
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => get("/api/v1/registry/permits.csv?q=z", from, i % 2 ? another.baseUrl : app.baseUrl)),
    );
    await Promise.all(responses.map((r) => r.body?.cancel()));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(LIMITS.csv);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(12 - LIMITS.csv);
  });
});

describe("the client's address", () => {
  it("ignores X-Forwarded-For unless TRUST_PROXY says a proxy writes it", async () => {
    const direct = await startApp({ env: { RATE_LIMIT_REGISTRY_SEARCH: "2/day" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        // A client inventing a new address each time is still one client.
        const response = await get("/api/v1/registry/permits", freshAddress(), direct.baseUrl);
        statuses.push(response.status);
        await response.body?.cancel();
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await direct.stop();
    }
  });
});
