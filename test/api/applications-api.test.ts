import { describe, expect, it } from "vitest";
import { CaseModel, getCase } from "~/models/case.server";
import { findUserByEmail } from "~/models/user.server";
import * as applicationRoute from "~/routes/api.v1.applications.$id";
import * as eventsRoute from "~/routes/api.v1.applications.$id.events";
import * as serviceRoute from "~/routes/api.v1.services.$slug";
import * as applyRoute from "~/routes/api.v1.services.$slug.applications";
import * as servicesRoute from "~/routes/api.v1.services";
import { cloneSlug, DEMO_API_KEY } from "~/services/seed-demo.server";
import { env } from "~/utils/env.server";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication, pdfDataUrl } from "../support/factories";
import { sessionCookieOf } from "../support/sessions";
import { publicOrigin } from "~/utils/web-security.server";

withTestDatabase();

const SLUG = cloneSlug("sukjai", "health-hazard-licence");
const CITIZEN = "citizen@demo.borikan.local";

type Json = Record<string, unknown> & { error?: { code: string; message: { th: string; en: string }; details: unknown } };
type Auth = { key?: string; cookie?: string };

function request(path: string, { method = "GET", body, rawBody, key, cookie }: Auth & { method?: string; body?: unknown; rawBody?: string } = {}) {
  const headers = new Headers();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  if (cookie) headers.set("Cookie", cookie);
  // A browser sends its page's Origin; the app refuses a session's change from anywhere else.
  if (cookie) headers.set("Origin", publicOrigin());
  const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`http://localhost${path}`, { method, headers, body: payload });
}

// Route modules are called the way Remix calls them.
const call = {
  services: (query = "") => servicesRoute.loader({ request: request(`/api/v1/services${query}`), params: {}, context: {} } as never),
  service: (slug: string) => serviceRoute.loader({ request: request(`/api/v1/services/${slug}`), params: { slug }, context: {} } as never),
  apply: (slug: string, init: Parameters<typeof request>[1] = {}) => {
    const req = request(`/api/v1/services/${slug}/applications`, { method: "POST", ...init });
    const args = { request: req, params: { slug }, context: {} } as never;
    return req.method === "GET" ? applyRoute.loader() : applyRoute.action(args);
  },
  view: (id: string, auth: Auth = { key: DEMO_API_KEY }) =>
    applicationRoute.loader({ request: request(`/api/v1/applications/${id}`, auth), params: { id }, context: {} } as never),
  event: (id: string, init: Parameters<typeof request>[1] = {}) =>
    eventsRoute.action({ request: request(`/api/v1/applications/${id}/events`, { method: "POST", key: DEMO_API_KEY, ...init }), params: { id }, context: {} } as never),
};

async function read(res: Response): Promise<Json> {
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  return (await res.json()) as Json;
}

/** Status and error code together, so a failure shows what came back. */
async function expectError(res: Response, status: number, code: string): Promise<Json> {
  const body = await read(res);
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.error?.message.th).toBeTruthy();
  expect(body.error?.message.en).toBeTruthy();
  return body;
}

async function citizenCookie(email = CITIZEN): Promise<string> {
  return sessionCookieOf(email);
}

let n = 1000;
/** Files a valid application as the demo citizen (web session) and returns its id. */
async function fileAsCitizen(): Promise<string> {
  const res = await call.apply(SLUG, { cookie: await citizenCookie(), body: { data: await healthHazardApplication({}, ++n) } });
  expect(res.status).toBe(201);
  return String((await read(res)).id);
}

/** A case filed by the citizen that the officer sent back for a new site map: only the applicant may act. */
async function caseAwaitingApplicant(): Promise<string> {
  const id = await fileAsCitizen();
  const res = await call.event(id, { body: { type: "REQUEST_MISSING", comment: "ขาดแผนที่", data: { missingItems: ["/documents/siteMap"] }, rev: 1 } });
  expect(res.status).toBe(200);
  return id;
}

describe("GET /api/v1/services", () => {
  it("lists the published services that take applications, without the OPDC templates", async () => {
    const res = await call.services();
    expect(res.status).toBe(200);
    const { items } = (await read(res)) as { items: { slug: string; agencyId: string; version: number }[] };
    expect(items.map((i) => i.slug)).toContain(SLUG);
    expect(items.map((i) => i.slug)).toContain(cloneSlug("thungthong", "health-hazard-licence"));
    expect(items.some((i) => i.agencyId === "opdc" || i.slug === "health-hazard-licence")).toBe(false);
    expect(items.find((i) => i.slug === SLUG)).toEqual({
      slug: SLUG,
      agencyId: "sukjai",
      title: { th: "การขอรับใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", en: "Licence to operate a business hazardous to health" },
      level: "standard",
      category: "licence",
      version: 1,
    });
  });

  it("filters by agency", async () => {
    const { items } = (await read(await call.services("?agency=thungthong"))) as { items: { agencyId: string }[] };
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.agencyId === "thungthong")).toBe(true);
  });
});

