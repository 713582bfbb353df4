import { describe, expect, it } from "vitest";
import { listAllReadiness, listOwnReadiness, readinessCsvRows } from "~/services/oversight/list-readiness.server";
import { refreshAgencyFigures } from "~/services/oversight/agency-figures.server";
import { submitApplication } from "~/services/submit-application.server";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { healthHazardApplication } from "../support/factories";
import { citizen, demoActor, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";

withTestDatabase();

const admin = () => demoActor("admin@sukjai.demo.borikan.local");
const opdc = () => demoActor("opdc@demo.borikan.local");

describe("readiness of the agencies' published services", () => {
  it("the agency admin sees the agency's services only, each against the six criteria", async () => {
    const own = await listOwnReadiness(await admin());
    expect(own.agencyId).toBe("sukjai");
    expect(own.services.map((s) => s.slug).sort()).toEqual([
      "sukjai-food-premises-licence",
      "sukjai-general-petition",
      "sukjai-health-hazard-licence",
      "sukjai-health-hazard-licence-renewal",
      "sukjai-licensing-information-request",
    ]);
    for (const s of own.services) expect(s.criteria).toHaveLength(6);
  });

  it("a filing shows in the use once the figures are computed again: one application online, one receipt", async () => {
    await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "web");
    // The use is counted by the worker's figures, not on the page: none before they are computed again.
    const before = (await listOwnReadiness(await admin())).services.find((s) => s.slug === HEALTH_HAZARD_SLUG)!;
    expect(before.criteria.find((c) => c.id === "onlineChannel")?.evidence?.en).not.toBe("1 application filed online");
    await refreshAgencyFigures();
    const own = await listOwnReadiness(await admin());
    const service = own.services.find((s) => s.slug === HEALTH_HAZARD_SLUG)!;
    expect(service.criteria.find((c) => c.id === "onlineChannel")?.evidence?.en).toBe("1 application filed online");
    expect(service.criteria.find((c) => c.id === "electronicReceipt")?.evidence?.en).toBe("1 receipt issued");
  });

  it("OPDC sees every agency (not itself) and can narrow to one; the CSV has a row per service", async () => {
    const all = await listAllReadiness(await opdc());
    expect(all.agencies.map((a) => a.id)).toEqual(["sukjai", "thungthong"]);
    expect(all.rows.map((r) => r.agencyId)).toEqual(["sukjai", "thungthong"]);
    const one = await listAllReadiness(await opdc(), "thungthong");
    expect(one.rows.map((r) => r.agencyId)).toEqual(["thungthong"]);
    const csv = readinessCsvRows(one.rows);
    expect(csv[0]).toEqual(["agency_code", "agency_th", "agency_en", "service", "title_th", "title_en", "declared_level", "reached_level", "meets_declared", "onlineChannel", "electronicReceipt", "electronicProcessing", "electronicResult", "publicRegistry", "electronicPayment"]);
    expect(csv).toHaveLength(1 + 5);
    expect(csv.find((r) => r[3] === "thungthong-general-petition")?.slice(6)).toEqual(["initial", "standard", "yes", "met", "met", "met", "met", "notApplicable", "notApplicable"]);
  });

  it("nobody else: an officer is refused both views, an agency admin OPDC's", async () => {
    await expectAppError(async () => listOwnReadiness(await officer()), "FORBIDDEN");
    await expectAppError(async () => listAllReadiness(await officer()), "FORBIDDEN");
    await expectAppError(async () => listAllReadiness(await admin()), "FORBIDDEN");
    await expectAppError(async () => listOwnReadiness(await opdc()), "FORBIDDEN");
  });
});
