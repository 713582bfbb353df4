import { describe, expect, it } from "vitest";
import type { JsonChange } from "~/core/definitions/definition-diff";
import type { ServiceDefinition } from "~/core/definitions/types";
import { getCurrentService } from "~/models/service.server";
import { ADMIN, adminApi, OPDC, readJson as read } from "../support/admin-api";
import { withTestDatabase } from "../support/db";

withTestDatabase();

const api = { ...adminApi, status: adminApi.upgradeStatus, apply: adminApi.applyUpgrade };

describe("admin API: upgrading a clone to a newer template version", () => {
  const slug = "sukjai-gp-upgrade";
  const ownTitle = "คำร้องทั่วไป เทศบาลเมืองสุขใจ";
  const templateTitle = "คำร้องทั่วไป / เรื่องร้องเรียน (ฉบับปรับปรุง)";
  const stateLabel = "/workflow/states/inProgress/meta/label/en";
  let rev = 0;

  it("clones the template, customises a label, and is up to date", async () => {
    expect((await api.create(ADMIN, { slug, fromTemplate: "general-petition" })).status).toBe(201);
    const draft = await read(await api.getDraft(ADMIN, slug));
    const definition = draft.definition as ServiceDefinition;
    expect(definition.manifest.sourceTemplate).toEqual({ id: "general-petition", version: 1 });
    definition.manifest.title.th = ownTitle;
    const saved = await read(await api.putDraft(ADMIN, slug, { definition, rev: draft.rev }));
    rev = saved.rev as number;
    expect(await read(await api.status(ADMIN, slug))).toMatchObject({ upToDate: true, latestVersion: 1, templateChanges: [], preview: { applied: [], conflicts: [] } });
  });

  it("OPDC publishes version 2 of the template with two changed labels", async () => {
    // OPDC's draft of the template itself continues from its published version.
    const current = structuredClone((await getCurrentService("general-petition"))!.service.definition);
    const created = await read(await api.create(OPDC, { slug: "general-petition", definition: current }));
    expect(created).toMatchObject({ slug: "general-petition", basedOnVersion: 1, isTemplate: true });
    const definition = created.definition as ServiceDefinition;
    definition.manifest.title.th = templateTitle;
    definition.workflow.states.inProgress!.meta.label.en = "Being handled by the officer";
    const saved = await read(await api.putDraft(OPDC, "general-petition", { definition, rev: created.rev }));
    const published = await api.publish(OPDC, "general-petition", { rev: saved.rev });
    expect(published.status).toBe(201);
    expect(await read(published)).toMatchObject({ version: 2 });
  });

  it("shows the agency what changed and what applying would do", async () => {
    const res = await api.status(ADMIN, slug);
    expect(res.status).toBe(200);
    const status = await read(res);
    expect(status).toMatchObject({ rev, sourceTemplate: { id: "general-petition", version: 1 }, latestVersion: 2, upToDate: false });
    expect((status.templateChanges as JsonChange[]).map((c) => c.path).sort()).toEqual(["/manifest/title/th", stateLabel]);
    const preview = status.preview as { applied: JsonChange[]; conflicts: unknown[]; kept: unknown[] };
    expect(preview.applied).toEqual([expect.objectContaining({ kind: "changed", path: stateLabel, after: "Being handled by the officer" })]);
    expect(preview.conflicts).toEqual([{ path: "/manifest/title/th", base: "คำร้องทั่วไป / เรื่องร้องเรียน ร้องทุกข์", theirs: templateTitle, ours: ownTitle }]);
  });

  it("refuses a stale rev with 409 and another owner's admin with 403", async () => {
    const stale = await api.apply(ADMIN, slug, { rev: rev - 1 });
    expect(stale.status).toBe(409);
    expect((await read(stale)).error).toMatchObject({ code: "STALE_REVISION", details: { currentRev: rev } });
    expect((await api.apply(ADMIN, slug, {})).status).toBe(400);
    expect((await api.status(OPDC, slug)).status).toBe(403);
    expect((await api.apply(OPDC, slug, { rev })).status).toBe(403);
  });

  it("applies the template's change, keeps the agency's own and lists the conflict", async () => {
    const res = await api.apply(ADMIN, slug, { rev });
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.conflicts).toEqual([expect.objectContaining({ path: "/manifest/title/th", ours: ownTitle, theirs: templateTitle })]);
    expect((body.applied as JsonChange[]).map((c) => c.path)).toEqual([stateLabel]);
    const draft = await read(await api.getDraft(ADMIN, slug));
    expect(draft.rev).toBe(rev + 1);
    const definition = draft.definition as ServiceDefinition;
    expect(definition.manifest).toMatchObject({ id: slug, title: { th: ownTitle }, sourceTemplate: { id: "general-petition", version: 2 } });
    expect(definition.workflow.states.inProgress!.meta.label.en).toBe("Being handled by the officer");
    expect(await read(await api.status(ADMIN, slug))).toMatchObject({ upToDate: true, preview: { applied: [], conflicts: [] } });
  });

  it("answers 404 for a draft that was not cloned from a template", async () => {
    expect((await api.create(ADMIN, { slug: "sukjai-own-service" })).status).toBe(201);
    const res = await api.status(ADMIN, "sukjai-own-service");
    expect(res.status).toBe(404);
    expect((await read(res)).error).toMatchObject({ code: "NOT_FOUND" });
  });
});
