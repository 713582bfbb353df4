import { describe, expect, it } from "vitest";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser();

describe("the account page in a browser", () => {
  it("shows a password change's errors in a summary that takes focus and links to each field", async () => {
    const page = await signIn("approver@sukjai.demo.borikan.local");
    await page.click('[data-testid="account-link"]');
    await page.waitForURL((url) => url.pathname === "/account");
    await expect(page.textContent('[data-testid="account-who"]')).resolves.toContain("approver@sukjai.demo.borikan.local");
    await page.fill("#current-password", "not my password");
    await page.fill("#new-password", "short");
    await page.click('button:has-text("เปลี่ยนรหัสผ่าน")');
    await page.waitForSelector('[data-testid="error-summary"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("error-summary");
    expect(await page.getAttribute("#new-password", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#new-password", "aria-describedby")).toContain("new-password-error");
    await page.screenshot({ path: `${SHOTS}/account-password-errors.png`, fullPage: true });
    // The summary's link takes the person to the field.
    await page.click('[data-testid="error-summary"] a[href="#new-password"]');
    expect(new URL(page.url()).hash).toBe("#new-password");
  });

  it("signs out everywhere: this browser and another one are both signed out", async () => {
    const here = await signIn("officer@sukjai.demo.borikan.local");
    const there = await signIn("officer@sukjai.demo.borikan.local");
    await here.goto(`${app().baseUrl}/account`);
    await Promise.all([here.waitForURL((url) => url.pathname === "/login"), here.click('[data-testid="sign-out-everywhere"]')]);
    await expect(here.textContent("[role=status]")).resolves.toContain("ออกจากระบบในทุกอุปกรณ์แล้ว");
    await there.goto(`${app().baseUrl}/inbox`);
    expect(new URL(there.url()).pathname).toBe("/login");
  });

  it("the header's sign-out button ends the session", async () => {
    const page = await signIn("officer@sukjai.demo.borikan.local");
    await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.click('button:has-text("ออกจากระบบ")')]);
    await page.goto(`${app().baseUrl}/inbox`);
    expect(new URL(page.url()).pathname).toBe("/login");
  });
});
