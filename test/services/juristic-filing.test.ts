import { describe, expect, it } from "vitest";
import { readOnBehalfOf } from "~/core/cases/on-behalf-of";
import { publicPermitView } from "~/core/permits/public-view";
import { todayInBangkok } from "~/core/thai/buddhist-date";
import { isValidJuristicId } from "~/core/thai/juristic-id";
import { thaiNationalIdCheckDigit } from "~/core/thai/national-id";
import { getCase } from "~/models/case.server";
import { getPermit } from "~/models/permit.server";
import * as applyRoute from "~/routes/api.v1.services.$slug.applications";
import { caseDocuments } from "~/services/case-documents.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { registryPage, REGISTRY_CSV_COLUMNS } from "~/services/registry-listing.server";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { verifyPermitNumber } from "~/services/verify-permit.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { healthHazardApplication } from "../support/factories";
import { approver, citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";

withTestDatabase();

/** A juristic ID with a correct check digit (company registered in Bangkok, 2556). */
const first12 = "010555601234";
const JURISTIC_ID = `${first12}${thaiNationalIdCheckDigit(first12)}`;
const WRONG_CHECK = `${first12}${(thaiNationalIdCheckDigit(first12) + 1) % 10}`;
const COMPANY = "บริษัท สุขใจบิวตี้ จำกัด";

describe("the juristic ID", () => {
  it("uses the national ID's mod-11 check digit", () => {
    expect(isValidJuristicId(JURISTIC_ID)).toBe(true);
    expect(isValidJuristicId(`0-1055-56012-34-${JURISTIC_ID[12]}`)).toBe(true);
    expect(isValidJuristicId(WRONG_CHECK)).toBe(false);
    expect(isValidJuristicId("12345")).toBe(false);
  });

  it("reads a declaration, or nothing for oneself", () => {
    expect(readOnBehalfOf(undefined)).toEqual({ value: null, errors: [] });
    expect(readOnBehalfOf({ kind: "self" })).toEqual({ value: null, errors: [] });
    expect(readOnBehalfOf({ kind: "juristic", juristicId: ` ${JURISTIC_ID} `, name: `  ${COMPANY} ` }).value).toEqual({ kind: "juristic", juristicId: JURISTIC_ID, name: COMPANY, declared: true });
    expect(readOnBehalfOf({ kind: "juristic", juristicId: "", name: "", extra: 1 }).errors.map((e) => e.pointer)).toEqual(["/onBehalfOf/extra", "/onBehalfOf/juristicId", "/onBehalfOf/name"]);
  });
});

describe("filing for a company", () => {
  it("refuses a juristic ID whose check digit is wrong, by pointer, in Thai and English, and stores nothing", async () => {
    const data = await healthHazardApplication({}, 9101);
    const error = await expectAppError(
      async () => submitApplication(await citizen(), HEALTH_HAZARD_SLUG, data, "web", new Date(), { onBehalfOf: { kind: "juristic", juristicId: WRONG_CHECK, name: COMPANY } }),
      "FORM_INVALID",
    );
    const fields = (error.details as { fields: { pointer: string; message: { th: string; en: string } }[] }).fields;
    expect(fields).toEqual([{ pointer: "/onBehalfOf/juristicId", message: { th: expect.stringContaining("เลขทะเบียนนิติบุคคลไม่ถูกต้อง"), en: expect.stringContaining("check digit") } }]);
  });

  it("accepts onBehalfOf through the API filing and keeps it on the case, marked declared", async () => {
    const body = { data: await healthHazardApplication({}, 9102), onBehalfOf: { kind: "juristic", juristicId: JURISTIC_ID, name: COMPANY } };
    const request = new Request(`http://localhost/api/v1/services/${HEALTH_HAZARD_SLUG}/applications`, {
      method: "POST",
      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const response = await applyRoute.action({ request, params: { slug: HEALTH_HAZARD_SLUG }, context: {} } as never);
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect((await getCase(id))!.onBehalfOf).toEqual({ kind: "juristic", juristicId: JURISTIC_ID, name: COMPANY, declared: true });

    const refused = await applyRoute.action({
      request: new Request(request.url, { method: "POST", headers: request.headers, body: JSON.stringify({ ...body, onBehalfOf: { kind: "juristic", juristicId: WRONG_CHECK, name: COMPANY } }) }),
      params: { slug: HEALTH_HAZARD_SLUG },
      context: {},
    } as never);
    expect(refused.status).toBe(422);
    const error = ((await refused.json()) as { error: { details: { fields: { pointer: string }[] } } }).error;
    expect(error.details.fields.map((f) => f.pointer)).toEqual(["/onBehalfOf/juristicId"]);
  });

  it("issues the permit to the company, marked declared, signed, and listed so in the registry", async () => {
    const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 9103), "web", new Date(), {
      onBehalfOf: { kind: "juristic", juristicId: JURISTIC_ID, name: COMPANY },
    });
    const staff = await officer();
    await fireCaseEvent(staff, filed.id, { type: "ACCEPT" });
    await fireCaseEvent(staff, filed.id, { type: "RECORD_INSPECTION", comment: "ผ่านการตรวจ" });
    await fireCaseEvent(await approver(), filed.id, { type: "APPROVE" });
    await fireCaseEvent(staff, filed.id, { type: "FEE_PAID" });
    await settleCaseEffects(filed.id);
    const permitDoc = (await caseDocuments((await getCase(filed.id))!)).issued.find((d) => d.kind === "permit");
    if (permitDoc?.kind !== "permit") throw new Error("no permit was issued");

    const permit = (await getPermit(permitDoc.number))!;
    expect(permit.holderName).toBe(COMPANY);
    expect(permit.holderEntity).toEqual({ kind: "juristic", juristicId: JURISTIC_ID, declared: true });
    expect(publicPermitView(permit, todayInBangkok()).holderEntity).toEqual({ kind: "juristic", juristicId: JURISTIC_ID, declared: true });
    // The signature covers the company and its number.
    const verified = await verifyPermitNumber(permit.number);
    expect(verified).toMatchObject({ valid: true });

    const listed = await registryPage(new URLSearchParams({ q: permit.number }));
    const entry = listed.items.find((p) => p.number === permit.number)!;
    expect(entry.holderName).toBe(COMPANY);
    expect(entry.holderEntity).toEqual({ kind: "juristic", juristicId: JURISTIC_ID, declared: true });
    const csv = Object.fromEntries(REGISTRY_CSV_COLUMNS.map((c) => [c.header, c.value(entry)]));
    expect(csv).toMatchObject({ holder: COMPANY, holder_juristic_id_declared: JURISTIC_ID });
  });
});
