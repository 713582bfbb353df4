/**
 * OPDC's dashboard in Chromium: OPDC recomputes the figures, sees the server-drawn charts beside their tables,
 * downloads a table as CSV and opens one agency's services; the public finds an agency's statistics from a
 * service's manual without signing in; an agency admin is refused the dashboard. axe and 320 px on each page.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { addWorkingDays } from "~/core/calendar/working-days";
import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { insertGeneratedCase } from "../support/generated-cases";
import { expectAccessible, expectNoHorizontalOverflow } from "./page-checks";
import { DESKTOP, SHOTS, appInBrowser } from "./support";

const { app, open, signIn } = appInBrowser();
const PHONE_320 = { ...DESKTOP, viewport: { width: 320, height: 800 } };
const DAY = 86_400_000;

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  // Six months of cases: Sukjai decides most within its limit, Thung Thong fewer, and each has some open late.
  const cal = getWorkingCalendar();
  const now = Date.now();
  for (let i = 0; i < 36; i++) {
    const agencyId = i % 3 === 2 ? "thungthong" : "sukjai";
    const receivedAt = new Date(now - (10 + i * 5) * DAY);
    const limit = 30;
    const dueAt = addWorkingDays(receivedAt, limit, cal);
    const late = agencyId === "thungthong" ? i % 2 === 0 : i % 7 === 0;
    const took = late ? limit + 5 : 5 + (i % 20);
    const decidedAt = addWorkingDays(receivedAt, took, cal);
    const open = i % 9 === 4;
    await insertGeneratedCase({ agencyId, receivedAt, dueAt, decidedAt: open || decidedAt.getTime() > now ? undefined : decidedAt });
  }
  await disconnectDb();
}, 120_000);

describe("OPDC's dashboard", () => {
  it("OPDC recomputes the figures, reads the charts and tables, and downloads a table as CSV", async () => {
    const page = await signIn("opdc@demo.borikan.local");
    await page.getByRole("link", { name: "แดชบอร์ด" }).first().click();
    await page.waitForURL(/\/opdc\/dashboard$/);
    // No snapshot yet (no worker in this test): OPDC computes it now.
    await page.locator('[data-testid="not-yet"]').waitFor();
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click('[data-testid="recompute"]')]);
    await page.locator('[data-testid="recomputed"]').waitFor();

    // Each chart is an SVG named by its <title>, beside a table with a caption.
    await page.locator('[data-testid="headline"]').waitFor();
    for (const id of ["months", "on-time", "processing-time", "open-past-limit", "delay-notices", "services-online"]) {
      const figure = page.locator(`[data-testid="figure-${id}"]`);
      expect(await figure.locator("svg[role=img] > title").count(), id).toBe(1);
      expect(await figure.locator("table caption").count(), id).toBe(1);
    }
    const onTime = page.locator('[data-testid="table-on-time"] tbody tr');
    expect(await onTime.count()).toBe(2);
    expect(await onTime.first().innerText()).toContain("SKJ");
    expect(await page.locator('[data-testid="chart-months-chart"] rect').count()).toBeGreaterThan(12);
    await expectAccessible(page, "/opdc/dashboard");
    await page.screenshot({ path: `${SHOTS}/opdc-dashboard.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="csv-on-time"]')]);
    expect(download.suggestedFilename()).toBe("borikan-opdc-dashboard-on-time.csv");
    const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    const [header, ...rows] = csv.trim().split("\n");
    expect(header).toBe("agency,code,decided,decided_on_time,on_time_share");
    expect(rows.map((r) => r.split(",")[1])).toEqual(["SKJ", "TTG"]);
    expect(rows[0]).toContain("เทศบาลเมืองสุขใจ");
    // The CSV holds the numbers the table shows.
    const cells = await onTime.first().locator("td").allInnerTexts();
    expect(rows[0]!.split(",").slice(2, 4)).toEqual(cells.slice(1, 3));

    // One agency: its services against their own limits (the dashed line).
    await Promise.all([page.waitForURL(/\/opdc\/dashboard\/SKJ$/), page.click('[data-testid="agency-links"] a[href="/opdc/dashboard/SKJ"]')]);
    const times = page.locator('[data-testid="figure-processing-time"]');
    // The limit: the legend's dashed line and one per service.
    await times.locator("svg line[stroke-dasharray]").nth(1).waitFor({ state: "attached" });
    expect(await times.locator("tbody tr", { has: page.locator("td", { hasText: /^sukjai-health-hazard-licence$/ }) }).innerText()).toContain("30");
    await expectAccessible(page, "/opdc/dashboard/SKJ");
    const [agencyCsv] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="csv-processing-time"]')]);
    expect(readFileSync((await agencyCsv.path())!, "utf8")).toContain("sukjai-health-hazard-licence,30,");

    const phone = await open(PHONE_320);
    await phone.context().addCookies(await page.context().cookies());
    for (const path of ["/opdc/dashboard", "/opdc/dashboard/SKJ"]) {
      await phone.goto(`${app().baseUrl}${path}`);
      await expectNoHorizontalOverflow(phone, `${path} at 320 px`);
    }
  });

  it("shows the public an agency's statistics, linked from its service's manual, without signing in", async () => {
    const page = await open();
    await page.goto(`${app().baseUrl}/services/sukjai-health-hazard-licence`);
    await Promise.all([page.waitForURL(/\/agencies\/SKJ\/statistics$/), page.click('[data-testid="agency-statistics-link"]')]);
    await page.locator("h1", { hasText: "เทศบาลเมืองสุขใจ" }).waitFor();
    expect(await page.locator('[data-testid="on-time-share"]').innerText()).toMatch(/%$/);
    expect(await page.locator('[data-testid="figure-months"] svg title').textContent()).toContain("คำขอต่อเดือน");
    expect(await page.locator('[data-testid="table-services"] tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(page, "/agencies/SKJ/statistics");
    await page.screenshot({ path: `${SHOTS}/agency-statistics.png`, fullPage: true });
    const json = await page.request.get(`${app().baseUrl}/api/v1/agencies/SKJ/statistics`);
    expect(((await json.json()) as { agencyCode: string }).agencyCode).toBe("SKJ");

    const phone = await open(PHONE_320);
    await phone.goto(`${app().baseUrl}/agencies/SKJ/statistics`);
    await expectNoHorizontalOverflow(phone, "/agencies/SKJ/statistics at 320 px");
  });

  it("refuses an agency admin the dashboard and its CSV", async () => {
    const page = await signIn("admin@sukjai.demo.borikan.local");
    expect(await page.locator('a[href="/opdc/dashboard"]').count()).toBe(0);
    const response = await page.goto(`${app().baseUrl}/opdc/dashboard`);
    expect(response?.status()).toBe(403);
    expect(await page.locator("main").innerText()).toContain("คุณไม่มีสิทธิ์");
    expect((await page.request.get(`${app().baseUrl}/opdc/dashboard.csv`)).status()).toBe(403);
    expect((await page.request.get(`${app().baseUrl}/opdc/dashboard/SKJ`)).status()).toBe(403);
  });
});
