/**
 * Imports started from the browser run in the background of the web process that received them; the page
 * polls the job record. A job whose process died stops being updated, and is shown as interrupted.
 */
import { createReadStream, existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isAppError, notFound } from "~/core/errors";
import type { ColumnMapping } from "~/core/permits/permit-import";
import type { LocalizedText } from "~/core/text";
import {
  createImportJob,
  getImportJob,
  listImportJobs,
  MAX_STORED_ERRORS,
  updateImportJob,
  type ImportJob,
  type ImportJobError,
  type ImportJobSummary,
} from "~/models/import-job.server";
import { recordAudit } from "../audit/record-audit.server";
import { errorsCsv } from "./errors-csv.server";
import { checkMapping, importPermits } from "./import-permits.server";
import { agencyPermitTypes } from "./permit-types.server";
import { previewTable } from "./read-table.server";
import { importDir, newImportId, removeUpload, type Upload } from "./uploads.server";
import { logError } from "~/utils/log.server";

/** The agency admin who started the import (the name is for the audit log). */
type Admin = { id: string; agencyId: string; name?: string };

/** Jobs this process is running; anything else "running" without a recent update has lost its process. */
const runningHere = new Set<string>();
const STALE_AFTER_MS = 60_000;
const PROGRESS_EVERY_MS = 300;

const errorsFile = (jobId: string) => path.join(importDir(), `${jobId}.errors.csv`);

/** Checks the mapping against the uploaded file, records the job and starts it; returns the job id. */
export async function startImportJob(input: { actor: Admin; upload: Upload; mapping: ColumnMapping; defaultTypeCode?: string }): Promise<string> {
  const { actor, upload } = input;
  const permitTypes = await agencyPermitTypes(actor.agencyId);
  const { headers } = await previewTable(upload.filePath, upload.kind, 0);
  const mapping = checkMapping(headers, input.mapping, { defaultTypeCode: input.defaultTypeCode, permitTypes });
  const id = newImportId();
  await createImportJob({
    _id: id,
    agencyId: actor.agencyId,
    createdBy: actor.id,
    fileName: upload.fileName,
    kind: upload.kind,
    ...(input.defaultTypeCode ? { defaultTypeCode: input.defaultTypeCode } : {}),
    status: "queued",
    processed: 0,
    total: 0,
    rowErrors: [],
    errorCount: 0,
  });
  runningHere.add(id);
  setImmediate(() => void runImportJob(id, input.actor, upload, mapping, input.defaultTypeCode));
  return id;
}

async function runImportJob(id: string, actor: Admin, upload: Upload, mapping: ColumnMapping, defaultTypeCode?: string): Promise<void> {
  const { agencyId } = actor;
  const audit = (details: Record<string, unknown>) =>
    recordAudit({ kind: "staff", id: actor.id, name: actor.name ?? actor.id }, { action: "permit.import", agencyId, target: { type: "import-job", id }, details: { fileName: upload.fileName, ...details } });
  try {
    await updateImportJob(id, { status: "running", startedAt: new Date() });
    let last = 0;
    const report = await importPermits({
      agencyId,
      filePath: upload.filePath,
      kind: upload.kind,
      mapping,
      defaultTypeCode,
      onProgress: async ({ processed, total }) => {
        // The page polls twice a second; more writes than that would only slow the import.
        if (Date.now() - last < PROGRESS_EVERY_MS && processed < total) return;
        last = Date.now();
        await updateImportJob(id, { processed, total });
      },
    });
    if (report.errors.length > 0) await writeFile(errorsFile(id), errorsCsv(report.errors));
    await updateImportJob(id, {
      status: "done",
      processed: report.total,
      total: report.total,
      summary: { total: report.total, imported: report.imported, updated: report.updated, unchanged: report.unchanged, failed: report.failed },
      rowErrors: report.errors.slice(0, MAX_STORED_ERRORS),
      errorCount: report.errors.length,
      finishedAt: new Date(),
    });
    await audit({ status: "done", total: report.total, imported: report.imported, updated: report.updated, unchanged: report.unchanged, failed: report.failed });
  } catch (error) {
    if (!isAppError(error)) logError(`permit import ${id} failed`, error);
    const fatal: LocalizedText = isAppError(error)
      ? error.text
      : { th: "การนำเข้าหยุดเพราะเกิดข้อผิดพลาดในระบบ แถวที่นำเข้าแล้วยังอยู่ครบ นำเข้าไฟล์เดิมซ้ำได้", en: "The import stopped on a system error. Rows already imported are complete; importing the same file again is safe" };
    await updateImportJob(id, { status: "failed", fatal, finishedAt: new Date() }).catch(() => undefined);
    // Rows imported before the failure stand, so the import is on the log either way.
    await audit({ status: "failed", reason: fatal.en });
  } finally {
    runningHere.delete(id);
    await removeUpload(upload).catch(() => undefined);
  }
}

