import mongoose, { Schema } from "mongoose";

/** A citizen's unfinished application: one per user and service. */
type Draft = { _id: string; userId: string; serviceSlug: string; dataJson: string; updatedAt: Date };
const DraftSchema = new Schema<Draft>(
  { _id: String, userId: String, serviceSlug: String, dataJson: String, updatedAt: Date },
  { versionKey: false },
);
// A person's drafts (their personal-data export).
DraftSchema.index({ userId: 1 });
const DraftModel = (mongoose.models.Draft as mongoose.Model<Draft>) ?? mongoose.model<Draft>("Draft", DraftSchema);

const draftId = (userId: string, slug: string) => `${userId}:${slug}`;

export async function saveDraft(userId: string, serviceSlug: string, data: unknown): Promise<Date> {
  const updatedAt = new Date();
  await DraftModel.updateOne(
    { _id: draftId(userId, serviceSlug) },
    { $set: { userId, serviceSlug, dataJson: JSON.stringify(data ?? {}), updatedAt } },
    { upsert: true },
  );
  return updatedAt;
}

export async function loadDraft(userId: string, serviceSlug: string): Promise<{ data: unknown; updatedAt: Date } | null> {
  const doc = await DraftModel.findById(draftId(userId, serviceSlug)).lean<Draft>();
  return doc ? { data: JSON.parse(doc.dataJson), updatedAt: doc.updatedAt } : null;
}

export async function deleteDraft(userId: string, serviceSlug: string): Promise<void> {
  await DraftModel.deleteOne({ _id: draftId(userId, serviceSlug) });
}

/** A person's drafts, for their personal-data export. */
export async function listDraftsOfUser(userId: string): Promise<{ serviceSlug: string; data: unknown; updatedAt: Date }[]> {
  const docs = await DraftModel.find({ userId }).lean<Draft[]>();
  return docs.map((d) => ({ serviceSlug: d.serviceSlug, data: JSON.parse(d.dataJson) as unknown, updatedAt: d.updatedAt }));
}
