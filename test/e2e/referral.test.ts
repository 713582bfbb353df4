/**
 * Referral to another agency (s.10) in a real browser: an officer of Suk Jai refers a petition to Thung Thong
 * (a wrong choice first, refused with a GOV.UK error summary); Thung Thong's officer finds it in the inbox and
 * opens it; the citizen sees "referred" with the link to the new case.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { cloneSlug, DEMO_API_KEY } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { settledCase, type CaseDocumentsBody } from "../support/case-api";
import { citizen } from "../support/journeys";
import { bearer } from "../support/tus-client";
import { expectAccessible, expectNoHorizontalOverflow } from "./page-checks";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser();
let filed = { id: "", trackingNumber: "" };
/** A second petition of the citizen's, which the agency's intake system (an API key) refers. */
let viaApi = "";

beforeAll(async () => {
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  const data = {
    complainant: { anonymous: false, fullName: "สมชาย ใจดี", mobile: "0812345678" },
    complaint: { subject: "ถนนทางหลวงหน้าหมู่บ้านชำรุด", category: "road", details: "ถนนเป็นหลุมลึก รถจักรยานยนต์ล้มหลายครั้ง อยู่ในเขตตำบลทุ่งทอง" },
    consent: true,
  };
  filed = await submitApplication(await citizen(), cloneSlug("sukjai", "general-petition"), data, "web");
  const powerLine = { ...data, complaint: { subject: "สายไฟแรงสูงหย่อนต่ำ", category: "other", details: "สายไฟแรงสูงหย่อนต่ำจนเกือบถึงหลังคารถบรรทุก" } };
  viaApi = (await submitApplication(await citizen(), cloneSlug("sukjai", "general-petition"), powerLine, "web")).id;
  await drainEffectRunner();
  await disconnectDb();
}, 120_000);

/** The page again until `selector` is there: the referral is filed off the request path, by the server's runner. */
async function reloadUntil(page: Page, selector: string): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    if ((await page.locator(selector).count()) > 0) return;
    await page.reload();
  }
  throw new Error(`${selector} never appeared on ${page.url()}`);
}

