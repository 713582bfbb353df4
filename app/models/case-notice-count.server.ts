import mongoose, { Schema } from "mongoose";

/**
 * A read-only view of the `case_notices` collection (written by the delay notices), for counting the delay
 * notices each agency sent. Only the two fields read are declared; an empty or absent collection counts zero.
 * Its own model name, so it never collides with the model that writes the collection.
 */
type NoticeRow = { _id: unknown; agencyId?: string; kind?: string };

const NoticeCountSchema = new Schema<NoticeRow>({ agencyId: String, kind: String }, { collection: "case_notices", strict: false, versionKey: false, autoIndex: false, autoCreate: false });

const NoticeCountModel =
  (mongoose.models.CaseNoticeCount as mongoose.Model<NoticeRow>) ?? mongoose.model<NoticeRow>("CaseNoticeCount", NoticeCountSchema);

/** Delay notices sent, by agency id (one scan of the collection: the worker's figures only). */
export async function countDelayNoticesByAgency(): Promise<Record<string, number>> {
  const counts = Object.create(null) as Record<string, number>;
  const rows = await NoticeCountModel.find({ kind: "delay" }).select("agencyId kind").lean<NoticeRow[]>();
  for (const row of rows) if (row.kind === "delay" && typeof row.agencyId === "string") counts[row.agencyId] = (counts[row.agencyId] ?? 0) + 1;
  return counts;
}
