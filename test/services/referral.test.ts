import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getAgency } from "~/models/agency.server";
import { getCaseClock } from "~/models/case-clock.server";
import { CaseModel, getCase, listInbox, type CaseDoc } from "~/models/case.server";
import { getResultDocument } from "~/models/result-document.server";
import { getServiceVersion } from "~/models/service.server";
import { getFile } from "~/models/stored-file.server";
import { getUpload, insertUpload, UploadModel } from "~/models/upload.server";
import { referralsOf } from "~/core/cases/referral";
import { uploadRef } from "~/core/uploads/upload-rules";
import { caseDocuments } from "~/services/case-documents.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { referralCaseIdOf, referToAgencyEffect } from "~/services/effects/refer-to-agency.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { resultFileId } from "~/services/permit-documents.server";
import { cloneSlug } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { readableUpload } from "~/services/uploads/upload-access.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { citizen, demoActor, officer } from "../support/journeys";
import { startTestSmtp } from "../support/smtp";

// The SMTP server is up before anything calls env() (cached for the file): the notices go to it.
const smtp = await startTestSmtp();
process.env.SMTP_URL = smtp.url;
afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
});

withTestDatabase();

const PETITION = cloneSlug("sukjai", "general-petition");
const otherOfficer = () => demoActor("officer@thungthong.demo.borikan.local");
/** Saturday 5 December 2026 (a holiday too), 10:00 Bangkok: the receipt counts from the next working day. */
const FILED_AT = new Date("2026-12-05T03:00:00Z");
/** Monday 7 December 2026, 10:00 Bangkok. */
const REFERRED_AT = new Date("2026-12-07T03:00:00Z");

const emailOf = (n: number) => `complainant${n}@example.co.th`;

function petition(n: number, file?: string) {
  return {
    complainant: { anonymous: false, fullName: `ผู้ร้อง ทดสอบ${n}`, mobile: "0812345678", email: emailOf(n) },
    complaint: { subject: "ถนนทางหลวงชำรุดเป็นหลุม", category: "road", details: "ถนนทางหลวงหน้าหมู่บ้านเป็นหลุมลึก รถจักรยานยนต์ล้มหลายครั้ง" },
    ...(file ? { attachments: { file1: file } } : {}),
    consent: true,
  };
}

/** A finished upload of the citizen's, for the petition's first attachment (its bytes are not needed here). */
async function citizenUpload(id: string): Promise<string> {
  const owner = await citizen();
  const at = new Date();
  await insertUpload({
    _id: id,
    owner: { kind: "citizen", id: owner.id },
    agencyId: "sukjai",
    service: PETITION,
    serviceVersionId: `${PETITION}@1`,
    field: "/attachments/file1",
    forCase: null,
    name: "pothole.pdf",
    declaredType: "application/pdf",
    size: 9,
    maxBytes: 1024,
    types: ["application/pdf"],
    status: "complete",
    detectedType: "application/pdf",
    sha256: null,
    createdAt: at,
    completedAt: at,
    expiresAt: new Date(at.getTime() + 24 * 3600_000),
  });
  return id;
}

async function filePetition(n: number, file?: string) {
  return submitApplication(await citizen(), PETITION, petition(n, file), "web", FILED_AT);
}

const referEffectOf = (record: CaseDoc) => record.effects.find((e) => e.type === "referToAgency")!;

