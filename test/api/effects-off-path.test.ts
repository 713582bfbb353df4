/**
 * Issue 12 through the HTTP API of the built server: a transition answers once it and its pending effects are
 * written, the documents appear afterwards, and two web processes sharing the database never issue one
 * permit twice, however their runners interleave on a case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPermitsOfCases } from "~/models/permit.server";
import { listResultDocumentsOfCases } from "~/models/result-document.server";
import { cloneSlug } from "~/services/seed-demo.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { startApp, type AppProcess, type RunningApp } from "../support/app-server";
import { settledCase, type CaseDocumentsBody, type PendingDocument } from "../support/case-api";
import { healthHazardApplication } from "../support/factories";
import { sessionOf, type Auth } from "../support/tus-client";

const SUKJAI = cloneSlug("sukjai", "health-hazard-licence");

type CaseBody = { id: string; state: string; documents: CaseDocumentsBody };
type MoveBody = { id: string; state: string; rev: number; documents: { pending: PendingDocument[] } };

let app: RunningApp;
let another: AppProcess;
let citizen: Auth;
let officer: Auth;
let approver: Auth;

beforeAll(async () => {
  app = await startApp();
  another = await app.startAnother();
  [citizen, officer, approver] = await Promise.all(
    ["citizen@demo.borikan.local", "officer@sukjai.demo.borikan.local", "approver@sukjai.demo.borikan.local"].map((email) => sessionOf(app.baseUrl, email)),
  );
  // The test reads the permits and letters themselves, to count them.
  await connectDb(app.mongoUri);
}, 120_000);
afterAll(async () => {
  await disconnectDb();
  await app?.stop();
});

function post(baseUrl: string, path: string, auth: Auth, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

async function move(baseUrl: string, id: string, auth: Auth, type: string, comment?: string): Promise<MoveBody> {
  const res = await post(baseUrl, `/api/v1/applications/${id}/events`, auth, { type, ...(comment ? { comment } : {}) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as MoveBody;
}

let n = 8100;
/** Filed by the citizen, accepted and inspected by the officer, its notices sent: waiting for the decision. */
async function caseAwaitingDecision(): Promise<string> {
  const res = await post(app.baseUrl, `/api/v1/services/${SUKJAI}/applications`, citizen, { data: await healthHazardApplication({}, ++n) });
  expect(res.status, await res.clone().text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await move(app.baseUrl, id, officer, "ACCEPT");
  await move(app.baseUrl, id, officer, "RECORD_INSPECTION", "ผ่านการตรวจ");
  await settledCase(app.baseUrl, id, citizen);
  return id;
}

describe("documents produced off the request path", () => {
  it("the transition answers with the permit and notice pending; the case shows the permit once they are done", async () => {
    const id = await caseAwaitingDecision();
    const approved = await move(app.baseUrl, id, approver, "APPROVE");
    expect(approved.documents.pending.map((p) => [p.effect, p.kind, p.state])).toEqual([
      ["issueResult", "letter", "preparing"],
      ["requestPayment", "notice", "preparing"],
      ["notifyApplicant", "notice", "preparing"],
    ]);
    await settledCase(app.baseUrl, id, citizen);

    const paid = await move(app.baseUrl, id, officer, "FEE_PAID");
    expect(paid).toMatchObject({ id, state: "permitIssued" });
    expect(paid.documents.pending).toEqual([
      expect.objectContaining({ kind: "receipt", effect: "recordPayment", state: "preparing" }),
      expect.objectContaining({ kind: "permit", effect: "issuePermit", state: "preparing", failures: 0, retryAfter: null }),
      expect.objectContaining({ kind: "notice", effect: "notifyApplicant", state: "preparing" }),
    ]);

    const done = await settledCase<CaseBody>(app.baseUrl, id, citizen);
    expect(done.documents.issued.map((d) => d.kind)).toEqual(["letter", "receipt", "permit"]);
    const permit = done.documents.issued.find((d) => d.kind === "permit")!;
    const pdf = await fetch(`${app.baseUrl}${permit.pdfUrl}`, { headers: citizen });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("two web processes on one case each (approval on one, fee on the other at once) issue every permit exactly once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await caseAwaitingDecision());

    // The second process's runner reaches each case while the first is still producing its approval letter:
    // it waits for that effect's lease, then issues the permit — every case, at the same time.
    await Promise.all(
      ids.map(async (id) => {
        await move(app.baseUrl, id, approver, "APPROVE");
        await move(another.baseUrl, id, officer, "FEE_PAID");
      }),
    );
    const settled = await Promise.all(ids.map((id) => settledCase<CaseBody>(app.baseUrl, id, citizen)));

    for (const body of settled) expect(body.documents.issued.map((d) => d.kind)).toEqual(["letter", "receipt", "permit"]);
    const permits = await listPermitsOfCases(ids);
    expect(permits).toHaveLength(4);
    expect(new Set(permits.map((p) => p.caseId))).toEqual(new Set(ids));
    const numbers = settled.map((b) => b.documents.issued.find((d) => d.kind === "permit")!.number);
    expect(new Set(numbers)).toEqual(new Set(permits.map((p) => p.number)));
    // consecutive numbers: no attempt took one and left it unused
    const seqs = numbers.map((x) => Number(x.split("-").pop())).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(await listResultDocumentsOfCases(ids)).toHaveLength(4); // one approval letter each
  });
});
