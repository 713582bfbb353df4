import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sendPeriodicReports } from "~/services/oversight/send-periodic-reports.server";
import { periodAt } from "~/core/oversight/report-periods";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { expectAccessible, expectNoHorizontalOverflow } from "./page-checks";
import { appInBrowser, SHOTS } from "./support";

const { app, signIn } = appInBrowser();

describe("OPDC's readiness view and periodic reports", () => {
  it("the worker's sweep sends this period's report (run here against the app's database)", async () => {
    await connectDb(app().mongoUri);
    try {
      const outcome = await sendPeriodicReports(new Date());
      expect(outcome.failed).toEqual([]);
      expect(outcome.sent).toContain(`report:${periodAt("report", new Date())!.number}`);
    } finally {
      await disconnectDb();
    }
  });

  it("OPDC sees every agency's services against the criteria, filters by agency and downloads the CSV", async () => {
    const page = await signIn("opdc@demo.borikan.local");
    await page.goto(`${app().baseUrl}/opdc/readiness?lang=en`);
    const summary = page.locator('[data-testid="readiness-summary"]');
    await expect(summary.locator('tr[data-service="sukjai-health-hazard-licence"]').count()).resolves.toBe(1);
    await expect(summary.locator('tr[data-service="thungthong-general-petition"]').count()).resolves.toBe(1);
    // A petition charges no fee: electronic payment does not apply.
    const petition = page.locator('[data-testid="criteria-sukjai-general-petition"] tr[data-criterion="electronicPayment"]');
    await expect(petition.getAttribute("data-status")).resolves.toBe("notApplicable");
    await expectAccessible(page, "/opdc/readiness");
    await page.screenshot({ path: `${SHOTS}/opdc-readiness.png`, fullPage: false });

    await page.selectOption("#readiness-agency", "thungthong");
    await Promise.all([page.waitForURL(/agency=thungthong/), page.click('[data-testid="readiness-filter"] button[type="submit"]')]);
    // The URL changes before the new rows are drawn: wait for the other agency's rows to go.
    await summary.locator('tr[data-service^="sukjai-"]').first().waitFor({ state: "detached" });
    await expect(summary.locator('tr[data-service^="thungthong-"]').count()).resolves.toBeGreaterThan(0);

    const [csv] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="readiness-csv"]')]);
    const text = readFileSync((await csv.path())!, "utf8");
    expect(text.split("\n")[0]).toContain("agency_code,agency_th,agency_en,service");
    expect(text).toContain("thungthong-health-hazard-licence");
    expect(text).not.toContain("sukjai-");

    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalOverflow(page, "/opdc/readiness");
  });

  it("OPDC opens /opdc/reports and downloads the report PDF", async () => {
    const page = await signIn("opdc@demo.borikan.local");
    await page.goto(`${app().baseUrl}/opdc/reports`);
    const period = periodAt("report", new Date())!.number;
    const link = page.locator(`[data-testid="report-pdf-${period}"]`);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(`opdc-report-${period}.pdf`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // This progress period's notices are listed, one per agency.
    await expect(page.locator('[data-testid="notices-table"] tbody tr').count()).resolves.toBe(2);
    await expectAccessible(page, "/opdc/reports");
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalOverflow(page, "/opdc/reports");
    // A period never sent is a 404, not a 500.
    const missing = await page.request.get(`${app().baseUrl}/opdc/reports/${period + 5}.pdf`);
    expect(missing.status()).toBe(404);
  });

  it("the agency admin sees the readiness of the agency's own services only", async () => {
    const page = await signIn("admin@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/admin/readiness`);
    await expect(page.locator('[data-testid="admin-readiness"] h1').count()).resolves.toBe(1);
    await expect(page.locator('tr[data-service^="thungthong-"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="level-sukjai-health-hazard-licence"]').getAttribute("data-meets")).resolves.toBe("yes");
    await expect(page.locator('a[href="/admin/readiness"]').first().count()).resolves.toBe(1);
    await expectAccessible(page, "/admin/readiness");
    await page.screenshot({ path: `${SHOTS}/admin-readiness.png`, fullPage: false });
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalOverflow(page, "/admin/readiness");
    // …and not OPDC's pages.
    const refused = await page.request.get(`${app().baseUrl}/opdc/readiness.csv`);
    expect(refused.status()).toBe(403);
  });
});
