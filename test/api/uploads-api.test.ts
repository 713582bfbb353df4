import { existsSync } from "node:fs";
import path from "node:path";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY, OTHER_AGENCY_API_KEY } from "~/services/seed-demo.server";
import { startApp, type RunningApp } from "../support/app-server";
import { healthHazardApplication } from "../support/factories";
import { bearer, createUpload, patchUpload, patchUploadChunked, pdfBytes, sessionOf, sha256, uploadFile, uploadIdOf, uploadOffset, type Auth } from "../support/tus-client";
import { unzip } from "../support/zip";

const SERVICE = "sukjai-health-hazard-licence";
const MB = 1024 * 1024;
const meta = (field: string, filename = "file.pdf", filetype = "application/pdf") => ({ filename, filetype, service: SERVICE, field });

let app: RunningApp;
let citizen: Auth;
const agencyClient = bearer(DEMO_API_KEY);
const otherAgency = bearer(OTHER_AGENCY_API_KEY);

beforeAll(async () => {
  // A small quota so the quota test needs no gigabytes; every other test stays far below it.
  app = await startApp({ env: { UPLOAD_APPLICANT_QUOTA_BYTES: String(3000 * MB) } });
  citizen = await sessionOf(app.baseUrl, "citizen@demo.borikan.local");
}, 120_000);
afterAll(async () => app?.stop());

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: { th: string; en: string }; details: unknown } }).error;

async function fileApplication(auth: Auth, documents: Record<string, unknown>, n: number) {
  const data = await healthHazardApplication({}, n);
  return fetch(`${app.baseUrl}/api/v1/services/${SERVICE}/applications`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({ data: { ...data, documents: { ...data.documents, ...documents } } }),
  });
}