describe("referring a case to an agency on the platform", () => {
  it("files a new case in the other agency's inbox with the same data and files and the original receipt times; both histories link", async () => {
    const uploadsBefore = await UploadModel.countDocuments();
    const uploadId = await citizenUpload("referral00000000upload01");
    const filed = await filePetition(1, uploadRef(uploadId));
    const original = (await getCase(filed.id))!;
    // Filed on a holiday: counted from the next working day, a different instant.
    expect(original.receipt.countedFrom.getTime()).toBeGreaterThan(original.receipt.receivedAt.getTime());

    const mailsBefore = smtp.mailsTo(emailOf(1)).length;
    await fireCaseEvent(await officer(), filed.id, { type: "NOT_OUR_AGENCY", comment: "ทางหลวงอยู่ในความรับผิดชอบของ อบต.ทุ่งทอง", data: { agencyId: "thungthong" } }, REFERRED_AT);
    expect((await settleCaseEffects(filed.id)).failed).toBeUndefined();

    const referred = (await getCase(filed.id))!;
    expect(referred).toMatchObject({ status: "done", stateValue: "referred", outcome: "referred" });
    const newId = referralCaseIdOf(referEffectOf(referred).id);
    const created = (await getCase(String(newId)))!;
    expect(created).toMatchObject({ agencyId: "thungthong", serviceSlug: cloneSlug("thungthong", "general-petition"), status: "active", applicant: original.applicant });
    expect(created.trackingNumber).toMatch(/^TTG-/);
    expect(JSON.parse(created.dataJson)).toEqual(JSON.parse(original.dataJson));
    expect(created.receipt.receivedAt).toEqual(original.receipt.receivedAt);
    expect(created.receipt.countedFrom).toEqual(original.receipt.countedFrom);

    // Both histories link to each other.
    const sukjai = (await getAgency("sukjai"))!;
    const thungthong = (await getAgency("thungthong"))!;
    expect(created.history[0]).toMatchObject({
      event: "REFERRED_FROM",
      role: "system",
      comment: "ทางหลวงอยู่ในความรับผิดชอบของ อบต.ทุ่งทอง",
      link: { caseId: filed.id, trackingNumber: original.trackingNumber, agencyName: sukjai.name },
    });
    expect(referred.history.at(-1)).toMatchObject({ event: "REFERRED_TO", link: { caseId: String(newId), trackingNumber: created.trackingNumber, agencyName: thungthong.name } });
    expect(referralsOf(referred).to).toMatchObject({ onPlatform: true, caseId: String(newId), trackingNumber: created.trackingNumber });
    expect(referralsOf(created).from).toMatchObject({ caseId: filed.id, trackingNumber: original.trackingNumber });

    // Its delay-notice clock runs in the receiving agency.
    expect(await getCaseClock(String(newId))).toMatchObject({ agencyId: "thungthong", decided: false, noticesSent: 0 });

    // In the other agency's inbox.
    const inbox = await listInbox({ agencyId: "thungthong", status: "active" }, 1, 50, REFERRED_AT);
    expect(inbox.rows.map((r) => String(r._id))).toContain(String(newId));

    // The same stored file, not a copy: readable by both agencies and the applicant.
    expect(await UploadModel.countDocuments()).toBe(uploadsBefore + 1);
    expect(await getUpload(uploadId)).toMatchObject({ attachedTo: String(newId), sharedWith: [filed.id] });
    for (const actor of [await otherOfficer(), await officer(), await citizen()]) expect((await readableUpload(actor, uploadId))._id).toBe(uploadId);

    // The applicant is told by e-mail, with the new tracking number and a link to the new case.
    const mail = await smtp.nextMailTo(emailOf(1), mailsBefore);
    expect(mail.mail.text).toContain(created.trackingNumber);
    expect(mail.mail.text).toContain(`/cases/${String(newId)}`);
    expect(mail.mail.text).toContain(thungthong.name.th);
  });

  it("files once: a re-run of the effect (after a crash) finds the case it filed and links once", async () => {
    const filed = await filePetition(2);
    await fireCaseEvent(await officer(), filed.id, { type: "NOT_OUR_AGENCY", data: { agencyId: "thungthong" } }, REFERRED_AT);
    await settleCaseEffects(filed.id);
    const record = (await getCase(filed.id))!;
    const effect = referEffectOf(record);
    const casesBefore = await CaseModel.countDocuments({ agencyId: "thungthong" });

    const service = (await getServiceVersion(record.serviceVersionId))!;
    const agency = (await getAgency("sukjai"))!;
    // Twice more, as the sweep would after a crash (resumed) and as a second process would (fresh), at once.
    const [again, third] = await Promise.all([
      referToAgencyEffect({ record, service, agency, effect, resumed: true }),
      referToAgencyEffect({ record, service, agency, effect, resumed: false }),
    ]);
    expect(again.referredCaseId).toBe(String(referralCaseIdOf(effect.id)));
    expect(third.referredCaseId).toBe(again.referredCaseId);
    expect(await CaseModel.countDocuments({ agencyId: "thungthong" })).toBe(casesBefore);
    const after = (await getCase(filed.id))!;
    expect(after.history.filter((h) => h.event === "REFERRED_TO")).toHaveLength(1);
  });
});

