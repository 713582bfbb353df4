import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
// @aws-sdk/client-s3 is @tus/s3-store's own dependency (hoisted): the same client the store uses.
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { S3Store } from "@tus/s3-store";
import { Upload } from "@tus/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server } from "../../scripts/s3server.mjs";

// Uploads kept on S3-compatible storage, against a real S3 server on loopback (tools/s3server).
// Each S3Store stands for one web process; a second instance resuming an upload is what a
// multi-process deployment does when the next PATCH lands on another process.

const MiB = 1024 * 1024;
let server: Awaited<ReturnType<typeof startS3Server>>;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-test-s3-"));
  server = await startS3Server({ dataDir });
});

afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function newStore() {
  const { bucket, region, endpoint, accessKeyId, secretAccessKey } = server;
  return new S3Store({
    partSize: 8 * MiB,
    s3ClientConfig: { bucket, region, endpoint, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } },
  });
}

function newClient() {
  const { region, endpoint, accessKeyId, secretAccessKey } = server;
  return new S3Client({ region, endpoint, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
}

function sha256(data: Buffer) {
  return createHash("sha256").update(data).digest("hex");
}

async function readAll(stream: Readable) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Creates an upload the way @tus/server's POST handler does. */
async function createUpload(store: S3Store, size: number) {
  const id = `test-${randomBytes(8).toString("hex")}`;
  await store.create(new Upload({ id, size, offset: 0, metadata: { filename: "permit-scan.pdf" } }));
  return id;
}

describe("uploads on S3-compatible storage", () => {
  it("lets a second process resume an upload and stores exactly the bytes sent", async () => {
    // given a 20 MiB file of which the first 11 MiB reached web process A
    const data = randomBytes(20 * MiB + 123);
    const firstPart = 11 * MiB + 7;
    const processA = newStore();
    const id = await createUpload(processA, data.length);
    const offsetA = await processA.write(Readable.from([data.subarray(0, firstPart)]), id, 0);
    expect(offsetA).toBe(firstPart);

    // when the client resumes against web process B, which has never seen the upload
    const processB = newStore();
    const found = await processB.getUpload(id);
    expect(found.offset).toBe(firstPart);
    expect(found.size).toBe(data.length);
    const offsetB = await processB.write(Readable.from([data.subarray(found.offset)]), id, found.offset);

    // then the upload is complete for any process, and the stored object is the file, byte for byte
    expect(offsetB).toBe(data.length);
    const completed = await newStore().getUpload(id);
    expect(completed.offset).toBe(data.length);
    const stored = await readAll((await newStore().read(id)) as Readable);
    expect(stored.length).toBe(data.length);
    expect(sha256(stored)).toBe(sha256(data));
  });

  it("serves a byte range of a completed upload", async () => {
    // given a completed multipart upload
    const data = randomBytes(9 * MiB);
    const store = newStore();
    const id = await createUpload(store, data.length);
    expect(await store.write(Readable.from([data]), id, 0)).toBe(data.length);

    // when bytes 100-199 are requested
    const client = newClient();
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: id, Range: "bytes=100-199" }));
      const bytes = Buffer.from(await response.Body!.transformToByteArray());

      // then exactly those 100 bytes come back
      expect(response.ContentRange).toBe(`bytes 100-199/${data.length}`);
      expect(bytes.equals(data.subarray(100, 200))).toBe(true);
    } finally {
      client.destroy();
    }
  });
});
