import { createReadableStreamFromReadable } from "@remix-run/node";
import type { Actor } from "~/core/actor";
import { parseByteRange } from "~/core/uploads/byte-range";
import { readableUpload } from "./upload-access.server";
import { uploadStorage } from "./upload-storage.server";

/** Types a browser may show in the page (the rest always download). */
const INLINE_TYPES = new Set(["application/pdf", "image/png", "image/jpeg"]);

export const contentDisposition = (kind: "inline" | "attachment", name: string) =>
  `${kind}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * A stored file as an HTTP response: inline for PDFs and images (previews), otherwise as a download, with
 * single byte ranges (206/416) so that large files can be fetched in parts. Streamed, never buffered.
 */
export async function serveUpload(actor: Actor, id: string, request: Request): Promise<Response> {
  const doc = await readableUpload(actor, id);
  const size = doc.size ?? 0;
  const type = doc.detectedType ?? "application/octet-stream";
  const download = new URL(request.url).searchParams.has("download") || !INLINE_TYPES.has(type);
  const headers = new Headers({
    "Content-Type": type,
    "Content-Disposition": contentDisposition(download ? "attachment" : "inline", doc.name),
    "Accept-Ranges": "bytes",
    "Cache-Control": "private, no-cache",
    "X-Content-Type-Options": "nosniff",
    ...(doc.sha256 ? { ETag: `"${doc.sha256}"` } : {}),
    // An image opened on its own cannot run anything; PDFs are left to the browser's viewer.
    ...(type.startsWith("image/") ? { "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" } : {}),
  });
  if (doc.status !== "complete") return new Response("Upload not finished", { status: 409 });
  const range = parseByteRange(request.headers.get("Range"), size);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  if (request.method === "HEAD") {
    headers.set("Content-Length", String(size));
    return new Response(null, { status: 200, headers });
  }
  if (size === 0) {
    headers.set("Content-Length", "0");
    return new Response("", { status: 200, headers });
  }
  const stream = await uploadStorage().openRead(doc._id, range ?? undefined);
  if (range) {
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
    headers.set("Content-Length", String(range.end - range.start + 1));
  } else headers.set("Content-Length", String(size));
  return new Response(createReadableStreamFromReadable(stream), { status: range ? 206 : 200, headers });
}