describe("GET /api/v1/services/:slug", () => {
  it("returns the current definition: manifest, form and workflow", async () => {
    const res = await call.service(SLUG);
    expect(res.status).toBe(200);
    const body = (await read(res)) as {
      slug: string;
      version: number;
      agencyId: string;
      manifest: { id: string; sourceTemplate?: unknown };
      form: { schema: { required: string[] }; uiSchema: object };
      workflow: { initial: string };
    };
    expect(body).toMatchObject({ slug: SLUG, version: 1, agencyId: "sukjai", manifest: { id: SLUG } });
    expect(body.manifest.sourceTemplate).toEqual({ id: "health-hazard-licence", version: 1 });
    expect(body.form.schema.required).toEqual(["applicant", "business", "documents", "consent"]);
    expect(body.form.uiSchema).toHaveProperty("ui:order");
    expect(body.workflow.initial).toBe("completenessCheck");
  });

  it("is 404 for an unknown slug", async () => {
    await expectError(await call.service("no-such-service"), 404, "NOT_FOUND");
  });

  it("is 404 for an OPDC template, which nobody applies to directly", async () => {
    await expectError(await call.service("health-hazard-licence"), 404, "NOT_FOUND");
  });
});

describe("POST /api/v1/services/:slug/applications", () => {
  it("files with an agency API key: 201 with the tracking number, receipt and first state", async () => {
    const data = await healthHazardApplication({}, 1);
    const res = await call.apply(SLUG, { key: DEMO_API_KEY, body: { data } });

    expect(res.status).toBe(201);
    const body = (await read(res)) as { id: string; trackingNumber: string; state: string; receipt: Record<string, string> };
    expect(body.trackingNumber).toMatch(/^SKJ-\d{4}-\d{6}$/);
    expect(body.state).toBe("completenessCheck");
    expect(body.receipt.number).toBe(body.trackingNumber);
    expect(Date.parse(body.receipt.countedFrom)).toBeGreaterThanOrEqual(Date.parse(body.receipt.receivedAt));
    expect(res.headers.get("Location")).toBe(`/api/v1/applications/${body.id}`);
    const stored = await getCase(body.id);
    expect(stored).toMatchObject({ trackingNumber: body.trackingNumber, channel: "api", agencyId: "sukjai", applicant: { kind: "api" } });
    expect(JSON.parse(stored!.dataJson)).toEqual(data);
  });

  it("files with a citizen's session: the citizen is the applicant", async () => {
    const citizen = await findUserByEmail(CITIZEN);
    const id = await fileAsCitizen();
    expect(await getCase(id)).toMatchObject({ channel: "web", applicant: { kind: "citizen", id: String(citizen!._id) } });
  });

  it("is 401 without a key or session, and stores nothing", async () => {
    const before = await CaseModel.countDocuments();
    await expectError(await call.apply(SLUG, { body: { data: await healthHazardApplication() } }), 401, "UNAUTHENTICATED");
    expect(await CaseModel.countDocuments()).toBe(before);
  });

  it("is 401 with a wrong key", async () => {
    const before = await CaseModel.countDocuments();
    const res = await call.apply(SLUG, { key: "bk_not_a_real_key_0000000000000000", body: { data: await healthHazardApplication() } });
    await expectError(res, 401, "UNAUTHENTICATED");
    expect(await CaseModel.countDocuments()).toBe(before);
  });

  it("is 404 for an unknown service", async () => {
    await expectError(await call.apply("no-such-service", { key: DEMO_API_KEY, body: { data: await healthHazardApplication() } }), 404, "NOT_FOUND");
  });

  it("is 404 for an OPDC template", async () => {
    const res = await call.apply("health-hazard-licence", { key: DEMO_API_KEY, body: { data: await healthHazardApplication() } });
    await expectError(res, 404, "NOT_FOUND");
  });

  it("is 400 for malformed JSON", async () => {
    await expectError(await call.apply(SLUG, { key: DEMO_API_KEY, rawBody: '{"data": {"applicant": ' }), 400, "BAD_REQUEST");
  });

  it("is 400 when the body is not { data }", async () => {
    await expectError(await call.apply(SLUG, { key: DEMO_API_KEY, body: [1, 2, 3] }), 400, "BAD_REQUEST");
    await expectError(await call.apply(SLUG, { key: DEMO_API_KEY, body: { data: "not an object" } }), 400, "BAD_REQUEST");
  });

  it("is 413 for a body over the size limit, and stores nothing", async () => {
    const before = await CaseModel.countDocuments();
    const data = await healthHazardApplication({ documents: { siteMap: `data:application/pdf;base64,${"A".repeat(env().MAX_BODY_BYTES)}` } });
    await expectError(await call.apply(SLUG, { key: DEMO_API_KEY, body: { data } }), 413, "PAYLOAD_TOO_LARGE");
    expect(await CaseModel.countDocuments()).toBe(before);
  });

  it("is 422 FORM_INVALID with an error per field, located by JSON pointer, in Thai and English", async () => {
    const valid = await healthHazardApplication();
    const data = {
      ...valid,
      applicant: { ...valid.applicant, nationalId: "1234567890123", email: "not-an-email" },
      business: { ...valid.business, workers: -1, location: { ...valid.business.location, subdistrict: "ไม่มีตำบลนี้" } },
      documents: { ...valid.documents, idCard: "not a data url" },
      consent: false,
    };
    const before = await CaseModel.countDocuments();

    const body = await expectError(await call.apply(SLUG, { key: DEMO_API_KEY, body: { data } }), 422, "FORM_INVALID");

    const fields = (body.error!.details as { fields: { pointer: string; message: { th: string; en: string } }[] }).fields;
    const byPointer = Object.fromEntries(fields.map((f) => [f.pointer, f.message]));
    expect(Object.keys(byPointer).sort()).toEqual([
      "/applicant/email",
      "/applicant/nationalId",
      "/business/location",
      "/business/workers",
      "/consent",
      "/documents/idCard",
    ]);
    expect(byPointer["/applicant/nationalId"].en).toMatch(/check digit/);
    expect(byPointer["/applicant/nationalId"].th).toMatch(/เลขประจำตัวประชาชน/);
    expect(byPointer["/business/location"].en).toMatch(/address/i);
    expect(await CaseModel.countDocuments()).toBe(before);
  });

  it("is 405 for a GET, in the API's error shape", async () => {
    const res = await call.apply(SLUG, { method: "GET", key: DEMO_API_KEY });
    await expectError(res, 405, "METHOD_NOT_ALLOWED");
    expect(res.headers.get("Allow")).toBe("POST");
  });

  it("is 405 for a PUT", async () => {
    const res = await call.apply(SLUG, { method: "PUT", key: DEMO_API_KEY, body: { data: {} } });
    await expectError(res, 405, "METHOD_NOT_ALLOWED");
    expect(res.headers.get("Allow")).toBe("POST");
  });
});

