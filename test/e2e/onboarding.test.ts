import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";
import { SHOTS, addVirtualPasskeyAuthenticator, appInBrowser } from "./support";

// The production policy: admins and approvers must have a second factor; officers need none.
process.env.SECOND_FACTOR_REQUIRED_ROLES = "agencyAdmin,opdcAdmin,approver";
const { app, open } = appInBrowser();

async function withPasskey(): Promise<Page> {
  const page = await open();
  await addVirtualPasskeyAuthenticator(page);
  return page;
}

/** On the enrolment page: adds a passkey, sees the ten recovery codes and continues to where they were going. */
async function enrolPasskey(page: Page, name: string, home: string) {
  expect(new URL(page.url()).pathname).toBe("/account/second-factor");
  await page.fill("#passkey-name", name);
  await page.click('[data-testid="add-passkey"]');
  await page.waitForSelector('[data-testid="recovery-codes"]');
  expect(await page.locator('[data-testid="recovery-codes"] li').count()).toBe(10);
  await Promise.all([page.waitForURL((url) => url.pathname === home), page.click('[data-testid="continue"]')]);
}

async function acceptInvitation(page: Page, link: string, name: string, password: string, landing: (url: URL) => boolean) {
  await page.goto(link);
  await page.fill("#invitee-name", name);
  await page.fill("#invitee-password", password);
  await Promise.all([page.waitForURL(landing), page.click('button[type="submit"]:has-text("สร้างบัญชี")')]);
}

async function passwordSignIn(page: Page, email: string, password: string) {
  await page.goto(`${app().baseUrl}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith("/login")), page.click('button[type="submit"]')]);
}

async function invite(admin: Page, email: string, role: string): Promise<string> {
  await admin.goto(`${app().baseUrl}/admin/staff`);
  await admin.fill("#invite-email", email);
  await admin.check(`#invite-roles input[value="${role}"]`);
  await admin.click('button:has-text("ส่งคำเชิญ")');
  return (await (await admin.waitForSelector('[data-testid="invitation-link"]')).textContent())!;
}

describe("onboarding an agency in a browser", () => {
  it("OPDC adds an agency; its admin accepts, enrols a passkey, invites staff, resets a lost factor and deactivates", async () => {
    const opdc = await withPasskey();
    await passwordSignIn(opdc, "opdc@demo.borikan.local", DEMO_PASSWORD);
    await enrolPasskey(opdc, "OPDC laptop", "/");
    await opdc.goto(`${app().baseUrl}/opdc/agencies`);
    await opdc.fill("#agency-code", "CMN01");
    await opdc.fill("#agency-name-th", "เทศบาลตำบลช้างเผือก");
    await opdc.fill("#agency-name-en", "Chang Phueak Subdistrict Municipality");
    await opdc.selectOption("#agency-kind", "municipality");
    await opdc.selectOption("#agency-province", "เชียงใหม่");
    await opdc.fill("#agency-contact-name", "สมปอง ใจงาม");
    await opdc.fill("#agency-contact-email", "contact@cmn01.example.go.th");
    await opdc.fill("#agency-contact-phone", "053 111 222");
    await opdc.selectOption("#agency-level", "standard");
    await opdc.click('[data-testid="add-agency"] button[type="submit"]');
    await opdc.waitForSelector('[data-agency="CMN01"]');
    await opdc.fill('[data-testid="invite-admin-email-CMN01"]', "head@cmn01.example.go.th");
    await opdc.click('[data-agency="CMN01"] button:has-text("เชิญผู้ดูแลระบบ")');
    const adminLink = await (await opdc.waitForSelector('[data-testid="invitation-link"]')).textContent();
    await opdc.screenshot({ path: `${SHOTS}/onboarding-opdc-agencies.png`, fullPage: true });

    // The first admin must have a second factor: accepting leads straight to enrolment, then to the staff page.
    const admin = await withPasskey();
    await acceptInvitation(admin, adminLink!, "หัวหน้า ช้างเผือก", "a long admin password", (url) => url.pathname === "/account/second-factor");
    await admin.screenshot({ path: `${SHOTS}/onboarding-admin-enrol.png`, fullPage: true });
    await enrolPasskey(admin, "มือถือหัวหน้า", "/admin/staff");

    const officerLink = await invite(admin, "officer@cmn01.example.go.th", "officer");
    const officer = await open();
    await acceptInvitation(officer, officerLink, "เจ้าหน้าที่ ช้างเผือก", "a long officer password", (url) => url.pathname === "/inbox");
    await officer.screenshot({ path: `${SHOTS}/onboarding-officer-inbox.png`, fullPage: true });

    // An approver enrols a passkey, loses the device; the admin resets it: the approver is signed out at once
    // and must enrol again at the next sign-in.
    const approverLink = await invite(admin, "approver@cmn01.example.go.th", "approver");
    const approver = await withPasskey();
    await acceptInvitation(approver, approverLink, "ผู้อนุมัติ ช้างเผือก", "a long approver password", (url) => url.pathname === "/account/second-factor");
    await enrolPasskey(approver, "มือถือผู้อนุมัติ", "/inbox");
    await admin.goto(`${app().baseUrl}/admin/staff`);
    expect(await admin.locator('[data-testid="reset-factor-officer@cmn01.example.go.th"]').count()).toBe(0);
    await admin.click('[data-testid="reset-factor-approver@cmn01.example.go.th"]');
    await admin.waitForSelector('[data-testid="factor-reset"]');
    // The action's message shows while the page's data is still being fetched again: wait for the new row.
    await admin.waitForSelector('[data-testid="reset-factor-approver@cmn01.example.go.th"]', { state: "detached" });
    await admin.screenshot({ path: `${SHOTS}/onboarding-staff-factor-reset.png`, fullPage: true });
    await approver.reload();
    expect(new URL(approver.url()).pathname).toBe("/login");
    await passwordSignIn(approver, "approver@cmn01.example.go.th", "a long approver password");
    expect(new URL(approver.url()).pathname).toBe("/account/second-factor");

    // The agency's policy: every member of staff needs a second factor, from their next sign-in.
    await admin.check('[data-testid="policy-all-staff"]');
    await admin.click('button:has-text("บันทึกนโยบาย")');
    await admin.waitForSelector('.bk-alert.ok:has-text("บันทึกแล้ว")');
    expect(await admin.isChecked('[data-testid="policy-all-staff"]')).toBe(true);
    await officer.context().clearCookies();
    await passwordSignIn(officer, "officer@cmn01.example.go.th", "a long officer password");
    expect(new URL(officer.url()).pathname).toBe("/account/second-factor");

    await admin.goto(`${app().baseUrl}/admin/staff`);
    await admin.click('[data-testid="deactivate-officer@cmn01.example.go.th"]');
    await admin.waitForSelector('[data-testid="reactivate-officer@cmn01.example.go.th"]');
    await admin.screenshot({ path: `${SHOTS}/onboarding-staff.png`, fullPage: true });
    // Ending the officer's sessions keeps the record of their last sign-in.
    expect(await admin.locator('[data-email="officer@cmn01.example.go.th"] td').nth(3).innerText()).toMatch(/ 25\d\d /);

    await officer.reload();
    expect(new URL(officer.url()).pathname).toBe("/login");
  });
});
