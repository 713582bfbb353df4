import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getCase, type CaseDoc } from "~/models/case.server";
import { getEffectRuns, isEffectDone } from "~/models/effect-run.server";
import { getFile } from "~/models/stored-file.server";
import { caseDocuments } from "~/services/case-documents.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { runCaseEffects } from "~/services/effects/run-effects.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { composeApplicantNotice, noticeMessageId } from "~/services/mail/applicant-notice.server";
import { permitFileId, resultFileId } from "~/services/permit-documents.server";
import { env } from "~/utils/env.server";
import { withTestDatabase } from "../support/db";
import { thaiMobile, thaiNationalId } from "../support/factories";
import { approver, caseAwaitingDecision, caseAwaitingFee, officer } from "../support/journeys";

/**
 * A real SMTP server on loopback receives what the effect runner sends. It is started by top-level await,
 * before any test or hook calls env(), whose result is cached for the whole file.
 */
type Received = { rcpt: string[]; raw: Buffer; mail: ParsedMail };
const inbox: Received[] = [];
/** When set, the server answers RCPT TO with this reply (4xx temporary, 5xx permanent). */
let refuseWith: { code: number; message: string } | null = null;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onRcptTo(_address, _session, callback) {
    if (!refuseWith) return callback();
    callback(Object.assign(new Error(refuseWith.message), { responseCode: refuseWith.code }));
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks);
      simpleParser(raw).then(
        (mail) => {
          inbox.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), raw, mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

withTestDatabase();

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  delete process.env.SMTP_URL;
});

const emailOf = (n: number) => `applicant${n}@example.co.th`;
const mailsTo = (address: string) => inbox.filter((m) => m.rcpt.includes(address));
const notifyEffects = (record: CaseDoc) => record.effects.filter((e) => e.type === "notifyApplicant");
const lastNotify = (record: CaseDoc) => notifyEffects(record).at(-1)!;
const mailWithId = (effectId: string) => inbox.filter((m) => m.mail.messageId === noticeMessageId(effectId));
const caseUrl = (id: string) => `${env().PUBLIC_URL}/cases/${id}`;

/** Everything a reader could see: headers and raw source, the text and HTML parts, the attachments' bytes. */
function everythingIn(received: Received): string {
  const { mail } = received;
  return [received.raw.toString("utf8"), mail.subject ?? "", mail.text ?? "", typeof mail.html === "string" ? mail.html : "", ...mail.attachments.map((a) => a.content.toString("latin1"))].join("\n");
}

