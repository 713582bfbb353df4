import type { Actor } from "~/core/actor";
import { diffJson, type JsonChange } from "~/core/definitions/definition-diff";
import { mergeTemplateUpgrade, type UpgradeConflict } from "~/core/definitions/template-upgrade";
import type { ServiceDefinition } from "~/core/definitions/types";
import { AppError } from "~/core/errors";
import type { ServiceDraft } from "~/models/service-draft.server";
import { getServiceSummary, getServiceVersion, versionId } from "~/models/service.server";
import { loadOwnDraft, saveServiceDraft } from "./service-admin.server";

export type TemplateUpgradeStatus = {
  rev: number;
  sourceTemplate: { id: string; version: number };
  latestVersion: number;
  upToDate: boolean;
  /** What OPDC changed in the template since the clone's version (base → latest). */
  templateChanges: JsonChange[];
  /** What applying would do to the draft as it is now. */
  preview: { applied: JsonChange[]; kept: { path: string }[]; conflicts: UpgradeConflict[] };
};

type Upgrade = { draft: ServiceDraft; status: TemplateUpgradeStatus; merged: ServiceDefinition };

async function computeUpgrade(actor: Actor, slug: string): Promise<Upgrade> {
  const draft = await loadOwnDraft(actor, slug);
  const source = draft.definition.manifest.sourceTemplate;
  if (!source) {
    throw new AppError("NOT_FOUND", { th: "ร่างนี้ไม่ได้สร้างจากแม่แบบของ ก.พ.ร.", en: "This draft was not cloned from an OPDC template" });
  }
  const summary = await getServiceSummary(source.id);
  const [base, theirs] = summary?.isTemplate
    ? await Promise.all([getServiceVersion(versionId(source.id, source.version)), getServiceVersion(versionId(source.id, summary.currentVersion))])
    : [null, null];
  if (!summary || !base || !theirs) {
    throw new AppError("NOT_FOUND", { th: `ไม่พบแม่แบบ "${source.id}" เวอร์ชัน ${source.version}`, en: `Template "${source.id}" version ${source.version} not found` }, { sourceTemplate: source });
  }
  const { merged, applied, kept, conflicts } = mergeTemplateUpgrade(base.definition, theirs.definition, draft.definition);
  const latestVersion = summary.currentVersion;
  return {
    draft,
    merged: merged as ServiceDefinition,
    status: {
      rev: draft.rev,
      sourceTemplate: source,
      latestVersion,
      // A clone of the newest version (or somehow newer) has nothing to take.
      upToDate: source.version >= latestVersion,
      templateChanges: diffJson(base.definition, theirs.definition),
      preview: { applied, kept, conflicts },
    },
  };
}

/** GET …/upgrade: how far the draft's template has moved on, and what applying it would do. */
export async function templateUpgradeStatus(actor: Actor, slug: string): Promise<TemplateUpgradeStatus> {
  return (await computeUpgrade(actor, slug)).status;
}

/**
 * POST …/upgrade `{ rev }`: merges the template's latest version into the draft (the agency's changes kept,
 * conflicts left at the agency's value and listed) and records the new template version. Saved through
 * saveServiceDraft, so a stale rev is a 409 and the result is checked against the meta-schemas.
 */
export async function applyTemplateUpgrade(actor: Actor, slug: string, body: { rev?: unknown }): Promise<{ draft: ServiceDraft; applied: JsonChange[]; kept: { path: string }[]; conflicts: UpgradeConflict[] }> {
  const { draft, status, merged } = await computeUpgrade(actor, slug);
  // rev is required here: the caller must have seen the draft the preview was computed from.
  if (!Number.isInteger(body.rev)) throw new AppError("BAD_REQUEST", { th: "rev ต้องเป็นจำนวนเต็ม", en: "rev must be an integer" }, { param: "rev" });
  if (body.rev !== draft.rev) {
    throw new AppError(
      "STALE_REVISION",
      { th: "ร่างนี้ถูกแก้ไขโดยผู้อื่นหลังจากที่คุณเปิด กรุณาโหลดใหม่", en: "Someone else changed this draft after you loaded it; reload it" },
      { currentRev: draft.rev },
    );
  }
  const { applied, kept, conflicts } = status.preview;
  // Nothing to take: leave the draft (and its rev) alone rather than record an empty save.
  if (status.upToDate) return { draft, applied: [], kept: [], conflicts: [] };
  const definition: ServiceDefinition = { ...merged, manifest: { ...merged.manifest, sourceTemplate: { id: status.sourceTemplate.id, version: status.latestVersion } } };
  const saved = await saveServiceDraft(actor, slug, { definition, rev: draft.rev });
  return { draft: saved, applied, kept, conflicts };
}
