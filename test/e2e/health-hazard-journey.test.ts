import { describe, expect, it } from "vitest";
import { attachFile, fillHealthHazardApplication as fillApplication, pdf } from "./health-hazard-form";
import { SHOTS, appInBrowser } from "./support";

const SERVICE = "sukjai-health-hazard-licence";
const { app, signIn } = appInBrowser();

describe("citizen files a health-hazard licence, the officer asks for a missing document, the case moves to approval", () => {
  let caseUrl = "";

  it("the citizen reads the manual, is told what is missing, then files and gets a receipt", async () => {
    const citizen = await signIn("citizen@demo.borikan.local");
    await citizen.goto(`${app().baseUrl}/services/${SERVICE}`);
    expect(await citizen.locator("h1").innerText()).toMatch(/ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ/);
    expect(await citizen.locator('[data-testid="manual-steps"] tbody tr').count()).toBeGreaterThanOrEqual(4);
    await citizen.locator("svg[role=img]").first().waitFor();
    await citizen.screenshot({ path: `${SHOTS}/service-manual.png`, fullPage: true });

    await citizen.click('[data-testid="apply"]');
    await citizen.waitForSelector("#root_applicant_fullName");
    // A long form starts with its task list: each section and how far it is filled in.
    const task = (section: string) => citizen.locator(`[data-testid="task-list"] li[data-section="${section}"]`);
    expect(await task("documents").getAttribute("data-status")).toBe("notStarted");
    expect(await task("documents").innerText()).toContain("ยังไม่ได้เริ่ม");
    await fillApplication(citizen);
    expect(await task("business").getAttribute("data-status")).toBe("complete");
    expect(await task("documents").getAttribute("data-status")).toBe("inProgress");
    // The site map is required: the same ajv rules stop the submission in the browser.
    await citizen.click('[data-testid="submit"]');
    await citizen.locator(".has-error, .bk-field-errors, .error-detail").first().waitFor();
    expect(citizen.url()).toContain("/apply");
    await citizen.screenshot({ path: `${SHOTS}/form-validation.png`, fullPage: true });

    await attachFile(citizen, "/documents/siteMap", pdf("site-map"));
    await citizen.locator('[data-testid="task-list"] li[data-section="documents"][data-status="complete"]').waitFor();
    await citizen.click('[data-testid="submit"]');
    // Check your answers: titles and values in words, files by their names; then confirm and send.
    const check = citizen.locator('[data-testid="check-answers"]');
    await check.waitFor();
    expect(await check.locator('[data-answer="/documents/siteMap"] .bk-summary-value').innerText()).toBe("site-map.pdf");
    expect(await check.locator('[data-answer="/applicant/fullName"] .bk-summary-value').innerText()).toBe("สมชาย ใจดี");
    await Promise.all([citizen.waitForURL(/\/cases\/[0-9a-f]{24}\?receipt=1/), citizen.click('[data-testid="confirm-submit"]')]);
    const tracking = (await citizen.locator('[data-testid="tracking-number"]').innerText()).trim();
    expect(tracking).toMatch(/^SKJ-25\d\d-\d{6}$/);
    await citizen.screenshot({ path: `${SHOTS}/receipt.png`, fullPage: true });

    const download = await citizen.request.get(await citizen.locator('[data-testid="receipt-pdf"]').getAttribute("href").then((h) => `${app().baseUrl}${h}`));
    expect(download.headers()["content-type"]).toBe("application/pdf");
    expect((await download.body()).subarray(0, 4).toString()).toBe("%PDF");
    caseUrl = citizen.url().replace(/\?.*$/, "");
    await citizen.context().close();
  });

  it("the officer finds it in the inbox and requests the building-use document", async () => {
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    await officer.goto(`${app().baseUrl}/inbox`);
    expect(await officer.locator('[data-testid="inbox"] tbody tr').count()).toBe(1);
    await officer.screenshot({ path: `${SHOTS}/officer-inbox.png`, fullPage: true });
    await officer.goto(caseUrl);
    const form = officer.locator('form[data-event="REQUEST_MISSING"]');
    await form.locator('input[value="/documents/buildingUse"]').check();
    await form.locator("textarea").fill("ไฟล์หลักฐานการใช้อาคารไม่ถูกต้อง กรุณาแนบสัญญาเช่าที่ลงนามแล้ว");
    await officer.screenshot({ path: `${SHOTS}/officer-case.png`, fullPage: true });
    await form.locator("button").click();
    await officer.waitForSelector('[data-testid="case-state"][data-state="awaitingApplicant"]');
    await officer.context().close();
  });

  it("the citizen sees exactly what is missing, fixes only that and resubmits", async () => {
    const citizen = await signIn("citizen@demo.borikan.local");
    await citizen.goto(`${app().baseUrl}/my/requests`);
    expect(await citizen.locator('[data-testid="my-requests"] tbody tr').count()).toBe(1);
    await citizen.goto(caseUrl);
    expect(await citizen.locator('[data-testid="missing-items"]').innerText()).toContain("หลักฐานการใช้อาคาร");
    expect(await citizen.locator("#root_applicant_fullName").getAttribute("readonly")).not.toBeNull();
    await attachFile(citizen, "/documents/buildingUse", pdf("signed-lease"));
    await citizen.screenshot({ path: `${SHOTS}/citizen-resubmit.png`, fullPage: true });
    await citizen.click('[data-testid="resubmit"]');
    await citizen.waitForSelector('[data-testid="case-state"][data-state="completenessCheck"]');
    expect(await citizen.locator('[data-field="/documents/buildingUse"]').innerText()).toContain("signed-lease.pdf");
    await citizen.context().close();
  });

  it("the officer accepts, records the inspection, and the case reaches the approver", async () => {
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    await officer.goto(caseUrl);
    await officer.locator('form[data-event="ACCEPT"] button').click();
    await officer.waitForSelector('[data-testid="case-state"][data-state="inspection"]');
    const inspection = officer.locator('form[data-event="RECORD_INSPECTION"]');
    await inspection.locator("textarea").fill("ตรวจสถานที่แล้ว สุขลักษณะเป็นไปตามข้อบัญญัติ");
    await inspection.locator("button").click();
    await officer.waitForSelector('[data-testid="case-state"][data-state="decision"]');
    expect(await officer.locator('[data-testid="actions"] form').count()).toBe(0);
    await officer.context().close();

    const approver = await signIn("approver@sukjai.demo.borikan.local");
    await approver.goto(caseUrl);
    await approver.locator('form[data-event="APPROVE"]').waitFor();
    expect(await approver.locator('[data-testid="history"] li').count()).toBe(5);
    await approver.screenshot({ path: `${SHOTS}/approver-case.png`, fullPage: true });
    await approver.context().close();
  });
});