describe("composing the notice", () => {
  const base = {
    effectId: "5f1c7a2e-0000-4000-8000-000000000001",
    to: "somchai@example.co.th",
    applicantName: "สมชาย ใจดี",
    trackingNumber: "SKJ-2569-000123",
    caseId: "6650f0c0a1b2c3d4e5f60718",
    publicUrl: "https://borikan.example.go.th",
    serviceTitle: { th: "ขอใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ", en: "Health-hazard business licence" },
    agencyName: { th: "เทศบาลเมืองสุขใจ", en: "Sukjai Town Municipality" },
    state: { th: "ออกใบอนุญาตแล้ว", en: "Licence issued" },
  };

  it("puts Thai first and English below, links the case and the registry, and takes the Message-ID from the effect", () => {
    const pdf = Buffer.from("%PDF-1.4\n");
    const comment = "โปรดแสดงใบอนุญาตในที่เปิดเผย <b>";
    const notice = composeApplicantNotice({
      ...base,
      comment,
      documents: [{ kind: "permit", number: "SKJ-HH-2569-00054", title: { th: "ใบอนุญาต (อภ.2)", en: "Health-hazard licence" }, pdf }],
    });
    expect(notice.messageId).toBe("<5f1c7a2e-0000-4000-8000-000000000001@borikan>");
    expect(notice.to).toBe("somchai@example.co.th");
    expect(notice.subject).toBe("[SKJ-2569-000123] ออกใบอนุญาตแล้ว / Licence issued");

    const [thai, english] = notice.text.split(/\n-{10,}\n/);
    expect(thai).toContain("เรียน สมชาย ใจดี");
    expect(thai).toContain("สถานะ: ออกใบอนุญาตแล้ว");
    expect(english).toContain("Dear สมชาย ใจดี,");
    expect(english).toContain("tracking number SKJ-2569-000123");
    expect(english).toContain("Status: Licence issued");
    expect(english).toContain("Health-hazard licence No. SKJ-HH-2569-00054 — attachment SKJ-HH-2569-00054.pdf");
    expect(english).toContain("Check the licence's status online: https://borikan.example.go.th/permits/SKJ-HH-2569-00054");
    expect(english).toContain("See the application and all its documents (sign-in required): https://borikan.example.go.th/cases/6650f0c0a1b2c3d4e5f60718");
    expect(thai).toContain(`ข้อความจากเจ้าหน้าที่: ${comment}`);
    expect(english).toContain(`Note from the officer: ${comment}`);
    expect(english).toContain("Sukjai Town Municipality");
    expect(english).not.toContain("สถานะ");
    expect(thai).not.toContain("Status:");

    // the officer's words are text, never markup
    expect(notice.html).toContain("&lt;b&gt;");
    expect(notice.html).not.toContain("<b>");
    expect(notice.html).toContain('<div lang="en">');
    expect(notice.attachments).toEqual([{ filename: "SKJ-HH-2569-00054.pdf", content: pdf, contentType: "application/pdf" }]);
  });

  it("prefers the workflow's own message for the subject, and announces documents still being prepared", () => {
    const notice = composeApplicantNotice({
      ...base,
      state: { th: "ตรวจสถานประกอบกิจการ", en: "Site inspection" },
      message: { th: "คำขอของท่านครบถ้วน\nและอยู่ระหว่างนัดตรวจสถานที่", en: "Your application is complete; a site inspection will be scheduled" },
      documents: [{ kind: "pending", title: { th: "ใบอนุญาต (กำลังจัดทำ)", en: "Permit (being prepared)" } }],
    });
    expect(notice.subject).toBe("[SKJ-2569-000123] คำขอของท่านครบถ้วน และอยู่ระหว่างนัดตรวจสถานที่ / Your application is complete; a site inspection will be scheduled");
    expect(notice.text).toContain("Status: Site inspection");
    expect(notice.text).toContain("Permit (being prepared) (being prepared; it will appear on the case page when ready)");
    expect(notice.attachments).toEqual([]);
  });
});

