/**
 * Delay and decision notices (Licensing Facilitation Act B.E. 2558) against the real database and a real SMTP
 * server, at chosen instants. The service is the s.21 information request (3 working days) as Suk Jai cloned
 * it. Filed Monday 8 June 2026 at 10:00 (Bangkok; no holidays that fortnight): due Wednesday 10 June at 16:30,
 * first delay notice Thursday 11 June at 08:30, the next ones on the 18th and the 25th.
 */
import mongoose from "mongoose";
import { afterAll, describe, expect, it } from "vitest";
import { CaseClockModel, getCaseClock } from "~/models/case-clock.server";
import { decisionNoticeId, delayNoticeId, getCaseNotice, listCaseNotices } from "~/models/case-notice.server";
import { getCase } from "~/models/case.server";
import { getServiceVersion } from "~/models/service.server";
import { fillCaseClocks } from "~/services/cases/fill-case-clocks.server";
import { getCaseNoticesView } from "~/services/cases/get-case-notices.server";
import { recordDecisionNotice } from "~/services/cases/record-decision-notice.server";
import { recordDelayReason } from "~/services/cases/record-delay-reason.server";
import { DEFAULT_DELAY_REASON, sendDueNotices } from "~/services/cases/send-due-notices.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { cloneSlug } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { env } from "~/utils/env.server";
import { withTestDatabase } from "../support/db";
import { citizen, officer } from "../support/journeys";
import { startTestSmtp } from "../support/smtp";

const smtp = await startTestSmtp();
process.env.SMTP_URL = smtp.url;
withTestDatabase();
afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
});

const SLUG = cloneSlug("sukjai", "licensing-information-request");
/** An instant given as Bangkok wall-clock time. */
const bkk = (local: string) => new Date(`${local.replace(" ", "T")}:00+07:00`);
const emailOf = (n: number) => `requester${n}@example.co.th`;

async function fileRequest(n: number, at = bkk("2026-06-08 10:00")) {
  const data = {
    requester: { fullName: `สมหญิง ใจดี ${n}`, email: emailOf(n) },
    request: { subject: "ร้านอาหารต้องขออนุญาตไหม", topic: "needed", question: "เปิดร้านอาหารขนาด 50 ตารางเมตร ต้องขออนุญาตอะไรบ้าง" },
    consent: true,
  };
  const filed = await submitApplication(await citizen(), SLUG, data, "web", at);
  await settleCaseEffects(filed.id);
  return filed;
}

const auditOf = (caseId: string, action: string) =>
  mongoose.connection.db!.collection("audit_entries").find({ action, "target.id": caseId }).toArray();

