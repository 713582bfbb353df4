import { describe, expect, it } from "vitest";
import type { Actor } from "~/core/actor";
import { isPastRetention, retentionEndsAt } from "~/core/cases/retention";
import { PRIVACY_NOTICE_VERSION } from "~/core/privacy-notice";
import { CaseModel, getCase } from "~/models/case.server";
import { insertUpload, uploadsAttachedTo } from "~/models/upload.server";
import { createUser } from "~/models/user.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { exportPersonalData } from "~/services/privacy/export-personal-data.server";
import { removeExpiredPersonalData } from "~/services/privacy/remove-expired-personal-data.server";
import { saveApplicationDraft } from "~/services/save-application-draft.server";
import { submitApplication } from "~/services/submit-application.server";
import { actorOfUser } from "~/utils/auth.server";
import { withTestDatabase } from "../support/db";
import { healthHazardApplication, pdfDataUrl, thaiNationalId } from "../support/factories";
import { approver, citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";
import { readAll, unzip } from "../support/zip";

withTestDatabase();

async function newCitizen(tag: string): Promise<Actor> {
  const user = await createUser({ email: `${tag}-${Math.random().toString(36).slice(2, 8)}@example.co.th`, passwordHash: "x", name: `ประชาชน ${tag}`, kind: "citizen", roles: [] });
  return actorOfUser(user);
}

async function exported(actor: Actor) {
  const { stream } = await exportPersonalData(actor, "th");
  const entries = await unzip(await readAll(stream));
  return { entries, json: JSON.parse(entries.get("personal-data.json")!.toString("utf8")) as Record<string, unknown> & { cases: { trackingNumber: string; data: unknown; consent: unknown }[] } };
}

/** Files, accepts, inspects, approves and pays: a case closed with a permit, at `closedAt`. */
async function closedCase(actor: Actor, n: number, closedAt: Date): Promise<string> {
  const filed = await submitApplication(actor, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, n), "web", new Date(closedAt.getTime() - 86_400_000));
  const staff = await officer();
  await fireCaseEvent(staff, filed.id, { type: "ACCEPT" }, closedAt);
  await fireCaseEvent(staff, filed.id, { type: "RECORD_INSPECTION", comment: `ผ่าน โทร 0812345678` }, closedAt);
  await fireCaseEvent(await approver(), filed.id, { type: "APPROVE" }, closedAt);
  await fireCaseEvent(staff, filed.id, { type: "FEE_PAID" }, closedAt);
  await settleCaseEffects(filed.id); // the permit and the notices are produced before the retention sweep runs
  const record = (await getCase(filed.id))!;
  expect(record.status).toBe("done");
  return filed.id;
}

describe("consent is recorded with the privacy notice version", () => {
  it("stores the notice version and the filing time on the case", async () => {
    const at = new Date("2026-12-03T03:00:00Z");
    const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 8001), "web", at);
    expect((await getCase(filed.id))!.consent).toEqual({ noticeVersion: PRIVACY_NOTICE_VERSION, at });
  });
});

describe("a citizen downloads everything held about them", () => {
  it("gives the account, cases with data and history, drafts, uploads and attachments — and nothing of anyone else", async () => {
    const first = await newCitizen("first");
    const second = await newCitizen("second");
    const id = thaiNationalId(8101);
    const filed = await submitApplication(first, HEALTH_HAZARD_SLUG, await healthHazardApplication({ applicant: { nationalId: id }, documents: { siteMap: pdfDataUrl("แผนที่.pdf") } }, 8101), "web");
    await saveApplicationDraft(first, HEALTH_HAZARD_SLUG, { applicant: { fullName: "ร่างของคนแรก" } });

    const mine = await exported(first);
    expect(mine.json.account).toMatchObject({ id: first.id, name: "ประชาชน first", kind: "citizen" });
    expect(JSON.stringify(mine.json)).not.toContain("passwordHash");
    expect(mine.json.cases).toHaveLength(1);
    expect(mine.json.cases[0]).toMatchObject({ trackingNumber: filed.trackingNumber, consent: { noticeVersion: PRIVACY_NOTICE_VERSION }, data: { applicant: { nationalId: id } } });
    expect((mine.json.cases[0] as unknown as { history: unknown[] }).history).toHaveLength(1);
    expect(mine.json.drafts).toEqual([expect.objectContaining({ serviceSlug: HEALTH_HAZARD_SLUG, data: { applicant: { fullName: "ร่างของคนแรก" } } })]);
    const files = [...mine.entries.keys()].filter((name) => name.startsWith(`attachments/${filed.trackingNumber}/`));
    expect(files).toHaveLength(4);
    expect(files.some((name) => name.endsWith("แผนที่.pdf"))).toBe(true);
    expect(mine.entries.get(files[0]!)!.subarray(0, 4).toString()).toBe("%PDF");

    const theirs = await exported(second);
    expect(theirs.json.cases).toEqual([]);
    expect(theirs.json.drafts).toEqual([]);
    expect([...theirs.entries.keys()]).toEqual(["personal-data.json"]);
    expect(JSON.stringify(theirs.json)).not.toContain(filed.trackingNumber);
    expect(JSON.stringify(theirs.json)).not.toContain(id);
  });
});