export type ImportJobView = {
  id: string;
  fileName: string;
  status: ImportJob["status"];
  processed: number;
  total: number;
  percent: number;
  rowsPerSecond: number;
  summary: ImportJobSummary | null;
  errors: ImportJobError[];
  errorCount: number;
  fatal: LocalizedText | null;
  createdAt: string;
};

const INTERRUPTED: LocalizedText = {
  th: "การนำเข้าหยุดกลางคัน (เซิร์ฟเวอร์เริ่มใหม่) แถวที่นำเข้าแล้วยังอยู่ครบ — อัปโหลดไฟล์เดิมแล้วนำเข้าอีกครั้งได้ แถวที่มีแล้วจะไม่ซ้ำ",
  en: "The import was interrupted (the server restarted). Rows already imported are complete — upload the same file again; existing rows are not duplicated",
};

function viewOf(job: Omit<ImportJob, "rowErrors"> & { rowErrors?: ImportJob["rowErrors"] }): ImportJobView {
  const active = job.status === "queued" || job.status === "running";
  const lost = active && !runningHere.has(job._id) && Date.now() - new Date(job.updatedAt).getTime() > STALE_AFTER_MS;
  const status = lost ? "failed" : job.status;
  const end = job.finishedAt ? new Date(job.finishedAt).getTime() : active ? Date.now() : new Date(job.updatedAt).getTime();
  const seconds = job.startedAt ? (end - new Date(job.startedAt).getTime()) / 1000 : 0;
  const percent = job.status === "done" ? 100 : job.total > 0 ? Math.min(100, Math.floor((job.processed * 100) / job.total)) : 0;
  return {
    id: job._id,
    fileName: job.fileName,
    status,
    processed: job.processed,
    total: job.total,
    percent,
    rowsPerSecond: seconds > 0 ? Math.round(job.processed / seconds) : 0,
    summary: job.summary ?? null,
    errors: job.rowErrors ?? [],
    errorCount: job.errorCount,
    fatal: job.fatal ?? (lost ? INTERRUPTED : null),
    createdAt: new Date(job.createdAt).toISOString(),
  };
}

/** A job of the actor's agency; another agency's id is "not found". */
export async function getImportJobView(jobId: string, actor: { agencyId: string }): Promise<ImportJobView> {
  const job = await getImportJob(jobId);
  if (!job || job.agencyId !== actor.agencyId) throw notFound({ th: "งานนำเข้า", en: "Import job" });
  return viewOf(job);
}

export async function recentImportJobs(actor: { agencyId: string }): Promise<ImportJobView[]> {
  return (await listImportJobs(actor.agencyId, 10)).map(viewOf);
}

/** Every row error of a finished job as CSV (all of them, not only the first 2,000 kept on the job). */
export async function importJobErrorsCsv(jobId: string, actor: { agencyId: string }): Promise<{ fileName: string; body: ReadableStream<Uint8Array> | string }> {
  const job = await getImportJob(jobId);
  if (!job || job.agencyId !== actor.agencyId) throw notFound({ th: "งานนำเข้า", en: "Import job" });
  const base = job.fileName.replace(/\.(csv|xlsx)$/i, "");
  const fileName = `${base}.errors.csv`;
  const file = errorsFile(jobId);
  // Streamed: a large file with many bad rows can have tens of thousands of them.
  if (existsSync(file)) return { fileName, body: createReadableStreamFromReadable(createReadStream(file)) };
  return { fileName, body: errorsCsv(job.rowErrors) };
}
