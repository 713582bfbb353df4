/**
 * Delay notices in the browser: the officer writes why a case is late on its page, the worker's sweep runs
 * (in-process, at a chosen instant), the applicant sees the notice on the case page, and OPDC sees its copy at
 * /opdc/notices. Accessible (axe) and usable 320 px wide.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import { addWorkingDays, countedFrom } from "~/core/calendar/working-days";
import { listCaseNotices } from "~/models/case-notice.server";
import { sendDueNotices } from "~/services/cases/send-due-notices.server";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { cloneSlug } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { citizen } from "../support/journeys";
import { expectAccessible, expectNoHorizontalOverflow } from "./page-checks";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser();
const applicantNoticeCount = async () => (await listCaseNotices({ kind: "delay", agencyId: "sukjai" }, 1, 10)).rows.filter((n) => n.caseId === filed.id).length;
const REASON_TH = "รอความเห็นจากกองช่างว่าต้องขออนุญาตก่อสร้างด้วยหรือไม่";
const REASON_EN = "Waiting for the engineering division's opinion on a building permit";
let filed = { id: "", trackingNumber: "" };
/** The web server runs on the real clock: the case is filed so that its first delay notice fell due within the last week. */
const now = new Date();
let filedAt = now;
let firstNoticeAt = now;
for (let days = 1; days <= 30; days++) {
  filedAt = new Date(now.getTime() - days * 86_400_000);
  firstNoticeAt = countedFrom(addWorkingDays(countedFrom(filedAt, getWorkingCalendar()), 3, getWorkingCalendar()), getWorkingCalendar());
  if (firstNoticeAt <= now) break;
}

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  // A 3-working-day limit, passed a few days ago.
  filed = await submitApplication(
    await citizen(),
    cloneSlug("sukjai", "licensing-information-request"),
    {
      requester: { fullName: "สมหญิง ใจดี", email: "somying@example.co.th" },
      request: { subject: "ร้านอาหารต้องขออนุญาตไหม", topic: "needed", question: "เปิดร้านอาหารขนาด 50 ตารางเมตร ต้องขออนุญาตอะไรบ้าง" },
      consent: true,
    },
    "web",
    filedAt,
  );
  await drainEffectRunner();
}, 120_000);

afterAll(async () => {
  await drainEffectRunner();
  await disconnectDb();
});

describe("delay notices", () => {
  it("the officer writes the reason; after the sweep the applicant sees the notice on the case page", async () => {
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    await officer.goto(`${app().baseUrl}/cases/${filed.id}`);
    const section = officer.locator('[data-testid="case-notices"]');
    await section.waitFor();
    // Too short: an error summary linking to the field.
    await officer.fill("#delay-reason-th", "รอ");
    await officer.click('[data-testid="save-delay-reason"]');
    await officer.locator('[data-testid="delay-reason-errors"] a[href="#delay-reason-th"]').waitFor();
    await officer.fill("#delay-reason-th", REASON_TH);
    await officer.fill("#delay-reason-en", REASON_EN);
    await officer.click('[data-testid="save-delay-reason"]');
    await officer.locator('[data-testid="current-reason"]').waitFor();
    expect(await officer.locator('[data-testid="current-reason"]').innerText()).toContain(REASON_TH);
    await expectAccessible(officer, "case page (officer, notices)");

    await sendDueNotices({ now: new Date(firstNoticeAt.getTime() - 1) });
    expect(await applicantNoticeCount()).toBe(0);
    await sendDueNotices({ now: firstNoticeAt });
    expect(await applicantNoticeCount()).toBe(1);

    const applicant = await signIn("citizen@demo.borikan.local");
    await applicant.goto(`${app().baseUrl}/cases/${filed.id}`);
    const notices = applicant.locator('[data-testid="case-notices"]');
    await notices.waitFor();
    const row = notices.locator(`tr[data-notice="delay:${filed.id}:1"]`);
    expect(await row.innerText()).toContain(REASON_TH);
    expect(await row.innerText()).toContain("ครั้งที่ 1");
    expect(await notices.locator('[data-testid="late-status"]').innerText()).toContain("เกินกำหนด");
    // The applicant does not get the officers' form.
    expect(await applicant.locator('[data-testid="delay-reason"]').count()).toBe(0);
    expect(await applicant.locator('[data-testid="history"]').innerText()).toContain("แจ้งเหตุล่าช้า");
    await expectAccessible(applicant, "case page (applicant, notices)");
    await notices.scrollIntoViewIfNeeded();
    await notices.screenshot({ path: `${SHOTS}/case-delay-notice.png` });
    await applicant.setViewportSize({ width: 320, height: 900 });
    await expectNoHorizontalOverflow(applicant, "case page with notices at 320 px");
  });

  it("OPDC sees the copy at /opdc/notices, filtered by agency", async () => {
    const opdc = await signIn("opdc@demo.borikan.local");
    await opdc.goto(`${app().baseUrl}/`);
    await Promise.all([opdc.waitForURL(/\/opdc\/notices/), opdc.click('a[href="/opdc/notices"]')]);
    const table = opdc.locator('[data-testid="opdc-notices"]');
    await table.waitFor();
    expect(await table.locator(`tr[data-notice="delay:${filed.id}:1"]`).innerText()).toContain(filed.trackingNumber);
    await opdc.selectOption("#notice-agency", "thungthong");
    await Promise.all([opdc.waitForURL(/agency=thungthong/), opdc.click('[data-testid="notices-filter"] button[type="submit"]')]);
    await opdc.locator('[data-testid="notices-total"]', { hasText: /^0$/ }).waitFor();
    await opdc.selectOption("#notice-agency", "sukjai");
    await Promise.all([opdc.waitForURL(/agency=sukjai/), opdc.click('[data-testid="notices-filter"] button[type="submit"]')]);
    await opdc.locator('[data-testid="notices-total"]', { hasText: /^1$/ }).waitFor();
    expect(await table.locator(`tr[data-notice="delay:${filed.id}:1"]`).innerText()).toContain(REASON_TH);
    await expectAccessible(opdc, "/opdc/notices");
    await opdc.screenshot({ path: `${SHOTS}/opdc-notices.png`, fullPage: true });
    await opdc.setViewportSize({ width: 320, height: 900 });
    await expectNoHorizontalOverflow(opdc, "/opdc/notices at 320 px");

    // Staff of an agency are refused.
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    const response = await officer.goto(`${app().baseUrl}/opdc/notices`);
    expect(response?.status()).toBe(403);
  });
});
