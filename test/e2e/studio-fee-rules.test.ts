import { describe, expect, it } from "vitest";
import { expectAccessible, expectNoHorizontalOverflow } from "./page-checks";
import { SHOTS, appInBrowser } from "./support";

const SLUG = "sukjai-food-premises-licence";
const SEATS = "/business/numberOfSeats";
/** The food storage surcharge: charged when the premises is a food store; the admin adds a condition to it. */
const LINE = 4;

const { app, open, signIn } = appInBrowser();

/**
 * Fees as data, edited without code: the agency admin adds a condition to a fee line of the food premises licence
 * on a field she has just added to the form, then drops that field; the verifier names the fee line whose field is
 * gone, she points the condition at another field, and the service verifies again. The manual says it in words.
 */
describe("studio fee rules: an agency admin edits when a fee is charged", () => {
  it("adds a condition to a fee line, sees the verifier catch a field the form lost, and fixes it", async () => {
    const admin = await signIn("admin@sukjai.demo.borikan.local");
    await admin.goto(`${app().baseUrl}/studio`);
    await Promise.all([admin.waitForURL(`**/studio/${SLUG}**`), admin.click(`[data-testid="studio-edit-${SLUG}"]`)]);

    // A number field for the seats, in the business section.
    await admin.waitForSelector('[data-testid="fb-preview"]');
    await admin.selectOption('[data-testid="fb-add-kind"]', "number");
    await admin.fill('[data-testid="fb-add-label-th"]', "จำนวนที่นั่ง");
    await admin.fill('[data-testid="fb-add-label-en"]', "Number of seats");
    await admin.selectOption('[data-testid="fb-add-parent"]', "/business");
    await admin.click('[data-testid="fb-add-submit"]');
    await admin.waitForSelector(`[data-testid="fb-row-${SEATS}"]`);

    // Details tab: the surcharge is charged for food storage premises; add "and more than 100 seats".
    await admin.click('[data-testid="tab-details"]');
    const when = `sd-fee-${LINE}-when`;
    expect(await admin.locator(`[data-testid="${when}-words"]`).innerText()).toContain("เมื่อประเภทสถานที่ เป็น “สถานที่สะสมอาหาร");
    await admin.click(`[data-testid="${when}-add"]`);
    await admin.selectOption(`[data-testid="${when}-1-guard"]`, "fieldGreaterThan");
    await admin.selectOption(`[data-testid="${when}-1-field"]`, SEATS);
    await admin.fill(`[data-testid="${when}-1-value"]`, "100");
    await admin.locator(`[data-testid="${when}-words"]`, { hasText: "จำนวนที่นั่ง เกิน 100" }).waitFor();
    await admin.click('[data-testid="studio-save"]');
    await admin.waitForSelector('[data-testid="save-status"][data-state="saved"]');

    // The admin changes her mind about the seats field; the fee line still reads it.
    await admin.click('[data-testid="tab-form"]');
    await admin.click(`[data-testid="fb-row-${SEATS}"]`);
    await admin.click('[data-testid="fb-remove"]');
    await admin.click('[data-testid="fb-remove-confirm"]');
    await admin.locator(`[data-testid="fb-row-${SEATS}"]`).waitFor({ state: "detached" });

    // The draft is refused with the checker's message, located at the fee line's condition; the Verify tab counts it.
    await admin.click('[data-testid="studio-save"]');
    const refused = admin.locator('[data-testid="save-status"][data-state="invalid"]');
    await refused.waitFor();
    const message = await refused.innerText();
    expect(message).toContain(`ค่าธรรมเนียมรายการที่ ${LINE + 1}`);
    expect(message).toContain(`อ่านช่อง "${SEATS}" ที่ไม่มีในแบบฟอร์ม`);
    expect(message).toContain(`manifest/fees/${LINE}/when/1/params/field`);
    await admin.locator('[data-testid="tab-verify"] .bk-studio-tab-count', { hasText: "1" }).waitFor();
    await admin.evaluate(() => window.scrollTo(0, 0));
    await admin.screenshot({ path: `${SHOTS}/studio-fee-rules-refused.png` });

    // Back on the details tab the condition shows the lost field; point it at the number of workers.
    await admin.click('[data-testid="tab-details"]');
    expect(await admin.locator(`[data-testid="${when}-1-field"] option:checked`).innerText()).toContain("ไม่มีในแบบฟอร์ม");
    await admin.selectOption(`[data-testid="${when}-1-field"]`, "/business/workers");
    await admin.locator(`[data-testid="${when}-words"]`, { hasText: "จำนวนผู้ปฏิบัติงาน (คน) เกิน 100" }).waitFor();
    // Try the fee: a 300 m² food storage premises with 150 workers pays the band up to 300 m² and the surcharge.
    await admin.fill('[data-testid="sd-fee-preview-/business/areaSqm"]', "300");
    await admin.selectOption('[data-testid="sd-fee-preview-/business/premisesType"]', { label: "สถานที่สะสมอาหาร (คลังสินค้า ห้องเย็น)" });
    await admin.fill('[data-testid="sd-fee-preview-/business/workers"]', "100");
    await admin.locator('[data-testid="sd-fee-preview-total"][data-satang="200000"]').waitFor();
    await admin.fill('[data-testid="sd-fee-preview-/business/workers"]', "150");
    await admin.locator('[data-testid="sd-fee-preview-total"][data-satang="250000"]').waitFor();
    expect(await admin.locator('[data-testid="sd-fee-preview-total"]').innerText()).toContain("2,500.00");
    await admin.fill('[data-testid="sd-payment-due-days"]', "10");
    await admin.click('[data-testid="studio-save"]');
    await admin.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    await admin.locator(`li[aria-label="ค่าธรรมเนียมรายการที่ ${LINE + 1}"]`).scrollIntoViewIfNeeded();
    await admin.locator(`[data-testid="${when}"]`).evaluate((el) => el.scrollIntoView({ block: "start" }));
    await admin.screenshot({ path: `${SHOTS}/studio-fee-rules.png` });

    await admin.click('[data-testid="tab-verify"]');
    await admin.waitForSelector('[data-testid="verification-report"][data-ok="true"]');
    expect(await admin.getAttribute('[data-testid="rule-fees"]', "data-status")).toBe("passed");
    expect(await admin.getAttribute('[data-testid="rule-fee-paid"]', "data-status")).toBe("passed");

    // At 320 px the details tab, fee conditions included, does not scroll sideways.
    await admin.click('[data-testid="tab-details"]');
    await admin.setViewportSize({ width: 320, height: 800 });
    await admin.locator(`[data-testid="${when}"]`).scrollIntoViewIfNeeded();
    await expectNoHorizontalOverflow(admin, "studio details tab at 320 px");
    await admin.setViewportSize({ width: 1280, height: 900 });

    await admin.click('[data-testid="studio-publish"]');
    await admin.locator('[data-testid="publish-result"]').waitFor();
    await admin.context().close();
  });

  it("the manual shows each fee line with its conditions in words and how to pay, also at 320 px", async () => {
    const citizen = await open({ viewport: { width: 320, height: 800 }, locale: "th-TH", timezoneId: "Asia/Bangkok" });
    await citizen.goto(`${app().baseUrl}/services/${SLUG}`);
    const table = citizen.locator('[data-testid="manual-fees"]');
    expect(await table.locator("tr[data-fee='0'] [data-testid='fee-when']").innerText()).toBe("เมื่อพื้นที่ประกอบการ (ตารางเมตร) ไม่เกิน 300");
    expect(await table.locator(`tr[data-fee='${LINE}'] [data-testid='fee-when']`).innerText()).toContain("และจำนวนผู้ปฏิบัติงาน (คน) เกิน 100");
    expect(await table.locator("tr[data-fee='3']").innerText()).toContain("4,000");
    const paying = await citizen.locator('[data-testid="manual-paying"]').innerText();
    expect(paying).toContain("QR พร้อมเพย์");
    expect(paying).toContain("ภายใน 10 วัน");
    await expectNoHorizontalOverflow(citizen, "manual at 320 px");
    // axe at desktop width: at 320 px the manual's step table (not the fee table) scrolls within itself.
    await citizen.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible(citizen, "manual with the fee table");
    await table.scrollIntoViewIfNeeded();
    await citizen.locator("#fees").evaluate((el) => el.scrollIntoView({ block: "start" }));
    await citizen.screenshot({ path: `${SHOTS}/manual-fees.png` });
    await citizen.context().close();
  });
});