describe("GET /api/v1/applications/:id", () => {
  it("shows the case with exactly the events the caller may send now", async () => {
    const id = await fileAsCitizen();

    // the agency's API client holds the officer role: it may accept or ask for missing items
    const res = await call.view(id);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = (await read(res)) as Record<string, unknown> & {
      events: { type: string; label: { th: string; en: string }; commentRequired: boolean }[];
      history: { event: string; role: string }[];
    };
    expect(body).toMatchObject({
      id,
      trackingNumber: expect.stringMatching(/^SKJ-/),
      service: { slug: SLUG, version: 1 },
      state: "completenessCheck",
      status: "active",
      rev: 1,
      missingItems: null,
      receipt: { number: body.trackingNumber },
      sla: { paused: false },
    });
    expect(body.data).toMatchObject({ consent: true, documents: { siteMap: pdfDataUrl("site-map.pdf") } });
    expect(body.history.map((h) => [h.event, h.role])).toEqual([["SUBMIT", "applicant"]]);
    expect(body.events.map((e) => [e.type, e.commentRequired])).toEqual([
      ["ACCEPT", false],
      ["REQUEST_MISSING", true],
    ]);
    expect(body.events[0].label.en).toBe("Complete — send to inspection");

    // the applicant has nothing to do while the officer checks
    const asCitizen = (await read(await call.view(id, { cookie: await citizenCookie() }))) as { events: unknown[] };
    expect(asCitizen.events).toEqual([]);
  });

  it("offers the applicant the resubmission once items are requested, and shows what is missing", async () => {
    const id = await caseAwaitingApplicant();
    const body = (await read(await call.view(id, { cookie: await citizenCookie() }))) as {
      state: string;
      missingItems: { fields: string[] };
      events: { type: string }[];
      sla: { paused: boolean };
    };
    expect(body.state).toBe("awaitingApplicant");
    expect(body.missingItems.fields).toEqual(["/documents/siteMap"]);
    expect(body.sla.paused).toBe(true);
    expect(body.events.map((e) => e.type)).toEqual(["RESUBMIT", "WITHDRAW"]);
  });

  it("is 401 without credentials", async () => {
    const id = await fileAsCitizen();
    await expectError(await call.view(id, {}), 401, "UNAUTHENTICATED");
  });

  it("is 404 for an id that does not exist or is not an id", async () => {
    await expectError(await call.view("65f000000000000000000000"), 404, "NOT_FOUND");
    await expectError(await call.view("not-an-id"), 404, "NOT_FOUND");
  });
});

