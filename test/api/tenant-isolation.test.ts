import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import { getCase, listInbox } from "~/models/case.server";
import { createUser, findUserByEmail, type User } from "~/models/user.server";
import * as applicationRoute from "~/routes/api.v1.applications.$id";
import * as eventsRoute from "~/routes/api.v1.applications.$id.events";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { getCaseView } from "~/services/get-case-view.server";
import { cloneSlug, DEMO_API_KEY, OTHER_AGENCY_API_KEY } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { actorOfUser } from "~/utils/auth.server";
import { withTestDatabase } from "../support/db";
import { sessionCookieFor } from "../support/sessions";
import { healthHazardApplication } from "../support/factories";
import { publicOrigin } from "~/utils/web-security.server";

withTestDatabase();

type Auth = { key?: string; cookie?: string };

function request(path: string, { method = "GET", body, key, cookie }: Auth & { method?: string; body?: unknown } = {}) {
  const headers = new Headers();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  if (cookie) headers.set("Cookie", cookie);
  // A browser sends its page's Origin; the app refuses a session's change from anywhere else.
  if (cookie) headers.set("Origin", publicOrigin());
  if (body !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

const view = (id: string, auth: Auth) =>
  applicationRoute.loader({ request: request(`/api/v1/applications/${id}`, auth), params: { id }, context: {} } as never);
const sendEvent = (id: string, auth: Auth, body: unknown) =>
  eventsRoute.action({ request: request(`/api/v1/applications/${id}/events`, { method: "POST", body, ...auth }), params: { id }, context: {} } as never);

async function user(email: string): Promise<User> {
  const found = await findUserByEmail(email);
  if (!found) throw new Error(`seeded user ${email} is missing`);
  return found;
}

const cookieFor = sessionCookieFor;

async function expectNotFound(fn: () => Promise<unknown>) {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("NOT_FOUND");
}

// A sukjai case filed by the demo citizen; the other agency and another citizen try to reach it.
let caseId = "";
let owner: User;
let otherCitizen: User;
let otherOfficer: Actor;

beforeAll(async () => {
  owner = await user("citizen@demo.borikan.local");
  otherCitizen = await createUser({ email: "somsri@example.co.th", passwordHash: "unused", name: "สมศรี มีสุข", kind: "citizen", roles: [] });
  otherOfficer = actorOfUser(await user("officer@thungthong.demo.borikan.local"));
  const filed = await submitApplication(actorOfUser(owner), cloneSlug("sukjai", "health-hazard-licence"), await healthHazardApplication({}, 7), "web");
  caseId = filed.id;
});

/** The answer for a case that truly does not exist: a hidden case must look exactly like it. */
async function notFoundBody(auth: Auth) {
  const res = await view("65f000000000000000000000", auth);
  expect(res.status).toBe(404);
  return res.json();
}

describe("another agency (thungthong) cannot reach a sukjai case", () => {
  it("does not see it in its inbox, while sukjai does", async () => {
    const theirs = await listInbox({ agencyId: "thungthong" });
    expect(theirs.rows.map((r) => String(r._id))).not.toContain(caseId);
    expect(theirs.total).toBe(0);

    const ours = await listInbox({ agencyId: "sukjai" });
    expect(ours.rows.map((r) => String(r._id))).toContain(caseId);
  });

  it("cannot read it by API key: 404, indistinguishable from a case that does not exist", async () => {
    expect((await view(caseId, { key: DEMO_API_KEY })).status).toBe(200); // the owning agency can

    const res = await view(caseId, { key: OTHER_AGENCY_API_KEY });

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(await notFoundBody({ key: OTHER_AGENCY_API_KEY }));
  });

  it("cannot act on it by API key, even with an event and revision that would be valid: 404, case unchanged", async () => {
    const before = await getCase(caseId);

    const res = await sendEvent(caseId, { key: OTHER_AGENCY_API_KEY }, { type: "ACCEPT", rev: before!.rev });

    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    const after = await getCase(caseId);
    expect(after?.rev).toBe(before?.rev);
    expect(after?.stateValue).toBe("completenessCheck");
    expect(after?.history).toEqual(before?.history);
  });

  it("cannot read or act on it through the use cases as a signed-in officer", async () => {
    expect(otherOfficer).toMatchObject({ kind: "staff", agencyId: "thungthong" });
    expect((otherOfficer as { roles: string[] }).roles).toContain("officer");

    await expectNotFound(() => getCaseView(otherOfficer, caseId));
    await expectNotFound(() => fireCaseEvent(otherOfficer, caseId, { type: "ACCEPT", rev: 1 }));
    expect((await getCase(caseId))?.rev).toBe(1);

    // control: the same use case works for sukjai's own officer
    const ownOfficer = actorOfUser(await user("officer@sukjai.demo.borikan.local"));
    expect((await getCaseView(ownOfficer, caseId)).events.map((e) => e.type)).toContain("ACCEPT");
  });
});

describe("a citizen cannot reach another citizen's case", () => {
  it("cannot read it through the API with their session: 404", async () => {
    expect((await view(caseId, { cookie: await cookieFor(owner) })).status).toBe(200); // the applicant can

    const res = await view(caseId, { cookie: await cookieFor(otherCitizen) });

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(await notFoundBody({ cookie: await cookieFor(otherCitizen) }));
  });

  it("cannot read it or withdraw it through the use cases", async () => {
    const stranger = actorOfUser(otherCitizen);
    await expectNotFound(() => getCaseView(stranger, caseId));
    await expectNotFound(() => fireCaseEvent(stranger, caseId, { type: "WITHDRAW" }));
    expect((await getCase(caseId))?.rev).toBe(1);
  });
});
