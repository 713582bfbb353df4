import { describe, expect, it } from "vitest";
import { cloneSlug } from "~/services/seed-demo.server";
import { healthHazardApplication } from "../support/factories";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser();
const SLUG = cloneSlug("sukjai", "health-hazard-licence");

describe("API keys in a browser", () => {
  it("an admin creates a key, copies it, files with it (201), revokes it, and the same call gets 401", async () => {
    const page = await signIn("admin@sukjai.demo.borikan.local");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: app().baseUrl });
    await page.goto(`${app().baseUrl}/admin/api-keys`);
    await page.fill("#key-name", "ระบบสารบรรณจังหวัดนนทบุรี");
    await page.check('input[name="roles"][value="officer"]');
    await page.check(`input[name="services"][value="${SLUG}"]`);
    const expiry = new Date(Date.now() + 90 * 24 * 3600_000).toISOString().slice(0, 10);
    await page.fill("#key-expiry", expiry);
    await page.click('[data-testid="create-key-button"]');
    await page.waitForSelector('[data-testid="issued-key"]');
    await page.click('[data-testid="copy-key"]');
    await page.waitForSelector('[data-testid="copy-key"]:has-text("คัดลอกแล้ว")');
    const key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toBe(await page.textContent('[data-testid="new-key"]'));
    await page.screenshot({ path: `${SHOTS}/api-keys-created.png`, fullPage: true });

    const fileWithKey = async () =>
      fetch(`${app().baseUrl}/api/v1/services/${SLUG}/applications`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", Connection: "close" },
        body: JSON.stringify({ data: await healthHazardApplication({}, 11) }),
      });
    expect((await fileWithKey()).status).toBe(201);

    await page.goto(`${app().baseUrl}/admin/api-keys`);
    const row = page.locator(`tr:has-text("ระบบสารบรรณจังหวัดนนทบุรี")`);
    await expect(row.locator('[data-testid="last-used"]').textContent()).resolves.not.toContain("ยังไม่เคยใช้");
    await row.locator('[data-testid="revoke"]').click();
    await page.waitForSelector('[data-testid="confirm-revoke"]');
    await page.click('[data-testid="confirm-revoke-button"]');
    await page.waitForSelector('tr[data-status="revoked"]');
    await page.setViewportSize({ width: 320, height: 900 });
    await page.screenshot({ path: `${SHOTS}/api-keys-320.png`, fullPage: true });

    const refused = await fileWithKey();
    expect(refused.status).toBe(401);
    const body = (await refused.json()) as { error: { message: { en: string } } };
    expect(body.error.message.en).toMatch(/revoked/);
  });
});
