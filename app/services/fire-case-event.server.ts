import type { RJSFSchema } from "@rjsf/utils";
import { serviceInScope, serviceOutOfScopeError } from "~/core/api-keys";
import { actingOnCase, actorRef, type Actor } from "~/core/actor";
import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import { workingDaysBetween } from "~/core/calendar/working-days";
import { applyCorrections, checkCorrections, checkMissingItems, slaOnEnter } from "~/core/cases/case-rules";
import { listFormFields } from "~/core/forms/form-fields";
import { attachUploads } from "./uploads/attach-uploads.server";
import { checkInlineFiles } from "./uploads/check-inline-files.server";
import { AppError } from "~/core/errors";
import { assertNoForbiddenKeys } from "~/core/forbidden-keys";
import { onePerField, validateFormData } from "~/core/forms/form-validation";
import { fireEvent } from "~/core/workflow/runner";
import { currentConfigStamp, withConfigScope } from "~/models/config-stamp.server";
import { applyCaseUpdate, caseAfterUpdate, getCaseGrouped, type CaseDoc } from "~/models/case.server";
import { addPendingEffects } from "~/models/effect-run.server";
import { recordAudit } from "./audit/record-audit.server";
import { loadVisibleCase } from "./case-access.server";
import { newEffects } from "./case-effects.server";
import { crashPoint } from "./effects/fault-injection.server";
import { pendingDocumentsOf } from "./case-documents.server";
import { scheduleCaseEffects } from "./effects/effect-runner.server";
import { trackCaseClockMove } from "./cases/track-case-clock.server";
import { webhookEffectsFor } from "./webhooks/publish-event.server";
import { checkReferralTarget } from "./referral/check-referral-target.server";

export type CaseEventInput = {
  type: string;
  comment?: string;
  /**
   * For requestMissingItems: `{ missingItems: string[] (JSON pointers), note? }`; for acceptResubmission:
   * `{ formData, unchangedReasons?: { [pointer]: why that requested item is left as it was } }`; for referToAgency:
   * `{ agencyId }` (on the platform) or `{ agencyName: { th, en }, address? }` (not on it).
   */
  data?: Record<string, unknown>;
  /** The revision the caller saw; a different current revision is a conflict. */
  rev?: number;
};

/**
 * Moves a case along its workflow. The pure core decides (roles, guards, comment, next state, effects);
 * the result is written in one update guarded by the revision, so a concurrent change is a conflict, not a
 * lost update. Returns before the effects run: `documents.pending` lists what this transition queued
 * (settleCaseEffects waits for it). Errors: NOT_FOUND, FORBIDDEN (an API key outside its services), EVENT_NOT_ALLOWED, ROLE_NOT_ALLOWED, SEPARATION_OF_DUTIES, COMMENT_REQUIRED, FORM_INVALID, STALE_REVISION.
 */
export function fireCaseEvent(actor: Actor, caseId: string, input: CaseEventInput, now = new Date()) {
  // The configuration stamp (webhook routes are looked up under it) is read alongside the case instead of after it:
  // one wait fewer when no request has read it yet (a request's scope, once read, is inherited: no read at all).
  return withConfigScope(() => {
    void currentConfigStamp().catch(() => undefined);
    return fireInScope(actor, caseId, input, now);
  });
}