describe("e-mailing the applicant from the workflow", () => {
  const N = 301;
  let caseId = "";
  let record: CaseDoc;

  beforeAll(async () => {
    caseId = await caseAwaitingFee(N, { business: { name: "ร้านเสริมสวยแจ้งผลทางอีเมล" } });
    await fireCaseEvent(await officer(), caseId, { type: "FEE_PAID" });
    await settleCaseEffects(caseId);
    record = (await getCase(caseId))!;
  });

  it("sends one mail to the applicant's address per notifyApplicant effect, recorded as the e-mail channel", async () => {
    const effects = notifyEffects(record);
    expect(effects).toHaveLength(3); // ACCEPT, APPROVE, FEE_PAID
    const mails = mailsTo(emailOf(N));
    expect(mails).toHaveLength(3);
    expect(mails.map((m) => m.mail.messageId).sort()).toEqual(effects.map((e) => noticeMessageId(e.id)).sort());
    for (const m of mails) expect(m.mail.to && !Array.isArray(m.mail.to) ? m.mail.to.value.map((a) => a.address) : []).toEqual([emailOf(N)]);
    const runs = await getEffectRuns(effects.map((e) => e.id));
    for (const e of effects) expect(runs.get(e.id)?.result).toMatchObject({ channel: "email" });

    // ACCEPT's action carries its own message
    const accepted = mailWithId(effects[0]!.id)[0]!.mail;
    expect(accepted.subject).toBe(`[${record.trackingNumber}] คำขอของท่านครบถ้วนและอยู่ระหว่างนัดตรวจสถานที่ / Your application is complete; a site inspection will be scheduled`);
    expect(accepted.attachments).toHaveLength(0);
  });

  it("FEE_PAID: Thai subject with the tracking number, links to the case and the permit, the permit PDF attached, no ID or mobile", async () => {
    const docs = await caseDocuments(record);
    const permit = docs.issued.find((d) => d.kind === "permit");
    if (permit?.kind !== "permit") throw new Error("no permit on the case");
    const [received] = mailWithId(lastNotify(record).id);
    const mail = received!.mail;

    expect(mail.subject).toBe(`[${record.trackingNumber}] ออกใบอนุญาตแล้ว / Licence issued`);
    expect(mail.from?.text).toContain("no-reply@borikan.local");
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.text).toContain(`เรียน สมชาย ใจดี ${N}`);
    expect(mail.text).toContain(`Dear สมชาย ใจดี ${N},`);
    expect(mail.text).toContain(record.trackingNumber);
    expect(mail.text).toContain(caseUrl(caseId));
    expect(mail.text).toContain(`${env().PUBLIC_URL}/permits/${permit.number}`);
    expect(mail.html).toContain(`href="${caseUrl(caseId)}"`);
    expect(mail.html).toContain(`href="${env().PUBLIC_URL}/permits/${permit.number}"`);

    // the fee's electronic receipt (recordPayment runs first), then the permit
    expect(mail.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/^SKJ-R-\d{4}-\d{6}\.pdf$/), `${permit.number}.pdf`]);
    const pdf = mail.attachments[1];
    expect(pdf!.filename).toBe(`${permit.number}.pdf`);
    expect(pdf!.contentType).toBe("application/pdf");
    expect(pdf!.content.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf!.content.equals((await getFile(permitFileId(permit.number)))!.data)).toBe(true);

    // only the name, the tracking number and what was issued: no national ID, no mobile, no other form data
    for (const m of mailsTo(emailOf(N))) {
      const all = everythingIn(m);
      expect(all).not.toContain(thaiNationalId(N));
      expect(all).not.toContain(thaiMobile(N));
      expect(all).not.toContain("99/9 หมู่ 3"); // the applicant's home address
    }
  });

  it("APPROVE: the approval letter is attached", async () => {
    const approveNotify = notifyEffects(record)[1]!;
    const [received] = mailWithId(approveNotify.id);
    const letter = (await caseDocuments(record)).issued.find((d) => d.kind === "letter");
    if (letter?.kind !== "letter") throw new Error("no approval letter on the case");
    expect(received!.mail.subject).toBe(`[${record.trackingNumber}] รอชำระค่าธรรมเนียม / Waiting for the fee`);
    expect(received!.mail.text).toContain("Decision letter (approved)");
    expect(received!.mail.attachments.map((a) => a.filename)).toEqual([`${letter.number}.pdf`]);
    expect(received!.mail.attachments[0]!.content.equals((await getFile(resultFileId(letter.id)))!.data)).toBe(true);
  });

  it("REJECT: the rejection letter and the reasons", async () => {
    const n = 302;
    const reasons = "สถานที่ไม่มีระบบระบายอากาศตามข้อบัญญัติ ข้อ 12";
    const id = await caseAwaitingDecision(n);
    await fireCaseEvent(await approver(), id, { type: "REJECT", comment: reasons });
    await settleCaseEffects(id);
    const rejected = (await getCase(id))!;
    const [received] = mailWithId(lastNotify(rejected).id);
    const mail = received!.mail;
    expect(received!.rcpt).toEqual([emailOf(n)]);
    expect(mail.subject).toBe(`[${rejected.trackingNumber}] ไม่อนุญาต / Rejected`);
    expect(mail.text).toContain(`ข้อความจากเจ้าหน้าที่: ${reasons}`);
    expect(mail.text).toContain(`Note from the officer: ${reasons}`);
    expect(mail.text).toContain("Decision letter (refused) with reasons");
    const letter = (await caseDocuments(rejected)).issued.find((d) => d.kind === "letter");
    if (letter?.kind !== "letter") throw new Error("no rejection letter on the case");
    expect(mail.attachments.map((a) => a.filename)).toEqual([`${letter.number}.pdf`]);
    expect(mail.attachments[0]!.content.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("a case without an e-mail address: the case page is the channel and nothing is sent", async () => {
    const before = inbox.length;
    const id = await caseAwaitingDecision(303, { applicant: { email: undefined } });
    await fireCaseEvent(await approver(), id, { type: "REJECT", comment: "ไม่ผ่านเกณฑ์สุขลักษณะ" });
    await settleCaseEffects(id);
    const noEmail = (await getCase(id))!;
    expect(noEmail.summary.email).toBeFalsy();
    const effects = notifyEffects(noEmail);
    expect(effects).toHaveLength(2); // ACCEPT, REJECT
    const runs = await getEffectRuns(effects.map((e) => e.id));
    for (const e of effects) expect(runs.get(e.id)?.result.channel).toBe("case-page");
    expect(inbox.length).toBe(before);
  });
});

describe("when the mail server refuses", () => {
  it("temporarily (451): the effect stays pending, the runner reports it failed, and a retry sends the same message", async () => {
    const n = 304;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const id = await caseAwaitingDecision(n);
      refuseWith = { code: 451, message: "4.3.0 Mailbox temporarily unavailable" };
      await fireCaseEvent(await approver(), id, { type: "APPROVE" });
      const record = (await getCase(id))!;
      const notify = lastNotify(record);
      const letterEffect = record.effects.find((e) => e.type === "issueResult")!;
      const feeEffect = record.effects.find((e) => e.type === "requestPayment")!;
      expect(await settleCaseEffects(id)).toEqual({ ran: [letterEffect.id, feeEffect.id], failed: notify.id });

      expect(await isEffectDone(letterEffect.id)).toBe(true); // the letter before it was issued
      expect(await isEffectDone(notify.id)).toBe(false);
      expect(mailWithId(notify.id)).toHaveLength(0);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`effect notifyApplicant ${notify.id}`), expect.anything());
      // the case says so plainly instead of "being prepared" for ever: the notice waits for a retry, and when
      const { pending } = await caseDocuments(record);
      expect(pending).toEqual([expect.objectContaining({ kind: "notice", state: "retrying", failures: 1, retryAfter: expect.any(String) })]);
      expect(new Date(pending[0]!.retryAfter!).getTime()).toBeGreaterThan(Date.now() + 50_000); // the lease's minute

      // the worker's sweep takes the stale lease over (60 s in production, at once here)
      expect(await runCaseEffects(id, { staleAfterMs: 0 })).toEqual({ ran: [], failed: notify.id });
      expect(await isEffectDone(notify.id)).toBe(false);

      refuseWith = null;
      expect(await runCaseEffects(id, { staleAfterMs: 0 })).toEqual({ ran: [notify.id] });
      const sent = mailWithId(notify.id);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.rcpt).toEqual([emailOf(n)]);
      expect(sent[0]!.mail.attachments).toHaveLength(1); // the approval letter
      expect((await getEffectRuns([notify.id])).get(notify.id)?.result.channel).toBe("email");
    } finally {
      refuseWith = null;
      warn.mockRestore();
    }
  });

  it("permanently (550 to the address): the case page remains the channel and the case's later effects still run", async () => {
    const n = 305;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const id = await caseAwaitingDecision(n);
      refuseWith = { code: 550, message: "5.1.1 No such user" };
      await fireCaseEvent(await approver(), id, { type: "APPROVE" });
      await settleCaseEffects(id);
      const approved = (await getCase(id))!;
      const notify = lastNotify(approved);
      expect((await getEffectRuns([notify.id])).get(notify.id)?.result).toMatchObject({
        channel: "case-page",
        note: "e-mail address refused by the mail server (550)",
      });
      expect(warn).toHaveBeenCalledWith(expect.not.stringContaining(emailOf(n)));

      // a bad address never holds up the permit
      await fireCaseEvent(await officer(), id, { type: "FEE_PAID" });
      await settleCaseEffects(id);
      const docs = await caseDocuments((await getCase(id))!);
      expect(docs.issued.map((d) => d.kind)).toEqual(["letter", "receipt", "permit"]);
      expect(docs.pending).toEqual([]);
      expect(mailsTo(emailOf(n))).toHaveLength(1); // only ACCEPT's, sent before the refusals
    } finally {
      refuseWith = null;
      warn.mockRestore();
    }
  });
});
