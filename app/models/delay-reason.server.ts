import mongoose, { Schema } from "mongoose";
import type { LocalizedText } from "~/core/text";

/** The reason for a case's delay, as its officer last wrote it (`_id` = the case id): delay notices quote it. */
export type DelayReason = { _id: string; reason: LocalizedText; by: { id: string; name: string }; at: Date };

const DelayReasonSchema = new Schema<DelayReason>(
  { _id: String, reason: { th: String, en: String }, by: { id: String, name: String }, at: { type: Date, required: true } },
  { versionKey: false, collection: "case_delay_reasons" },
);
const DelayReasonModel =
  (mongoose.models.DelayReason as mongoose.Model<DelayReason>) ?? mongoose.model<DelayReason>("DelayReason", DelayReasonSchema);

export async function getDelayReason(caseId: string): Promise<DelayReason | null> {
  return DelayReasonModel.findById(caseId).lean<DelayReason>();
}

/** The latest reason wins. */
export async function putDelayReason(row: DelayReason): Promise<void> {
  const { _id, ...rest } = row;
  await DelayReasonModel.updateOne({ _id }, { $set: rest }, { upsert: true }).exec();
}