describe("delay notices", () => {
  let id = "";

  it("none at the limit; the first on the next working day at opening, sent once when two sweeps run at once", async () => {
    const filed = await fileRequest(1);
    id = filed.id;
    expect((await getCaseClock(id))?.nextNoticeAt).toEqual(bkk("2026-06-11 08:30"));

    await sendDueNotices({ now: bkk("2026-06-10 16:30") });
    await sendDueNotices({ now: bkk("2026-06-11 08:29") });
    expect(await getCaseNotice(delayNoticeId(id, 1))).toBeNull();

    const mailsBefore = smtp.mailsTo(emailOf(1)).length;
    const [a, b] = await Promise.all([sendDueNotices({ now: bkk("2026-06-11 08:30") }), sendDueNotices({ now: bkk("2026-06-11 08:30") })]);
    expect(a.delay + b.delay).toBe(1);
    // …and again later the same day, after a restart: nothing more.
    await sendDueNotices({ now: bkk("2026-06-11 15:00") });

    const notice = await getCaseNotice(delayNoticeId(id, 1));
    expect(notice).toMatchObject({ caseId: id, agencyId: "sukjai", kind: "delay", n: 1, sentAt: bkk("2026-06-11 08:30"), reason: DEFAULT_DELAY_REASON, channel: "email" });
    expect(notice?.completedAt).toBeInstanceOf(Date);

    const mail = await smtp.nextMailTo(emailOf(1), mailsBefore);
    expect(smtp.mailsTo(emailOf(1)).length).toBe(mailsBefore + 1);
    expect(mail.mail.subject).toBe(`[${filed.trackingNumber}] แจ้งเหตุล่าช้าในการพิจารณาคำขอ (ครั้งที่ 1) / Your application is delayed (notice 1)`);
    expect(mail.mail.text).toContain(DEFAULT_DELAY_REASON.th);
    expect(mail.mail.text).toContain(DEFAULT_DELAY_REASON.en);
    expect(mail.mail.text).toContain(`${env().PUBLIC_URL}/cases/${id}`);

    const record = await getCase(id);
    expect(record?.history.filter((h) => h.event === "DELAY_NOTICE")).toEqual([
      expect.objectContaining({ at: bkk("2026-06-11 08:30"), role: "system", from: "received", to: "received" }),
    ]);
    expect(await auditOf(id, "case.delay-notice")).toHaveLength(1);
    expect((await getCaseClock(id))?.nextNoticeAt).toEqual(bkk("2026-06-18 08:30"));
  });

  it("the next on the 7th day with the officer's latest reason, and the one after on the 14th", async () => {
    const staff = await officer();
    await recordDelayReason(staff, id, { th: "รอความเห็นจากกองช่างว่าต้องขออนุญาตก่อสร้างหรือไม่", en: "" }, bkk("2026-06-12 09:00"));
    await recordDelayReason(staff, id, { th: "รอความเห็นจากกองช่าง", en: "Waiting for the engineering division's opinion" }, bkk("2026-06-15 09:00"));
    expect(await auditOf(id, "case.delay-reason")).toHaveLength(2);

    await sendDueNotices({ now: bkk("2026-06-18 08:29") });
    expect(await getCaseNotice(delayNoticeId(id, 2))).toBeNull();
    const before = smtp.mailsTo(emailOf(1)).length;
    await sendDueNotices({ now: bkk("2026-06-18 08:30") });
    expect(await getCaseNotice(delayNoticeId(id, 2))).toMatchObject({
      n: 2,
      sentAt: bkk("2026-06-18 08:30"),
      reason: { th: "รอความเห็นจากกองช่าง", en: "Waiting for the engineering division's opinion" },
    });
    const second = await smtp.nextMailTo(emailOf(1), before);
    expect(second.mail.subject).toContain("(ครั้งที่ 2)");
    expect(second.mail.text).toContain("Waiting for the engineering division's opinion");

    await sendDueNotices({ now: bkk("2026-06-24 23:59") });
    expect(await getCaseNotice(delayNoticeId(id, 3))).toBeNull();
    await sendDueNotices({ now: bkk("2026-06-25 08:30") });
    expect(await getCaseNotice(delayNoticeId(id, 3))).toMatchObject({ n: 3, sentAt: bkk("2026-06-25 08:30") });
    expect((await getCase(id))?.history.filter((h) => h.event === "DELAY_NOTICE")).toHaveLength(3);

    // OPDC's copies: newest first, by agency.
    const copies = await listCaseNotices({ kind: "delay", agencyId: "sukjai" }, 1, 10);
    expect(copies.rows.filter((r) => r.caseId === id).map((r) => r.n)).toEqual([3, 2, 1]);
    expect((await listCaseNotices({ kind: "delay", agencyId: "thungthong" }, 1, 10)).rows.some((r) => r.caseId === id)).toBe(false);
  });

  it("a decided case gets no more; its decision is notified by the workflow's own notice", async () => {
    await fireCaseEvent(await officer(), id, { type: "ANSWER", comment: "กิจการนี้ต้องขอใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร" }, bkk("2026-06-26 10:00"));
    await settleCaseEffects(id);
    const decision = await getCaseNotice(decisionNoticeId(id));
    expect(decision).toMatchObject({ kind: "decision", agencyId: "sukjai", channel: "email", reason: { en: "Information given" } });

    await sendDueNotices({ now: bkk("2026-07-02 08:30") });
    await sendDueNotices({ now: bkk("2026-07-09 08:30") });
    expect(await getCaseNotice(delayNoticeId(id, 4))).toBeNull();
    expect(await getCaseClock(id)).toMatchObject({ decided: true, decidedAt: bkk("2026-06-26 10:00"), nextNoticeAt: null, checkAt: null, noticesSent: 3 });

    const record = (await getCase(id))!;
    const view = await getCaseNoticesView(record, (await getServiceVersion(record.serviceVersionId))!, true, bkk("2026-07-09 08:30"));
    expect(view.notices.map((n) => n.kind)).toEqual(["decision", "delay", "delay", "delay"]);
    expect(view.decision).toMatchObject({ decidedAt: bkk("2026-06-26 10:00"), notifyBy: bkk("2026-07-03 10:00") });
    expect(view.decision?.notifiedAt).toEqual(decision?.sentAt);
    expect(view.late).toBe(true);
  });

  it("recording its decision notice again (a re-run of the notice) keeps the one recorded first", async () => {
    // given the decided case, its decision notice recorded when the workflow's notice ran
    const record = (await getCase(id))!;
    const service = (await getServiceVersion(record.serviceVersionId))!;
    const effect = record.effects.filter((e) => e.type === "notifyApplicant").at(-1)!;
    const first = await getCaseNotice(decisionNoticeId(id));
    expect(first).toMatchObject({ kind: "decision", channel: "email" });
    // when the same notice is recorded again later, by another channel
    await recordDecisionNotice({ record, service, effect }, { channel: "case-page" }, bkk("2026-07-10 08:30"));
    // then the first record stands, unchanged
    expect(await getCaseNotice(decisionNoticeId(id))).toEqual(first);
  });
});

