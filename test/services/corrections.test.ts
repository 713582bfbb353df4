// A resubmission must change each item the officer asked for, or say why it does not; nothing is written
// until it does, and the reasons go into the case history.
import { describe, expect, it } from "vitest";
import { getCase } from "~/models/case.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { submitApplication } from "~/services/submit-application.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { healthHazardApplication, pdfDataUrl } from "../support/factories";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";

withTestDatabase();

async function caseAwaitingCorrections(n: number) {
  const original = await healthHazardApplication({}, n);
  const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, original, "web");
  await fireCaseEvent(await officer(), filed.id, {
    type: "REQUEST_MISSING",
    comment: "แผนที่ไม่ชัด และชื่อร้านไม่ตรงกับป้าย",
    data: { missingItems: ["/documents/siteMap", "/business/name"], note: "แผนที่ไม่ชัด และชื่อร้านไม่ตรงกับป้าย" },
  });
  await settleCaseEffects(filed.id);
  return { id: filed.id, original };
}

describe("resubmitting corrections", () => {
  it("refuses a resubmission that leaves a requested item unchanged without a reason, writing nothing", async () => {
    const { id, original } = await caseAwaitingCorrections(61);
    const before = await getCase(id);
    const sameMap = { ...original, business: { ...original.business, name: "ร้านชื่อใหม่ตามป้าย" } };
    const applicant = await citizen();
    const error = await expectAppError(() => fireCaseEvent(applicant, id, { type: "RESUBMIT", data: { formData: sameMap } }), "FORM_INVALID");
    const fields = (error.details as { fields: { pointer: string; message: { th: string; en: string } }[] }).fields;
    expect(fields.map((f) => f.pointer)).toEqual(["/documents/siteMap"]);
    expect(fields[0]!.message.th).toMatch(/^ยังไม่ได้แก้ไข “.+” ตามที่เจ้าหน้าที่ขอ/);
    expect(fields[0]!.message.en).toMatch(/^You have not changed “.+” as the officer asked/);
    const after = await getCase(id);
    expect({ rev: after?.rev, state: after?.stateValue, data: after?.dataJson }).toEqual({ rev: before?.rev, state: "awaitingApplicant", data: before?.dataJson });
  });

  it("accepts an unchanged item with the applicant's reason and records the reason in the history", async () => {
    const { id, original } = await caseAwaitingCorrections(62);
    const corrected = { ...original, documents: { ...original.documents, siteMap: pdfDataUrl("site-map-v2.pdf") } };
    await fireCaseEvent(await citizen(), id, {
      type: "RESUBMIT",
      data: { formData: corrected, unchangedReasons: { "/business/name": "ชื่อนี้ตรงกับทะเบียนพาณิชย์แล้ว ป้ายกำลังเปลี่ยน" } },
    });
    const after = await getCase(id);
    expect(after?.stateValue).toBe("completenessCheck");
    expect(after?.history.at(-1)?.comment).toContain("ชื่อนี้ตรงกับทะเบียนพาณิชย์แล้ว ป้ายกำลังเปลี่ยน");
    expect(JSON.parse(after!.dataJson).documents.siteMap).toBe(corrected.documents.siteMap);
  });
});
