import type { Actor } from "~/core/actor";
import type { ServiceManifest } from "~/core/definitions/types";
import type { LocalizedText } from "~/core/text";
import type { WorkflowConfig } from "~/core/workflow/types";
import { listDrafts } from "~/models/service-draft.server";
import { getServiceVersion, listServices, versionId } from "~/models/service.server";
import { requireSessionActor } from "~/utils/auth.server";
import { requireServiceAdmin } from "./service-admin.server";

export type StudioService = {
  slug: string;
  title: LocalizedText;
  level: "initial" | "standard";
  /** The published version citizens use now; null before the first publish. */
  currentVersion: number | null;
  draft: { rev: number; basedOnVersion: number | null; updatedAt: string; updatedBy: string; unpublishedChanges: boolean } | null;
  sourceTemplate: { id: string; version: number; latestVersion: number | null } | null;
};

export type TemplateCard = {
  slug: string;
  version: number;
  manifest: Pick<ServiceManifest, "title" | "description" | "level" | "category" | "statutoryDays" | "fees" | "documents" | "issuesPermit" | "law">;
  workflow: WorkflowConfig;
};

export type StudioOverview = { owner: { agencyId: string; isTemplate: boolean }; services: StudioService[]; templates: TemplateCard[] };

/**
 * What the studio's front page shows an admin: their services (published and drafts, with whether the OPDC
 * template they were cloned from has moved on) and OPDC's template library with manuals and diagrams.
 */
export async function studioOverview(actor: Actor): Promise<StudioOverview> {
  const owner = requireServiceAdmin(actor);
  const [published, drafts, templateSummaries] = await Promise.all([listServices({ agencyId: owner.agencyId }), listDrafts(owner.agencyId), listServices({ isTemplate: true })]);
  const latestTemplate = new Map(templateSummaries.map((t) => [t._id, t.currentVersion]));
  const draftsBySlug = new Map(drafts.map((d) => [d.slug, d]));
  const slugs = [...new Set([...published.map((s) => s._id), ...drafts.map((d) => d.slug)])].sort();
  const services = slugs.map((slug): StudioService => {
    const summary = published.find((s) => s._id === slug);
    const draft = draftsBySlug.get(slug);
    const manifest = draft?.definition.manifest;
    const source = manifest?.sourceTemplate ?? summary?.sourceTemplate;
    return {
      slug,
      title: manifest?.title ?? summary!.title,
      level: manifest?.level ?? summary!.level,
      currentVersion: summary?.currentVersion ?? null,
      draft: draft
        ? {
            rev: draft.rev,
            basedOnVersion: draft.basedOnVersion,
            updatedAt: draft.updatedAt.toISOString(),
            updatedBy: draft.updatedBy,
            // Saved since it was last published, or published by nobody yet, or someone published another copy.
            unpublishedChanges: draft.publishedRev !== draft.rev || draft.basedOnVersion !== summary?.currentVersion,
          }
        : null,
      sourceTemplate: source ? { ...source, latestVersion: latestTemplate.get(source.id) ?? null } : null,
    };
  });
  const templates: TemplateCard[] = [];
  for (const summary of templateSummaries) {
    const version = await getServiceVersion(versionId(summary._id, summary.currentVersion));
    if (!version) continue;
    const m = version.definition.manifest;
    templates.push({
      slug: summary._id,
      version: summary.currentVersion,
      manifest: { title: m.title, description: m.description, level: m.level, category: m.category, statutoryDays: m.statutoryDays, fees: m.fees, documents: m.documents, issuesPermit: m.issuesPermit, law: m.law },
      workflow: version.definition.workflow,
    });
  }
  return { owner: { agencyId: owner.agencyId, isTemplate: owner.isTemplate }, services, templates };
}

/** Studio pages are for agency admins and OPDC admins: others get 403, visitors the login page. */
export async function requireStudioActor(request: Request): Promise<Actor> {
  const actor = await requireSessionActor(request);
  if (!(actor.kind === "opdc" || (actor.kind === "staff" && actor.isAdmin))) {
    throw new Response("เฉพาะผู้ดูแลระบบของหน่วยงานหรือ ก.พ.ร. / Agency or OPDC administrators only", { status: 403 });
  }
  return actor;
}
