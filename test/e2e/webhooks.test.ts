import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver } from "../support/webhook-receiver";
import { expectAccessible, expectLabelInName, expectNoHorizontalOverflow } from "./page-checks";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser();

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver([500]);
});
afterAll(async () => {
  await receiver.close();
});

describe("webhooks in a browser", () => {
  it("an admin registers an endpoint, sees a failed delivery with the receiver's 500, resends it and sees 200, same webhook-id", async () => {
    const page = await signIn("admin@sukjai.demo.borikan.local");
    await page.goto(`${app().baseUrl}/admin/webhooks`);

    // a plain-http address elsewhere is refused, in Thai, beside the field
    await page.fill("#new-url", "http://example.go.th/hooks");
    await page.check('[data-testid="create-endpoint"] input[name="events"][value="case.filed"]');
    await page.click('[data-testid="create-endpoint-button"]');
    await page.waitForSelector('[data-testid="error-summary"]');
    expect(await page.textContent("#new-url-error")).toContain("https://");

    await page.fill("#new-url", receiver.url);
    await page.fill("#new-description", "ระบบสารบรรณของจังหวัด");
    await page.check('[data-testid="create-endpoint"] input[name="events"][value="permit.issued"]');
    await page.click('[data-testid="create-endpoint-button"]');
    await page.waitForSelector('[data-testid="issued-secret"]');
    const secret = (await page.textContent('[data-testid="new-secret"]'))!;
    expect(secret).toMatch(/^whsec_/);
    const endpoint = page.locator(`[data-testid="endpoint"]:has-text("${receiver.url}")`);
    await endpoint.waitFor();

    // the receiver answers 500: the test delivery fails and waits for its retry, with a resend button
    await endpoint.locator('[data-testid="test"]').click();
    await page.waitForSelector('[data-testid="notice"][data-outcome="retrying"]');
    const row = endpoint.locator('tr[data-delivery-id]');
    await row.locator('[data-testid="resend"]').waitFor();
    expect(await row.locator('[data-testid="attempt-codes"]').textContent()).toContain("500");

    receiver.answer(200);
    await row.locator('[data-testid="resend"]').click();
    await endpoint.locator('tr[data-status="delivered"]').waitFor();
    expect(await row.locator('[data-testid="attempt-codes"]').textContent()).toMatch(/500[\s\S]*200/);
    await page.screenshot({ path: `${SHOTS}/admin-webhooks.png`, fullPage: true });
    await expectAccessible(page, "admin-webhooks");
    await expectLabelInName(page, "admin-webhooks");
    await page.setViewportSize({ width: 320, height: 800 });
    await page.reload();
    await page.locator('[data-testid="endpoint"]').first().waitFor();
    await expectNoHorizontalOverflow(page, "admin-webhooks at 320 px");

    expect(receiver.received).toHaveLength(2);
    const ids = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(ids[0]).toBe(ids[1]);
    const last = receiver.received[1]!;
    const headers = { "webhook-id": String(last.headers["webhook-id"]), "webhook-timestamp": String(last.headers["webhook-timestamp"]), "webhook-signature": String(last.headers["webhook-signature"]) };
    expect(new Webhook(secret).verify(last.body, headers)).toMatchObject({ type: "webhook.test" });
  });
});
