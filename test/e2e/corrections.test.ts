/**
 * Corrections in the browser: the citizen sees each item the officer asked for, whether it is changed yet, and
 * must change it or say why not; the refusal is an error summary whose links move focus to the reason fields.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../support/factories";
import { citizen, HEALTH_HAZARD_SLUG, officer } from "../support/journeys";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser();
let caseId = "";

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 71), "web");
  await fireCaseEvent(await officer(), filed.id, {
    type: "REQUEST_MISSING",
    comment: "ชื่อร้านไม่ตรงกับป้าย และแผนที่ไม่ชัด",
    data: { missingItems: ["/business/name", "/documents/siteMap"], note: "ชื่อร้านไม่ตรงกับป้าย และแผนที่ไม่ชัด" },
  });
  caseId = filed.id;
  await drainEffectRunner();
  await disconnectDb();
}, 120_000);

describe("corrections asked for by an officer", () => {
  it("must change each item or say why not, guided by an error summary; what may not change looks read-only", async () => {
    const page = await signIn("citizen@demo.borikan.local");
    await page.goto(`${app().baseUrl}/cases/${caseId}`);
    const checklist = page.locator('[data-testid="corrections"]');
    await checklist.waitFor();
    expect(await checklist.locator('li[data-changed="false"]').count()).toBe(2);
    // A field nobody asked about is shown read-only, and looks it (not a white input box).
    const readonly = page.locator("#root_applicant_fullName");
    expect(await readonly.getAttribute("readonly")).not.toBeNull();
    expect(await readonly.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe("rgb(255, 255, 255)");

    // Sending it back unchanged is stopped here, with a summary that names both items and takes focus.
    await page.click('[data-testid="resubmit"]');
    const summary = page.locator('[data-testid="corrections-error"]');
    await summary.waitFor();
    expect(await summary.locator("li").count()).toBe(2);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("corrections-error");
    await page.screenshot({ path: `${SHOTS}/corrections-unchanged.png`, fullPage: false });
    await summary.locator("a").nth(1).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("reason--documents-siteMap");

    // The name is changed; the site map is kept with a reason.
    await page.fill("#root_business_name", "ร้านนวดสบายใจ (ชื่อตามป้ายใหม่)");
    await checklist.locator('li[data-pointer="/business/name"][data-changed="true"]').waitFor();
    await page.fill("#reason--documents-siteMap", "แผนที่ฉบับเดิมระบุจุดสังเกตครบแล้ว ดูหน้า 2");
    await page.click('[data-testid="resubmit"]');
    await page.waitForSelector('[data-testid="case-state"][data-state="completenessCheck"]');
    expect(await page.locator('[data-testid="history"]').innerText()).toContain("แผนที่ฉบับเดิมระบุจุดสังเกตครบแล้ว ดูหน้า 2");
  });
});
