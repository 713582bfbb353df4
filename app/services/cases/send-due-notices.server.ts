import type { AuditActor } from "~/core/audit/chain";
import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import { caseClock, dueDelayNotice, type NoticesSent } from "~/core/cases/case-clocks";
import type { LocalizedText } from "~/core/text";
import { getAgencyForDocuments } from "~/models/agency.server";
import { listDueCaseClocks, putCaseClock, type CaseClockRow } from "~/models/case-clock.server";
import {
  decisionNoticeId,
  delayNoticeId,
  getCaseNotice,
  insertCaseNotice,
  markCaseNoticeCompleted,
  type CaseNotice,
  type CaseNoticeChannel,
} from "~/models/case-notice.server";
import { applyCaseUpdate, getCase, type CaseDoc } from "~/models/case.server";
import { acquireLease } from "~/models/claim.server";
import { getDelayReason } from "~/models/delay-reason.server";
import { isEffectDone } from "~/models/effect-run.server";
import { getServiceVersion, type PublishedService } from "~/models/service.server";
import { recordAudit } from "~/services/audit/record-audit.server";
import { composeCaseNoticeMail } from "~/services/mail/case-notice-mail.server";
import { sendMail } from "~/services/mail/mailer.server";
import { env } from "~/utils/env.server";
import { logError } from "~/utils/log.server";
import { clockRowOf } from "./track-case-clock.server";

/** The reason a delay notice gives when the officer wrote none. */
export const DEFAULT_DELAY_REASON: LocalizedText = {
  th: "เจ้าหน้าที่อยู่ระหว่างการพิจารณาคำขอของท่าน ซึ่งต้องใช้เวลามากกว่าที่กำหนดไว้ในคู่มือสำหรับประชาชน",
  en: "The officers are still considering your application, which is taking longer than the service manual states.",
};

/** Who sends notices in the audit trail and the case history. */
export const NOTICE_SYSTEM_ACTOR: AuditActor = { kind: "system", id: "notice-sweep", name: "ระบบแจ้งเตือน / Notices" };

export type NoticeSweepOutcome = { delay: number; decision: number };

/**
 * The worker's notice sweep (Licensing Facilitation Act B.E. 2558): for every case whose clock row says work
 * is due — a delay notice (first working day after the limit, then every 7 days until decided), or a decision
 * not notified within DECISION_NOTICE_GRACE_MINUTES — checks the case itself and sends the notice on the case
 * page, by e-mail, in the history and the audit trail. Each notice is sent once across restarts and processes:
 * its id `delay:<caseId>:<n>` is leased (a claim) before anything is sent, and a run that died half-way is
 * resumed once its lease is stale (the e-mail keeps its Message-ID). Reads case_clocks, then cases by `_id`.
 */
export async function sendDueNotices(options: { now?: Date } = {}): Promise<NoticeSweepOutcome> {
  const now = options.now ?? new Date();
  const outcome: NoticeSweepOutcome = { delay: 0, decision: 0 };
  for (const row of await listDueCaseClocks(now)) {
    try {
      const sent = await noticesOfCase(row, now);
      outcome.delay += sent.delay;
      outcome.decision += sent.decision;
    } catch (error) {
      logError(`notice sweep: case ${row._id} failed; retried at the next sweep`, error);
    }
  }
  return outcome;
}

async function noticesOfCase(row: CaseClockRow, now: Date): Promise<NoticeSweepOutcome> {
  const outcome: NoticeSweepOutcome = { delay: 0, decision: 0 };
  const record = await getCase(row._id);
  const service = record ? await getServiceVersion(record.serviceVersionId) : null;
  if (!record || !service) {
    await putCaseClock({ ...row, checkAt: null, updatedAt: now });
    return outcome;
  }
  const statutoryDays = service.definition.manifest.statutoryDays;
  const caseId = String(record._id);
  // Notices completed by another process since the row was written (its write may have been lost).
  let sent: NoticesSent = { count: row.noticesSent, lastAt: row.lastNoticeAt };
  for (;;) {
    const next = await getCaseNotice(delayNoticeId(caseId, sent.count + 1));
    if (!next?.completedAt) break;
    sent = { count: next.n, lastAt: next.sentAt };
  }
  let decisionNotifiedAt = (await getCaseNotice(decisionNoticeId(caseId)))?.sentAt ?? null;

  if (record.status !== "done") {
    const clockCase = { countedFrom: record.receipt.countedFrom, statutoryDays, sla: record.sla };
    const due = dueDelayNotice(clockCase, getWorkingCalendar(), now, sent);
    if (due) {
      const dueAt = caseClock(clockCase, getWorkingCalendar(), now, sent).dueAt;
      const notice = await sendNotice(record, service, { _id: delayNoticeId(caseId, due.n), kind: "delay", n: due.n, dueAt }, now);
      if (notice) {
        sent = { count: notice.n, lastAt: notice.sentAt };
        outcome.delay++;
      }
    }
  } else if (
    !decisionNotifiedAt &&
    now.getTime() >= (record.closedAt ?? record.updatedAt).getTime() + env().DECISION_NOTICE_GRACE_MINUTES * 60_000 &&
    !(await workflowNoticePending(record))
  ) {
    const notice = await sendNotice(record, service, { _id: decisionNoticeId(caseId), kind: "decision", n: 0, dueAt: null }, now);
    if (notice) {
      decisionNotifiedAt = notice.sentAt;
      outcome.decision++;
    }
  }
  await putCaseClock(clockRowOf(record, statutoryDays, { sent, decisionNotifiedAt }, now));
  return outcome;
}

