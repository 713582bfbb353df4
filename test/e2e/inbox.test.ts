/**
 * The officer's inbox: steps named by each case's own service, a step filter per service with counts, search by
 * tracking number or by words of the name and business, numbered pages; and the case history in the workflow's
 * own words.
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
const FILED = 52;
let inspected = { id: "", tracking: "" };
let noodles = "";

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  const applicant = await citizen();
  const filed = [];
  for (let n = 1; n <= FILED; n++) {
    const business = n === 7 ? { name: "ร้านก๋วยเตี๋ยวเรือป้าแดง" } : { name: `ร้านนวดแผนไทยสาขา ${n}` };
    filed.push(await submitApplication(applicant, HEALTH_HAZARD_SLUG, await healthHazardApplication({ business }, n), "web"));
  }
  noodles = filed[6]!.trackingNumber;
  // One case moves on to the site inspection, a step both licences have under the same id.
  await fireCaseEvent(await officer(), filed[0]!.id, { type: "ACCEPT" });
  inspected = { id: filed[0]!.id, tracking: filed[0]!.trackingNumber };
  // Receipts and notices are produced off the request path: done before the database goes.
  await drainEffectRunner();
  await disconnectDb();
}, 180_000);

describe("the officer's inbox", () => {
  it("names each case's step from its own service and offers the chosen service's steps with their counts", async () => {
    const page = await signIn("officer@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/inbox?q=${inspected.tracking}`);
    const row = page.locator(`tr[data-tracking="${inspected.tracking}"] [data-testid="row-step"]`);
    expect(await row.innerText()).toBe("ตรวจสถานประกอบกิจการ");
    await page.goto(`${app().baseUrl}/inbox`);
    // Without a service, the step filter waits for one (step ids are each service's own).
    expect(await page.locator("#inbox-state").isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="inbox-total"]').innerText()).toContain(String(FILED));

    await page.selectOption("#inbox-service", HEALTH_HAZARD_SLUG);
    await Promise.all([page.waitForURL(/service=/), page.click('[data-testid="inbox-filters"] button[type="submit"]')]);
    // The address changes before the page shows the new service's steps: wait for them, not for the address.
    await page.locator("#inbox-state option", { hasText: "ตรวจสถานประกอบกิจการ" }).waitFor({ state: "attached" });
    const steps = await page.locator("#inbox-state option").allInnerTexts();
    expect(steps).toContain("ตรวจสถานประกอบกิจการ");
    expect(steps).not.toContain("ตรวจสถานที่จำหน่ายอาหาร/สะสมอาหาร");
    const counts = page.locator('[data-testid="step-counts"]');
    expect(await counts.locator('[data-step="completenessCheck"]').innerText()).toContain(String(FILED - 1));
    expect(await counts.locator('[data-step="inspection"]').innerText()).toContain("1");
    await page.screenshot({ path: `${SHOTS}/inbox-steps.png`, fullPage: false });

    await Promise.all([page.waitForURL(/state=inspection/), counts.locator('[data-step="inspection"]').click()]);
    await page.locator('[data-testid="inbox"] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid="inbox"] tbody tr').count()).toBe(1);
    expect(await counts.locator('[data-step="inspection"]').getAttribute("aria-current")).toBe("true");
  });

  it("finds cases by a word of the business or the tracking number", async () => {
    const page = await signIn("officer@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/inbox`);
    await page.fill("#inbox-q", "ก๋วยเตี๋ยว");
    await Promise.all([page.waitForURL(/q=/), page.press("#inbox-q", "Enter")]);
    await page.locator('[data-testid="inbox-search-summary"]').waitFor();
    expect(await page.locator('[data-testid="inbox"] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid="inbox"] tbody tr').getAttribute("data-tracking")).toBe(noodles);
    await page.screenshot({ path: `${SHOTS}/inbox-search.png`, fullPage: false });

    await page.fill("#inbox-q", inspected.tracking.toLowerCase());
    await Promise.all([page.waitForURL((url) => url.searchParams.get("q") === inspected.tracking.toLowerCase()), page.press("#inbox-q", "Enter")]);
    await page.waitForSelector(`[data-testid="inbox"] tr[data-tracking="${inspected.tracking}"]`);
    expect(await page.locator('[data-testid="inbox"] tbody tr').count()).toBe(1);

    await page.fill("#inbox-q", "ไม่มีร้านนี้แน่นอน");
    await Promise.all([page.waitForURL(/q=/), page.press("#inbox-q", "Enter")]);
    await page.waitForSelector('[data-testid="inbox"]', { state: "detached" });
    expect(await page.locator('[data-testid="inbox-search-summary"]').innerText()).toContain("0");
  });

  it("pages with numbered links, previous and next", async () => {
    const page = await signIn("officer@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/inbox`);
    const pages = page.locator('[data-testid="inbox-pages"]');
    expect(await pages.getAttribute("aria-label")).toBe("เลือกหน้า");
    expect(await pages.locator('[aria-current="page"]').innerText()).toBe("1");
    expect(await page.locator('[data-testid="inbox"] tbody tr').count()).toBe(50);
    await Promise.all([page.waitForURL(/page=2/), pages.locator('a[aria-label="หน้า 2"]').click()]);
    await page.waitForSelector('[data-testid="inbox-pages"] [aria-current="page"]:text("2")');
    expect(await page.locator('[data-testid="inbox"] tbody tr').count()).toBe(FILED - 50);
    expect(await page.locator('[data-testid="page-previous"]').count()).toBe(1);
    expect(await page.locator('[data-testid="page-next"]').count()).toBe(0);
  });

  it("the case history speaks the workflow's words, not event or role ids", async () => {
    const page = await signIn("officer@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/cases/${inspected.id}`);
    const history = await page.locator('[data-testid="history"]').innerText();
    expect(history).toContain("ยื่นคำขอ");
    expect(history).toContain("คำขอครบถ้วน ส่งตรวจสถานที่");
    expect(history).toContain("สมหญิง ตั้งใจ (เจ้าหน้าที่)");
    expect(history).not.toMatch(/SUBMIT|ACCEPT|\(officer\)|\(applicant\)/);
    const english = await page.context().newPage();
    await english.goto(`${app().baseUrl}/cases/${inspected.id}?lang=en`);
    const historyEn = await english.locator('[data-testid="history"]').innerText();
    expect(historyEn).toContain("Complete — send to inspection");
    expect(historyEn).toContain("(Applicant)");
    // The diagram's arrows name roles as people read them.
    const diagram = await page.locator("svg[role=img]").first().textContent();
    expect(diagram).not.toMatch(/\bofficer\b|\bapprover\b/);
  });
});