describe("resumable uploads: limits, types and names", () => {
  it("takes a file in parts, reports the offset to resume from, and records its SHA-256", async () => {
    const bytes = pdfBytes(5 * MB);
    const created = await createUpload(app.baseUrl, citizen, bytes.length, meta("/documents/siteMap", "แผนที่ตั้ง.pdf"));
    expect(created.status).toBe(201);
    const id = uploadIdOf(created);
    expect((await patchUpload(app.baseUrl, citizen, id, 0, bytes.subarray(0, 2 * MB))).status).toBe(204);
    expect((await uploadOffset(app.baseUrl, citizen, id)).headers.get("upload-offset")).toBe(String(2 * MB));
    // A stale offset is a conflict, not a corruption.
    expect((await patchUpload(app.baseUrl, citizen, id, 0, bytes.subarray(0, 10))).status).toBe(409);
    const done = await patchUpload(app.baseUrl, citizen, id, 2 * MB, bytes.subarray(2 * MB));
    expect(done.status).toBe(204);
    expect(done.headers.get("upload-checksum-sha256")).toBe(sha256(bytes));
    const status = await (await fetch(`${app.baseUrl}/api/v1/uploads/${id}`, { headers: citizen })).json();
    expect(status).toMatchObject({ name: "แผนที่ตั้ง.pdf", size: bytes.length, type: "application/pdf", sha256: sha256(bytes), status: "complete", attached: false });
  });

  it("refuses a declared size over the field's limit with 413 before any byte is sent", async () => {
    const res = await createUpload(app.baseUrl, citizen, 51 * MB, meta("/documents/idCard"));
    expect(res.status).toBe(413);
    const error = await errorOf(res);
    expect(error.message.th).toContain("ไม่เกิน 50 MB");
    expect(error.message.en).toContain("at most 50 MB");
  });

  it("stops a client that declared a small file and keeps sending, with 413", async () => {
    const created = await createUpload(app.baseUrl, citizen, 1000, meta("/documents/idCard"));
    const id = uploadIdOf(created);
    // Content-Length larger than what is left of the declared length.
    expect((await patchUpload(app.baseUrl, citizen, id, 0, pdfBytes(2000))).status).toBe(413);
    // A chunked body (no Content-Length) that runs past the declared length.
    const res = await patchUploadChunked(app.baseUrl, citizen, id, 0, Array.from({ length: 64 }, () => pdfBytes(64 * 1024)));
    expect(res.status).toBe(413);
    expect(Number((await uploadOffset(app.baseUrl, citizen, id)).headers.get("upload-offset"))).toBeLessThanOrEqual(1000);
  });

  it("checks the type from the content, not the name: an executable called .pdf is refused and deleted", async () => {
    const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"), Buffer.alloc(8000, 7)]);
    const created = await createUpload(app.baseUrl, citizen, exe.length, meta("/documents/idCard", "id-card.pdf"));
    const id = uploadIdOf(created);
    const res = await patchUpload(app.baseUrl, citizen, id, 0, exe);
    expect(res.status).toBe(415);
    const error = await errorOf(res);
    expect(error.message.en).toMatch(/Wrong file type.*accepts PDF, JPG, PNG only/);
    expect(error.message.th).toContain("ชนิดไฟล์ไม่ถูกต้อง");
    expect((await uploadOffset(app.baseUrl, citizen, id)).status).toBe(404);
    expect(existsSync(path.join(app.uploadDir, id))).toBe(false);
  });

  it("refuses a zip bomb offered as a document", async () => {
    const bomb = await zipOfZeros(200 * MB);
    expect(bomb.length).toBeLessThan(1 * MB);
    const created = await createUpload(app.baseUrl, citizen, bomb.length, meta("/documents/buildingUse", "building-use.pdf"));
    const res = await patchUpload(app.baseUrl, citizen, uploadIdOf(created), 0, bomb);
    expect(res.status).toBe(415);
    expect((await errorOf(res)).message.en).toContain("the content is ZIP");
  });

  it("refuses a file name with path parts, and cleans up odd characters in others", async () => {
    const res = await createUpload(app.baseUrl, citizen, 100, meta("/documents/idCard", "../../etc/passwd.pdf"));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message.en).toContain("path parts");
    const id = await uploadFile(app.baseUrl, citizen, pdfBytes(5000), meta("/documents/idCard", 'บัตร<ประชาชน>:"1".pdf'));
    expect((await (await fetch(`${app.baseUrl}/api/v1/uploads/${id}`, { headers: citizen })).json()).name).toBe("บัตร_ประชาชน___1_.pdf");
  });

  it("refuses more files than a multi-file field allows, an unknown field, and anonymous uploads", async () => {
    const tooMany = await createUpload(app.baseUrl, citizen, 100, meta("/documents/buildingPlans/5"));
    expect(tooMany.status).toBe(400);
    expect((await errorOf(tooMany)).message.th).toContain("ไม่เกิน 5 ไฟล์");
    const unknown = await createUpload(app.baseUrl, citizen, 100, meta("/business/name"));
    expect(unknown.status).toBe(400);
    expect((await createUpload(app.baseUrl, {}, 100, meta("/documents/idCard"))).status).toBe(401);
  });

  it("keeps each applicant within their quota of uploads not yet filed", async () => {
    const first = await createUpload(app.baseUrl, agencyClient, 1900 * MB, meta("/documents/siteMap"));
    expect(first.status).toBe(201);
    const second = await createUpload(app.baseUrl, agencyClient, 1900 * MB, meta("/documents/siteMap"));
    expect(second.status).toBe(413);
    expect((await errorOf(second)).message.en).toContain("space for attachments not yet filed");
    // Cancelling the first gives its space back.
    const cancelled = await fetch(`${app.baseUrl}/uploads/${uploadIdOf(first)}`, { method: "DELETE", headers: { ...agencyClient, "Tus-Resumable": "1.0.0" } });
    expect(cancelled.status).toBe(204);
    const third = await createUpload(app.baseUrl, agencyClient, 1900 * MB, meta("/documents/siteMap"));
    expect(third.status).toBe(201);
    await fetch(`${app.baseUrl}/uploads/${uploadIdOf(third)}`, { method: "DELETE", headers: { ...agencyClient, "Tus-Resumable": "1.0.0" } });
  });

  it("answers someone else's upload id exactly like an unknown one", async () => {
    const id = await uploadFile(app.baseUrl, citizen, pdfBytes(3000), meta("/documents/idCard"));
    const theirs = await uploadOffset(app.baseUrl, agencyClient, id);
    const unknown = await uploadOffset(app.baseUrl, agencyClient, "0123456789abcdef0123456789abcdef");
    expect(theirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect((await fetch(`${app.baseUrl}/files/${id}`, { headers: agencyClient })).status).toBe(404);
    expect((await fetch(`${app.baseUrl}/api/v1/uploads/${id}`, { headers: agencyClient })).status).toBe(404);
    expect((await patchUpload(app.baseUrl, agencyClient, id, 3000, Buffer.alloc(1))).status).toBe(404);
  });
});

