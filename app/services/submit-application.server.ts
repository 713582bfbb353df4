import type { RJSFSchema } from "@rjsf/utils";
import { Types } from "mongoose";
import { serviceInScope, serviceOutOfScopeError } from "~/core/api-keys";
import { actorRef, type Actor } from "~/core/actor";
import { countedFrom } from "~/core/calendar/working-days";
import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import { readOnBehalfOf } from "~/core/cases/on-behalf-of";
import { AppError, notFound } from "~/core/errors";
import { assertNoForbiddenKeys } from "~/core/forbidden-keys";
import { onePerField, validateFormData, type FieldError } from "~/core/forms/form-validation";
import { renewalProblem } from "~/core/permits/permit-rules";
import { PRIVACY_NOTICE_VERSION } from "~/core/privacy-notice";
import { prefillFields, prefillMismatches } from "~/core/identity/verified-claims";
import { getAt } from "~/core/json-pointer";
import { insertCase, type CaseDoc } from "~/models/case.server";
import { deleteDraft } from "~/models/draft.server";
import { getPermit } from "~/models/permit.server";
import { getCurrentService, type PublishedService } from "~/models/service.server";
import { newEffects } from "./case-effects.server";
import { addPendingEffects } from "~/models/effect-run.server";
import { scheduleCaseEffects } from "./effects/effect-runner.server";
import { webhookEffectsFor } from "./webhooks/publish-event.server";
import { caseSummaryOf, claimTrackingNumber, indexNewCase, newCaseDocument } from "./new-case.server";
import { attachUploads, detachUploads } from "./uploads/attach-uploads.server";
import { recordAudit } from "./audit/record-audit.server";
import { checkInlineFiles } from "./uploads/check-inline-files.server";
import { verifiedClaimsOfUser } from "./citizen-identity/verified-identity.server";
import { trackNewCaseClock } from "./cases/track-case-clock.server";
import { logError } from "~/utils/log.server";

export type SubmitResult = {
  id: string;
  trackingNumber: string;
  receipt: CaseDoc["receipt"];
  state: string;
};

/**
 * Files an application (s.7, s.10): validates the data against the published form, issues the receipt with
 * the time it counts from, starts the workflow, and stores the case in one insert. Invalid data stores nothing.
 * Only declared data is stored: undeclared properties and inline files that fail the upload type check are
 * FORM_INVALID with their pointers; a forbidden key (`$…`, `a.b`, `__proto__`) anywhere is BAD_REQUEST.
 * `declared.onBehalfOf` is an optional company the applicant files for (checked here, errors under /onBehalfOf).
 * Errors: NOT_FOUND (unknown service), FORBIDDEN (staff filing into a template; an API key outside its services), BAD_REQUEST, FORM_INVALID (per-field,
 * including a prefilled field that no longer matches the citizen's verified claim).
 */
