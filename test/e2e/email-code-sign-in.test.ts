import { describe, expect, it } from "vitest";
import { SHOTS, appInBrowser } from "./support";

// The app runs as a demo without SMTP_URL: the e-mail is shown on the page, marked "demo only".
const { app, open } = appInBrowser();

describe("signing in with an e-mail code in a browser", () => {
  it("goes from the sign-in page to a code and into the citizen's requests, on a 320 px phone", async () => {
    const page = await open({ viewport: { width: 320, height: 800 }, locale: "th-TH", timezoneId: "Asia/Bangkok" });
    await page.goto(`${app().baseUrl}/login?next=%2Fmy%2Frequests`);
    await Promise.all([page.waitForURL((url) => url.pathname === "/login/email"), page.click('[data-testid="email-code-link"] a')]);

    // A mistyped address is shown in the error summary, which takes focus.
    await page.fill("#email", "not-an-address");
    await page.click('[data-testid="send-code"]');
    await page.waitForSelector('[data-testid="error-summary"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("error-summary");

    const email = `visitor-${Math.random().toString(36).slice(2, 8)}@example.org`;
    await page.fill("#email", email);
    await page.click('[data-testid="send-code"]');
    const demo = await page.waitForSelector('[data-testid="demo-mail"]');
    const text = (await demo.textContent()) ?? "";
    expect(text).toContain("สำหรับการสาธิตเท่านั้น");
    expect(text).toContain("Demo only");
    const code = /\b(\d{6})\b/.exec(text)![1]!;
    await page.screenshot({ path: `${SHOTS}/email-code-demo.png`, fullPage: true });

    // A wrong code first, shown beside the field.
    await page.fill("#code", code === "000000" ? "111111" : "000000");
    await page.click('[data-testid="verify-code"]');
    await expect(page.textContent('[data-testid="code-error"]')).resolves.toContain("รหัสไม่ถูกต้อง");

    await page.fill("#code", code);
    await Promise.all([page.waitForURL((url) => url.pathname === "/my/requests"), page.click('[data-testid="verify-code"]')]);
    await expect(page.textContent("body")).resolves.toContain(email);
  });
});
