/**
 * The API fast path (decision 024) answers exactly as Express and Remix do: the same requests — success, broken
 * bodies, wrong content type, oversize bodies (declared and chunked), no or a wrong key, an unknown service, an
 * invalid form, a case event, wrong methods, a cross-site request on a session cookie, HEAD and OPTIONS, shapes it
 * must leave alone — are sent to a server with the fast path (tracing what it takes) and to one with it off, and
 * the status, the header names in order, the header values and the bodies must match once per-request values
 * (dates, ids, CSP nonces) are masked. The trace shows which requests the fast path took.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";
import { healthHazardApplication } from "../support/factories";
import { HEALTH_HAZARD_SLUG } from "../support/journeys";
import { sessionOf } from "../support/tus-client";

const MAX_BODY_BYTES = 64 * 1024;
const env = { MAX_BODY_BYTES: String(MAX_BODY_BYTES) };
let fast: RunningApp;
let slow: RunningApp;

beforeAll(async () => {
  // One at a time: each seeds its database through this process's mongoose connection.
  fast = await startApp({ env: { ...env, BORIKAN_API_FAST_PATH: "trace" } });
  slow = await startApp({ env: { ...env, BORIKAN_API_FAST_PATH: "off" } });
});
afterAll(async () => {
  await fast?.stop();
  await slow?.stop();
});

type Sent = { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] };
type Answer = { status: number; statusMessage: string; headers: string[]; body: string };

/** One request on its own connection, as raw as Node gives it: header names in the order they were sent. */
function send(app: RunningApp, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${app.baseUrl}${sent.path}`, { method: sent.method, headers: { Connection: "close", ...sent.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const pairs: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        resolve({ status: res.statusCode!, statusMessage: res.statusMessage!, headers: pairs, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    if (sent.chunks) {
      for (const chunk of sent.chunks) req.write(chunk);
      req.end();
    } else req.end(sent.body);
  });
}

/** Values that differ per request or per server, whichever path answers: masked before comparing. */
function masked(answer: Answer, app: RunningApp): Answer {
  const mask = (text: string) =>
    text
      .replaceAll(app.baseUrl, "<base>")
      .replaceAll(String(app.baseUrl.split(":").at(-1)), "<port>")
      .replace(/'nonce-[A-Za-z0-9+/=]+'/g, "'nonce-…'")
      .replace(/[0-9a-f]{24}/g, "<id>")
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>");
  return { ...answer, headers: answer.headers.map((h) => (/^date:/i.test(h) ? "Date: <date>" : mask(h))), body: mask(answer.body) };
}

const json = (extra: Record<string, string> = {}) => ({ "Content-Type": "application/json", ...extra });
const bearer = { Authorization: `Bearer ${DEMO_API_KEY}` };
const filing = `/api/v1/services/${HEALTH_HAZARD_SLUG}/applications`;
const events = (caseId: string) => `/api/v1/applications/${caseId}/events`;
const post = (path: string, headers: Record<string, string>, body: string | Buffer): Sent => ({ method: "POST", path, headers, body });

/** The traced lines `{"event":"api-fast-path",…}` the fast server has written so far. */
const traced = () =>
  fast
    .output()
    .split("\n")
    .filter((line) => line.includes('"event":"api-fast-path"'))
    .map((line) => (JSON.parse(line) as { path: string }).path);

describe("the API fast path", () => {
  it("answers every kind of filing and event request exactly as Express and Remix do", async () => {
    const data = await healthHazardApplication({}, 77);
    const body = JSON.stringify({ data });
    const oversize = JSON.stringify({ data: { ...data, padding: "x".repeat(MAX_BODY_BYTES) } });
    const sessions = new Map<RunningApp, Record<string, string>>();
    for (const app of [fast, slow]) sessions.set(app, await sessionOf(app.baseUrl, "citizen@demo.borikan.local"));

    // Each entry builds the request for one server (session cookies, case ids differ) and says whether the fast path takes it.
    type Case = { name: string; status: number; fastPath: boolean; build: (app: RunningApp, caseId: string) => Sent };
    const cases: Case[] = [
      { name: "success (API key)", status: 201, fastPath: true, build: () => post(filing, json(bearer), body) },
      { name: "malformed JSON", status: 400, fastPath: true, build: () => post(filing, json(bearer), '{"data": {') },
      { name: "not UTF-8", status: 400, fastPath: true, build: () => post(filing, json(bearer), Buffer.from([0x7b, 0xff, 0x7d])) },
      { name: "body without data", status: 400, fastPath: true, build: () => post(filing, json(bearer), "[]") },
      { name: "forbidden key", status: 400, fastPath: true, build: () => post(filing, json(bearer), '{"data":{"$where":1}}') },
      // A key's client may send JSON under any content type; only a session's must say application/json.
      { name: "wrong content type", status: 201, fastPath: true, build: () => post(filing, { ...bearer, "Content-Type": "text/plain" }, body) },
      { name: "oversize, declared", status: 413, fastPath: true, build: () => post(filing, json(bearer), oversize) },
      {
        name: "oversize, chunked",
        status: 413,
        fastPath: true,
        build: () => ({
          method: "POST",
          path: filing,
          headers: json(bearer),
          chunks: [Buffer.from(oversize.slice(0, 1000)), Buffer.from(oversize.slice(1000))],
        }),
      },
      { name: "no key", status: 401, fastPath: true, build: () => post(filing, json(), body) },
      { name: "invalid key", status: 401, fastPath: true, build: () => post(filing, json({ Authorization: "Bearer bk_wrong" }), body) },
      { name: "unknown service", status: 404, fastPath: true, build: () => post("/api/v1/services/no-such-service/applications", json(bearer), body) },
      { name: "invalid form", status: 422, fastPath: true, build: () => post(filing, json(bearer), JSON.stringify({ data: { ...data, applicant: {} } })) },
      { name: "session, same origin", status: 201, fastPath: true, build: (app) => post(filing, json(sessions.get(app)), body) },
      {
        name: "session, cross-site",
        status: 403,
        fastPath: false,
        build: (app) => post(filing, json({ ...sessions.get(app), Origin: "http://evil.example.test" }), body),
      },
      { name: "session, not JSON", status: 403, fastPath: false, build: (app) => post(filing, { ...sessions.get(app), "Content-Type": "text/plain" }, body) },
      { name: "event", status: 200, fastPath: true, build: (_app, id) => post(events(id), json(bearer), '{"type":"ACCEPT","rev":1}') },
      { name: "event, stale", status: 409, fastPath: true, build: (_app, id) => post(events(id), json(bearer), '{"type":"ACCEPT","rev":1}') },
      { name: "event, not allowed", status: 422, fastPath: true, build: (_app, id) => post(events(id), json(bearer), '{"type":"NO_SUCH_EVENT"}') },
      { name: "event, bad body", status: 400, fastPath: true, build: (_app, id) => post(events(id), json(bearer), '{"type":1}') },
      { name: "event, unknown case", status: 404, fastPath: true, build: () => post(events("000000000000000000000000"), json(bearer), '{"type":"ACCEPT"}') },
      { name: "GET", status: 405, fastPath: false, build: () => ({ method: "GET", path: filing, headers: bearer }) },
      { name: "HEAD", status: 405, fastPath: false, build: () => ({ method: "HEAD", path: filing, headers: bearer }) },
      { name: "OPTIONS", status: 405, fastPath: false, build: () => ({ method: "OPTIONS", path: filing, headers: { Origin: "http://evil.example.test" } }) },
      { name: "PUT", status: 405, fastPath: false, build: () => ({ method: "PUT", path: filing, headers: json(bearer), body }) },
      { name: "DELETE event", status: 405, fastPath: false, build: (_app, id) => ({ method: "DELETE", path: events(id), headers: bearer }) },
      // Shapes Remix also routes here but the fast path leaves to Express: a query (`?_data=` changes the answer), a
      // trailing slash, an escaped segment.
      {
        name: "query string",
        status: 201,
        fastPath: false,
        build: () => post(`${filing}?_data=routes%2Fapi.v1.services.%24slug.applications`, json(bearer), body),
      },
      { name: "trailing slash", status: 201, fastPath: false, build: () => post(`${filing}/`, json(bearer), body) },
      { name: "escaped slug", status: 201, fastPath: false, build: () => post(filing.replace("sukjai", "%73ukjai"), json(bearer), body) },
    ];

    const caseIds = new Map<RunningApp, string>();
    const expectedTrace: string[] = [];
    for (const c of cases) {
      const answers: Answer[] = [];
      for (const app of [fast, slow]) {
        const sent = c.build(app, caseIds.get(app) ?? "");
        if (app === fast && c.fastPath) expectedTrace.push(sent.path);
        const answer = await send(app, sent);
        if (c.name === "session, same origin") caseIds.set(app, (JSON.parse(answer.body) as { id: string }).id);
        answers.push(masked(answer, app));
      }
      expect(answers[0], c.name).toEqual(answers[1]);
      expect(answers[0]!.status, c.name).toBe(c.status);
    }
    // The trace reaches this process through a pipe, not in step with the responses: wait for as many lines as
    // expected, then the list must be exactly the requests the fast path should have taken.
    const deadline = Date.now() + 10_000;
    while (traced().length < expectedTrace.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(traced()).toEqual(expectedTrace);
    expect(slow.output()).not.toContain('"event":"api-fast-path"');
  });
});
