import type { Page } from "playwright-core";

/** A tiny PDF to attach, named after what it stands for. */
export const pdf = (text: string) => ({ name: `${text}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`) });

/**
 * Chooses a file for a file field and waits until its resumable upload has finished (the field then holds
 * `upload:<id>`). `file` is a path on disk or an in-memory file.
 */
export async function attachFile(page: Page, pointer: string, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  const slot = page.locator(`[data-testid="upload-input-${pointer}"]`);
  // A field that holds a file already (e.g. one the officer asked to correct) is emptied first.
  const remove = slot.locator('[data-testid="upload-remove"]');
  if (await remove.count()) await remove.click();
  await slot.locator('input[type="file"]').setInputFiles(file);
  await slot.locator('[data-testid="upload-done"]').waitFor({ timeout: 60_000 });
}

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
  await attachFile(page, "/documents/idCard", pdf("id-card"));
  await attachFile(page, "/documents/premisesRegistration", pdf("house-registration"));
  await attachFile(page, "/documents/buildingUse", pdf("wrong-file"));
  await page.check("#root_consent");
}

/**
 * Sends the filled form: "ยื่นคำขอ" shows "check your answers", whose "ยืนยันและยื่น / Confirm and send" files it and
 * opens the receipt.
 */
export async function submitAndConfirm(page: Page) {
  await page.click('[data-testid="submit"]');
  await page.locator('[data-testid="check-answers"]').waitFor();
  await Promise.all([page.waitForURL(/\/cases\/[0-9a-f]{24}\?receipt=1/), page.click('[data-testid="confirm-submit"]')]);
}
