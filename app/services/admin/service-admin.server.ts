import type { RJSFSchema } from "@rjsf/utils";
import type { Actor } from "~/core/actor";
import { diffJson, type JsonChange } from "~/core/definitions/definition-diff";
import { emptyDefinition } from "~/core/definitions/empty-definition";
import type { ServiceDefinition } from "~/core/definitions/types";
import { validateServiceDefinition } from "~/core/definitions/validate-definition";
import { verifyServiceDefinition, type VerificationReport } from "~/core/definitions/verify-definition";
import { AppError } from "~/core/errors";
import { validateFormData } from "~/core/forms/form-validation";
import { simulateWorkflow, type SimulationStep } from "~/core/workflow/simulate";
import { STAFF_ROLES } from "~/core/workflow/types";
import { getDraft, insertDraft, markDraftPublished, replaceDraft, type ServiceDraft } from "~/models/service-draft.server";
import { getServiceSummary, getServiceVersion, publishServiceVersion, versionId, type PublishedService } from "~/models/service.server";
import { listAgencyStaffRoles } from "~/models/user.server";
import { recordAudit } from "../audit/record-audit.server";

/** Who administers services: an agency admin for the agency's own services, an OPDC admin for templates. */
type Owner = { agencyId: string; isTemplate: boolean; by: string };

export function requireServiceAdmin(actor: Actor): Owner {
  if (actor.kind === "opdc") return { agencyId: "opdc", isTemplate: true, by: actor.name };
  if (actor.kind === "staff" && actor.isAdmin) return { agencyId: actor.agencyId, isTemplate: false, by: actor.name };
  throw new AppError("FORBIDDEN", {
    th: "เฉพาะผู้ดูแลระบบของหน่วยงาน (หรือ ก.พ.ร. สำหรับแม่แบบ) เท่านั้นที่จัดการบริการได้",
    en: "Only agency admins (or OPDC admins, for templates) may manage services",
  });
}

const FILES = { manifest: "manifest", form: "form", ui: "ui", workflow: "workflow" };
const SLUG = /^[a-z0-9][a-z0-9-]{2,62}$/;

function forbiddenService(): AppError {
  return new AppError("FORBIDDEN", {
    th: "บริการนี้เป็นของหน่วยงานอื่นหรือเป็นแม่แบบของ ก.พ.ร. จึงแก้ไขหรือดูร่างไม่ได้",
    en: "This service belongs to another agency or is an OPDC template: you may not read or change its draft",
  });
}

/** A definition from a request body, checked against the meta-schemas; errors point at the JSON path. */
export function parseDefinition(value: unknown): ServiceDefinition {
  const v = value as Partial<ServiceDefinition> | null;
  if (!v || typeof v !== "object" || !v.manifest || !v.form || !v.workflow || typeof v.form !== "object") {
    throw new AppError("BAD_REQUEST", {
      th: "definition ต้องเป็นออบเจกต์ที่มี manifest, form { schema, uiSchema } และ workflow",
      en: "definition must be an object with manifest, form { schema, uiSchema } and workflow",
    });
  }
  const definition = { manifest: v.manifest, form: { schema: v.form.schema ?? {}, uiSchema: v.form.uiSchema ?? {} }, workflow: v.workflow } as ServiceDefinition;
  const issues = validateServiceDefinition(definition, FILES).filter((i) => i.severity === "error");
  if (issues.length > 0) {
    throw new AppError(
      "DEFINITION_INVALID",
      { th: "นิยามบริการไม่ถูกต้อง ดูรายละเอียดตามตำแหน่ง", en: "The service definition is invalid; see the details by path" },
      { issues: issues.map((i) => ({ file: i.file, path: i.path, message: i.message })) },
    );
  }
  return definition;
}

async function currentTemplate(id: string): Promise<PublishedService> {
  const summary = await getServiceSummary(id);
  const published = summary?.isTemplate ? await getServiceVersion(versionId(id, summary.currentVersion)) : null;
  if (!published) throw new AppError("NOT_FOUND", { th: `ไม่พบแม่แบบ "${id}"`, en: `No template "${id}"` });
  return published;
}

/**
 * POST /api/v1/admin/services: a new draft — empty, cloned from an OPDC template (`fromTemplate`), or from a
 * definition in the body. Agency slugs start with the agency id, so agencies never collide.
 */
