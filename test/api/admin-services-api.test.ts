import { describe, expect, it } from "vitest";
import type { ServiceDefinition } from "~/core/definitions/types";
import { CaseModel, getCase } from "~/models/case.server";
import { submitApplication } from "~/services/submit-application.server";
import { ADMIN, adminApi as api, OPDC, readJson as read } from "../support/admin-api";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication } from "../support/factories";
import { citizen } from "../support/journeys";

withTestDatabase();

const OFFICER = "officer@sukjai.demo.borikan.local";


describe("admin API: drafts, verification, publishing, versions", () => {
  const slug = "sukjai-hh-studio";

  it("clones an OPDC template into a draft, saves it, verifies and publishes version 1", async () => {
    const created = await api.create(ADMIN, { slug, fromTemplate: "health-hazard-licence" });
    expect(created.status).toBe(201);
    const draft = await read(created);
    expect(draft).toMatchObject({ slug, rev: 0, agencyId: "sukjai", basedOnVersion: null });
    const definition = draft.definition as ServiceDefinition;
    expect(definition.manifest).toMatchObject({ id: slug, sourceTemplate: { id: "health-hazard-licence" } });

    definition.manifest.title = { th: "ใบอนุญาตกิจการที่เป็นอันตรายต่อสุขภาพ (สุขใจ)", en: "Health-hazard licence (Sukjai)" };
    const saved = await api.putDraft(ADMIN, slug, { definition, rev: 0 });
    expect(saved.status).toBe(200);
    expect(await read(saved)).toMatchObject({ rev: 1 });

    const report = await read(await api.verify(ADMIN, slug));
    expect(report).toMatchObject({ ok: true, errors: [] });

    const published = await api.publish(ADMIN, slug, { rev: 1 });
    expect(published.status).toBe(201);
    expect(await read(published)).toMatchObject({ version: 1 });
  });

  it("keeps filed cases on their version when version 2 is published, and diffs the two", async () => {
    const filedOnV1 = await submitApplication(await citizen(), slug, await healthHazardApplication({}, 5), "web");
    const draft = await read(await api.getDraft(ADMIN, slug));
    const definition = draft.definition as ServiceDefinition;
    definition.workflow.states.inspection!.meta.slaDays = 5;
    expect((await api.putDraft(ADMIN, slug, { definition, rev: draft.rev })).status).toBe(200);
    const published = await read(await api.publish(ADMIN, slug, { rev: (draft.rev as number) + 1 }));
    expect(published).toMatchObject({ version: 2 });
    expect((await getCase(filedOnV1.id))!.serviceVersionId).toBe(`${slug}@1`);

    const versions = await read(await api.versions(ADMIN, slug));
    expect((versions.versions as { version: number }[]).map((v) => v.version)).toEqual([2, 1]);
    const diff = await read(await api.versions(ADMIN, slug, "?from=1&to=2"));
    expect(diff.changes).toEqual([{ kind: "changed", path: "/workflow/states/inspection/meta/slaDays", before: 10, after: 5 }]);
    expect((await api.versions(ADMIN, slug, "?from=0&to=2")).status).toBe(400);
  });

  it("refuses a save or publish based on an older revision with 409", async () => {
    const draft = await read(await api.getDraft(ADMIN, slug));
    const stale = (draft.rev as number) - 1;
    const put = await api.putDraft(ADMIN, slug, { definition: draft.definition, rev: stale });
    expect(put.status).toBe(409);
    expect((await read(put)).error).toMatchObject({ code: "STALE_REVISION", details: { currentRev: draft.rev } });
    expect((await api.publish(ADMIN, slug, { rev: stale })).status).toBe(409);
  });

  it("validates every definition against the meta-schemas, pointing at the JSON path", async () => {
    const draft = await read(await api.getDraft(ADMIN, slug));
    const definition = structuredClone(draft.definition) as { manifest: Record<string, unknown> };
    definition.manifest.statutoryDays = "thirty";
    const res = await api.putDraft(ADMIN, slug, { definition, rev: draft.rev });
    expect(res.status).toBe(422);
    const error = (await read(res)).error!;
    expect(error.code).toBe("DEFINITION_INVALID");
    expect(error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ file: "manifest", path: "/statutoryDays" })]));
    expect((await api.putDraft(ADMIN, slug, { rev: draft.rev })).status).toBe(400);
  });

  it("refuses to publish a draft whose verification has errors, with the report", async () => {
    const draft = await read(await api.getDraft(ADMIN, slug));
    const definition = structuredClone(draft.definition) as ServiceDefinition;
    // an orphan step nobody can reach
    definition.workflow.states.orphan = { meta: { label: { th: "ขั้นตอนที่ไปไม่ถึง", en: "Unreachable step" }, slaDays: 1 }, on: { DONE: { target: "permitIssued", meta: { roles: ["officer"], label: { th: "เสร็จ", en: "Done" } } } } } as never;
    const saved = await read(await api.putDraft(ADMIN, slug, { definition, rev: draft.rev }));
    const res = await api.publish(ADMIN, slug, { rev: saved.rev });
    expect(res.status).toBe(422);
    const report = (await read(res)).error!.details.report as { ok: boolean; errors: { rule: string; state?: string }[] };
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "reachable" })]));
  });

  it("creates an empty draft that verifies, with an agency-prefixed slug only", async () => {
    const created = await api.create(ADMIN, { slug: "sukjai-new-petition", title: { th: "คำร้องใหม่", en: "New petition" } });
    expect(created.status).toBe(201);
    expect(await read(await api.verify(ADMIN, "sukjai-new-petition"))).toMatchObject({ ok: true });
    expect((await api.create(ADMIN, { slug: "sukjai-new-petition" })).status).toBe(409);
    const foreign = await api.create(ADMIN, { slug: "thungthong-mine" });
    expect(foreign.status).toBe(400);
    expect((await read(foreign)).error).toMatchObject({ code: "BAD_REQUEST", details: { param: "slug" } });
  });

  it("isolates agencies and OPDC templates: 403 for another agency's draft or a template, and for non-admins", async () => {
    // OPDC drafts a new version of a template
    expect((await api.create(OPDC, { slug: "general-petition-next", fromTemplate: "general-petition" })).status).toBe(201);
    expect((await api.getDraft(ADMIN, "general-petition-next")).status).toBe(403);
    expect((await api.putDraft(ADMIN, "general-petition-next", { definition: {}, rev: 0 })).status).toBe(403);
    expect((await api.getDraft(OPDC, slug)).status).toBe(403);
    expect((await api.versions(ADMIN, "health-hazard-licence")).status).toBe(403);
    expect((await api.create(OFFICER, { slug: "sukjai-x", fromTemplate: "general-petition" })).status).toBe(403);
    expect((await api.getDraft("officer@thungthong.demo.borikan.local", slug)).status).toBe(403);
  });

  it("simulates the draft as citizen and each role without creating a case", async () => {
    const casesBefore = await CaseModel.countDocuments();
    const data = await healthHazardApplication({}, 9);
    const res = await api.simulate(ADMIN, slug, {
      data,
      steps: [
        { event: "ACCEPT", role: "officer" },
        { event: "RECORD_INSPECTION", role: "inspector", comment: "ผ่าน" },
        { event: "APPROVE", role: "approver" },
        { event: "FEE_PAID", role: "officer" },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      formErrors: unknown[];
      trace: { start: { state: string; events: { type: string; roles: string[] }[] }; steps: { to?: string; state: string; effects: { type: string }[]; final: boolean }[]; stoppedAt?: unknown };
    };
    expect(body.formErrors).toEqual([]);
    expect(body.trace.start.state).toBe("completenessCheck");
    expect(body.trace.start.events.map((e) => e.type)).toEqual(expect.arrayContaining(["ACCEPT", "REQUEST_MISSING"]));
    expect(body.trace.steps.map((s) => s.state)).toEqual(["inspection", "decision", "awaitingFee", "permitIssued"]);
    expect(body.trace.steps[3]!.effects.map((e) => e.type)).toEqual(["recordPayment", "issuePermit", "notifyApplicant"]);
    expect(body.trace.steps[3]!.final).toBe(true);
    expect(body.trace.stoppedAt).toBeUndefined();
    expect(await CaseModel.countDocuments()).toBe(casesBefore);

    // a role that may not act stops the trace there, with the reason; bad form data is reported, not thrown
    const refused = (await (await api.simulate(ADMIN, slug, { data: {}, steps: [{ event: "ACCEPT", role: "approver" }] })).json()) as {
      formErrors: unknown[];
      trace: { stoppedAt: { step: number; code: string } };
    };
    expect(refused.trace.stoppedAt).toMatchObject({ step: 0, code: "ROLE_NOT_ALLOWED" });
    expect(refused.formErrors.length).toBeGreaterThan(0);
    expect((await api.simulate(ADMIN, slug, { steps: [{ event: "ACCEPT" }] })).status).toBe(400);
  });
});
