import mongoose, { Schema } from "mongoose";
import type { UnmatchedReason } from "~/core/payments/matching";
import type { BankLine, StatementError } from "~/core/payments/statement-formats";
import type { LocalizedText } from "~/core/text";

/**
 * A bank statement being imported: its parsed lines (a statement is small: hundreds of lines), its progress and
 * its per-line report. Only the run that holds the job's current lease writes to it; `heartbeatAt` tells the
 * worker when that run's process has died and the job may be taken over.
 */
export type StatementImportStatus = "mapping" | "queued" | "running" | "done" | "rejected" | "failed";

export type ReportRow = {
  lineNumber: number;
  ref1: string;
  amountSatang: number;
  paidAt: Date;
  outcome: "applied" | "unmatched" | "duplicate";
  reason?: UnmatchedReason;
  paymentReference?: string;
  caseId?: string;
  trackingNumber?: string;
  duplicateOf?: { source: string; importId?: string; lineNumber?: number };
};

export type StatementImport = {
  _id: string;
  agencyId: string;
  createdBy: string;
  createdByName: string;
  fileName: string;
  format: "text" | "csv";
  status: StatementImportStatus;
  /** CSV waiting for its mapping: the file's columns and first rows. */
  csv?: { headers: string[]; preview: { rowNumber: number; values: Record<string, string> }[] };
  lines: BankLine[];
  /** Why the file was rejected, by line (nothing from it applied). */
  lineErrors: StatementError[];
  processed: number;
  total: number;
  report: ReportRow[];
  summary?: { applied: number; unmatched: number; duplicate: number };
  /** How many runs have held the job (a takeover is run `runs + 1`). */
  runs: number;
  heartbeatAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  fatal?: LocalizedText;
  createdAt: Date;
  updatedAt: Date;
};

const localized = { th: String, en: String };
const LineSchema = new Schema(
  { lineNumber: Number, bankCode: String, paidAt: Date, ref1: String, ref2: String, ref3: String, amountSatang: Number, bankReference: String, customerName: String, channel: String, kind: String },
  { _id: false },
);
const ReportSchema = new Schema(
  {
    lineNumber: Number,
    ref1: String,
    amountSatang: Number,
    paidAt: Date,
    outcome: String,
    reason: String,
    paymentReference: String,
    caseId: String,
    trackingNumber: String,
    duplicateOf: { type: new Schema({ source: String, importId: String, lineNumber: Number }, { _id: false }), default: undefined },
  },
  { _id: false },
);

const StatementImportSchema = new Schema<StatementImport>(
  {
    _id: String,
    agencyId: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdByName: String,
    fileName: String,
    format: String,
    status: { type: String, required: true },
    csv: { type: new Schema({ headers: [String], preview: [new Schema({ rowNumber: Number, values: { type: Map, of: String } }, { _id: false })] }, { _id: false }), default: undefined },
    lines: [LineSchema],
    lineErrors: [new Schema({ line: Number, message: localized }, { _id: false })],
    processed: { type: Number, default: 0 },
    total: { type: Number, default: 0 },
    report: [ReportSchema],
    summary: { type: new Schema({ applied: Number, unmatched: Number, duplicate: Number }, { _id: false }), default: undefined },
    runs: { type: Number, default: 0 },
    heartbeatAt: Date,
    startedAt: Date,
    finishedAt: Date,
    fatal: { type: new Schema(localized, { _id: false }), default: undefined },
  },
  { timestamps: true, versionKey: false, collection: "statement_imports" },
);
// The agency's latest imports (the imports page); jobs still running (the worker's takeover sweep).
StatementImportSchema.index({ agencyId: 1, createdAt: -1 });
StatementImportSchema.index({ status: 1 });

const StatementImportModel =
  (mongoose.models.StatementImport as mongoose.Model<StatementImport>) ?? mongoose.model<StatementImport>("StatementImport", StatementImportSchema);

export async function createStatementImport(job: Omit<StatementImport, "createdAt" | "updatedAt">): Promise<void> {
  await StatementImportModel.create(job);
}

export async function getStatementImport(id: string): Promise<StatementImport | null> {
  const doc = await StatementImportModel.findById(id).lean<StatementImport>();
  if (doc?.csv) {
    // Map fields come back as plain objects from a lean read.
    doc.csv.preview = doc.csv.preview.map((r) => ({ rowNumber: r.rowNumber, values: { ...r.values } }));
  }
  return doc;
}

export async function updateStatementImport(id: string, set: Partial<Omit<StatementImport, "_id" | "agencyId" | "createdAt" | "updatedAt">>): Promise<void> {
  await StatementImportModel.updateOne({ _id: id }, { $set: set }).exec();
}

/** The agency's latest imports, without their lines and reports. */
export async function listStatementImports(agencyId: string, limit = 20): Promise<Omit<StatementImport, "lines" | "report" | "lineErrors" | "csv">[]> {
  return StatementImportModel.find({ agencyId }).select("-lines -report -lineErrors -csv").sort({ createdAt: -1 }).limit(limit).lean();
}

/** Imports some run was working on (the worker's takeover sweep; few at any time). */
export async function listRunningStatementImports(): Promise<Pick<StatementImport, "_id" | "heartbeatAt" | "runs" | "status">[]> {
  return StatementImportModel.find({ status: { $in: ["queued", "running"] } }).select("_id heartbeatAt runs status").lean();
}
