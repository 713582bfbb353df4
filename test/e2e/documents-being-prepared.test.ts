/**
 * The case page while documents are produced off the request path: it says they are being prepared (a live
 * status region), refreshes itself, and shows the permit once it exists — without the user reloading.
 * The web process's runner is held (BORIKAN_HOLD_EFFECTS=1, a test gate) so the in-between state is
 * observable; the worker process then produces the documents, as it would after a crash.
 */
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { caseAwaitingFee } from "../support/journeys";
import { SHOTS, appInBrowser } from "./support";

const { app, signIn } = appInBrowser({ env: { BORIKAN_HOLD_EFFECTS: "1" } });
let caseUrl = "";

beforeAll(async () => {
  // Filed, accepted, inspected and approved through the services (this process's runner is not held).
  process.env.MONGODB_URI = app().mongoUri;
  await connectDb(app().mongoUri);
  caseUrl = `${app().baseUrl}/cases/${await caseAwaitingFee(8, { business: { name: "ร้านนวดแผนไทยสบายใจ" } })}`;
  await disconnectDb();
}, 120_000);

/** One pass of the worker (`scripts/worker.ts --once`) on the app's database. */
function runWorkerOnce(): string {
  const worker = spawnSync(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--once"], {
    env: { ...process.env, ...app().env, NODE_ENV: "production" },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(worker.status, worker.stderr).toBe(0);
  return worker.stdout;
}

describe("documents being prepared", () => {
  it("the officer confirms the fee: the page says the permit is being prepared, then shows it by itself", async () => {
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    await officer.goto(caseUrl);
    await officer.locator('form[data-event="FEE_PAID"] button').click();
    await officer.waitForSelector('[data-testid="case-state"][data-state="permitIssued"]');

    const status = officer.locator('[role="status"][data-testid="documents-pending"]');
    await officer.locator('[data-testid="documents-pending"][data-state="preparing"]').waitFor();
    await expect.poll(() => status.innerText()).toContain("กำลังจัดทำเอกสาร…");
    expect(await officer.locator('[data-testid="pending-document"][data-kind="permit"]').count()).toBe(1);
    expect(await officer.locator('[data-testid="issued-permit"]').count()).toBe(0);
    // The top of the page, where the documents will appear (the click left the page scrolled to the buttons).
    await officer.evaluate(() => window.scrollTo(0, 0));
    await officer.screenshot({ path: `${SHOTS}/case-documents-being-prepared.png`, clip: { x: 0, y: 0, width: 1280, height: 480 } });

    // The English page says the same.
    const english = await officer.context().newPage();
    await english.goto(`${caseUrl}?lang=en`);
    await expect.poll(() => english.locator('[data-testid="documents-pending"]').innerText()).toContain("Documents are being prepared…");
    await english.close();

    // A marker that a reload would wipe: the permit must arrive by the page's own refresh.
    await officer.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    expect(runWorkerOnce()).toMatch(/worker: ran 3 pending effect\(s\)/);

    await officer.locator('[data-testid="issued-permit"]').waitFor({ timeout: 15_000 });
    await officer.locator('[data-testid="documents-pending"][data-state="none"]').waitFor({ state: "attached" }); // empty, so not "visible"
    expect(await officer.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await officer.locator('[data-testid="issued-permit"]').getAttribute("data-number")).toMatch(/^SKJ-HH-\d{4}-\d{5}$/);
    await officer.context().close();
  });
});
