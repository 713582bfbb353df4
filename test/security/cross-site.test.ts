/**
 * Cross-site request forgery, tried as the attacker did: a page served from another port of the same
 * host (the same site, so the browser sends the session cookie along) makes a signed-in officer's and admin's
 * Chromium post to the app. Nothing may change on the server — the case stays in its step, the service stays
 * unpublished, no import starts, the admin stays signed in — while the same moves from the app's own pages work.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { appInBrowser } from "../e2e/support";
import { healthHazardApplication } from "../support/factories";
import { HEALTH_HAZARD_SLUG } from "../support/journeys";
import { sessionOf } from "../support/tus-client";

const { app, signIn } = appInBrowser();

const OFFICER = "officer@sukjai.demo.borikan.local";
const ADMIN = "admin@sukjai.demo.borikan.local";
const bearer = { Authorization: `Bearer ${DEMO_API_KEY}` };

/** The attacker's site: whatever HTML the test puts at a path, on a second port of the same host name. */
const attackerPages = new Map<string, string>();
let attacker: http.Server;
let attackerUrl: string;

beforeAll(async () => {
  attacker = http.createServer((req, res) => {
    const html = attackerPages.get(req.url ?? "");
    res.writeHead(html ? 200 : 404, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  // Same host name as PUBLIC_URL (localhost), another port: another origin of the same site.
  attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => attacker.close(() => resolve())));

function attackerPage(path: string, body: string): string {
  attackerPages.set(path, `<!doctype html><html><body>${body}</body></html>`);
  return `${attackerUrl}${path}`;
}

/** An HTML form on the attacker's page that submits itself to the app as soon as it loads. */
function autoSubmittedForm(path: string, target: string, attributes: string, fields: string, beforeSubmit = ""): string {
  return attackerPage(path, `<form id="f" method="post" action="${app().baseUrl}${target}" ${attributes}>${fields}</form>
<script>${beforeSubmit}document.getElementById("f").submit();</script>`);
}

/** Opens the attacker's page in the victim's browser and waits for the app's answer to the forged navigation. */
async function visitAndAwaitApp(page: Page, url: string, appPath: string): Promise<number> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${app().baseUrl}${appPath}`)), page.goto(url)]);
  await page.waitForLoadState();
  return response.status();
}

const refusalsLogged = (path: string) =>
  app()
    .output()
    .split("\n")
    .filter((line) => line.includes('"event":"cross-origin-refused"') && line.includes(`"path":"${path}"`));

async function caseState(id: string): Promise<{ state: string; rev: number }> {
  return (await (await fetch(`${app().baseUrl}/api/v1/applications/${id}`, { headers: bearer })).json()) as { state: string; rev: number };
}

describe("a signed-in officer visiting another site", () => {
  let caseId: string;
  beforeAll(async () => {
    const filed = await fetch(`${app().baseUrl}/api/v1/services/${HEALTH_HAZARD_SLUG}/applications`, {
      method: "POST",
      headers: { ...bearer, "Content-Type": "application/json" },
      body: JSON.stringify({ data: await healthHazardApplication({}, 41) }),
    });
    expect(filed.status).toBe(201);
    caseId = ((await filed.json()) as { id: string }).id;
  });

  it("cannot be made to move a case by a no-cors text/plain fetch or a ?_data= action request", async () => {
    const before = await caseState(caseId);
    const officer = await signIn(OFFICER);
    const events = `/api/v1/applications/${caseId}/events`;
    const remixAction = `/cases/${caseId}?_data=routes%2Fcases.%24id`;
    const url = attackerPage(
      "/move-case",
      `<script>
        // A no-cors answer is opaque (and CORP blocks it): what matters is that the requests reached the server.
        window.done = Promise.allSettled([
          fetch(${JSON.stringify(app().baseUrl + events)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ type: "ACCEPT" }) }),
          fetch(${JSON.stringify(app().baseUrl + remixAction)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "type=ACCEPT&rev=${before.rev}" }),
        ]).then(() => "sent");
      </script>`,
    );
    await officer.goto(url);
    expect(await officer.evaluate(() => (window as unknown as { done: Promise<string> }).done)).toBe("sent");
    await expect.poll(() => refusalsLogged(events).length).toBe(1);
    await expect.poll(() => refusalsLogged("/cases/" + caseId).length).toBe(1);
    expect(await caseState(caseId)).toEqual(before);

    // The same officer, from the app's own page, can move it: the attack failed for the right reason.
    await officer.goto(`${app().baseUrl}/cases/${caseId}`);
    const status = await officer.evaluate(async (path) => {
      const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "ACCEPT" }) });
      return res.status;
    }, events);
    expect(status).toBe(200);
    expect((await caseState(caseId)).state).not.toBe(before.state);
    await officer.context().close();
  });
});

describe("a signed-in agency admin visiting another site", () => {
  const slug = "sukjai-csrf-target";
  let admin: Page;

  beforeAll(async () => {
    const session = await sessionOf(app().baseUrl, ADMIN);
    const created = await fetch(`${app().baseUrl}/api/v1/admin/services`, {
      method: "POST",
      headers: { ...session, "Content-Type": "application/json" },
      body: JSON.stringify({ slug, fromTemplate: "health-hazard-licence" }),
    });
    expect(created.status).toBe(201);
    admin = await signIn(ADMIN);
  });
  afterAll(async () => admin?.context().close());

  /** The public API lists a service once a version of it is published. */
  const isPublished = async () => (await fetch(`${app().baseUrl}/api/v1/services/${slug}`)).status === 200;

  it("cannot be made to publish a service by an auto-submitted form", async () => {
    // enctype text/plain turns name=value into a JSON body: the classic cross-site JSON post.
    const url = autoSubmittedForm("/publish", `/api/v1/admin/services/${slug}/publish`, 'enctype="text/plain"', `<input name='{"rev":1,"x":"' value='"}'>`);
    expect(await visitAndAwaitApp(admin, url, `/api/v1/admin/services/${slug}/publish`)).toBe(403);
    expect(await admin.textContent("body")).toContain("CROSS_ORIGIN");
    expect(refusalsLogged(`/api/v1/admin/services/${slug}/publish`).length).toBe(1);
    expect(await isPublished()).toBe(false);

    // From the studio's own page the same admin can publish it: the attack failed for the right reason.
    await admin.goto(`${app().baseUrl}/studio`);
    const status = await admin.evaluate(async (path) => {
      const draft = (await (await fetch(`${path}/draft`)).json()) as { rev: number };
      const res = await fetch(`${path}/publish`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rev: draft.rev }) });
      return res.status;
    }, `/api/v1/admin/services/${slug}`);
    expect(status).toBe(201);
    expect(await isPublished()).toBe(true);
  });

  it("cannot be made to import permits by an auto-submitted upload form", async () => {
    const recentJobs = async () =>
      ((await (await admin.request.get(`${app().baseUrl}/admin/permits/import?_data=routes%2Fadmin.permits.import`)).json()) as { recent: unknown[] }).recent.length;
    const jobsBefore = await recentJobs();
    const url = autoSubmittedForm(
      "/import",
      "/admin/permits/import",
      'enctype="multipart/form-data"',
      '<input type="file" name="file" id="file">',
      `const files = new DataTransfer(); files.items.add(new File(["เลขที่,ผู้รับอนุญาต\\nX-1,นาย ก\\n"], "permits.csv", { type: "text/csv" })); document.getElementById("file").files = files.files;`,
    );
    expect(await visitAndAwaitApp(admin, url, "/admin/permits/import")).toBe(403);
    expect(await admin.textContent("body")).toContain("Request refused");
    expect(admin.url()).not.toContain("upload=");
    expect(refusalsLogged("/admin/permits/import").length).toBeGreaterThan(0);
    expect(await recentJobs()).toBe(jobsBefore);
  });

  it("cannot be signed out by an auto-submitted form, and still can sign out from the app", async () => {
    const signedIn = async () => ((await (await admin.request.get(`${app().baseUrl}/?_data=root`)).json()) as { user: unknown }).user !== null;
    const url = autoSubmittedForm("/logout", "/logout", "", "");
    expect(await visitAndAwaitApp(admin, url, "/logout")).toBe(403);
    expect(await signedIn()).toBe(true);

    await admin.goto(`${app().baseUrl}/`);
    await Promise.all([admin.waitForResponse((r) => r.url().includes("/logout") && r.request().method() === "POST"), admin.click('form[action="/logout"] button')]);
    await expect.poll(signedIn).toBe(false);
  });
});
