import { describe, expect, it } from "vitest";
import { attachFile, fillHealthHazardApplication, pdf, submitAndConfirm } from "./health-hazard-form";
import { SHOTS, appInBrowser } from "./support";

const SLUG = "sukjai-health-hazard-spa";
const NEW_FIELD = "/business/numberOfMassageBeds";
const SPA = "การประกอบกิจการสปา นวดเพื่อสุขภาพ (กลุ่มที่ 9)";

const { app, signIn } = appInBrowser();

/**
 * The walk-through, as an agency admin who never sees JSON: clone the OPDC health-hazard template, add a
 * required field shown only for spas, put a "site visit" step of 5 working days between inspection and decision,
 * try it in the simulator, publish; then a citizen files with the new field and the officer finds it in the inbox.
 */
describe("the no-code studio: an agency admin builds a service from a template and publishes it", () => {
  it("clones the template, adds a conditional required field and a site-visit step, verifies, simulates and publishes", async () => {
    const admin = await signIn("admin@sukjai.demo.borikan.local");
    await admin.click('a[href="/studio"]');
    await admin.waitForSelector('[data-testid="template-health-hazard-licence"]');
    await admin.locator('[data-testid="template-health-hazard-licence"] summary').click();
    await admin.locator('[data-testid="template-health-hazard-licence"] svg[role=img]').waitFor();
    await admin.screenshot({ path: `${SHOTS}/studio-home.png`, fullPage: true });

    await admin.fill('[data-testid="clone-slug-health-hazard-licence"]', SLUG);
    await Promise.all([admin.waitForURL(`**/studio/${SLUG}`), admin.click('[data-testid="clone-health-hazard-licence"]')]);

    // Form builder: a number field in the business section, required, at least 1, shown only for spas.
    await admin.waitForSelector('[data-testid="fb-preview"]');
    await admin.selectOption('[data-testid="fb-add-kind"]', "number");
    await admin.fill('[data-testid="fb-add-label-th"]', "จำนวนเตียงนวด");
    await admin.fill('[data-testid="fb-add-label-en"]', "Number of massage beds");
    await admin.selectOption('[data-testid="fb-add-parent"]', "/business");
    await admin.click('[data-testid="fb-add-submit"]');
    await admin.waitForSelector(`[data-testid="fb-row-${NEW_FIELD}"]`);
    await admin.check('[data-testid="fb-required"]');
    await admin.fill('[data-testid="fb-min"]', "1");
    await admin.fill('[data-testid="fb-message-th"]', "ต้องมีเตียงนวดอย่างน้อย 1 เตียง");
    await admin.fill('[data-testid="fb-message-en"]', "There must be at least one massage bed");
    await admin.selectOption('[data-testid="fb-cond-field"]', "/business/activity");
    await admin.selectOption('[data-testid="fb-cond-value"]', "spa-massage");
    await admin.click('[data-testid="fb-cond-apply"]');
    // Keyboard reordering: move the new field up one place.
    const before = await admin.locator('[data-testid^="fb-row-/business/"]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-pointer")));
    await admin.locator(`[data-testid="fb-row-${NEW_FIELD}"] [data-testid="fb-move-up"]`).click();
    const after = await admin.locator('[data-testid^="fb-row-/business/"]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-pointer")));
    expect(after.indexOf(NEW_FIELD)).toBe(before.indexOf(NEW_FIELD) - 1);

    // The live preview hides the field until the activity is a spa, then shows it as required.
    const preview = admin.locator('[data-testid="fb-preview"]');
    expect(await preview.locator("#root_business_numberOfMassageBeds").count()).toBe(0);
    await preview.locator("#root_business_activity").selectOption({ label: SPA });
    await preview.locator("#root_business_numberOfMassageBeds").waitFor();
    // The editor and preview are sticky beside the list: a viewport picture shows all three.
    await admin.locator(`[data-testid="fb-row-${NEW_FIELD}"]`).scrollIntoViewIfNeeded();
    await preview.locator("#root_business_numberOfMassageBeds").evaluate((input) => input.scrollIntoView({ block: "center" }));
    await admin.locator(`[data-testid="fb-row-${NEW_FIELD}"]`).evaluate((row) => row.scrollIntoView({ block: "center" }));
    await admin.screenshot({ path: `${SHOTS}/studio-form-builder.png` });
    await admin.waitForSelector('[data-testid="save-status"][data-state="saved"]');

    // Workflow builder: "site visit", 5 working days, between inspection and decision.
    await admin.click('[data-testid="tab-workflow"]');
    await admin.selectOption('[data-testid="wb-state-select"]', "inspection");
    const recordInspection = admin.locator('[data-testid="wb-transition-RECORD_INSPECTION"]');
    await recordInspection.locator('[data-testid="wb-insert-step"]').click();
    await recordInspection.locator('[data-testid="wb-insert-label-th"]').fill("ตรวจเยี่ยมสถานที่");
    await recordInspection.locator('[data-testid="wb-insert-label-en"]').fill("Site visit");
    await recordInspection.locator('[data-testid="wb-insert-sla"]').fill("5");
    await recordInspection.locator('[data-testid="wb-insert-next-label-th"]').fill("บันทึกผลการตรวจเยี่ยม เสนอพิจารณา");
    await recordInspection.locator('[data-testid="wb-insert-next-label-en"]').fill("Record the site visit — propose decision");
    await recordInspection.locator('[data-testid="wb-insert-next-role-inspector"]').check();
    await recordInspection.locator('[data-testid="wb-insert-submit"]').click();
    await admin.locator('[data-testid="wb-diagram"] [data-state="siteVisit"]').waitFor();
    await admin.locator('[data-testid="wb-diagram"] [data-state="siteVisit"]').click();
    expect(await admin.inputValue('[data-testid="wb-state-sla"]')).toBe("5");
    await admin.evaluate(() => window.scrollTo(0, 0));
    await admin.screenshot({ path: `${SHOTS}/studio-workflow-builder.png` });

    // Verification catches a statutory limit the new step no longer fits, and passes once it is fixed.
    await admin.click('[data-testid="tab-details"]');
    await admin.fill('[data-testid="sd-statutory-days"]', "18");
    await admin.click('[data-testid="tab-verify"]');
    await admin.waitForSelector('[data-testid="verification-report"][data-ok="false"]');
    expect(await admin.getAttribute('[data-testid="rule-sla-fits"]', "data-status")).toBe("error");
    expect(await admin.locator('[data-testid="rule-sla-fits"]').innerText()).toContain("21");
    expect(await admin.getAttribute('[data-testid="rule-reachable"]', "data-status")).toBe("passed");
    await admin.screenshot({ path: `${SHOTS}/studio-verification-report.png`, fullPage: true });
    await admin.click('[data-testid="tab-details"]');
    await admin.fill('[data-testid="sd-statutory-days"]', "30");
    await admin.click('[data-testid="tab-verify"]');
    await admin.waitForSelector('[data-testid="verification-report"][data-ok="true"]');

    // Simulator: step through as each role without creating a case; the new step is on the way.
    await admin.click('[data-testid="tab-simulate"]');
    await admin.click('[data-testid="sim-start-anyway"]');
    await admin.waitForSelector('[data-testid="sim-current"][data-state="completenessCheck"]');
    await admin.click('[data-testid="sim-role-officer"] [data-testid="sim-event-ACCEPT"]');
    await admin.waitForSelector('[data-testid="sim-current"][data-state="inspection"]');
    expect(await admin.locator('[data-testid="sim-effects"]').innerText()).toContain("แจ้งผู้ยื่นคำขอ");
    await admin.fill('[data-testid="sim-comment-RECORD_INSPECTION"]', "ผ่านการตรวจ");
    await admin.click('[data-testid="sim-role-inspector"] [data-testid="sim-event-RECORD_INSPECTION"]');
    await admin.waitForSelector('[data-testid="sim-current"][data-state="siteVisit"]');
    await admin.locator('[data-testid="sim-role-inspector"] button').first().click();
    await admin.waitForSelector('[data-testid="sim-current"][data-state="decision"]');
    await admin.click('[data-testid="sim-role-approver"] [data-testid="sim-event-APPROVE"]');
    await admin.waitForSelector('[data-testid="sim-current"][data-state="awaitingFee"]');
    expect(await admin.locator('[data-testid="sim-effects"]').innerText()).toContain("ออกหนังสือแจ้งผล");
    await admin.screenshot({ path: `${SHOTS}/studio-simulator.png`, fullPage: true });

    await admin.click('[data-testid="studio-publish"]');
    expect(await admin.locator('[data-testid="publish-result"]').innerText()).toContain("1");
    await admin.context().close();
  });

  it("a citizen files with the new field, and the officer sees the application in the inbox", async () => {
    const citizen = await signIn("citizen@demo.borikan.local");
    await citizen.goto(`${app().baseUrl}/services/${SLUG}`);
    expect(await citizen.locator('[data-testid="manual-steps"]').innerText()).toContain("ตรวจเยี่ยมสถานที่");
    await citizen.click('[data-testid="apply"]');
    await citizen.waitForSelector("#root_applicant_fullName");
    await fillHealthHazardApplication(citizen, { label: SPA });
    await attachFile(citizen, "/documents/siteMap", pdf("site-map"));
    // The spa's field is required: the form stops until it is filled, with the admin's own message for 0.
    await citizen.fill("#root_business_numberOfMassageBeds", "0");
    await citizen.click('[data-testid="submit"]');
    await citizen.getByText("ต้องมีเตียงนวดอย่างน้อย 1 เตียง").first().waitFor();
    await citizen.fill("#root_business_numberOfMassageBeds", "6");
    await submitAndConfirm(citizen);
    const caseUrl = citizen.url().replace(/\?.*$/, "");
    await citizen.context().close();

    const officer = await signIn("officer@sukjai.demo.borikan.local");
    await officer.goto(`${app().baseUrl}/inbox`);
    const row = officer.locator('[data-testid="inbox"] tbody tr', { hasText: "ร้านเสริมสวยสุขใจบิวตี้" });
    expect(await row.count()).toBe(1);
    await officer.goto(caseUrl);
    expect(await officer.locator(`[data-field="${NEW_FIELD}"]`).innerText()).toContain("6");
    await officer.locator('form[data-event="ACCEPT"] button').click();
    await officer.waitForSelector('[data-testid="case-state"][data-state="inspection"]');
    const inspection = officer.locator('form[data-event="RECORD_INSPECTION"]');
    await inspection.locator("textarea").fill("ตรวจสถานที่แล้ว");
    await inspection.locator("button").click();
    await officer.waitForSelector('[data-testid="case-state"][data-state="siteVisit"]');
    await officer.context().close();
  });

  it("OPDC improves the template in the studio; the agency sees the side-by-side diff and takes the update", async () => {
    const opdc = await signIn("opdc@demo.borikan.local");
    await opdc.goto(`${app().baseUrl}/studio`);
    await Promise.all([opdc.waitForURL("**/studio/health-hazard-licence"), opdc.click('[data-testid="studio-edit-health-hazard-licence"]')]);
    await opdc.click('[data-testid="tab-workflow"]');
    await opdc.selectOption('[data-testid="wb-state-select"]', "inspection");
    await opdc.fill('[data-testid="wb-state-sla"]', "7");
    await opdc.click('[data-testid="studio-publish"]');
    expect(await opdc.locator('[data-testid="publish-result"]').innerText()).toContain("2");
    await opdc.context().close();

    const admin = await signIn("admin@sukjai.demo.borikan.local");
    await admin.goto(`${app().baseUrl}/studio`);
    expect(await admin.locator(`[data-testid="template-update-${SLUG}"]`).innerText()).toContain("2");
    await admin.click(`[data-testid="studio-open-${SLUG}"]`);
    await admin.click('[data-testid="tab-upgrade"]');
    const change = admin.locator('[data-testid="template-changes"] tr[data-path="/workflow/states/inspection/meta/slaDays"]');
    expect(await change.locator(".bk-diff-left").innerText()).toBe("10");
    expect(await change.locator(".bk-diff-right").innerText()).toBe("7");
    await admin.screenshot({ path: `${SHOTS}/studio-template-update.png`, fullPage: true });
    await admin.click('[data-testid="upgrade-apply"]');
    await admin.locator('[data-testid="upgrade-panel"] .bk-alert.ok').first().waitFor();
    // The template's change is in; the agency's own site-visit step and spa field are kept.
    await admin.click('[data-testid="tab-workflow"]');
    await admin.selectOption('[data-testid="wb-state-select"]', "inspection");
    expect(await admin.inputValue('[data-testid="wb-state-sla"]')).toBe("7");
    expect(await admin.locator('[data-testid="wb-diagram"] [data-state="siteVisit"]').count()).toBe(1);
    await admin.click('[data-testid="tab-form"]');
    await admin.locator(`[data-testid="fb-row-${NEW_FIELD}"]`).waitFor();
    await admin.context().close();
  });
});
