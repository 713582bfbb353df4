import mongoose, { Schema } from "mongoose";

/**
 * Where a sweep over a collection in `_id` order got to, so the next run starts there instead of reading
 * everything again. One tiny document per sweep; losing it only makes the next run start from its default.
 */
type SweepCheckpoint = { _id: string; after: string; at: Date };
const SweepCheckpointModel =
  (mongoose.models.SweepCheckpoint as mongoose.Model<SweepCheckpoint>) ??
  mongoose.model<SweepCheckpoint>(
    "SweepCheckpoint",
    new Schema<SweepCheckpoint>({ _id: String, after: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false }),
  );

export async function getSweepCheckpoint(name: string): Promise<string | null> {
  return (await SweepCheckpointModel.findById(name).lean<SweepCheckpoint>())?.after ?? null;
}

export async function setSweepCheckpoint(name: string, after: string, at = new Date()): Promise<void> {
  await SweepCheckpointModel.updateOne({ _id: name }, { $set: { after, at } }, { upsert: true });
}
