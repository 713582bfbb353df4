import mongoose, { Schema } from "mongoose";
import type { LocalizedText } from "~/core/text";

/**
 * A permit import started from the browser: what the progress page polls. Only the process running the job
 * writes to it (plain `$set`, no revision guard); `updatedAt` doubles as its heartbeat.
 */
export type ImportJobStatus = "queued" | "running" | "done" | "failed";
export type ImportJobError = { row: number; number?: string; column: string; message: LocalizedText };
export type ImportJobSummary = { total: number; imported: number; updated: number; unchanged: number; failed: number };

export type ImportJob = {
  _id: string;
  agencyId: string;
  /** User id of the admin who started it. */
  createdBy: string;
  fileName: string;
  kind: "csv" | "xlsx";
  defaultTypeCode?: string;
  status: ImportJobStatus;
  processed: number;
  total: number;
  summary?: ImportJobSummary;
  /** The first MAX_STORED_ERRORS row errors; `errorCount` is the full number. */
  rowErrors: ImportJobError[];
  errorCount: number;
  /** Why the whole job stopped (unreadable file, lost database, …). */
  fatal?: LocalizedText;
  startedAt?: Date;
  finishedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
};

export const MAX_STORED_ERRORS = 2000;

const localized = { th: String, en: String };

const ImportJobSchema = new Schema<ImportJob>(
  {
    _id: String,
    agencyId: { type: String, required: true },
    createdBy: { type: String, required: true },
    fileName: { type: String, required: true },
    kind: { type: String, required: true },
    defaultTypeCode: String,
    status: { type: String, required: true },
    processed: { type: Number, required: true },
    total: { type: Number, required: true },
    summary: new Schema<ImportJobSummary>({ total: Number, imported: Number, updated: Number, unchanged: Number, failed: Number }, { _id: false }),
    rowErrors: [new Schema<ImportJobError>({ row: Number, number: String, column: String, message: localized }, { _id: false })],
    errorCount: { type: Number, required: true },
    fatal: { type: new Schema(localized, { _id: false }), required: false },
    startedAt: Date,
    finishedAt: Date,
  },
  { timestamps: true, versionKey: false },
);

const ImportJobModel = (mongoose.models.ImportJob as mongoose.Model<ImportJob>) ?? mongoose.model<ImportJob>("ImportJob", ImportJobSchema);

export async function createImportJob(job: Omit<ImportJob, "createdAt" | "updatedAt">): Promise<void> {
  await ImportJobModel.create(job);
}

export async function getImportJob(id: string): Promise<ImportJob | null> {
  return ImportJobModel.findById(id).lean<ImportJob>();
}

export async function updateImportJob(
  id: string,
  set: Partial<Pick<ImportJob, "status" | "processed" | "total" | "summary" | "rowErrors" | "errorCount" | "fatal" | "startedAt" | "finishedAt">>,
): Promise<void> {
  await ImportJobModel.updateOne({ _id: id }, { $set: set }).exec();
}

/** The agency's latest jobs, without their error lists (a scan on FerretDB: the collection stays small). */
export async function listImportJobs(agencyId: string, limit = 10): Promise<Omit<ImportJob, "rowErrors">[]> {
  return ImportJobModel.find({ agencyId }).select("-rowErrors").sort({ createdAt: -1 }).limit(limit).lean<Omit<ImportJob, "rowErrors">[]>();
}