/**
 * The workflow's own notice of the decision is queued but has not run yet (e.g. the mail server is down): it
 * will record the decision notice when it runs, so the sweep does not send a second one meanwhile.
 */
async function workflowNoticePending(record: CaseDoc): Promise<boolean> {
  const decidedAt = new Date(record.closedAt ?? record.updatedAt).getTime();
  const notices = record.effects.filter((e) => e.type === "notifyApplicant" && new Date(e.createdAt).getTime() === decidedAt);
  for (const effect of notices) if (!(await isEffectDone(effect.id))) return true;
  return false;
}

/**
 * Sends one notice under its lease; null when another process holds it (or has completed it). The steps are
 * each safe to repeat after a crash: the row is inserted once (a resumed run keeps its time and reason), the
 * history entry is added once, the e-mail keeps its Message-ID.
 */
async function sendNotice(
  record: CaseDoc,
  service: PublishedService,
  what: { _id: string; kind: "delay" | "decision"; n: number; dueAt: Date | null },
  now: Date,
): Promise<CaseNotice | null> {
  const lease = await acquireLease(`notice:${what._id}`, async () => !(await getCaseNotice(what._id))?.completedAt);
  if (!lease) return null;
  const caseId = String(record._id);
  const reason =
    what.kind === "delay"
      ? ((await getDelayReason(caseId))?.reason ?? DEFAULT_DELAY_REASON)
      : (service.definition.workflow.states[record.stateValue]?.meta.label ?? { th: record.stateValue, en: record.stateValue });
  const notice = await insertCaseNotice({
    _id: what._id,
    caseId,
    agencyId: record.agencyId,
    kind: what.kind,
    n: what.n,
    sentAt: now,
    reason,
    channel: record.channel === "api" ? "api" : "case-page",
    trackingNumber: record.trackingNumber,
    serviceSlug: record.serviceSlug,
    dueAt: what.dueAt,
    completedAt: null,
  });
  if (notice.completedAt) return notice;
  await addNoticeToHistory(caseId, notice);
  const channel = await mailNotice(record, service, notice);
  await recordAudit(NOTICE_SYSTEM_ACTOR, {
    action: what.kind === "delay" ? "case.delay-notice" : "case.decision-notice",
    agencyId: record.agencyId,
    at: notice.sentAt,
    target: { type: "case", id: caseId },
    details: { trackingNumber: record.trackingNumber, service: record.serviceSlug, notice: notice._id, n: notice.n, channel },
  });
  await markCaseNoticeCompleted(notice._id, new Date(), channel);
  return { ...notice, channel };
}

export const NOTICE_EVENTS = { delay: "DELAY_NOTICE", decision: "DECISION_NOTICE" } as const;

/** One history entry per notice, in a write guarded by the case's revision (retried on a concurrent change). */
async function addNoticeToHistory(caseId: string, notice: CaseNotice): Promise<void> {
  const event = NOTICE_EVENTS[notice.kind];
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = await getCase(caseId);
    if (!record) return;
    if (record.history.some((h) => h.event === event && new Date(h.at).getTime() === new Date(notice.sentAt).getTime())) return;
    const comment = notice.kind === "delay" ? `${notice.n}: ${notice.reason.th}` : notice.reason.th;
    const written = await applyCaseUpdate(record._id, record.rev, {
      set: {},
      history: { at: notice.sentAt, actor: { kind: "system", id: NOTICE_SYSTEM_ACTOR.id, name: NOTICE_SYSTEM_ACTOR.name }, role: "system", event, from: record.stateValue, to: record.stateValue, comment },
      effects: [],
    });
    if (written) return;
  }
  throw new Error(`case ${caseId}: the history entry of notice ${notice._id} lost five revision races`);
}

/** By e-mail when the case has an address and SMTP is configured; the case page (or the API) otherwise. */
async function mailNotice(record: CaseDoc, service: PublishedService, notice: CaseNotice): Promise<CaseNoticeChannel> {
  const other: CaseNoticeChannel = record.channel === "api" ? "api" : "case-page";
  const to = record.summary.email?.trim() ?? "";
  if (!to || !/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(to)) return other;
  const agency = await getAgencyForDocuments(record.agencyId);
  const mail = composeCaseNoticeMail({
    noticeId: notice._id,
    kind: notice.kind,
    n: notice.n,
    to,
    applicantName: record.summary.applicantName,
    trackingNumber: record.trackingNumber,
    caseId: String(record._id),
    publicUrl: env().PUBLIC_URL,
    serviceTitle: service.definition.manifest.title,
    agencyName: agency?.name,
    reason: notice.reason,
    at: notice.kind === "delay" ? (notice.dueAt ?? notice.sentAt) : (record.closedAt ?? notice.sentAt),
  });
  const sent = await sendMail(mail);
  return sent.delivered ? "email" : other;
}
