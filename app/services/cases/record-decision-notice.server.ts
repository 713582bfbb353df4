import type { CaseDoc, CaseEffect } from "~/models/case.server";
import { decisionNoticeId, insertCaseNotice } from "~/models/case-notice.server";
import type { PublishedService } from "~/models/service.server";
import type { NoticeResult } from "~/services/mail/applicant-notice.server";

/**
 * The decision is notified within 7 days of being made (Licensing Facilitation Act): when the notifyApplicant
 * effect of the transition into a final state has run, its notice is recorded as the case's decision notice
 * (`decision:<caseId>`, once). Decisions whose workflow sends no notice are notified by the worker's sweep.
 */
export async function recordDecisionNotice(input: { record: CaseDoc; service: PublishedService; effect: CaseEffect }, result: NoticeResult, now = new Date()): Promise<void> {
  const { record, service, effect } = input;
  const at = new Date(effect.createdAt).getTime();
  const entry = record.history.find((h) => new Date(h.at).getTime() === at);
  const state = entry ? service.definition.workflow.states[entry.to] : undefined;
  if (!entry || state?.type !== "final") return;
  const caseId = String(record._id);
  // Inserted without looking first: a notice recorded already (a re-run, the worker's sweep) makes the insert
  // find its `_id` taken, and the first one stays as it was.
  await insertCaseNotice({
    _id: decisionNoticeId(caseId),
    caseId,
    agencyId: record.agencyId,
    kind: "decision",
    n: 0,
    sentAt: now,
    reason: state.meta.label,
    channel: result.channel,
    trackingNumber: record.trackingNumber,
    serviceSlug: record.serviceSlug,
    dueAt: null,
    completedAt: now,
  });
}
