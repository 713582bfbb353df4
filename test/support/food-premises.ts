import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { cloneSlug } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { pdfDataUrl, thaiAddress, thaiMobile, thaiNationalId } from "./factories";
import { approver, citizen, officer } from "./journeys";

export const FOOD_PREMISES_SLUG = cloneSlug("sukjai", "food-premises-licence");

export type FoodPremisesOverrides = { areaSqm?: number; premisesType?: "restaurant" | "food-store" | "food-storage" };

/** Data for `<agency>-food-premises-licence` that passes the published form (trained food handlers, so no training step). */
export async function foodPremisesApplication(n = 1, overrides: FoodPremisesOverrides = {}) {
  const [home, premises] = await Promise.all([thaiAddress("99/9 หมู่ 3 ซอยรัตนาธิเบศร์ 18"), thaiAddress("12/34 ถนนรัตนาธิเบศร์")]);
  return {
    applicant: {
      personType: "natural",
      fullName: `สมหญิง รักอาหาร ${n}`,
      nationalId: thaiNationalId(5000 + n),
      mobile: thaiMobile(5000 + n),
      email: `food${n}@example.co.th`,
      address: home,
    },
    business: { name: `ครัวสุขใจ ${n}`, premisesType: overrides.premisesType ?? "restaurant", areaSqm: overrides.areaSqm ?? 250, workers: 6, location: premises },
    staff: { foodHandlers: 4, trainedFoodHandler: true },
    documents: {
      ownerConsentOrLease: pdfDataUrl("lease.pdf"),
      healthCertificate: pdfDataUrl("medical.pdf"),
      trainingCertificate: pdfDataUrl("training.pdf"),
      siteMap: pdfDataUrl("site-map.pdf"),
    },
    consent: true,
  };
}

/** A food-premises case filed by the demo citizen, accepted, inspected and approved: the fee is now due. */
export async function foodCaseAwaitingFee(n: number, overrides: FoodPremisesOverrides = {}): Promise<string> {
  const filed = await submitApplication(await citizen(), FOOD_PREMISES_SLUG, await foodPremisesApplication(n, overrides), "web").catch((error: unknown) => {
    // A form error names its fields: say which, or the test shows only "the form has errors".
    throw new Error(`food-premises factory: ${JSON.stringify((error as { details?: unknown }).details)}`);
  });
  const staff = await officer();
  await fireCaseEvent(staff, filed.id, { type: "ACCEPT" });
  await fireCaseEvent(staff, filed.id, { type: "RECORD_INSPECTION", comment: "สถานที่ถูกสุขลักษณะ ผ่านการตรวจ" });
  await settleCaseEffects(filed.id);
  await fireCaseEvent(await approver(), filed.id, { type: "APPROVE" });
  await settleCaseEffects(filed.id); // the approval letter, the payment request and the notice
  return filed.id;
}
