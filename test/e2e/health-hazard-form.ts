import type { Page } from "playwright-core";

/** A tiny PDF to attach, named after what it stands for. */
export const pdf = (text: string) => ({ name: `${text}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`) });

/** Fills one Thai address field (the cascading selects) in นนทบุรี. */
export async function fillAddress(page: Page, idPrefix: string, line: string) {
  await page.fill(`#${idPrefix}_line`, line);
  await page.selectOption(`#${idPrefix}_province`, "นนทบุรี");
  await page.selectOption(`#${idPrefix}_district`, "เมืองนนทบุรี");
  await page.selectOption(`#${idPrefix}_subdistrict`, "บางกระสอ");
}

/** The health-hazard application as a citizen fills it in, all but the site map (so the form can be shown incomplete). */
export async function fillHealthHazardApplication(page: Page, activity: { index: number } | { label: string } = { index: 2 }) {
  await page.check("#root_applicant_personType-0").catch(() => page.check('input[name="root_applicant_personType"][value="0"]'));
  await page.fill("#root_applicant_fullName", "สมชาย ใจดี");
  await page.fill("#root_applicant_nationalId", "1101700203450");
  await page.fill("#root_applicant_mobile", "0812345678");
  await page.fill("#root_applicant_email", "somchai@example.test");
  await fillAddress(page, "root_applicant_address", "99/1 หมู่ 2 ถนนรัตนาธิเบศร์");
  await page.fill("#root_business_name", "ร้านเสริมสวยสุขใจบิวตี้");
  await page.selectOption("#root_business_activity", activity);
  await page.fill("#root_business_areaSqm", "48");
  await page.fill("#root_business_workers", "3");
  await fillAddress(page, "root_business_location", "12 ซอยสุขใจ 3");
  await page.setInputFiles("#root_documents_idCard", pdf("id-card"));
  await page.setInputFiles("#root_documents_premisesRegistration", pdf("house-registration"));
  await page.setInputFiles("#root_documents_buildingUse", pdf("wrong-file"));
  await page.check("#root_consent");
}