export async function createServiceDraft(actor: Actor, body: { slug?: unknown; fromTemplate?: unknown; definition?: unknown; title?: unknown }): Promise<ServiceDraft> {
  const owner = requireServiceAdmin(actor);
  const slug = typeof body.slug === "string" ? body.slug.trim() : "";
  if (!SLUG.test(slug)) {
    throw new AppError("BAD_REQUEST", { th: "slug ต้องเป็นอักษร a-z ตัวเลข และขีด 3–63 ตัว", en: "slug must be 3–63 characters of a-z, digits and hyphens" }, { param: "slug" });
  }
  if (!owner.isTemplate && !slug.startsWith(`${owner.agencyId}-`)) {
    throw new AppError("BAD_REQUEST", { th: `slug ต้องขึ้นต้นด้วย "${owner.agencyId}-"`, en: `slug must start with "${owner.agencyId}-"` }, { param: "slug" });
  }
  let definition: ServiceDefinition;
  if (typeof body.fromTemplate === "string") {
    const template = await currentTemplate(body.fromTemplate);
    const source = template.definition;
    definition = { ...source, manifest: { ...source.manifest, id: slug, sourceTemplate: { id: template.slug, version: template.version } } };
  } else if (body.definition !== undefined) {
    definition = parseDefinition(body.definition);
  } else {
    const title = body.title as { th?: unknown; en?: unknown } | undefined;
    definition = emptyDefinition(slug, {
      th: typeof title?.th === "string" && title.th ? title.th : "บริการใหม่",
      en: typeof title?.en === "string" && title.en ? title.en : "New service",
    });
  }
  const existing = await getServiceSummary(slug);
  if (existing && existing.agencyId !== owner.agencyId) throw forbiddenService();
  const created = await insertDraft({ slug, agencyId: owner.agencyId, isTemplate: owner.isTemplate, definition, basedOnVersion: existing?.currentVersion ?? null, updatedBy: owner.by });
  if (!created) throw new AppError("CONFLICT", { th: `มีร่างของ "${slug}" อยู่แล้ว`, en: `A draft of "${slug}" exists already` }, { slug });
  return (await getDraft(slug))!;
}

/** A draft that starts as a copy of the service's current published version (the studio's "edit"). */
export async function startDraftFromPublished(actor: Actor, slug: string): Promise<ServiceDraft> {
  const owner = requireServiceAdmin(actor);
  const summary = await getServiceSummary(slug);
  const published = summary ? await getServiceVersion(versionId(slug, summary.currentVersion)) : null;
  if (!summary || !published) throw new AppError("NOT_FOUND", { th: "ไม่พบบริการนี้", en: "No such service" });
  if (summary.agencyId !== owner.agencyId) throw forbiddenService();
  // Versions published before clones carried their own id still name the template; the draft names itself.
  const definition = { ...published.definition, manifest: { ...published.definition.manifest, id: slug } };
  const created = await insertDraft({ slug, agencyId: owner.agencyId, isTemplate: owner.isTemplate, definition, basedOnVersion: summary.currentVersion, publishedRev: 0, updatedBy: owner.by });
  if (!created) throw new AppError("CONFLICT", { th: `มีร่างของ "${slug}" อยู่แล้ว`, en: `A draft of "${slug}" exists already` }, { slug });
  return (await getDraft(slug))!;
}

/** The draft, if the actor's agency owns it (403 otherwise — another agency's, or an OPDC template). */
export async function loadOwnDraft(actor: Actor, slug: string): Promise<ServiceDraft> {
  const owner = requireServiceAdmin(actor);
  const draft = await getDraft(slug);
  if (!draft) {
    const published = await getServiceSummary(slug);
    if (published && published.agencyId !== owner.agencyId) throw forbiddenService();
    throw new AppError("NOT_FOUND", { th: "ไม่พบร่างของบริการนี้", en: "This service has no draft" });
  }
  if (draft.agencyId !== owner.agencyId) throw forbiddenService();
  return draft;
}

function staleDraft(current: number): AppError {
  return new AppError(
    "STALE_REVISION",
    { th: "ร่างนี้ถูกแก้ไขโดยผู้อื่นหลังจากที่คุณเปิด กรุณาโหลดใหม่", en: "Someone else changed this draft after you loaded it; reload it" },
    { currentRev: current },
  );
}

function expectedRev(value: unknown, draft: ServiceDraft): number {
  if (value === undefined) return draft.rev;
  if (!Number.isInteger(value)) throw new AppError("BAD_REQUEST", { th: "rev ต้องเป็นจำนวนเต็ม", en: "rev must be an integer" }, { param: "rev" });
  if (value !== draft.rev) throw staleDraft(draft.rev);
  return value as number;
}

/** PUT …/draft `{ definition, rev }`: replaces the draft; a stale rev is a 409. */
export async function saveServiceDraft(actor: Actor, slug: string, body: { definition?: unknown; rev?: unknown }): Promise<ServiceDraft> {
  const draft = await loadOwnDraft(actor, slug);
  const rev = expectedRev(body.rev, draft);
  const definition = parseDefinition(body.definition);
  if (definition.manifest.id !== slug) {
    throw new AppError("DEFINITION_INVALID", { th: "manifest.id ต้องตรงกับ slug ของบริการ", en: "manifest.id must equal the service slug" }, {
      issues: [{ file: "manifest", path: "/id", message: { th: `ต้องเป็น "${slug}"`, en: `must be "${slug}"` } }],
    });
  }
  if (!(await replaceDraft(slug, rev, definition, requireServiceAdmin(actor).by))) throw staleDraft((await getDraft(slug))?.rev ?? rev);
  return (await getDraft(slug))!;
}

