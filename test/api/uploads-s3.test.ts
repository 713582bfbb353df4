import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server } from "../../scripts/s3server.mjs";
import { startApp, type AppProcess, type RunningApp } from "../support/app-server";
import { createUpload, patchUpload, pdfBytes, sessionOf, sha256, uploadIdOf, uploadOffset, type Auth } from "../support/tus-client";

const MB = 1024 * 1024;
const meta = { filename: "building-plan.pdf", filetype: "application/pdf", service: "sukjai-health-hazard-licence", field: "/documents/siteMap" };

let s3: Awaited<ReturnType<typeof startS3Server>>;
let app: RunningApp;
let other: AppProcess;
let citizen: Auth;

beforeAll(async () => {
  s3 = await startS3Server();
  app = await startApp({
    env: {
      UPLOAD_STORAGE: "s3",
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    },
  });
  other = await app.startAnother();
  citizen = await sessionOf(app.baseUrl, "citizen@demo.borikan.local");
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await s3?.stop();
});

describe("two web processes sharing S3-compatible storage", () => {
  it("resumes on the second process an upload begun on the first, and both serve the result", async () => {
    const bytes = pdfBytes(21 * MB);
    const created = await createUpload(app.baseUrl, citizen, bytes.length, meta);
    expect(created.status).toBe(201);
    const id = uploadIdOf(created);
    // 10 MB on process A: one 8 MB part and a 2 MB remainder wait in the bucket.
    expect((await patchUpload(app.baseUrl, citizen, id, 0, bytes.subarray(0, 10 * MB))).status).toBe(204);
    // The session cookie works on B too (signed, not stored in a process).
    const offsetOnB = await uploadOffset(other.baseUrl, citizen, id);
    expect(offsetOnB.headers.get("upload-offset")).toBe(String(10 * MB));
    const done = await patchUpload(other.baseUrl, citizen, id, 10 * MB, bytes.subarray(10 * MB));
    expect(done.status).toBe(204);
    expect(done.headers.get("upload-checksum-sha256")).toBe(sha256(bytes));

    for (const baseUrl of [app.baseUrl, other.baseUrl]) {
      const status = await (await fetch(`${baseUrl}/api/v1/uploads/${id}`, { headers: citizen })).json();
      expect(status).toMatchObject({ status: "complete", size: bytes.length, sha256: sha256(bytes) });
      const part = await fetch(`${baseUrl}/files/${id}`, { headers: { ...citizen, Range: "bytes=9000000-9000099" } });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(9_000_000, 9_000_100))).toBe(true);
    }
  });
});
