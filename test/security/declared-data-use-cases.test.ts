import { describe, expect, it } from "vitest";
import { CaseModel, getCase } from "~/models/case.server";
import { loadDraft } from "~/models/draft.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { saveApplicationDraft } from "~/services/save-application-draft.server";
import { submitApplication } from "~/services/submit-application.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { healthHazardApplication, pdfDataUrl } from "../support/factories";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";

withTestDatabase();

const HTML = Buffer.from("<html><body><script>alert(document.cookie)</script></body></html>").toString("base64");

describe("only declared data is stored — in the use cases", () => {
  it("refuses an undeclared property in a filing and stores nothing", async () => {
    const before = await CaseModel.countDocuments();
    const data = await healthHazardApplication({}, 7101);
    const refused = await expectAppError(() => citizen().then((actor) => submitApplication(actor, HEALTH_HAZARD_SLUG, { ...data, documents: { ...data.documents, extraFile: pdfDataUrl() } }, "web")), "FORM_INVALID");
    expect((refused.details as { fields: { pointer: string }[] }).fields.map((f) => f.pointer)).toEqual(["/documents/extraFile"]);
    expect(await CaseModel.countDocuments()).toBe(before);
  });

  it("refuses a forbidden key handed to the use case directly (not only by the body reader)", async () => {
    const data = JSON.parse(JSON.stringify(await healthHazardApplication({}, 7102)).replace('"name":', '"__proto__":{"polluted":true},"name":'));
    const refused = await expectAppError(async () => submitApplication(await citizen(), HEALTH_HAZARD_SLUG, data, "web"), "BAD_REQUEST");
    expect(refused.details).toEqual({ pointer: "/business/__proto__" });
  });

  it("refuses undeclared properties in a draft and keeps the previous draft", async () => {
    const actor = await citizen();
    await saveApplicationDraft(actor, HEALTH_HAZARD_SLUG, { applicant: { fullName: "ร่าง" } });
    const refused = await expectAppError(() => saveApplicationDraft(actor, HEALTH_HAZARD_SLUG, { applicant: { fullName: "ร่าง", isAdmin: true } }), "FORM_INVALID");
    expect((refused.details as { fields: { pointer: string }[] }).fields.map((f) => f.pointer)).toEqual(["/applicant/isAdmin"]);
    expect((await loadDraft(actor.id, HEALTH_HAZARD_SLUG))?.data).toEqual({ applicant: { fullName: "ร่าง" } });
  });

  it("refuses undeclared properties and disguised files in a requested correction, leaving the case as it was", async () => {
    const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 7103), "web");
    await fireCaseEvent(await officer(), filed.id, { type: "REQUEST_MISSING", comment: "ขาดแผนที่", data: { missingItems: ["/documents"] } });
    const stored = (await getCase(filed.id))!;
    const corrected = await healthHazardApplication({}, 7103);
    const sneaky = await expectAppError(
      async () => fireCaseEvent(await citizen(), filed.id, { type: "RESUBMIT", data: { formData: { ...corrected, documents: { ...corrected.documents, hidden: "x" } } } }),
      "FORM_INVALID",
    );
    expect((sneaky.details as { fields: { pointer: string }[] }).fields.map((f) => f.pointer)).toEqual(["/documents/hidden"]);
    const html = await expectAppError(
      async () => fireCaseEvent(await citizen(), filed.id, { type: "RESUBMIT", data: { formData: { ...corrected, documents: { ...corrected.documents, siteMap: `data:application/pdf;base64,${HTML}` } } } }),
      "FORM_INVALID",
    );
    expect((html.details as { fields: { pointer: string }[] }).fields.map((f) => f.pointer)).toEqual(["/documents/siteMap"]);
    const after = (await getCase(filed.id))!;
    expect({ rev: after.rev, dataJson: after.dataJson }).toEqual({ rev: stored.rev, dataJson: stored.dataJson });
  });
});
