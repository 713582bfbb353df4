import { describe, expect, it } from "vitest";
import { readReferralRequest, receivingService, referralsOf } from "~/core/cases/referral";

describe("reading the officer's referral target", () => {
  it("takes an agency on the platform by its id", () => {
    expect(readReferralRequest({ agencyId: " thungthong " }, "sukjai")).toEqual({ value: { kind: "platform", agencyId: "thungthong" }, errors: [] });
  });

  it("takes an agency not on the platform by its name, the Thai name standing in for a missing English one", () => {
    expect(readReferralRequest({ agencyName: { th: "กรมทางหลวง", en: "" }, address: " ถนนศรีอยุธยา " }, "sukjai").value).toEqual({
      kind: "external",
      name: { th: "กรมทางหลวง", en: "กรมทางหลวง" },
      address: "ถนนศรีอยุธยา",
    });
  });

  it.each([
    ["its own agency", { agencyId: "sukjai" }, "/agencyId"],
    ["nothing", undefined, "/agencyId"],
    ["both at once", { agencyId: "thungthong", agencyName: { th: "กรมทางหลวง" } }, "/agencyId"],
    ["no Thai name", { agencyName: { en: "Department of Highways" } }, "/agencyName/th"],
    ["no name at all for an agency not on the platform", { agencyName: { th: " ", en: "" } }, "/agencyName/th"],
    ["a name too long", { agencyName: { th: "ก".repeat(201) } }, "/agencyName/th"],
  ])("refuses %s", (_name, data, pointer) => {
    const { value, errors } = readReferralRequest(data, "sukjai");
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.pointer)).toEqual([pointer]);
    expect(errors[0]!.message.th && errors[0]!.message.en).toBeTruthy();
  });
});

describe("the service that receives a referred case", () => {
  const services = [
    { _id: "thungthong-general-petition", isTemplate: false, sourceTemplate: { id: "general-petition" } },
    { _id: "thungthong-food-premises-licence", isTemplate: false, sourceTemplate: { id: "food-premises-licence" } },
    { _id: "thungthong-own", isTemplate: false },
  ];
  it("is the agency's clone of the same template", () => {
    expect(receivingService(services, "food-premises-licence")).toBe("thungthong-food-premises-licence");
  });
  it("is otherwise its general petition", () => {
    expect(receivingService(services, "health-hazard-licence")).toBe("thungthong-general-petition");
    expect(receivingService(services, undefined)).toBe("thungthong-general-petition");
  });
  it("is none when the agency has neither", () => {
    expect(receivingService([{ _id: "x", isTemplate: false }], "general-petition")).toBeNull();
  });
});

describe("what the case page says about referrals", () => {
  const agencyName = { th: "อบต.ทุ่งทอง", en: "Thung Thong SAO" };
  const effect = { type: "referToAgency", paramsJson: JSON.stringify({ target: { kind: "platform", agencyId: "thungthong", agencyName, serviceSlug: "s" } }) };
  it("says the referral is on its way until the new case is linked, then links it", () => {
    expect(referralsOf({ effects: [effect], history: [] }).to).toEqual({ agencyName, onPlatform: true });
    const linked = { event: "REFERRED_TO", link: { caseId: "c2", trackingNumber: "TTG-1", agencyName } };
    expect(referralsOf({ effects: [effect], history: [linked] }).to).toEqual({ agencyName, onPlatform: true, caseId: "c2", trackingNumber: "TTG-1" });
  });
});