async function fireInScope(actor: Actor, caseId: string, input: CaseEventInput, now: Date) {
  if (!input || typeof input.type !== "string" || !/^[A-Z][A-Z0-9_]*$/.test(input.type)) {
    throw new AppError("BAD_REQUEST", { th: "ต้องระบุชนิดของการดำเนินการ (type)", en: "An event type is required" });
  }
  const { record, service } = await loadVisibleCase(actor, caseId, getCaseGrouped);
  if (actor.kind === "api" && !serviceInScope(actor.services, record.serviceSlug)) throw serviceOutOfScopeError(record.serviceSlug);
  if (input.rev !== undefined && input.rev !== record.rev) throw staleRevision(record.rev);

  const { workflow, form } = service.definition;
  let data = JSON.parse(record.dataJson) as Record<string, unknown>;
  const outcome = fireEvent(workflow, JSON.parse(record.snapshotJson), data, { type: input.type, comment: input.comment }, actingOnCase(actor, record));
  const actionTypes = new Set(outcome.effects.map((e) => e.type));

  const set: Partial<CaseDoc> = {
    snapshotJson: JSON.stringify(outcome.snapshot),
    stateValue: outcome.stateValue,
    status: outcome.done ? "done" : "active",
  };
  if (outcome.done) {
    set.outcome = workflow.states[outcome.stateValue]?.meta.outcome;
    // Retention of personal data counts from here.
    set.closedAt = now;
  }

  if (actionTypes.has("requestMissingItems")) {
    const items = checkMissingItems(form.schema, input.data?.missingItems, input.data?.note ?? input.comment);
    set.missingItems = { ...items, requestedAt: now, requestedBy: actor.name };
  }
  // Items the applicant left unchanged on purpose, with their reasons: recorded with the transition.
  let keptAsIs: string[] = [];
  if (actionTypes.has("acceptResubmission")) {
    const fields = record.missingItems?.fields ?? [];
    assertNoForbiddenKeys(input.data?.formData);
    const corrected = applyCorrections(data, input.data?.formData, fields);
    const errors = onePerField([...(await validateFormData(form.schema as RJSFSchema, corrected)), ...(await checkInlineFiles(form.schema, corrected))]);
    if (errors.length > 0) {
      throw new AppError("FORM_INVALID", { th: "ข้อมูลที่แก้ไขยังไม่ถูกต้อง", en: "The corrected data still has errors" }, { fields: errors });
    }
    // Every item asked for is changed, or the applicant says why it is not.
    const titles = { th: listFormFields(form.schema, "th"), en: listFormFields(form.schema, "en") };
    const titleOf = (pointer: string) => ({
      th: titles.th.find((f) => f.pointer === pointer)?.title ?? pointer,
      en: titles.en.find((f) => f.pointer === pointer)?.title ?? pointer,
    });
    const corrections = checkCorrections(data, corrected, fields, unchangedReasonsOf(input.data?.unchangedReasons), titleOf);
    if (corrections.errors.length > 0) {
      throw new AppError(
        "FORM_INVALID",
        { th: "ยังมีรายการที่เจ้าหน้าที่ขอให้แก้ไขแต่ยังไม่ได้แก้ไข", en: "Some items the officer asked you to fix are unchanged" },
        { fields: corrections.errors },
      );
    }
    keptAsIs = corrections.kept.map((k) => `${titleOf(k.pointer).th}: ${k.reason}`);
    data = corrected;
    await attachUploads(actor, form.schema, data, caseId, now);
    set.dataJson = JSON.stringify(data);
    set.missingItems = null;
  }

  const cal = getWorkingCalendar();
  const pausedDays = record.sla.paused && record.sla.pausedAt ? workingDaysBetween(record.sla.pausedAt, now, cal) : 0;
  set.sla = slaOnEnter(workflow.states[outcome.stateValue], now, record.sla, cal, pausedDays);

  const webhooks = await webhookEffectsFor(record.agencyId, { event: "case.transitioned", transition: input.type, from: record.stateValue, to: outcome.stateValue });
  // s.10: the agency the officer refers the case to, checked now and carried by the effect that files it there.
  const referral = actionTypes.has("referToAgency") ? await checkReferralTarget(record, service, input.data) : null;
  const effects = newEffects(
    [...outcome.effects.map((e) => (e.type === "referToAgency" && referral ? { ...e, params: { ...e.params, target: referral } } : e)), ...webhooks],
    now,
  );
  const update = {
    set,
    history: {
      at: now,
      actor: actorRef(actor),
      role: outcome.role,
      event: input.type,
      from: record.stateValue,
      to: outcome.stateValue,
      ...(historyComment(input.comment, keptAsIs) ? { comment: historyComment(input.comment, keptAsIs) } : {}),
    },
    effects,
  };
  // The pending effects are announced alongside the revision claim and before the transition is written, so a
  // crash right after it leaves work the sweep finds.
  const written = await applyCaseUpdate(record._id, record.rev, update, () => addPendingEffects(caseId, effects.map((e) => e.id), now));
  if (!written) throw staleRevision(record.rev);
  crashPoint("case:transition-written");
  // The clock row and the audit entry go at once (each grouped with concurrent transitions'); the row never throws.
  const clock = trackCaseClockMove(
    record,
    { ...record, ...set, status: set.status ?? record.status, sla: set.sla, closedAt: set.closedAt ?? record.closedAt, updatedAt: now },
    service.definition.manifest.statutoryDays,
    now,
  );
  // Staff, OPDC and API-key moves are audited; the applicant's own moves are in the case history only.
  if (actor.kind !== "citizen") {
    await recordAudit(actor, {
      action: "case.transition",
      agencyId: record.agencyId,
      at: now,
      target: { type: "case", id: caseId },
      details: { trackingNumber: record.trackingNumber, service: record.serviceSlug, event: input.type, from: record.stateValue, to: outcome.stateValue, role: outcome.role, rev: record.rev + 1, commented: Boolean(input.comment?.trim()) },
    });
    if (referral) {
      const to = referral.kind === "platform" ? { agencyId: referral.agencyId, service: referral.serviceSlug } : { agencyName: referral.name.th };
      await recordAudit(actor, { action: "case.refer", agencyId: record.agencyId, at: now, target: { type: "case", id: caseId }, details: { trackingNumber: record.trackingNumber, ...to } });
    }
  }
  await clock;
  // Documents are produced off the request path (issue 12): the transition is done once it and its pending
  // effects are written; this process's runner starts on them now, the worker's sweep after a crash.
  // The runner is handed the case as written (no second read) and which effects are new (no check of their runs).
  if (effects.length > 0) void scheduleCaseEffects(caseId, { record: caseAfterUpdate(record, update, now), fresh: effects.map((e) => e.id) });
  return { id: caseId, state: outcome.stateValue, status: set.status, rev: record.rev + 1, documents: { pending: pendingDocumentsOf(effects) } };
}

function staleRevision(current: number) {
  return new AppError(
    "STALE_REVISION",
    {
      th: "คำขอนี้ถูกเปลี่ยนแปลงโดยผู้อื่นหลังจากที่คุณเปิดดู กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
      en: "Someone else changed this application after you opened it. Reload and try again.",
    },
    { currentRev: current },
  );
}

/** `{ pointer: reason }` as sent; anything else (not an object, non-string reasons) counts as no reason. */
function unchangedReasonsOf(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

function historyComment(comment: string | undefined, keptAsIs: string[]): string {
  const kept = keptAsIs.length > 0 ? `ไม่ได้แก้ไข (เหตุผลของผู้ยื่น / the applicant's reasons):\n${keptAsIs.join("\n")}` : "";
  return [comment?.trim() ?? "", kept].filter(Boolean).join("\n");
}