export async function verifyServiceDraft(actor: Actor, slug: string): Promise<VerificationReport> {
  const draft = await loadOwnDraft(actor, slug);
  return verifyDraftDefinition(draft);
}

/** The staff roles a draft's transitions may use: the agency's; every staff role for templates, since any agency may clone them. */
export async function draftAgencyRoles(draft: Pick<ServiceDraft, "isTemplate" | "agencyId">): Promise<string[]> {
  return draft.isTemplate ? [...STAFF_ROLES] : listAgencyStaffRoles(draft.agencyId);
}

async function verifyDraftDefinition(draft: ServiceDraft): Promise<VerificationReport> {
  return verifyServiceDefinition(draft.definition, { agencyRoles: await draftAgencyRoles(draft) });
}

/**
 * POST …/publish `{ rev }`: publishes the draft as version N+1 — refused with the verification report when it
 * has errors (422), and with 409 when the draft changed since the caller loaded it. Filed cases keep their
 * version.
 */
export async function publishServiceDraft(actor: Actor, slug: string, body: { rev?: unknown }): Promise<{ version: number; report: VerificationReport }> {
  const draft = await loadOwnDraft(actor, slug);
  const rev = expectedRev(body.rev, draft);
  const report = await verifyDraftDefinition(draft);
  if (!report.ok) {
    throw new AppError("DEFINITION_INVALID", { th: "เผยแพร่ไม่ได้: การตรวจสอบพบข้อผิดพลาด", en: "Cannot publish: verification found errors" }, { report });
  }
  const published = await publishServiceVersion({ slug, agencyId: draft.agencyId, isTemplate: draft.isTemplate, definition: draft.definition, publishedBy: requireServiceAdmin(actor).by });
  if (!(await markDraftPublished(slug, rev, published.version))) throw staleDraft((await getDraft(slug))?.rev ?? rev);
  await recordAudit(actor, {
    action: "service.publish",
    agencyId: draft.agencyId,
    target: { type: "service", id: slug },
    details: { version: published.version, template: draft.isTemplate, warnings: report.warnings.length },
  });
  return { version: published.version, report };
}

async function loadOwnVersions(actor: Actor, slug: string) {
  const owner = requireServiceAdmin(actor);
  const summary = await getServiceSummary(slug);
  if (!summary) throw new AppError("NOT_FOUND", { th: "ไม่พบบริการนี้", en: "No such service" });
  if (summary.agencyId !== owner.agencyId) throw forbiddenService();
  return summary;
}

/** GET …/versions: every published version, newest first. */
export async function listServiceVersions(actor: Actor, slug: string) {
  const summary = await loadOwnVersions(actor, slug);
  const versions = [];
  for (let v = summary.currentVersion; v >= 1; v--) {
    const published = await getServiceVersion(versionId(slug, v));
    if (published) versions.push({ version: v, publishedAt: published.publishedAt, title: published.definition.manifest.title });
  }
  return versions;
}

/** GET …/versions?from=1&to=2: what changed between two versions, by JSON pointer into the definition. */
export async function diffServiceVersions(actor: Actor, slug: string, from: number, to: number): Promise<JsonChange[]> {
  await loadOwnVersions(actor, slug);
  const [a, b] = await Promise.all([getServiceVersion(versionId(slug, from)), getServiceVersion(versionId(slug, to))]);
  if (!a || !b) throw new AppError("NOT_FOUND", { th: "ไม่พบเวอร์ชันที่ขอ", en: "One of the versions does not exist" }, { from, to });
  return diffJson(a.definition, b.definition);
}

/**
 * POST …/simulate `{ data, steps: [{ event, role, comment?, actor? }] }`: tries the draft as a citizen and each role
 * would, without creating a case (each role is one person unless `actor` names another, for the four-eyes rules) — the form's errors for `data` and the workflow trace.
 */
export async function simulateServiceDraft(actor: Actor, slug: string, body: { data?: unknown; steps?: unknown }) {
  const draft = await loadOwnDraft(actor, slug);
  const data = body.data && typeof body.data === "object" && !Array.isArray(body.data) ? (body.data as Record<string, unknown>) : {};
  const steps = Array.isArray(body.steps) ? body.steps : [];
  for (const [i, s] of steps.entries()) {
    const step = s as Partial<SimulationStep> | null;
    if (!step || typeof step.event !== "string" || typeof step.role !== "string" || (step.actor !== undefined && typeof step.actor !== "string")) {
      throw new AppError("BAD_REQUEST", { th: `steps[${i}] ต้องมี event และ role`, en: `steps[${i}] needs an event and a role` }, { param: `steps/${i}` });
    }
  }
  const formErrors = await validateFormData(draft.definition.form.schema as RJSFSchema, data);
  return { formErrors, trace: simulateWorkflow(draft.definition.workflow, data, steps as SimulationStep[]) };
}