describe("referring a case to an agency not on the platform", () => {
  it("sends the applicant a signed referral letter naming the agency and its address", async () => {
    const filed = await filePetition(3);
    const target = { agencyName: { th: "แขวงทางหลวงนนทบุรี", en: "Nonthaburi Highway District" }, address: "ถนนรัตนาธิเบศร์ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000" };
    const mailsBefore = smtp.mailsTo(emailOf(3)).length;
    await fireCaseEvent(await officer(), filed.id, { type: "NOT_OUR_AGENCY", data: target }, REFERRED_AT);
    await settleCaseEffects(filed.id);

    const record = (await getCase(filed.id))!;
    expect(record).toMatchObject({ status: "done", outcome: "referred" });
    const docs = await caseDocuments(record);
    expect(docs.pending).toEqual([]);
    expect(docs.issued).toHaveLength(1);
    const letter = (await getResultDocument(referEffectOf(record).id))!;
    expect(letter).toMatchObject({ kind: "referral", referredTo: { name: target.agencyName, address: target.address }, trackingNumber: filed.trackingNumber });
    const pdf = await getFile(resultFileId(letter.id));
    expect(pdf?.data.subarray(0, 5).toString()).toBe("%PDF-");
    // The letter names the agency and its address (text as a reader's PDF tool extracts it).
    const dir = mkdtempSync(path.join(tmpdir(), "borikan-referral-"));
    writeFileSync(path.join(dir, "letter.pdf"), pdf!.data);
    const text = execFileSync("/usr/bin/pdftotext", ["-raw", "-enc", "UTF-8", path.join(dir, "letter.pdf"), "-"]).toString("utf8").replace(/\s+/g, " ");
    rmSync(dir, { recursive: true, force: true });
    for (const words of ["หนังสือแจ้งหน่วยงานที่มีอำนาจ", target.agencyName.th, target.agencyName.en, "อำเภอเมืองนนทบุรี"]) expect(text).toContain(words);
    expect(referralsOf(record).to).toEqual({ agencyName: target.agencyName, address: target.address, onPlatform: false });
    // No case was filed anywhere else.
    expect(await getCase(String(referralCaseIdOf(referEffectOf(record).id)))).toBeNull();

    const mail = await smtp.nextMailTo(emailOf(3), mailsBefore);
    expect(mail.mail.text).toContain(target.agencyName.th);
    expect(mail.mail.attachments.map((a) => a.contentType)).toEqual(["application/pdf"]);
  });
});

describe("bad targets", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["its own agency", { agencyId: "sukjai" }, "/agencyId"],
    ["an unknown agency", { agencyId: "nowhere" }, "/agencyId"],
    ["OPDC, which receives no cases", { agencyId: "opdc" }, "/agencyId"],
    ["nothing at all", {}, "/agencyId"],
    ["both an agency and a name", { agencyId: "thungthong", agencyName: { th: "กรมทางหลวง" } }, "/agencyId"],
    ["a name in English only", { agencyName: { en: "Department of Highways" } }, "/agencyName/th"],
    ["an address too long", { agencyName: { th: "กรมทางหลวง" }, address: "ก".repeat(501) }, "/address"],
  ];
  it.each(cases)("refuses %s, with a Thai and English message, and leaves the case as it was", async (_name, data, pointer) => {
    const filed = await filePetition(4);
    const refused = await expectAppError(async () => fireCaseEvent(await officer(), filed.id, { type: "NOT_OUR_AGENCY", data }, REFERRED_AT), "FORM_INVALID");
    const fields = (refused.details as { fields: { pointer: string; message: { th: string; en: string } }[] }).fields;
    expect(fields.map((f) => f.pointer)).toContain(pointer);
    for (const f of fields) expect(f.message.th && f.message.en).toBeTruthy();
    const after = (await getCase(filed.id))!;
    expect(after).toMatchObject({ rev: 1, stateValue: "received", status: "active" });
  });
});
