import mongoose from "mongoose";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cloneSlug } from "~/services/seed-demo.server";
import { signAuditCheckpoint } from "~/services/audit/sign-audit-checkpoint.server";
import { SHOTS, appInBrowser } from "../e2e/support";
import { healthHazardApplication } from "../support/factories";

const { app, signIn } = appInBrowser();

const SLUG = cloneSlug("sukjai", "health-hazard-licence");

/** A JSON POST from the signed-in browser, as the site's own pages send it. */
async function postJson(page: Page, path: string, body: unknown) {
  const response = await page.request.post(`${app().baseUrl}${path}`, { data: body, headers: { Origin: app().baseUrl } });
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

async function statusOf(page: Page, path: string): Promise<number> {
  return (await page.goto(`${app().baseUrl}${path}`))!.status();
}

describe("the audit log page", () => {
  it("shows an agency admin their agency's log with its chain status, filters it, and refuses everyone else", async () => {
    // given a case filed by a citizen and accepted by Suk Jai's officer, and a sign-in at another agency
    const citizen = await signIn("citizen@demo.borikan.local");
    const filed = await postJson(citizen, `/api/v1/services/${SLUG}/applications`, { data: await healthHazardApplication({}, 77) });
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    await postJson(officer, `/api/v1/applications/${String(filed.id)}/events`, { type: "ACCEPT" });
    await signIn("officer@thungthong.demo.borikan.local");

    // and the head of Suk Jai's chain signed (what the worker does every AUDIT_CHECKPOINT_MINUTES)
    await mongoose.connect(app().mongoUri);
    expect(await signAuditCheckpoint("sukjai")).toMatchObject({ signed: true });
    await mongoose.disconnect();

    // when Suk Jai's admin opens the log
    const admin = await signIn("admin@sukjai.demo.borikan.local");
    expect(await statusOf(admin, "/admin/audit")).toBe(200);
    const table = admin.locator('[data-testid="audit-table"]');
    const text = await table.innerText();
    // then the officer's transition and the sign-ins of Suk Jai's staff are there, the other agency's are not
    expect(await table.locator('tr[data-action="case.transition"]').count()).toBe(1);
    expect(text).toContain(String(filed.id));
    expect(text).toContain("สมหญิง ตั้งใจ");
    expect(text).not.toContain("มานะ ขยัน");
    expect(await table.locator('tr[data-action="sign-in"]').count()).toBeGreaterThanOrEqual(2);
    // and the status line says the visible stretch is intact and when the head was last signed
    const status = await admin.locator('[data-testid="chain-status"]').innerText();
    expect(status).toMatch(/ลูกโซ่ถูกต้องครบถ้วนในช่วงรายการ #1–#\d+/);
    expect(status).toMatch(/ลงลายมือชื่อรับรองล่าสุดที่รายการ #\d+/);
    await admin.screenshot({ path: `${SHOTS}/audit-log.png`, fullPage: true });

    // filtering by action leaves only that action
    expect(await statusOf(admin, "/admin/audit?action=case.transition")).toBe(200);
    const actions = await admin.locator('[data-testid="audit-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action")));
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(["case.transition"]));

    // the same page in English
    await admin.goto(`${app().baseUrl}/admin/audit?lang=en`);
    expect(await admin.locator("h1").innerText()).toBe("Audit log");
    expect(await admin.locator('[data-testid="chain-status"]').innerText()).toMatch(/Chain intact over entries #1–#\d+/);

    // an agency admin cannot read another agency's log; an officer cannot read any; a citizen neither
    expect(await statusOf(admin, "/admin/audit?agency=thungthong")).toBe(403);
    expect(await statusOf(officer, "/admin/audit")).toBe(403);
    expect(await statusOf(citizen, "/admin/audit")).toBe(403);

    // OPDC reads any agency's chain through the picker
    const opdc = await signIn("opdc@demo.borikan.local");
    expect(await statusOf(opdc, "/admin/audit?agency=thungthong")).toBe(200);
    expect(await opdc.locator('[data-testid="audit-table"]').innerText()).toContain("มานะ ขยัน");
    expect(await opdc.locator('select[name="agency"]').inputValue()).toBe("thungthong");
  });
});