describe("attachments on a case", () => {
  let caseId = "";
  let siteMap: { id: string; bytes: Buffer } = { id: "", bytes: Buffer.alloc(0) };

  it("files an application that refers to uploads; the applicant and the agency can read them, nobody else", async () => {
    const docs: Record<string, string> = {};
    for (const field of ["idCard", "premisesRegistration", "buildingUse"]) docs[field] = `upload:${await uploadFile(app.baseUrl, agencyClient, pdfBytes(4000), meta(`/documents/${field}`, `${field}.pdf`))}`;
    siteMap = { id: "", bytes: pdfBytes(3 * MB) };
    siteMap.id = await uploadFile(app.baseUrl, agencyClient, siteMap.bytes, meta("/documents/siteMap", "site-map.pdf"));
    const res = await fileApplication(agencyClient, { ...docs, siteMap: `upload:${siteMap.id}` }, 11);
    expect(res.status).toBe(201);
    caseId = ((await res.json()) as { id: string }).id;
    const status = await (await fetch(`${app.baseUrl}/api/v1/uploads/${siteMap.id}`, { headers: agencyClient })).json();
    expect(status).toMatchObject({ attached: true, expiresAt: null });

    const officer = await sessionOf(app.baseUrl, "officer@sukjai.demo.borikan.local");
    const whole = await fetch(`${app.baseUrl}/files/${siteMap.id}`, { headers: officer });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("application/pdf");
    expect(whole.headers.get("content-disposition")).toMatch(/^inline/);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(siteMap.bytes));
    const part = await fetch(`${app.baseUrl}/files/${siteMap.id}?download=1`, { headers: { ...officer, Range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${siteMap.bytes.length}`);
    expect(part.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(Buffer.from(await part.arrayBuffer()).equals(siteMap.bytes.subarray(100, 200))).toBe(true);
    expect((await fetch(`${app.baseUrl}/files/${siteMap.id}`, { headers: { ...officer, Range: `bytes=${siteMap.bytes.length}-` } })).status).toBe(416);
    expect((await fetch(`${app.baseUrl}/files/${siteMap.id}`, { headers: otherAgency })).status).toBe(404);
    const otherOfficer = await sessionOf(app.baseUrl, "officer@thungthong.demo.borikan.local");
    expect((await fetch(`${app.baseUrl}/files/${siteMap.id}`, { headers: otherOfficer })).status).toBe(404);
    // Attached uploads are final: no more bytes, no deletion.
    expect((await fetch(`${app.baseUrl}/uploads/${siteMap.id}`, { method: "DELETE", headers: { ...agencyClient, "Tus-Resumable": "1.0.0" } })).status).toBe(404);
  });

  it("streams every attachment of the case as one zip with the right contents", async () => {
    const officer = await sessionOf(app.baseUrl, "officer@sukjai.demo.borikan.local");
    const res = await fetch(`${app.baseUrl}/cases/${caseId}/attachments.zip`, { headers: officer });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    expect(entries.size).toBe(4);
    const siteMapEntry = [...entries.entries()].find(([name]) => name.endsWith("site-map.pdf"))!;
    expect(siteMapEntry[0]).toContain("แผนที่ตั้งสถานประกอบการ");
    expect(sha256(siteMapEntry[1])).toBe(sha256(siteMap.bytes));
    expect((await fetch(`${app.baseUrl}/cases/${caseId}/attachments.zip`, { headers: otherAgency })).status).toBe(404);
  });

  it("refuses a filing that refers to someone else's, an unfinished or an already attached upload, and files nothing", async () => {
    const citizensFile = await uploadFile(app.baseUrl, citizen, pdfBytes(4000), meta("/documents/idCard"));
    const unfinished = uploadIdOf(await createUpload(app.baseUrl, agencyClient, 9000, meta("/documents/premisesRegistration")));
    const before = await countCases();
    const res = await fileApplication(agencyClient, { idCard: `upload:${citizensFile}`, premisesRegistration: `upload:${unfinished}`, siteMap: `upload:${siteMap.id}` }, 12);
    expect(res.status).toBe(422);
    const fields = ((await errorOf(res)).details as { fields: { pointer: string; message: { en: string } }[] }).fields;
    expect(fields).toEqual(
      expect.arrayContaining([
        { pointer: "/documents/idCard", message: expect.objectContaining({ en: "This attachment was not found; please attach the file again" }) },
        { pointer: "/documents/premisesRegistration", message: expect.objectContaining({ en: "This attachment has not finished uploading" }) },
        { pointer: "/documents/siteMap", message: expect.objectContaining({ en: "This file is attached to another application; please attach it again" }) },
      ]),
    );
    expect(await countCases()).toBe(before);
    const status = await (await fetch(`${app.baseUrl}/api/v1/uploads/${citizensFile}`, { headers: citizen })).json();
    expect(status.attached).toBe(false);
  });
});

describe("resuming across processes and crashes", () => {
  it("completes with the right hash after the web process is killed in the middle of an upload", async () => {
    const bytes = pdfBytes(40 * MB);
    const id = uploadIdOf(await createUpload(app.baseUrl, citizen, bytes.length, meta("/documents/siteMap", "plan.pdf")));
    // The body is still streaming when the process dies.
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        controller.enqueue(bytes.subarray(0, 8 * MB));
        await new Promise((r) => setTimeout(r, 150));
        controller.enqueue(bytes.subarray(8 * MB, 12 * MB));
        await new Promise(() => undefined);
      },
    });
    const interrupted = patchUpload(app.baseUrl, citizen, id, 0, slow).catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 600));
    await app.crashAndRestart();
    expect(await interrupted).toBeInstanceOf(Error);
    const offset = Number((await uploadOffset(app.baseUrl, citizen, id)).headers.get("upload-offset"));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(bytes.length);
    const done = await patchUpload(app.baseUrl, citizen, id, offset, bytes.subarray(offset));
    expect(done.status).toBe(204);
    const status = await (await fetch(`${app.baseUrl}/api/v1/uploads/${id}`, { headers: citizen })).json();
    expect(status).toMatchObject({ status: "complete", size: bytes.length, sha256: sha256(bytes) });
  });
});

describe("expiry", () => {
  it("deletes uploads left unattached past their expiry, bytes and record, and leaves attached ones", async () => {
    const stale = await uploadFile(app.baseUrl, citizen, pdfBytes(5000), meta("/documents/idCard"));
    const conn = await mongoose.createConnection(app.mongoUri).asPromise();
    await conn.collection("uploads").updateOne({ _id: stale as never }, { $set: { expiresAt: new Date(Date.now() - 1000), sweepAfter: new Date(Date.now() - 1000) } });
    await conn.close();
    // Test requests never reuse a connection (test/setup/fresh-connections.ts), so a busy machine cannot turn
    // the worker's run into "other side closed" on the next request.
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--once"], { env: { ...process.env, ...app.env } });
    expect(existsSync(path.join(app.uploadDir, stale))).toBe(false);
    expect((await fetch(`${app.baseUrl}/api/v1/uploads/${stale}`, { headers: citizen })).status).toBe(404);
    const attachedCount = await countAttached();
    expect(attachedCount).toBeGreaterThanOrEqual(4);
  });
});

async function countCases(): Promise<number> {
  const conn = await mongoose.createConnection(app.mongoUri).asPromise();
  const n = await conn.collection("cases").countDocuments({});
  await conn.close();
  return n;
}

async function countAttached(): Promise<number> {
  const conn = await mongoose.createConnection(app.mongoUri).asPromise();
  const docs = await conn.collection("uploads").find({ attachedTo: { $ne: null } }).toArray();
  await conn.close();
  for (const doc of docs) expect(existsSync(path.join(app.uploadDir, String(doc._id)))).toBe(true);
  return docs.length;
}

/** A zip holding one file of `size` zero bytes: tiny on the wire, huge when expanded. */
async function zipOfZeros(size: number): Promise<Buffer> {
  const { ZipArchive } = await import("archiver");
  const archive = new ZipArchive({ zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  archive.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => archive.on("end", r));
  const { Readable } = await import("node:stream");
  archive.append(Readable.from((function* () { for (let i = 0; i < size / MB; i++) yield Buffer.alloc(MB); })()), { name: "zeros.bin" });
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}
