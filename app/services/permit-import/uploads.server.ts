/**
 * Uploaded registers waiting to be mapped and imported. The file goes straight to disk under
 * .data/imports/<id>.<csv|xlsx> (never into memory: up to 200 MB); a small <id>.json beside it records who
 * uploaded it for which agency, so an upload id from another agency leads nowhere.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { unstable_composeUploadHandlers, unstable_createFileUploadHandler, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { AppError, notFound } from "~/core/errors";
import { readForm } from "~/utils/http.server";
import { previewTable, tableKindOf, type TableKind } from "./read-table.server";

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
/** Uploads nobody imported are removed after a day. */
const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
const ID_PATTERN = /^[A-Za-z0-9_-]{16,40}$/;

export type UploadMeta = { id: string; agencyId: string; createdBy: string; fileName: string; kind: TableKind; size: number; createdAt: string };
export type Upload = UploadMeta & { filePath: string };

export function importDir(): string {
  return path.join(process.cwd(), ".data/imports");
}

export const newImportId = () => randomBytes(12).toString("base64url");

const uploadPath = (id: string, kind: TableKind) => path.join(importDir(), `${id}.${kind}`);
const metaPath = (id: string) => path.join(importDir(), `${id}.json`);

const tooLarge = () =>
  new AppError("PAYLOAD_TOO_LARGE", {
    th: `ไฟล์ใหญ่เกิน ${MAX_UPLOAD_BYTES / 1024 / 1024} MB — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์`,
    en: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB — split it and import the parts one by one`,
  });
const wrongType = (name: string) =>
  new AppError("BAD_REQUEST", {
    th: `"${name}" ไม่ใช่ไฟล์ .csv หรือ .xlsx`,
    en: `"${name}" is not a .csv or .xlsx file`,
  });

/** Receives the multipart upload (field "file") of an agency admin and checks that its header row can be read. */
export async function receiveUpload(request: Request, actor: { id: string; agencyId: string }): Promise<Upload> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_UPLOAD_BYTES + 1024 * 1024) throw tooLarge();
  await mkdir(importDir(), { recursive: true });
  void removeStaleUploads();
  const id = newImportId();
  let original: string | null = null;
  let kind: TableKind | null = null;
  const fileHandler = unstable_createFileUploadHandler({
    directory: importDir(),
    maxPartSize: MAX_UPLOAD_BYTES,
    avoidFileConflicts: false,
    filter: ({ name, filename }) => {
      if (name !== "file" || !filename) return false;
      original = path.basename(filename).slice(0, 200);
      kind = tableKindOf(filename);
      return kind !== null;
    },
    file: () => `${id}.${kind}`,
  });
  let form: FormData;
  try {
    // The file streams to disk; the form token and the other small fields stay in memory.
    form = await readForm(request, {
      maxBytes: MAX_UPLOAD_BYTES + 1024 * 1024,
      uploadHandler: unstable_composeUploadHandlers(fileHandler, unstable_createMemoryUploadHandler({ maxPartSize: 10_000 })),
    });
  } catch (error) {
    // A refused request (wrong form token) leaves nothing behind.
    const written = kind as TableKind | null;
    if (written) await rm(uploadPath(id, written), { force: true });
    if (error instanceof AppError && error.code === "PAYLOAD_TOO_LARGE") throw tooLarge();
    if (error instanceof AppError && error.code !== "BAD_REQUEST") throw error;
    throw new AppError("BAD_REQUEST", { th: "รับไฟล์ไม่สำเร็จ กรุณาลองใหม่", en: "The upload did not arrive whole; please try again" });
  }
  const file = form.get("file");
  const fileName = original as string | null;
  const fileKind = kind as TableKind | null;
  if (!fileName) throw new AppError("BAD_REQUEST", { th: "กรุณาเลือกไฟล์ CSV หรือ XLSX", en: "Choose a CSV or XLSX file" });
  if (!fileKind || !file || typeof file === "string") throw wrongType(fileName);
  const filePath = uploadPath(id, fileKind);
  const upload: Upload = {
    id,
    agencyId: actor.agencyId,
    createdBy: actor.id,
    fileName,
    kind: fileKind,
    size: (await stat(filePath)).size,
    createdAt: new Date().toISOString(),
    filePath,
  };
  try {
    await previewTable(filePath, fileKind, 1);
  } catch (error) {
    await rm(filePath, { force: true });
    throw error;
  }
  const { filePath: _, ...meta } = upload;
  await writeFile(metaPath(id), JSON.stringify(meta));
  return upload;
}

/** An upload of the actor's agency that is still on disk. */
export async function getUpload(id: string, actor: { agencyId: string }): Promise<Upload> {
  const gone = notFound({ th: "ไฟล์ที่อัปโหลด (อาจหมดอายุแล้ว กรุณาอัปโหลดใหม่)", en: "The uploaded file (it may have expired; please upload it again)" });
  if (!ID_PATTERN.test(id)) throw gone;
  let meta: UploadMeta;
  try {
    meta = JSON.parse(await readFile(metaPath(id), "utf8")) as UploadMeta;
  } catch {
    throw gone;
  }
  const filePath = uploadPath(id, meta.kind);
  if (meta.agencyId !== actor.agencyId || !existsSync(filePath)) throw gone;
  return { ...meta, filePath };
}

export async function removeUpload(upload: Pick<Upload, "id" | "kind">): Promise<void> {
  await rm(uploadPath(upload.id, upload.kind), { force: true });
  await rm(metaPath(upload.id), { force: true });
}

async function removeStaleUploads(): Promise<void> {
  try {
    const now = Date.now();
    for (const name of await readdir(importDir())) {
      if (!/\.(csv|xlsx|json)$/.test(name) || name.endsWith(".errors.csv")) continue;
      const full = path.join(importDir(), name);
      if (now - (await stat(full)).mtimeMs > UPLOAD_TTL_MS) await rm(full, { force: true });
    }
  } catch {
    // Housekeeping only: a failure here must not fail the upload.
  }
}
