import mongoose, { Schema } from "mongoose";

/**
 * The s.22 notices sent: one record per progress notice (`progress:<agencyId>:<period>`) and per report over all
 * agencies (`report:<period>`), keyed by the same `_id` as the claim that made exactly one process send it. The
 * record is written once the e-mail is out (or there was nobody to send to), so a claim without a record is a
 * send that crashed half-way, taken over once its lease is stale. The PDF sits in its own collection, read by
 * `_id` only, so listings stay small.
 */
export type OversightReport = {
  _id: string;
  kind: "progress" | "report";
  /** Progress notices only. */
  agencyId?: string;
  period: number;
  firstDay: string;
  lastDay: string;
  sentAt: Date;
  recipients: string[];
  delivered: boolean;
  pdfBytes: number;
};

const OversightReportSchema = new Schema<OversightReport>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    agencyId: String,
    period: { type: Number, required: true },
    firstDay: { type: String, required: true },
    lastDay: { type: String, required: true },
    sentAt: { type: Date, required: true },
    recipients: { type: [String], default: [] },
    delivered: { type: Boolean, required: true },
    pdfBytes: { type: Number, required: true },
  },
  { versionKey: false, collection: "oversight_reports" },
);
// OPDC's lists: the reports newest first; an agency's notices newest first.
OversightReportSchema.index({ kind: 1, period: -1 });
OversightReportSchema.index({ agencyId: 1, period: -1 }, { sparse: true });

type OversightReportFile = { _id: string; pdf: Buffer };
const OversightReportFileSchema = new Schema<OversightReportFile>(
  { _id: { type: String, required: true }, pdf: { type: Buffer, required: true } },
  { versionKey: false, collection: "oversight_report_files" },
);

const OversightReportModel =
  (mongoose.models.OversightReport as mongoose.Model<OversightReport>) ?? mongoose.model<OversightReport>("OversightReport", OversightReportSchema);
const OversightReportFileModel =
  (mongoose.models.OversightReportFile as mongoose.Model<OversightReportFile>) ??
  mongoose.model<OversightReportFile>("OversightReportFile", OversightReportFileSchema);

export async function getOversightReport(id: string): Promise<OversightReport | null> {
  return OversightReportModel.findById(id).lean<OversightReport>();
}

/** The file first, then the record: a record always has its PDF. Both idempotent (a resumed send writes the same). */
export async function recordOversightReport(report: OversightReport, pdf: Buffer): Promise<void> {
  await OversightReportFileModel.updateOne({ _id: report._id }, { $set: { pdf } }, { upsert: true });
  await OversightReportModel.updateOne({ _id: report._id }, { $set: report }, { upsert: true });
}

export async function getOversightReportPdf(id: string): Promise<Buffer | null> {
  const file = await OversightReportFileModel.findById(id).lean<OversightReportFile>();
  if (!file) return null;
  const pdf = file.pdf as unknown;
  // lean() gives a BSON Binary, not a Buffer.
  if (Buffer.isBuffer(pdf)) return pdf;
  return Buffer.from((pdf as { buffer: Uint8Array }).buffer);
}

export async function listOversightReports(filter: { kind: "progress" | "report"; agencyId?: string; period?: number }, limit = 50): Promise<OversightReport[]> {
  const query: Record<string, unknown> = { kind: filter.kind };
  if (filter.agencyId) query.agencyId = filter.agencyId;
  if (filter.period !== undefined) query.period = filter.period;
  return OversightReportModel.find(query)
    .sort({ period: -1, _id: 1 })
    .limit(limit)
    .lean<OversightReport[]>();
}
