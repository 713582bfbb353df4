import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import PDFDocument from "pdfkit";
import yauzl from "yauzl";
import { afterAll, describe, expect, it } from "vitest";
import { attachFile, fillHealthHazardApplication, submitAndConfirm } from "./health-hazard-form";
import { SHOTS, appInBrowser } from "./support";

const SERVICE = "sukjai-health-hazard-licence";
const MB = 1024 * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), "borikan-e2e-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { app, signIn } = appInBrowser();

/** A 200 MB "building plan": a PDF header and random pages, written to disk in 8 MB blocks (never whole in memory). */
function bigPlan(size: number): { file: string; sha256: string } {
  const file = path.join(dir, "แบบแปลนอาคาร.pdf");
  const hash = createHash("sha256");
  const fd = openSync(file, "w");
  const head = Buffer.from("%PDF-1.7\n");
  writeSync(fd, head);
  hash.update(head);
  let left = size - head.length;
  let seed = 1;
  while (left > 0) {
    const block = Buffer.alloc(Math.min(8 * MB, left));
    for (let i = 0; i + 4 <= block.length; i += 4) block.writeUInt32LE((seed = (seed * 1103515245 + 12345) >>> 0), i);
    writeSync(fd, block);
    hash.update(block);
    left -= block.length;
  }
  closeSync(fd);
  return { file, sha256: hash.digest("hex") };
}

/** A real one-page PDF that the browser's viewer can show. */
function smallPdf(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: "A4" });
    const parts: Buffer[] = [];
    doc.on("data", (c: Buffer) => parts.push(c));
    doc.on("end", () => resolve({ name: "id-card.pdf", mimeType: "application/pdf", buffer: Buffer.concat(parts) }));
    doc.fontSize(28).text("ID card (sample)", 72, 96);
    doc.rect(72, 160, 300, 180).stroke();
    doc.end();
  });
}

describe("documents of any size: a 200 MB plan survives a dropped connection and a reload", () => {
  let caseUrl = "";
  const plan = bigPlan(200 * MB);

  it("the citizen attaches a 200 MB plan and a small PDF; the upload pauses, loses its connection, resumes after a reload, and is filed", async () => {
    const citizen = await signIn("citizen@demo.borikan.local");
    const network = await citizen.context().newCDPSession(citizen);
    // A 40 Mbit/s uplink, so the transfer takes long enough to be interrupted on purpose.
    const throttle = (offline: boolean) => network.send("Network.emulateNetworkConditions", { offline, latency: 5, downloadThroughput: -1, uploadThroughput: 5 * MB });
    await network.send("Network.enable");
    await throttle(false);
    await citizen.goto(`${app().baseUrl}/services/${SERVICE}/apply`);
    const slot = citizen.locator('[data-testid="upload-input-/documents/siteMap"]');
    await slot.locator('input[type="file"]').setInputFiles(plan.file);
    const progress = slot.locator('[data-testid="upload-progress"]');
    await progress.waitFor();
    await expect.poll(async () => Number.parseFloat(await slot.locator('[data-testid="upload-percent"]').innerText()), { timeout: 30_000 }).toBeGreaterThan(3);
    expect(await slot.locator('[data-testid="upload-speed"]').innerText()).toMatch(/MB\/s/);
    expect(await slot.locator('[data-testid="upload-eta"]').innerText()).not.toBe("");
    await slot.scrollIntoViewIfNeeded();
    await citizen.evaluate(() => window.scrollBy(0, 200));
    await citizen.screenshot({ path: `${SHOTS}/upload-progress.png` });

    // Pause and resume.
    await slot.locator('[data-testid="upload-pause"]').click();
    await expect.poll(() => progress.getAttribute("data-status")).toBe("paused");
    await slot.locator('[data-testid="upload-resume"]').click();
    await expect.poll(() => progress.getAttribute("data-status")).toBe("uploading");

    // The connection drops: the widget says so and retries until it is back.
    await throttle(true);
    await slot.locator('[data-testid="upload-retrying"]').waitFor({ timeout: 30_000 });
    await throttle(false);
    await expect.poll(() => progress.getAttribute("data-status"), { timeout: 30_000 }).toBe("uploading");
    const before = Number.parseFloat(await slot.locator('[data-testid="upload-percent"]').innerText());

    // A reload in the middle: choosing the same file again resumes where the server stopped.
    await citizen.reload();
    await slot.locator('input[type="file"]').setInputFiles(plan.file);
    await slot.locator('[data-testid="upload-resumed"]').waitFor({ timeout: 30_000 });
    expect(Number.parseFloat((await slot.locator('[data-testid="upload-resumed"]').innerText()).replace(/[^\d.]/g, ""))).toBeGreaterThanOrEqual(Math.floor(before) - 1);
    await throttle(false);
    await network.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await slot.locator('[data-testid="upload-done"]').waitFor({ timeout: 120_000 });
    const uploadId = await slot.locator('[data-testid="upload-done"]').getAttribute("data-upload-id");
    const status = await (await citizen.request.get(`${app().baseUrl}/api/v1/uploads/${uploadId}`)).json();
    expect(status).toMatchObject({ size: 200 * MB, sha256: plan.sha256, status: "complete" });

    await fillHealthHazardApplication(citizen);
    await attachFile(citizen, "/documents/idCard", await smallPdf());
    await submitAndConfirm(citizen);
    caseUrl = citizen.url().replace(/\?.*$/, "");
    await citizen.context().close();
  });

  it("the officer sees each file's size, type and hash, previews the PDF, and downloads everything as one zip", async () => {
    const officer = await signIn("officer@sukjai.demo.borikan.local");
    await officer.goto(caseUrl);
    const table = officer.locator('[data-testid="attachments"]');
    const planRow = table.locator('[data-testid="attachment-/documents/siteMap"]');
    expect(await planRow.innerText()).toContain("200 MB");
    expect(await planRow.innerHTML()).toContain(plan.sha256);
    const idRow = table.locator('[data-testid="attachment-/documents/idCard"]');
    await idRow.locator('[data-testid="attachment-preview"]').click();
    const viewer = officer.locator('[data-testid="attachment-viewer"]');
    await viewer.waitFor();
    const src = await viewer.locator("iframe").getAttribute("src");
    const preview = await officer.request.get(`${app().baseUrl}${src}`);
    expect(preview.headers()["content-type"]).toBe("application/pdf");
    expect(preview.headers()["content-disposition"]).toMatch(/^inline/);
    await officer.waitForTimeout(500);
    await officer.screenshot({ path: `${SHOTS}/officer-attachment-preview.png` });
    await officer.keyboard.press("Escape");

    const [download] = await Promise.all([officer.waitForEvent("download"), table.locator('[data-testid="attachments-zip"]').click()]);
    const zipPath = path.join(dir, "case.zip");
    await download.saveAs(zipPath);
    const entries = await zipEntries(zipPath);
    expect(entries.length).toBe(4);
    expect(entries.find((e) => e.name.includes("แบบแปลนอาคาร.pdf"))?.size).toBe(200 * MB);
    await table.scrollIntoViewIfNeeded();
    await officer.screenshot({ path: `${SHOTS}/officer-attachments.png` });
    expect(readFileSync(zipPath).subarray(0, 2).toString()).toBe("PK");
    await officer.context().close();
  });
});

function zipEntries(file: string): Promise<{ name: string; size: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out: { name: string; size: number }[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        out.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on("end", () => resolve(out));
      zip.readEntry();
    });
  });
}
