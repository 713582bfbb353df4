import { randomBytes, createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { Server } from "@tus/server";
import { EVENTS, type Upload } from "@tus/utils";
import type { Actor } from "~/core/actor";
import { AppError, headersFor, httpStatusFor, isAppError } from "~/core/errors";
import { parsePointer, schemaAt } from "~/core/json-pointer";
import { attachmentField, effectiveLimits, sanitizeFileName, SNIFF_BYTES, tooLarge, ZIP_CONTAINERS } from "~/core/uploads/upload-rules";
import { getAgency } from "~/models/agency.server";
import { getCase } from "~/models/case.server";
import { getCurrentService, getServiceVersion } from "~/models/service.server";
import { deleteUploadDoc, getUpload, insertUpload, markUploadComplete, markUploadRefused, pendingBytesOf } from "~/models/upload.server";
import { enforceRateLimit, isRateLimited } from "~/services/security/rate-limits.server";
import { requireApiActor } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { CheckedStore, checkedType } from "./checked-store.server";
import { uploadStorage } from "./upload-storage.server";
import { checkZipContainer } from "./zip-check.server";
import { logError } from "~/utils/log.server";

export const UPLOAD_PATH = "/uploads";

/** tus hooks throw `{ status_code, body }`; ours carry the API's JSON error with Thai and English. */
type TusError = { status_code: number; body: string };
const tusError = (error: AppError): TusError => ({
  status_code: httpStatusFor(error.code),
  body: JSON.stringify({ error: { code: error.code, message: error.text, details: error.details ?? null } }),
});

const uploadNotFound = () =>
  new AppError("NOT_FOUND", { th: "ไม่พบการอัปโหลดนี้", en: "No such upload" });

async function uploaderOf(req: Request): Promise<Actor> {
  try {
    return await requireApiActor(req);
  } catch (error) {
    throw isAppError(error) ? tusError(error) : error;
  }
}

/** Where the upload's limits come from: the service's published version (or the case's version, for corrections). */
async function targetOf(actor: Actor, metadata: Record<string, string | null>) {
  const caseId = metadata.case || null;
  if (caseId) {
    const record = await getCase(caseId);
    if (!record || record.applicant.id !== actor.id) throw new AppError("NOT_FOUND", { th: "ไม่พบคำขอที่ระบุ", en: "The application given was not found" }, { param: "case" });
    const version = await getServiceVersion(record.serviceVersionId);
    if (!version) throw new AppError("NOT_FOUND", { th: "ไม่พบบริการของคำขอ", en: "The application's service was not found" });
    return { version, caseId };
  }
  const found = metadata.service ? await getCurrentService(metadata.service) : null;
  if (!found || found.summary.isTemplate) throw new AppError("BAD_REQUEST", { th: "ต้องระบุบริการ (service) ที่มีอยู่", en: "An existing service must be given (service)" }, { param: "service" });
  return { version: found.service, caseId: null };
}

/** A multi-file field refuses an item index at or beyond its maxItems before any byte is sent. */
function checkFileCount(schema: unknown, field: string) {
  const parts = parsePointer(field);
  const last = parts.at(-1) ?? "";
  if (!/^\d+$/.test(last)) return;
  const parent = schemaAt(schema, "/" + parts.slice(0, -1).join("/")) as { maxItems?: number } | undefined;
  if (parent?.maxItems !== undefined && Number(last) >= parent.maxItems) {
    throw new AppError("BAD_REQUEST", { th: `แนบได้ไม่เกิน ${parent.maxItems} ไฟล์ในช่องนี้`, en: `At most ${parent.maxItems} files may be attached in this field` }, { param: "field", maxItems: parent.maxItems });
  }
}

async function createUpload(req: Request, upload: Upload) {
  const actor = await uploaderOf(req);
  try {
    if (actor.kind !== "citizen" && actor.kind !== "api") {
      throw new AppError("FORBIDDEN", { th: "เฉพาะผู้ยื่นคำขอแนบไฟล์ได้", en: "Only applicants may upload attachments" });
    }
    const metadata = upload.metadata ?? {};
    const name = sanitizeFileName(metadata.filename);
    const { version, caseId } = await targetOf(actor, metadata);
    const field = metadata.field ?? "";
    const target = attachmentField(version.definition.form.schema, field);
    if (!target) throw new AppError("BAD_REQUEST", { th: `แบบคำขอไม่มีช่องแนบไฟล์ "${field}"`, en: `The form has no file field "${field}"` }, { param: "field" });
    checkFileCount(version.definition.form.schema, field);
    const config = env().uploads;
    const agency = await getAgency(version.agencyId);
    const ceiling = Math.min(agency?.uploadCeilingBytes ?? config.maxBytes, config.maxBytes);
    const limits = effectiveLimits(target.spec, ceiling);
    if (upload.size !== undefined && upload.size > limits.maxBytes) throw tooLarge(limits.maxBytes);
    const now = new Date();
    const pending = await pendingBytesOf(actor.id, now);
    if (pending + (upload.size ?? limits.maxBytes) > config.applicantQuotaBytes) throw tooLarge(config.applicantQuotaBytes, "quota");
    await insertUpload({
      _id: upload.id,
      owner: { kind: actor.kind, id: actor.id },
      agencyId: version.agencyId,
      service: version.slug,
      serviceVersionId: version.id,
      field,
      forCase: caseId,
      name,
      declaredType: metadata.filetype || null,
      size: upload.size ?? null,
      maxBytes: limits.maxBytes,
      types: limits.types,
      status: "uploading",
      detectedType: null,
      sha256: null,
      createdAt: now,
      completedAt: null,
      expiresAt: new Date(now.getTime() + config.expiryHours * 3_600_000),
    });
    return { metadata: { ...metadata, filename: name } };
  } catch (error) {
    throw isAppError(error) ? tusError(error) : error;
  }
}

async function hashStored(id: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(await uploadStorage().openRead(id), hash);
  return hash.digest("hex");
}

async function headOf(id: string, size: number): Promise<Buffer> {
  if (size === 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of await uploadStorage().openRead(id, { start: 0, end: Math.min(size, SNIFF_BYTES) - 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Removes a refused upload's bytes and records why nothing is left. */
async function refuse(id: string, error: AppError): Promise<TusError> {
  checked().forget(id);
  await uploadStorage().remove(id);
  await markUploadRefused(id);
  return tusError(error);
}

/** The last checks once every byte is in: the type (if another process saw the start), zip bombs, the hash. */
async function finishUpload(_req: Request, upload: Upload) {
  const doc = await getUpload(upload.id);
  if (!doc) throw tusError(uploadNotFound());
  const size = upload.size ?? upload.offset;
  let type = checked().detectedType(upload.id);
  if (!type) {
    const result = await checkedType(await headOf(upload.id, size), { types: doc.types, declaredType: doc.declaredType });
    if ("refusal" in result) throw await refuse(upload.id, result.refusal);
    type = result.type;
  }
  if (ZIP_CONTAINERS.has(type)) {
    const bomb = await checkZipContainer(upload.id, size);
    if (bomb) throw await refuse(upload.id, bomb);
  }
  const sha256 = checked().streamedHash(upload.id, size) ?? (await hashStored(upload.id));
  await markUploadComplete(upload.id, { size, detectedType: type, sha256 });
  checked().forget(upload.id);
  return { headers: { "Upload-Checksum-Sha256": sha256 } };
}

let checkedStore: CheckedStore | undefined;
function checked(): CheckedStore {
  checkedStore ??= new CheckedStore(uploadStorage().store, async (id) => {
    const doc = await getUpload(id);
    return { types: doc?.types ?? [], declaredType: doc?.declaredType ?? null };
  });
  return checkedStore;
}

const idFromUrl = (url: string) => new URL(url, "http://local").pathname.split("/").filter(Boolean).at(-1) ?? "";

let server: Server | undefined;

/** The tus server: resumable uploads at /uploads, owned by their uploader, checked as they stream in. */
export function uploadServer(): Server {
  if (server) return server;
  server = new Server({
    path: UPLOAD_PATH,
    datastore: checked(),
    relativeLocation: true,
    namingFunction: () => randomBytes(16).toString("hex"),
    maxSize: async (_req, id) => (id ? ((await getUpload(id))?.maxBytes ?? env().uploads.maxBytes) : env().uploads.maxBytes),
    onIncomingRequest: async (req, id) => {
      if (req.method === "POST") return;
      const actor = await uploaderOf(req);
      const doc = await getUpload(id);
      // Another person's upload, a refused one or one already on a case: as if it did not exist.
      if (!doc || doc.owner.id !== actor.id || doc.status === "refused" || (doc.attachedTo && req.method !== "HEAD")) throw tusError(uploadNotFound());
    },
    onUploadCreate: createUpload,
    onUploadFinish: finishUpload,
    onResponseError: async (req, error) => {
      const id = idFromUrl(req.url);
      const refusal = id ? checked().takeRefusal(id) : undefined;
      if (refusal) return refuse(id, refusal);
      if ("status_code" in error && error.body.startsWith("{")) return undefined;
      const status = "status_code" in error ? error.status_code : 500;
      if (status === 413) return tusError(tooLarge((await getUpload(id))?.maxBytes ?? env().uploads.maxBytes));
      if (status === 404 || status === 410) return tusError(uploadNotFound());
      if (status >= 500) logError("upload failed", error);
      return undefined;
    },
  });
  // A cancelled upload (tus DELETE by its owner) is gone: it no longer counts against the owner's quota.
  server.on(EVENTS.POST_TERMINATE, (_req, _res, id: string) => {
    checked().forget(id);
    void deleteUploadDoc(id).catch((error: unknown) => logError("could not forget a cancelled upload", error));
  });
  return server;
}

/** Express mounts this before Remix: `/uploads` and `/uploads/<id>`. Downloads are not served here (see /files). */
export async function handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === "GET") {
    res.writeHead(405, { Allow: "POST, HEAD, PATCH, DELETE, OPTIONS" }).end();
    return;
  }
  if (req.method === "POST") {
    const refusal = await uploadCreationRefusal(req);
    if (refusal) {
      const { status_code, body } = tusError(refusal);
      res.writeHead(status_code, { "Content-Type": "application/json; charset=utf-8", "Tus-Resumable": "1.0.0", ...headersFor(refusal) }).end(body);
      return;
    }
  }
  await uploadServer().handle(req, res);
}

/**
 * Upload creation is limited per uploader. Checked here, before tus, because a tus hook's error cannot carry
 * the Retry-After header. Who is not signed in is left to tus, which refuses them itself.
 */
async function uploadCreationRefusal(req: IncomingMessage): Promise<AppError | null> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  const actor = await requireApiActor(new Request(new URL(req.url ?? "/", "http://local"), { method: "POST", headers })).catch(() => null);
  if (!actor) return null;
  try {
    await enforceRateLimit("uploadCreation", actor.id);
    return null;
  } catch (error) {
    if (isRateLimited(error)) return error;
    throw error;
  }
}