describe("a case waiting on the applicant, then decided without a notice", () => {
  it("gets no delay notice while paused, and its decision is notified by the sweep after the grace", async () => {
    const filed = await fileRequest(2);
    const id = filed.id;
    // Tuesday 9 June: the officer asks the requester to clarify: the clock stops.
    await fireCaseEvent(await officer(), id, { type: "ASK_CLARIFICATION", comment: "โปรดระบุประเภทอาหาร", data: { missingItems: ["/request/question"] } }, bkk("2026-06-09 11:00"));
    await settleCaseEffects(id);
    expect((await getCaseClock(id))?.nextNoticeAt).toBeNull();
    await sendDueNotices({ now: bkk("2026-06-11 08:30") });
    await sendDueNotices({ now: bkk("2026-06-22 08:30") });
    expect(await getCaseNotice(delayNoticeId(id, 1))).toBeNull();

    // The requester withdraws (no notifyApplicant in that transition): the sweep notifies after the grace.
    await fireCaseEvent(await citizen(), id, { type: "WITHDRAW" }, bkk("2026-06-23 09:00"));
    await settleCaseEffects(id);
    const grace = env().DECISION_NOTICE_GRACE_MINUTES * 60_000;
    const before = smtp.mailsTo(emailOf(2)).length;
    await sendDueNotices({ now: new Date(bkk("2026-06-23 09:00").getTime() + grace - 60_000) });
    expect(await getCaseNotice(decisionNoticeId(id))).toBeNull();
    const at = new Date(bkk("2026-06-23 09:00").getTime() + grace);
    const [a, b] = await Promise.all([sendDueNotices({ now: at }), sendDueNotices({ now: at })]);
    expect(a.decision + b.decision).toBe(1);
    expect(await getCaseNotice(decisionNoticeId(id))).toMatchObject({ kind: "decision", sentAt: at, channel: "email", reason: { en: "Withdrawn" } });
    const mail = await smtp.nextMailTo(emailOf(2), before);
    expect(mail.mail.subject).toBe(`[${filed.trackingNumber}] แจ้งผลการพิจารณาคำขอ / Your application has been decided`);
    expect(await auditOf(id, "case.decision-notice")).toHaveLength(1);
    expect((await getCase(id))?.history.filter((h) => h.event === "DECISION_NOTICE")).toHaveLength(1);
    expect(await getCaseClock(id)).toMatchObject({ decisionNotifiedAt: at, checkAt: null });
  });
});