describe("POST /api/v1/applications/:id/events", () => {
  it("moves the case: 200 with the new state and revision", async () => {
    const id = await fileAsCitizen();
    const res = await call.event(id, { body: { type: "ACCEPT", rev: 1 } });
    expect(res.status).toBe(200);
    // the step's e-mail notice is sent off the request path: the answer lists it as pending
    expect(await read(res)).toEqual({
      id,
      state: "inspection",
      status: "active",
      rev: 2,
      documents: { pending: [expect.objectContaining({ kind: "notice", effect: "notifyApplicant", state: "preparing", failures: 0, retryAfter: null })] },
    });
    const stored = await getCase(id);
    expect(stored?.history.at(-1)).toMatchObject({ event: "ACCEPT", role: "officer", actor: { kind: "api" } });
  });

  it("is 403 ROLE_NOT_ALLOWED when the step belongs to another role (the API client cannot resubmit for the applicant)", async () => {
    const id = await caseAwaitingApplicant();
    const before = await getCase(id);

    const body = await expectError(
      await call.event(id, { body: { type: "RESUBMIT", rev: 2, data: { formData: await healthHazardApplication() } } }),
      403,
      "ROLE_NOT_ALLOWED",
    );

    expect(body.error!.details).toEqual({ allowedRoles: ["applicant"] });
    const after = await getCase(id);
    expect(after?.rev).toBe(before?.rev);
    expect(after?.history).toEqual(before?.history);
  });

  it("is 422 EVENT_NOT_ALLOWED for an event the current step does not have", async () => {
    const id = await fileAsCitizen();
    const body = await expectError(await call.event(id, { body: { type: "APPROVE", rev: 1 } }), 422, "EVENT_NOT_ALLOWED");
    expect(body.error!.details).toEqual({ state: "completenessCheck", event: "APPROVE" });
    expect((await getCase(id))?.stateValue).toBe("completenessCheck");
  });

  it("is 422 COMMENT_REQUIRED when the step needs a reason and none is given", async () => {
    const id = await fileAsCitizen();
    const res = await call.event(id, { body: { type: "REQUEST_MISSING", comment: "   ", data: { missingItems: ["/documents/siteMap"] } } });
    await expectError(res, 422, "COMMENT_REQUIRED");
    expect((await getCase(id))?.rev).toBe(1);
  });

  it("is 422 FORM_INVALID when the requested items are not fields of the form", async () => {
    const id = await fileAsCitizen();
    const res = await call.event(id, { body: { type: "REQUEST_MISSING", comment: "ขาดเอกสาร", data: { missingItems: ["/documents/noSuchDocument"] } } });
    const body = await expectError(res, 422, "FORM_INVALID");
    expect(body.error!.details).toMatchObject({ pointer: "/missingItems", fields: ["/documents/noSuchDocument"] });
    expect((await getCase(id))?.stateValue).toBe("completenessCheck");
  });

  it("is 409 STALE_REVISION when the case changed since the caller read it", async () => {
    const id = await fileAsCitizen();
    expect((await call.event(id, { body: { type: "ACCEPT", rev: 1 } })).status).toBe(200);

    const body = await expectError(
      await call.event(id, { body: { type: "RECORD_INSPECTION", comment: "ผ่าน", rev: 1 } }),
      409,
      "STALE_REVISION",
    );

    expect(body.error!.details).toEqual({ currentRev: 2 });
    expect(await getCase(id)).toMatchObject({ rev: 2, stateValue: "inspection" });
  });

  it("is 401 with a wrong key", async () => {
    const id = await fileAsCitizen();
    await expectError(await call.event(id, { key: "bk_wrong", body: { type: "ACCEPT" } }), 401, "UNAUTHENTICATED");
    expect((await getCase(id))?.rev).toBe(1);
  });

  it("is 400 for malformed JSON or a body of the wrong shape", async () => {
    const id = await fileAsCitizen();
    await expectError(await call.event(id, { rawBody: "{type: ACCEPT}" }), 400, "BAD_REQUEST");
    await expectError(await call.event(id, { body: { type: "ACCEPT", rev: "1" } }), 400, "BAD_REQUEST");
    await expectError(await call.event(id, { body: { type: "ACCEPT", data: ["x"] } }), 400, "BAD_REQUEST");
    await expectError(await call.event(id, { body: { comment: "no type" } }), 400, "BAD_REQUEST");
    expect((await getCase(id))?.rev).toBe(1);
  });

  it("is 405 for a GET", async () => {
    const res = await eventsRoute.loader();
    await expectError(res, 405, "METHOD_NOT_ALLOWED");
    expect(res.headers.get("Allow")).toBe("POST");
  });
});