describe("retention: personal data of closed cases is removed after the service's period", () => {
  it("counts years and days from closing", () => {
    const closed = new Date("2026-01-31T00:00:00Z");
    expect(retentionEndsAt(closed, { closedCaseYears: 2 })).toEqual(new Date("2028-01-31T00:00:00Z"));
    expect(retentionEndsAt(closed, { closedCaseDays: 30 })).toEqual(new Date("2026-03-02T00:00:00Z"));
    expect(retentionEndsAt(closed, undefined)).toEqual(new Date("2036-01-31T00:00:00Z"));
    expect(isPastRetention(closed, { closedCaseDays: 30 }, new Date("2026-03-01T23:59:59Z"))).toBe(false);
    expect(isPastRetention(closed, { closedCaseDays: 30 }, new Date("2026-03-02T00:00:00Z"))).toBe(true);
  });

  it("blanks form data and attachments of a case closed longer than 10 years, keeping tracking number, outcome, history and the permit", async () => {
    const actor = await newCitizen("retention");
    const closedAt = new Date("2026-06-01T03:00:00Z");
    const oldId = await closedCase(actor, 8201, closedAt);
    const recentId = await closedCase(actor, 8202, new Date("2030-06-01T03:00:00Z"));
    const active = await submitApplication(actor, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 8203), "web");
    const before = (await getCase(oldId))!;
    // A resumable upload attached to the old case: its record (and bytes) go too.
    const upload = (id: string, caseId: string) => ({
      _id: id, owner: { kind: "citizen" as const, id: actor.id }, agencyId: before.agencyId, service: HEALTH_HAZARD_SLUG, serviceVersionId: before.serviceVersionId,
      field: "/documents/buildingPlans", forCase: null, name: "plan.pdf", declaredType: "application/pdf", size: 9, maxBytes: 1024, types: ["application/pdf"],
      status: "complete" as const, detectedType: "application/pdf", sha256: null, attachedTo: caseId, createdAt: closedAt, completedAt: closedAt, expiresAt: closedAt,
    });
    await insertUpload(upload("retention0000000000000old", oldId));
    await insertUpload(upload("retention00000000000recent", recentId));
    const permitsBefore = (await exported(actor)).json.permits as { number: string; holderName: string }[];
    expect(permitsBefore).toHaveLength(2);

    // The day before ten years have passed, nothing goes.
    expect(await removeExpiredPersonalData(new Date("2036-05-31T03:00:00Z"))).toBe(0);
    expect((await getCase(oldId))!.dataJson).toBe(before.dataJson);

    expect(await removeExpiredPersonalData(new Date("2036-06-01T03:00:00Z"))).toBe(1);
    const after = (await getCase(oldId))!;
    expect(JSON.parse(after.dataJson)).toEqual({});
    expect(await uploadsAttachedTo(oldId)).toEqual([]);
    expect(await uploadsAttachedTo(recentId)).toHaveLength(1);
    expect(after.summary.applicantName).toBe("");
    expect(after.summary.email).toBeUndefined();
    expect(after.history.some((h) => h.comment)).toBe(false);
    expect(after.personalDataRemovedAt).toEqual(new Date("2036-06-01T03:00:00Z"));
    expect({ trackingNumber: after.trackingNumber, outcome: after.outcome, status: after.status, receipt: after.receipt }).toEqual({
      trackingNumber: before.trackingNumber,
      outcome: before.outcome,
      status: "done",
      receipt: before.receipt,
    });
    expect(after.history.map((h) => [h.event, h.to])).toEqual(before.history.map((h) => [h.event, h.to]));
    // The permit is the public register: it stays whole.
    const permitsAfter = (await exported(actor)).json.permits as { number: string; holderName: string }[];
    expect(permitsAfter).toEqual(permitsBefore);

    // The recent and the active case keep everything; a second sweep has nothing left to do.
    expect(JSON.parse((await getCase(recentId))!.dataJson)).not.toEqual({});
    expect(JSON.parse((await getCase(active.id))!.dataJson)).not.toEqual({});
    expect(await removeExpiredPersonalData(new Date("2036-06-01T03:00:00Z"))).toBe(0);
    expect(await CaseModel.countDocuments({ _id: after._id })).toBe(1);
  });
});