export async function submitApplication(
  actor: Actor,
  slug: string,
  data: unknown,
  channel: "web" | "api",
  now = new Date(),
  declared: { onBehalfOf?: unknown } = {},
): Promise<SubmitResult> {
  const found = await getCurrentService(slug);
  if (!found || found.summary.isTemplate) throw notFound({ th: "บริการนี้", en: "Service" });
  if (actor.kind === "api" && !serviceInScope(actor.services, slug)) throw serviceOutOfScopeError(slug);
  const { service } = found;
  const { manifest, form } = service.definition;

  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new AppError("BAD_REQUEST", { th: "ข้อมูลคำขอต้องเป็นออบเจกต์ JSON", en: "Application data must be a JSON object" });
  }
  assertNoForbiddenKeys(data);
  const onBehalfOf = readOnBehalfOf(declared.onBehalfOf);
  const errors = onePerField([
    ...onBehalfOf.errors,
    ...(await validateFormData(form.schema as RJSFSchema, data)),
    ...(await checkInlineFiles(form.schema, data)),
    ...(await checkRenewal(service, data)),
    ...(await checkPrefilled(actor, form.schema, data)),
  ]);
  if (errors.length > 0) {
    throw new AppError("FORM_INVALID", { th: "ข้อมูลในแบบคำขอไม่ถูกต้อง", en: "The application form has errors" }, { fields: errors });
  }

  const cal = getWorkingCalendar();
  const from = countedFrom(now, cal);
  const { trackingNumber, hinted } = await claimTrackingNumber(service.agencyId, now);

  const record = data as Record<string, unknown>;
  const applicant = actorRef(actor);
  // The id is chosen first so that the attachments can be claimed for this case before it is written.
  const caseId = new Types.ObjectId();
  const doc = newCaseDocument({
    caseId,
    service,
    data: record,
    applicant,
    channel,
    onBehalfOf: onBehalfOf.value ?? undefined,
    summary: caseSummaryOf(manifest, record, applicant),
    trackingNumber,
    receivedAt: now,
    countedFrom: from,
    stepFrom: from,
    firstEntry: { at: now, actor: applicant, role: "applicant", event: "SUBMIT" },
    platformEffects: [{ type: "sendReceipt", params: {} }],
    consent: { noticeVersion: PRIVACY_NOTICE_VERSION, at: now },
    now,
    cal,
  });
  const [attached, webhooks] = await Promise.all([
    attachUploads(actor, form.schema, record, String(caseId), now),
    webhookEffectsFor(service.agencyId, { event: "case.filed", from: null, to: doc.stateValue }),
  ]);
  doc.effects.push(...newEffects(webhooks, now));
  // The webhook effect is announced before the case is written, as a transition's effects are, so a crash right
  // after the insert leaves work the worker's sweep finds.
  const announced = doc.effects.filter((e) => e.type === "publishEvent").map((e) => e.id);
  if (announced.length > 0) await addPendingEffects(String(caseId), announced, now);
  // The case, its search words, its clock row and the audit entry go in one turn (decision 032): sent together,
  // each joins its own collection's batch, one round trip on a filing's path instead of two. The words and the clock
  // row are read models of the case: a crash (or a failed write) that leaves a case without them is repaired by the
  // worker's sweep of new cases (repairNewCaseReadModels), and words or a row of a case that was not stored find
  // nothing (harmless, as before).
  const [inserted] = await Promise.allSettled([
    insertCase(doc),
    // The sequence's shared hint covers this number before the filing answers, as nextSequence's callers see it.
    hinted,
    indexNewCase(doc).catch((error: unknown) => logError(`search words of case ${String(caseId)} not written; the new-case sweep will index them`, error)),
    trackNewCaseClock({ _id: doc._id, agencyId: doc.agencyId, receipt: doc.receipt, sla: doc.sla, status: doc.status, closedAt: doc.closedAt, updatedAt: now }, manifest.statutoryDays, now),
    // A filing by an agency's system (API key) is that agency's action; a citizen's is in the case history.
    actor.kind === "api"
      ? recordAudit(actor, { action: "case.file", agencyId: service.agencyId, at: now, target: { type: "case", id: String(caseId) }, details: { trackingNumber, service: slug } })
      : null,
  ]);
  if (inserted.status === "rejected") {
    await detachUploads(attached);
    // The audit entry went beside the case: the chain then says plainly that this filing was not stored.
    if (actor.kind === "api") {
      await recordAudit(actor, { action: "case.file-failed", agencyId: service.agencyId, at: now, target: { type: "case", id: String(caseId) }, details: { trackingNumber, service: slug } });
    }
    throw inserted.reason;
  }
  const created = inserted.value;
  // A citizen's draft goes only once the case is stored (a failed filing keeps it).
  if (actor.kind === "citizen") await deleteDraft(actor.id, slug);
  if (announced.length > 0) void scheduleCaseEffects(String(created._id));
  return { id: String(created._id), trackingNumber, receipt: created.receipt, state: created.stateValue };
}

/**
 * Fields prefilled from a verified claim (`x-prefill`) must still hold the claim: the page shows them read-only,
 * and the server does not trust the page. A citizen without verified claims filled them by hand.
 */
async function checkPrefilled(actor: Actor, schema: unknown, data: object): Promise<FieldError[]> {
  if (actor.kind !== "citizen" || prefillFields(schema).length === 0) return [];
  return prefillMismatches(schema, data, await verifiedClaimsOfUser(actor.id));
}

/** A renewal service may only renew a permit of its own agency and type that is still in force. */
async function checkRenewal(service: PublishedService, data: object): Promise<FieldError[]> {
  const permit = service.definition.manifest.permit;
  if (!permit?.renewalOf) return [];
  const number = getAt(data, permit.renewalOf);
  if (typeof number !== "string" || !number) return [];
  const problem = renewalProblem(await getPermit(number.trim()), { agencyId: service.agencyId, typeCode: permit.code });
  return problem ? [{ pointer: permit.renewalOf, message: problem }] : [];
}