describe("referring a case to another agency", () => {
  let referred = { id: "", trackingNumber: "" };

  it("the officer chooses the agency; a bad choice is refused with an error summary", async () => {
    const page = await signIn("officer@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/cases/${filed.id}`);
    const form = page.locator('form[data-event="NOT_OUR_AGENCY"]');
    await form.locator('[data-testid="referral-form"]').waitFor();
    expect(await form.locator("#referral-agency option").allInnerTexts()).toEqual(["— เลือกหน่วยงาน —", "องค์การบริหารส่วนตำบลทุ่งทอง"]);
    await expectAccessible(page, "case page with the referral form");

    // "Not on the platform" without a name: refused, with the summary linking to the field.
    await form.locator('[data-testid="refer-external"]').check();
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), form.locator('button[type="submit"]').click()]);
    const summary = page.locator('[data-testid="referral-errors"]');
    await summary.waitFor();
    expect(await summary.locator("a").getAttribute("href")).toBe("#referral-name-th");
    expect(await summary.innerText()).toContain("พิมพ์ชื่อหน่วยงานที่มีอำนาจเป็นภาษาไทย");
    // What was chosen is kept.
    expect(await form.locator('[data-testid="refer-external"]').isChecked()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("referral-errors");
    await form.screenshot({ path: `${SHOTS}/case-referral-errors.png` });

    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalOverflow(page, "case page with referral errors at 320 px");
    await page.setViewportSize({ width: 1280, height: 900 });

    await form.locator('[data-testid="refer-platform"]').check();
    await form.locator("#referral-agency").selectOption("thungthong");
    await form.locator('textarea[name="comment"]').fill("ถนนสายนี้อยู่ในเขตความรับผิดชอบของ อบต.ทุ่งทอง");
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), form.locator('button[type="submit"]').click()]);
    await page.locator('[data-testid="case-state"][data-state="referred"]').waitFor();

    await reloadUntil(page, '[data-testid="referral-link"]');
    const link = page.locator('[data-testid="referral-link"]');
    // The new case is the other agency's: its tracking number shows, without a link this officer could not open.
    expect(await link.getAttribute("href")).toBeNull();
    referred = { id: "", trackingNumber: await link.innerText() };
    expect(referred.trackingNumber).toMatch(/^TTG-/);
    expect(await page.locator('[data-testid="history-link"]').innerText()).toContain(referred.trackingNumber);
  });

  it("the other agency's officer finds it in the inbox and opens it, linked to the original", async () => {
    const page = await signIn("officer@thungthong.demo.borikan.local");
    await page.goto(`${app().baseUrl}/inbox`);
    const row = page.locator(`[data-testid="inbox"] tr[data-tracking="${referred.trackingNumber}"]`);
    await row.waitFor();
    await Promise.all([page.waitForURL(/\/cases\/[0-9a-f]{24}$/), row.locator("a").click()]);
    referred.id = new URL(page.url()).pathname.split("/").at(-1)!;
    expect(await page.locator('[data-testid="case-state"]').getAttribute("data-state")).toBe("received");
    const from = page.locator('[data-testid="referral-from-link"]');
    expect(await from.innerText()).toBe(filed.trackingNumber);
    expect(await from.getAttribute("href")).toBeNull();
    expect(await page.locator('[data-testid="referral"]').innerText()).toContain("เทศบาลเมืองสุขใจ");
    expect(await page.locator('[data-testid="history"]').innerText()).toContain("ถนนสายนี้อยู่ในเขตความรับผิดชอบของ อบต.ทุ่งทอง");
  });

  it("the citizen sees the case referred, with the link to the new case", async () => {
    const page = await signIn("citizen@demo.borikan.local");
    await page.goto(`${app().baseUrl}/cases/${filed.id}`);
    expect(await page.locator('[data-testid="case-state"]').innerText()).toBe("ส่งต่อเรื่องไปยังหน่วยงานที่มีอำนาจแล้ว");
    const notice = page.locator('[data-testid="referral"]');
    expect(await notice.innerText()).toContain("องค์การบริหารส่วนตำบลทุ่งทอง");
    expect(await notice.locator('[data-testid="referral-link"]').innerText()).toBe(referred.trackingNumber);
    await page.screenshot({ path: `${SHOTS}/case-referred.png`, fullPage: false });
    await expectAccessible(page, "the citizen's referred case");

    await Promise.all([page.waitForURL(`**/cases/${referred.id}`), notice.locator('[data-testid="referral-link"]').click()]);
    expect(await page.locator("h1").innerText()).toBe(referred.trackingNumber);
  });

  it("an agency's system refers through the API: a bad target is 422 with its pointer; an agency not on the platform gets a letter", async () => {
    const auth = { ...bearer(DEMO_API_KEY), "Content-Type": "application/json" };
    const id = viaApi;
    const fire = (body: object) => fetch(`${app().baseUrl}/api/v1/applications/${id}/events`, { method: "POST", headers: auth, body: JSON.stringify(body) });

    const refused = await fire({ type: "NOT_OUR_AGENCY", data: { agencyId: "sukjai" } });
    expect(refused.status).toBe(422);
    const error = ((await refused.json()) as { error: { code: string; details: { fields: { pointer: string; message: { th: string; en: string } }[] } } }).error;
    expect(error.code).toBe("FORM_INVALID");
    expect(error.details.fields[0]).toMatchObject({ pointer: "/agencyId", message: { en: "You cannot refer a case to your own agency; choose another agency" } });

    const referred = await fire({ type: "NOT_OUR_AGENCY", data: { agencyName: { th: "การไฟฟ้าส่วนภูมิภาคจังหวัดนนทบุรี", en: "PEA Nonthaburi" } } });
    expect(referred.status).toBe(200);
    const settled = await settledCase<{ documents: CaseDocumentsBody; state: string; status: string }>(app().baseUrl, id, bearer(DEMO_API_KEY));
    expect(settled.documents.issued).toHaveLength(1);
    expect(settled.documents.issued[0]).toMatchObject({ kind: "letter", title: { en: "Letter naming the competent agency" } });
    expect(settled).toMatchObject({ state: "referred", status: "done" });
  });
});
