import { describe, expect, it } from "vitest";
import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import { CaseModel, getCase, type CaseDoc, type HistoryEntry } from "~/models/case.server";
import { findUserByEmail } from "~/models/user.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { getCaseView } from "~/services/get-case-view.server";
import { cloneSlug } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { actorOfUser } from "~/utils/auth.server";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication, pdfDataUrl } from "../support/factories";
import { expectAppError } from "../support/errors";

withTestDatabase();

const SLUG = cloneSlug("sukjai", "health-hazard-licence");

async function actor(email: string): Promise<Actor> {
  const user = await findUserByEmail(email);
  if (!user) throw new Error(`seeded user ${email} is missing`);
  return actorOfUser(user);
}
const citizen = () => actor("citizen@demo.borikan.local");
const officer = () => actor("officer@sukjai.demo.borikan.local"); // officer + inspector
const approver = () => actor("approver@sukjai.demo.borikan.local");

async function load(id: string): Promise<CaseDoc> {
  const record = await getCase(id);
  if (!record) throw new Error(`case ${id} vanished`);
  return record;
}


async function fileOne(n: number) {
  return submitApplication(await citizen(), SLUG, await healthHazardApplication({}, n), "web");
}

describe("a health-hazard licence application, from filing to permit", () => {
  it("files, asks once for a missing document, takes only the requested correction, and ends with a permit", async () => {
    const applicant = await citizen();
    const staff = await officer();
    const boss = await approver();
    const original = await healthHazardApplication({}, 101);

    // given a valid application filed on the web
    const before = new Date();
    const filed = await submitApplication(applicant, SLUG, original, "web");

    // then there is a receipt with a tracking number, counted from no earlier than it was received (s.10)
    expect(filed.trackingNumber).toMatch(/^SKJ-\d{4}-\d{6}$/);
    expect(filed.state).toBe("completenessCheck");
    expect(filed.receipt.number).toBe(filed.trackingNumber);
    expect(filed.receipt.receivedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(filed.receipt.countedFrom.getTime()).toBeGreaterThanOrEqual(filed.receipt.receivedAt.getTime());
    expect(filed.receipt.dueAt.getTime()).toBeGreaterThan(filed.receipt.countedFrom.getTime());
    let record = await load(filed.id);
    expect(record.rev).toBe(1);
    expect(record.applicant.id).toBe(applicant.id);
    expect(record.effects.map((e) => e.type)).toContain("sendReceipt");

    const histories: HistoryEntry[][] = [record.history];
    const step = async (who: Actor, type: string, extra: { comment?: string; data?: Record<string, unknown> } = {}) => {
      const current = await load(filed.id);
      const result = await fireCaseEvent(who, filed.id, { type, rev: current.rev, ...extra });
      expect(result.rev).toBe(current.rev + 1);
      const next = await load(filed.id);
      expect(next.rev).toBe(current.rev + 1);
      // append-only: what was there before is still there, unchanged, and exactly one entry was added
      expect(next.history.slice(0, current.history.length)).toEqual(current.history);
      expect(next.history).toHaveLength(current.history.length + 1);
      histories.push(next.history);
      return result;
    };

    // when the officer finds the site map missing
    await step(staff, "REQUEST_MISSING", {
      comment: "แผนที่ตั้งไม่ชัดเจน",
      data: { missingItems: ["/documents/siteMap"], note: "กรุณาแนบแผนที่ที่ระบุจุดสังเกต" },
    });
    record = await load(filed.id);
    expect(record.stateValue).toBe("awaitingApplicant");
    expect(record.missingItems?.fields).toEqual(["/documents/siteMap"]);
    expect(record.missingItems?.note).toBe("กรุณาแนบแผนที่ที่ระบุจุดสังเกต");
    expect(record.sla.paused).toBe(true); // waiting on the applicant stops the clock
    const applicantView = await getCaseView(applicant, filed.id);
    expect(applicantView.events.map((e) => e.type).sort()).toEqual(["RESUBMIT", "WITHDRAW"]);

    // and the applicant resubmits a new site map AND sneaks in a new business name that nobody asked for
    const newSiteMap = pdfDataUrl("site-map-v2.pdf");
    await step(applicant, "RESUBMIT", {
      data: {
        formData: { ...original, business: { ...original.business, name: "ชื่อที่ไม่ได้ขอให้แก้" }, documents: { ...original.documents, siteMap: newSiteMap } },
      },
    });

    // then only the requested field changed
    record = await load(filed.id);
    const stored = JSON.parse(record.dataJson) as typeof original;
    expect(stored.documents.siteMap).toBe(newSiteMap);
    expect(stored.business.name).toBe(original.business.name);
    expect(stored).toEqual({ ...original, documents: { ...original.documents, siteMap: newSiteMap } });
    expect(record.stateValue).toBe("completenessCheck");
    expect(record.missingItems).toBeNull();
    expect(record.sla.paused).toBe(false);

    // when the case goes through acceptance, inspection, approval and payment
    await step(staff, "ACCEPT");
    await step(staff, "RECORD_INSPECTION", { comment: "สถานที่ถูกสุขลักษณะ ผ่านการตรวจ" });
    await step(boss, "APPROVE");
    const last = await step(staff, "FEE_PAID");

    // then a permit is issued and the case is closed as approved
    expect(last).toMatchObject({ state: "permitIssued", status: "done" });
    record = await load(filed.id);
    expect(record.stateValue).toBe("permitIssued");
    expect(record.status).toBe("done");
    expect(record.outcome).toBe("approved");
    expect(record.rev).toBe(7);
    expect(record.effects.map((e) => e.type)).toEqual(expect.arrayContaining(["sendReceipt", "issuePermit", "recordPayment"]));
    expect(record.effects.every((e) => e.status === "pending" && e.id)).toBe(true);
    expect(new Set(record.effects.map((e) => e.id)).size).toBe(record.effects.length);

    // and the history tells the whole story in order: who, in which role, from where to where, and why
    expect(record.history.map((h) => [h.event, h.role, h.actor.id, h.from, h.to, h.comment])).toEqual([
      ["SUBMIT", "applicant", applicant.id, null, "completenessCheck", undefined],
      ["REQUEST_MISSING", "officer", staff.id, "completenessCheck", "awaitingApplicant", "แผนที่ตั้งไม่ชัดเจน"],
      ["RESUBMIT", "applicant", applicant.id, "awaitingApplicant", "completenessCheck", undefined],
      ["ACCEPT", "officer", staff.id, "completenessCheck", "inspection", undefined],
      ["RECORD_INSPECTION", "inspector", staff.id, "inspection", "decision", "สถานที่ถูกสุขลักษณะ ผ่านการตรวจ"],
      ["APPROVE", "approver", boss.id, "decision", "awaitingFee", undefined],
      ["FEE_PAID", "officer", staff.id, "awaitingFee", "permitIssued", undefined],
    ]);
    const times = record.history.map((h) => new Date(h.at).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(histories).toHaveLength(7);

    // and nobody can move a finished case
    await expectAppError(() => fireCaseEvent(staff, filed.id, { type: "ACCEPT" }), "EVENT_NOT_ALLOWED");
  });

  it("rejects an invalid form with per-field errors and stores nothing", async () => {
    // given data with a wrong check digit, a landline as mobile, a mismatched postcode and no site map
    const valid = await healthHazardApplication({}, 202);
    const badId = valid.applicant.nationalId.slice(0, 12) + String((Number(valid.applicant.nationalId[12]) + 1) % 10);
    const { siteMap: _dropped, ...documentsWithoutSiteMap } = valid.documents;
    const data = {
      ...valid,
      applicant: { ...valid.applicant, nationalId: badId, mobile: "021234567" },
      business: { ...valid.business, location: { ...valid.business.location, postcode: "10500" } },
      documents: documentsWithoutSiteMap,
    };
    const casesBefore = await CaseModel.countDocuments();

    // when it is filed
    const error = await expectAppError(async () => submitApplication(await citizen(), SLUG, data, "web"), "FORM_INVALID");

    // then each bad field is named by its pointer, in Thai and English
    const fields = (error.details as { fields: { pointer: string; message: { th: string; en: string } }[] }).fields;
    expect(fields.map((f) => f.pointer).sort()).toEqual(["/applicant/mobile", "/applicant/nationalId", "/business/location", "/documents/siteMap"]);
    for (const f of fields) {
      expect(f.message.th).toMatch(/[\u0E00-\u0E7F]/);
      expect(f.message.en).toMatch(/[a-z]/i);
    }
    // and nothing was stored
    expect(await CaseModel.countDocuments()).toBe(casesBefore);
  });

  it("refuses an event sent against a stale revision and leaves the case unchanged", async () => {
    // given a case that moved on after the officer opened it (rev 1 → 2)
    const filed = await fileOne(303);
    const staff = await officer();
    await fireCaseEvent(staff, filed.id, { type: "ACCEPT", rev: 1 });
    const before = await load(filed.id);
    expect(before.rev).toBe(2);

    // when an event is sent with the revision the officer saw
    const error = await expectAppError(
      () => fireCaseEvent(staff, filed.id, { type: "RECORD_INSPECTION", comment: "ผ่าน", rev: 1 }),
      "STALE_REVISION",
    );

    // then it is a conflict naming the current revision, and nothing about the case changed
    expect(error.details).toEqual({ currentRev: 2 });
    const after = await load(filed.id);
    expect(after.rev).toBe(before.rev);
    expect(after.stateValue).toBe("inspection");
    expect(after.history).toEqual(before.history);
    expect(after.effects).toEqual(before.effects);
    expect(after.snapshotJson).toBe(before.snapshotJson);
  });

  it("lets exactly one of two concurrent events on the same revision win", async () => {
    // given cases waiting for their completeness check (rev 1); several, because a race shows only sometimes
    const staff = await officer();
    const cases = [];
    // filed one after another: concurrent filing is not what this test is about
    for (const n of [501, 502, 503, 504, 505]) cases.push(await fileOne(n));

    // when, on each, two officers decide at the same moment, both on rev 1
    const outcomes = await Promise.all(
      cases.map((filed) =>
        Promise.allSettled([
          fireCaseEvent(staff, filed.id, { type: "ACCEPT", rev: 1 }),
          fireCaseEvent(staff, filed.id, {
            type: "REQUEST_MISSING",
            rev: 1,
            comment: "ขาดแผนที่",
            data: { missingItems: ["/documents/siteMap"] },
          }),
        ]),
      ),
    );

    for (const [i, results] of outcomes.entries()) {
      // then one succeeded and the other was told it is stale
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won, `case ${i}`).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(AppError);
      expect((lost[0].reason as AppError).code).toBe("STALE_REVISION");

      // and the case holds the winner's move, recorded once, and no trace of the loser
      const winner = (won[0] as PromiseFulfilledResult<{ state: string; rev: number }>).value;
      const record = await load(cases[i].id);
      expect(record.rev).toBe(2);
      expect(winner.rev).toBe(2);
      expect(record.stateValue).toBe(winner.state);
      const moves = record.history.filter((h) => h.event !== "SUBMIT");
      expect(moves).toHaveLength(1);
      expect(moves[0].to).toBe(winner.state);
      expect(record.missingItems === null).toBe(winner.state === "inspection");
    }
  });
});
