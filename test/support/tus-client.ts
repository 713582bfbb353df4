import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { DEMO_PASSWORD } from "~/services/seed-demo.server";

/** The tus 1.0 protocol spoken by hand, so tests control every header and byte (no client library in between). */
export type Auth = Record<string, string>;

export const bearer = (key: string): Auth => ({ Authorization: `Bearer ${key}` });

/** Signs in through the login form like a browser and returns the session cookie header, with the Origin a browser sends. */
export async function sessionOf(baseUrl: string, email: string): Promise<Auth> {
  const body = new URLSearchParams({ email, password: DEMO_PASSWORD, next: "/" });
  const res = await fetch(`${baseUrl}/login`, { method: "POST", body, redirect: "manual", headers: { Origin: baseUrl } });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`could not sign in as ${email} (${res.status})`);
  return { Cookie: cookie, Origin: new URL(baseUrl).origin };
}

const encodeMetadata = (metadata: Record<string, string>) =>
  Object.entries(metadata)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");

export async function createUpload(baseUrl: string, auth: Auth, length: number, metadata: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/uploads`, {
    method: "POST",
    headers: { ...auth, "Tus-Resumable": "1.0.0", "Upload-Length": String(length), "Upload-Metadata": encodeMetadata(metadata) },
  });
}

export const uploadIdOf = (res: Response) => (res.headers.get("location") ?? "").split("/").filter(Boolean).at(-1)!;

export async function patchUpload(baseUrl: string, auth: Auth, id: string, offset: number, bytes: Uint8Array | ReadableStream<Uint8Array>): Promise<Response> {
  return fetch(`${baseUrl}/uploads/${id}`, {
    method: "PATCH",
    headers: { ...auth, "Tus-Resumable": "1.0.0", "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    body: bytes,
    // A stream body is sent chunked, as a client that does not say how much it will send.
    ...(bytes instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * A PATCH whose body is sent chunked (no Content-Length), as a client that does not say how much it will send.
 * Resolves with the server's status as soon as the answer arrives: a server that answers early (413) and closes
 * may make the rest of the writes fail (EPIPE/reset), which a client that reads the answer, as this one does,
 * must not mistake for the answer. A fresh connection (no keep-alive).
 */
export function patchUploadChunked(baseUrl: string, auth: Auth, id: string, offset: number, chunks: Uint8Array[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(`${baseUrl}/uploads/${id}`, {
      method: "PATCH",
      agent: false,
      headers: { ...auth, "Tus-Resumable": "1.0.0", "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream", "Transfer-Encoding": "chunked" },
    });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

export async function uploadOffset(baseUrl: string, auth: Auth, id: string): Promise<Response> {
  return fetch(`${baseUrl}/uploads/${id}`, { method: "HEAD", headers: { ...auth, "Tus-Resumable": "1.0.0" } });
}

/** Creates and completes an upload in one PATCH; returns its id. */
export async function uploadFile(baseUrl: string, auth: Auth, bytes: Uint8Array, metadata: Record<string, string>): Promise<string> {
  const created = await createUpload(baseUrl, auth, bytes.length, metadata);
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
  const id = uploadIdOf(created);
  const patched = await patchUpload(baseUrl, auth, id, 0, bytes);
  if (patched.status !== 204) throw new Error(`patch failed: ${patched.status} ${await patched.text()}`);
  return id;
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A valid-looking PDF of about `size` bytes (a real header, random filler), distinct every call. */
export function pdfBytes(size: number): Buffer {
  const head = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1");
  const tail = Buffer.from("\n%%EOF\n");
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length - tail.length)), tail]);
}