describe("a sweep that died half-way", () => {
  it("is resumed once its lease is stale: the notice is completed once, with its first time and one history entry", async () => {
    const filed = await fileRequest(5);
    const id = filed.id;
    // A worker claimed notice 1 and stored it at 08:30, then died before the history, the e-mail and the audit.
    const claims = mongoose.connection.db!.collection<{ _id: string; at: Date }>("claims");
    await claims.insertOne({ _id: `notice:${delayNoticeId(id, 1)}`, at: new Date() });
    await mongoose.connection.db!.collection<Record<string, unknown> & { _id: string }>("case_notices").insertOne({
      _id: delayNoticeId(id, 1), caseId: id, agencyId: "sukjai", kind: "delay", n: 1, sentAt: bkk("2026-06-11 08:30"),
      reason: DEFAULT_DELAY_REASON, channel: "case-page", trackingNumber: filed.trackingNumber, serviceSlug: SLUG, dueAt: bkk("2026-06-10 16:30"), completedAt: null,
    });
    const before = smtp.mailsTo(emailOf(5)).length;
    // While its lease is fresh, the holder may still be working: nobody else touches the notice.
    await sendDueNotices({ now: bkk("2026-06-11 08:45") });
    expect((await getCaseNotice(delayNoticeId(id, 1)))?.completedAt).toBeNull();
    await claims.updateOne({ _id: `notice:${delayNoticeId(id, 1)}` }, { $set: { at: new Date(Date.now() - 10 * 60_000) } });
    await sendDueNotices({ now: bkk("2026-06-11 09:00") });
    await sendDueNotices({ now: bkk("2026-06-11 09:15") });
    expect(await getCaseNotice(delayNoticeId(id, 1))).toMatchObject({ sentAt: bkk("2026-06-11 08:30"), channel: "email", completedAt: expect.any(Date) });
    expect(await getCaseNotice(delayNoticeId(id, 2))).toBeNull();
    expect(smtp.mailsTo(emailOf(5)).length - before).toBe(1);
    expect((await getCase(id))?.history.filter((h) => h.event === "DELAY_NOTICE")).toHaveLength(1);
    expect(await auditOf(id, "case.delay-notice")).toHaveLength(1);
  });
});

describe("the data upgrade", () => {
  it("gives cases filed before the clocks their row; decided ones are left out of the sweep", async () => {
    const open = await fileRequest(3);
    const decided = await fileRequest(4);
    await fireCaseEvent(await officer(), decided.id, { type: "ANSWER", comment: "ไม่ต้องขออนุญาต" }, bkk("2026-06-09 10:00"));
    await settleCaseEffects(decided.id);
    await CaseClockModel.deleteMany({ _id: { $in: [open.id, decided.id] } });

    await fillCaseClocks(bkk("2026-06-09 12:00"));
    expect(await getCaseClock(open.id)).toMatchObject({ agencyId: "sukjai", decided: false, nextNoticeAt: bkk("2026-06-11 08:30"), checkAt: bkk("2026-06-11 08:30") });
    expect(await getCaseClock(decided.id)).toMatchObject({ decided: true, decidedAt: bkk("2026-06-09 10:00"), checkAt: null });
    // Run again: rows that exist are kept.
    await fillCaseClocks(bkk("2026-06-20 12:00"));
    expect((await getCaseClock(open.id))?.updatedAt).toEqual(bkk("2026-06-09 12:00"));
  });
});
