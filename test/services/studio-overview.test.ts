import { describe, expect, it } from "vitest";
import type { ServiceDefinition } from "~/core/definitions/types";
import { createServiceDraft, publishServiceDraft, saveServiceDraft, startDraftFromPublished } from "~/services/admin/service-admin.server";
import { studioOverview } from "~/services/admin/studio-overview.server";
import { publishServiceVersion, getCurrentService } from "~/models/service.server";
import { withTestDatabase } from "../support/db";
import { demoActor, HEALTH_HAZARD_SLUG } from "../support/journeys";

withTestDatabase();

const admin = () => demoActor("admin@sukjai.demo.borikan.local");
const opdc = () => demoActor("opdc@demo.borikan.local");

describe("studio overview: an admin's services and the template library", () => {
  it("lists the agency's published services without drafts, and the OPDC templates with diagrams", async () => {
    const overview = await studioOverview(await admin());
    expect(overview.owner).toEqual({ agencyId: "sukjai", isTemplate: false });
    const hh = overview.services.find((s) => s.slug === HEALTH_HAZARD_SLUG)!;
    expect(hh).toMatchObject({ currentVersion: 1, draft: null, sourceTemplate: { id: "health-hazard-licence", version: 1, latestVersion: 1 } });
    expect(overview.services.every((s) => s.slug.startsWith("sukjai-"))).toBe(true);
    const template = overview.templates.find((t) => t.slug === "health-hazard-licence")!;
    expect(template.manifest).toMatchObject({ level: "standard", statutoryDays: 30, issuesPermit: true });
    expect(Object.keys(template.workflow.states)).toContain("inspection");
  });

  it("starts a draft from the published version that has nothing unpublished until it is saved", async () => {
    const draft = await startDraftFromPublished(await admin(), HEALTH_HAZARD_SLUG);
    expect(draft).toMatchObject({ rev: 0, basedOnVersion: 1, publishedRev: 0 });
    let entry = (await studioOverview(await admin())).services.find((s) => s.slug === HEALTH_HAZARD_SLUG)!;
    expect(entry.draft).toMatchObject({ rev: 0, unpublishedChanges: false });

    const definition = structuredClone(draft.definition) as ServiceDefinition;
    definition.manifest.statutoryDays = 29;
    await saveServiceDraft(await admin(), HEALTH_HAZARD_SLUG, { definition, rev: 0 });
    entry = (await studioOverview(await admin())).services.find((s) => s.slug === HEALTH_HAZARD_SLUG)!;
    expect(entry.draft).toMatchObject({ rev: 1, unpublishedChanges: true });

    await publishServiceDraft(await admin(), HEALTH_HAZARD_SLUG, { rev: 1 });
    entry = (await studioOverview(await admin())).services.find((s) => s.slug === HEALTH_HAZARD_SLUG)!;
    expect(entry).toMatchObject({ currentVersion: 2, draft: { rev: 1, basedOnVersion: 2, unpublishedChanges: false } });
    await expect(startDraftFromPublished(await admin(), HEALTH_HAZARD_SLUG)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses to start a draft of another agency's service or of an OPDC template", async () => {
    await expect(startDraftFromPublished(await admin(), "thungthong-health-hazard-licence")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(startDraftFromPublished(await admin(), "health-hazard-licence")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(startDraftFromPublished(await admin(), "sukjai-no-such-service")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows an agency that the template its service was cloned from has a newer version", async () => {
    await createServiceDraft(await admin(), { slug: "sukjai-petition-copy", fromTemplate: "general-petition" });
    const template = (await getCurrentService("general-petition"))!;
    const changed = structuredClone(template.service.definition);
    changed.manifest.statutoryDays += 1;
    await publishServiceVersion({ slug: "general-petition", agencyId: "opdc", isTemplate: true, definition: changed });
    const entry = (await studioOverview(await admin())).services.find((s) => s.slug === "sukjai-petition-copy")!;
    expect(entry).toMatchObject({ currentVersion: null, draft: { unpublishedChanges: true }, sourceTemplate: { id: "general-petition", version: template.service.version, latestVersion: template.service.version + 1 } });
    // OPDC sees its own templates, not the agencies' services.
    const ofOpdc = await studioOverview(await opdc());
    expect(ofOpdc.owner).toEqual({ agencyId: "opdc", isTemplate: true });
    expect(ofOpdc.services.map((s) => s.slug)).toContain("general-petition");
    expect(ofOpdc.services.some((s) => s.slug.startsWith("sukjai-"))).toBe(false);
  });
});
