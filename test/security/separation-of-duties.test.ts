/**
 * Four eyes through the API of the built server: whoever filed a case never acts on it as staff (person or API
 * key), and the licence workflows' approval must come from someone other than whoever accepted or inspected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneSlug, DEMO_API_KEY } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";
import { settledCase, type CaseDocumentsBody } from "../support/case-api";
import { healthHazardApplication } from "../support/factories";
import { bearer, sessionOf, type Auth } from "../support/tus-client";

const SUKJAI = cloneSlug("sukjai", "health-hazard-licence");
const THUNGTHONG = cloneSlug("thungthong", "health-hazard-licence");

type ErrorBody = { error: { code: string; message: { th: string; en: string }; details: Record<string, unknown> } };
type CaseBody = {
  id: string;
  state: string;
  status: string;
  rev: number;
  events: { type: string }[];
  history: { event: string; role: string }[];
  documents: CaseDocumentsBody;
};

let app: RunningApp;
let citizen: Auth;
/** officer and inspector of Suk Jai */
let officer: Auth;
let approver: Auth;
/** Thung Thong's only officer holds officer, inspector and approver */
let allRoles: Auth;
const apiKey = bearer(DEMO_API_KEY);

beforeAll(async () => {
  app = await startApp();
  [citizen, officer, approver, allRoles] = await Promise.all(
    ["citizen@demo.borikan.local", "officer@sukjai.demo.borikan.local", "approver@sukjai.demo.borikan.local", "officer@thungthong.demo.borikan.local"].map(
      (email) => sessionOf(app.baseUrl, email),
    ),
  );
});
afterAll(async () => app?.stop());

/** JSON POST; a session-cookie request also says where it comes from, as a browser on the site would. */
function post(path: string, auth: Auth, body: unknown): Promise<Response> {
  const origin: Record<string, string> = "Cookie" in auth ? { Origin: app.baseUrl } : {};
  return fetch(`${app.baseUrl}${path}`, { method: "POST", headers: { ...auth, ...origin, "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

let n = 7000;
async function file(slug: string, auth: Auth): Promise<string> {
  const res = await post(`/api/v1/services/${slug}/applications`, auth, { data: await healthHazardApplication({}, ++n) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const move = (id: string, auth: Auth, type: string, comment?: string) => post(`/api/v1/applications/${id}/events`, auth, { type, ...(comment ? { comment } : {}) });

async function moved(id: string, auth: Auth, type: string, comment?: string): Promise<void> {
  const res = await move(id, auth, type, comment);
  expect(res.status, await res.clone().text()).toBe(200);
}

async function view(id: string, auth: Auth): Promise<CaseBody> {
  const res = await fetch(`${app.baseUrl}/api/v1/applications/${id}`, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as CaseBody;
}

async function expectSeparationOfDuties(res: Response): Promise<ErrorBody["error"]> {
  const body = (await res.json()) as ErrorBody;
  expect({ status: res.status, code: body.error?.code }).toEqual({ status: 403, code: "SEPARATION_OF_DUTIES" });
  expect(body.error.message.th).toContain("แบ่งแยกหน้าที่");
  expect(body.error.message.en).toContain("separation of duties");
  return body.error;
}

describe("the filer never acts as staff on their own case", () => {
  it("an approver who filed an application cannot approve it, nor sees the button", async () => {
    const id = await file(SUKJAI, approver);
    await moved(id, officer, "ACCEPT");
    await moved(id, officer, "RECORD_INSPECTION", "ผ่านการตรวจ");
    expect((await view(id, approver)).events).toEqual([]);

    const error = await expectSeparationOfDuties(await move(id, approver, "APPROVE"));

    expect(error.details).toEqual({ rule: "filer", event: "APPROVE" });
    expect(await view(id, officer)).toMatchObject({ state: "decision", rev: 3 });
  });

  it("the demo API key that filed an application cannot move it as staff; another officer can", async () => {
    const id = await file(SUKJAI, apiKey);
    expect((await view(id, apiKey)).events).toEqual([]);

    await expectSeparationOfDuties(await move(id, apiKey, "ACCEPT"));
    expect((await view(id, officer)).rev).toBe(1);

    await moved(id, officer, "ACCEPT");
    expect((await view(id, officer)).state).toBe("inspection");
  });

  it("the demo API key holds the intake role only: it may accept a citizen's application, not inspect or approve", async () => {
    const id = await file(SUKJAI, citizen);
    await moved(id, apiKey, "ACCEPT");
    const res = await move(id, apiKey, "RECORD_INSPECTION", "ผ่าน");
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe("ROLE_NOT_ALLOWED");
  });
});

describe("approval by someone other than whoever accepted or inspected", () => {
  it("refuses the approval to the officer who inspected the same case, though their roles allow it", async () => {
    const id = await file(THUNGTHONG, citizen);
    await moved(id, allRoles, "ACCEPT");
    await moved(id, allRoles, "RECORD_INSPECTION", "ผ่านการตรวจ");
    expect((await view(id, allRoles)).events.map((e) => e.type)).toEqual(["REJECT"]);

    const error = await expectSeparationOfDuties(await move(id, allRoles, "APPROVE"));

    expect(error.details).toEqual({ rule: "differentActorFrom", event: "APPROVE", differentActorFrom: ["ACCEPT", "RECORD_INSPECTION"] });
    expect(error.message.en).toContain("Record findings");
    expect((await view(id, allRoles)).state).toBe("decision");
  });

  it("issues the permit when different people act", async () => {
    const id = await file(SUKJAI, citizen);
    await moved(id, officer, "ACCEPT");
    await moved(id, officer, "RECORD_INSPECTION", "ผ่านการตรวจ");
    await moved(id, approver, "APPROVE");
    await moved(id, officer, "FEE_PAID");

    // the permit is produced off the request path: the case is read once nothing is pending
    const done = await settledCase<CaseBody>(app.baseUrl, id, citizen);
    expect(done).toMatchObject({ state: "permitIssued", status: "done" });
    expect(done.history.map((h) => [h.event, h.role])).toEqual([
      ["SUBMIT", "applicant"],
      ["ACCEPT", "officer"],
      ["RECORD_INSPECTION", "inspector"],
      ["APPROVE", "approver"],
      ["FEE_PAID", "officer"],
    ]);
    const permit = done.documents.issued.find((d) => d.kind === "permit");
    expect(permit?.number).toMatch(/^SKJ-/);
    const verified = await fetch(`${app.baseUrl}/api/v1/permits/${encodeURIComponent(permit!.number!)}/verify`);
    expect(((await verified.json()) as { valid: boolean }).valid).toBe(true);
  });
});
