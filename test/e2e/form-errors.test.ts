import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { SHOTS, appInBrowser } from "./support";

const PETITION = "sukjai-general-petition";
const HAZARD = "sukjai-health-hazard-licence";
const { app, signIn, open } = appInBrowser();

/** Presses Tab (Shift+Tab backwards) until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`Tab never reached ${selector} (focus is on ${await focusedId(page)})`);
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute("data-testid") || document.activeElement?.tagName || "");
const focusedIs = (page: Page, selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

const AXE = readFileSync("node_modules/axe-core/axe.min.js", "utf8");

/** axe-core's WCAG 2.1 A/AA check of the page as it is now: the serious and critical violations, by rule and target. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] });
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** Signs in with the keyboard alone: Tab to each field, type, Enter. */
async function signInByKeyboard(email: string): Promise<Page> {
  const page = await open();
  await page.goto(`${app().baseUrl}/login`);
  await tabTo(page, 'input[name="email"]');
  await page.keyboard.type(email);
  await tabTo(page, 'input[name="password"]');
  await page.keyboard.type(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.keyboard.press("Enter")]);
  return page;
}

describe("the application form a citizen can finish", () => {
  it("keyboard only: apply, meet the error summary, follow its link, fix, check answers, change one, confirm and reach the receipt", async () => {
    const page = await signInByKeyboard("citizen@demo.borikan.local");
    await page.goto(`${app().baseUrl}/services/${PETITION}`);
    await tabTo(page, '[data-testid="apply"]');
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith("/apply")), page.keyboard.press("Enter")]);
    await page.waitForSelector("#root_complaint_subject");

    // A fresh form: consent is not ticked; the account fills name and e-mail, which stay editable.
    expect(await page.locator("#root_consent").isChecked()).toBe(false);
    expect(await page.inputValue("#root_complainant_fullName")).toBe("สมชาย ใจดี");
    expect(await page.inputValue("#root_complainant_email")).toBe("citizen@demo.borikan.local");
    expect(await page.getAttribute("#root_complainant_fullName", "readonly")).toBeNull();
    // The complaint's button speaks of a complaint.
    expect((await page.getByTestId("submit").innerText()).trim()).toBe("ส่งเรื่องร้องเรียน");

    // Sending the empty form: the summary appears at the top, focused, with what to do for each field.
    await tabTo(page, '[data-testid="submit"]');
    await page.keyboard.press("Enter");
    const summary = page.getByTestId("error-summary");
    await summary.waitFor();
    await expect.poll(() => focusedIs(page, '[data-testid="error-summary"]')).toBe(true);
    expect(await summary.locator("h2").innerText()).toBe("มีข้อผิดพลาด");
    const items = await summary.locator("li").allInnerTexts();
    expect(items).toEqual(
      expect.arrayContaining(["กรอกหมายเลขโทรศัพท์มือถือ", "กรอกเรื่อง", "เลือกประเภทเรื่อง", "กรอกรายละเอียด", "ทำเครื่องหมายในช่องยืนยันก่อนยื่น"]),
    );
    expect(items.join(" ")).not.toMatch(/\/|must|ต้องมีคุณสมบัติ/);
    expect(await page.locator('[data-testid="form-error"] code').count()).toBe(0);
    // The summary is in view at the top of the screen.
    expect(await summary.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(200);
    await page.screenshot({ path: `${SHOTS}/form-error-summary.png` });
    expect(await seriousViolations(page)).toEqual([]);

    // Each invalid control says so, and names its message.
    const subject = page.locator("#root_complaint_subject");
    expect(await subject.getAttribute("aria-invalid")).toBe("true");
    expect((await subject.getAttribute("aria-describedby"))?.split(" ")).toContain("root_complaint_subject__error");
    expect(await page.locator("#root_complaint_subject__error").innerText()).toContain("กรอกเรื่อง");
    expect(await page.locator("#root_consent").getAttribute("aria-invalid")).toBe("true");

    // The first link moves focus to its field.
    await page.keyboard.press("Tab");
    expect(await focusedIs(page, '[data-testid="error-summary"] a')).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedId(page)).toBe("root_complainant_mobile");
    await page.screenshot({ path: `${SHOTS}/form-error-field.png` });
    await page.keyboard.type("0812345678");

    await tabTo(page, "#root_complaint_subject");
    await page.keyboard.type("ไฟฟ้าส่องสว่างดับทั้งซอย");
    await tabTo(page, "#root_complaint_category");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await page.$eval("#root_complaint_category", (el) => (el as HTMLSelectElement).selectedOptions[0]?.text)).toBe("ไฟฟ้าสาธารณะ/ไฟส่องสว่างดับหรือชำรุด");
    await tabTo(page, "#root_complaint_details");
    await page.keyboard.type("ไฟดับทั้งซอยมาสามคืนแล้ว อันตรายต่อผู้สัญจร");
    await tabTo(page, "#root_complaint_incidentDate");
    await page.keyboard.press("ArrowDown"); // day 1
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowDown"); // มกราคม
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowDown"); // the first year offered
    const year = await page.$eval("#root_complaint_incidentDate__year", (el) => (el as HTMLSelectElement).selectedOptions[0]?.text);
    await tabTo(page, "#root_consent");
    await page.keyboard.press("Space");
    expect(await page.locator("#root_consent").isChecked()).toBe(true);

    // Check your answers: titles and values in words.
    await tabTo(page, '[data-testid="submit"]');
    await page.keyboard.press("Enter");
    const check = page.getByTestId("check-answers");
    await check.waitFor();
    await expect.poll(() => focusedId(page)).toBe("check-answers-title");
    expect(await check.locator("h1").innerText()).toBe("ตรวจสอบข้อมูลก่อนยื่น");
    const row = (pointer: string) => check.locator(`[data-answer="${pointer}"] .bk-summary-value`);
    expect(await row("/complaint/category").innerText()).toBe("ไฟฟ้าสาธารณะ/ไฟส่องสว่างดับหรือชำรุด");
    expect(await row("/complaint/incidentDate").innerText()).toBe(`1 มกราคม ${year}`);
    expect(await row("/complainant/mobile").innerText()).toBe("081-234-5678");
    expect(await row("/consent").innerText()).toBe("ยืนยันแล้ว");
    expect(await check.locator('[data-answer="/complainant/fullName"] dt').innerText()).toBe("ชื่อ-นามสกุล");
    expect(await page.getByTestId("error-summary").count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/form-check-answers.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // "Change" goes back to the field; the new value shows on the next check.
    await tabTo(page, '[data-testid="change-/complaint/subject"]');
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedId(page)).toBe("root_complaint_subject");
    await page.keyboard.press("End");
    await page.keyboard.type(" หน้าบ้านเลขที่ 12");
    await tabTo(page, '[data-testid="submit"]');
    await page.keyboard.press("Enter");
    await check.waitFor();
    expect(await row("/complaint/subject").innerText()).toBe("ไฟฟ้าส่องสว่างดับทั้งซอย หน้าบ้านเลขที่ 12");

    await tabTo(page, '[data-testid="confirm-submit"]');
    await Promise.all([page.waitForURL(/\/cases\/[0-9a-f]{24}\?receipt=1/), page.keyboard.press("Enter")]);
    expect(await page.getByTestId("tracking-number").innerText()).toMatch(/^SKJ-\d{4}-\d{6}$/);
    await page.context().close();
  });

  it("the server has the final word: its 422 brings the form back with the summary, and it still requires consent", async () => {
    const page = await signIn("citizen@demo.borikan.local");
    await page.goto(`${app().baseUrl}/services/${PETITION}/apply`);
    await page.waitForSelector("#root_complaint_subject");
    await page.fill("#root_complainant_mobile", "0812345678");
    await page.fill("#root_complaint_subject", "ขยะตกค้างหน้าตลาด");
    await page.selectOption("#root_complaint_category", { label: "ขยะมูลฝอย สิ่งปฏิกูล" });
    await page.fill("#root_complaint_details", "ขยะไม่ได้เก็บมาหนึ่งสัปดาห์ ส่งกลิ่นเหม็น");
    await page.check("#root_consent");
    await page.getByTestId("submit").click();
    await page.getByTestId("check-answers").waitFor();

    // The consent is taken out on the way: the browser's checks are bypassed, the server's are not.
    await page.route(/\/apply\?.*_data=/, async (route) => {
      const body = JSON.parse(route.request().postData() ?? "{}") as { formData?: Record<string, unknown> };
      if (body.formData) delete body.formData.consent;
      await route.continue({ postData: JSON.stringify(body) });
    });
    await page.getByTestId("confirm-submit").click();
    const summary = page.getByTestId("error-summary");
    await summary.waitFor();
    expect(await summary.locator("li").allInnerTexts()).toEqual(["ทำเครื่องหมายในช่องยืนยันก่อนยื่น"]);
    expect(await page.getByTestId("check-answers").count()).toBe(0);
    expect(page.url()).toContain("/apply");
    await expect.poll(() => focusedIs(page, '[data-testid="error-summary"]')).toBe(true);
    await page.screenshot({ path: `${SHOTS}/form-server-errors.png` });
    await summary.locator("a").click();
    await expect.poll(() => focusedId(page)).toBe("root_consent");
    await page.context().close();
  });

  it("a licence application keeps the default button words, and names required files to attach", async () => {
    const page = await signIn("citizen@demo.borikan.local");
    await page.goto(`${app().baseUrl}/services/${HAZARD}/apply`);
    await page.waitForSelector("#root_applicant_fullName");
    expect((await page.getByTestId("submit").innerText()).trim()).toBe("ยื่นคำขอ");
    expect(await page.inputValue("#root_applicant_email")).toBe("citizen@demo.borikan.local");
    await page.getByTestId("submit").click();
    const summary = page.getByTestId("error-summary");
    await summary.waitFor();
    const items = await summary.locator("li").allInnerTexts();
    expect(items).toContain("แนบบัตรประจำตัวประชาชนของผู้ขออนุญาต");
    expect(items).toContain("กรอกชื่อสถานประกอบกิจการ");
    // A file field's link reaches its file input.
    await summary.locator("a", { hasText: "แนบบัตรประจำตัวประชาชนของผู้ขออนุญาต" }).click();
    expect(await focusedIs(page, '[data-testid="upload-input-/documents/idCard"] input[type="file"]')).toBe(true);
    expect(await page.locator('[data-testid="upload-input-/documents/idCard"] input[type="file"]').getAttribute("aria-invalid")).toBe("true");
    await page.context().close();
  });

  it("speaks English to a citizen who chose English", async () => {
    const page = await signIn("citizen@demo.borikan.local");
    await page.goto(`${app().baseUrl}/services/${PETITION}/apply?lang=en`);
    await page.waitForSelector("#root_complaint_subject");
    expect((await page.getByTestId("submit").innerText()).trim()).toBe("Send the complaint");
    await page.getByTestId("submit").click();
    const summary = page.getByTestId("error-summary");
    await summary.waitFor();
    expect(await summary.locator("h2").innerText()).toBe("There is a problem");
    expect(await summary.locator("li").allInnerTexts()).toEqual(
      expect.arrayContaining(["Enter mobile phone number", "Enter subject", "Select type of matter", "Tick the box to confirm before you send"]),
    );
    await page.screenshot({ path: `${SHOTS}/form-error-summary-en.png` });
    await page.context().close();
  });
});
