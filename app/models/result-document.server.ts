import mongoose, { Schema } from "mongoose";
import type { ResultDocument } from "~/core/permits/types";
import { isDuplicateKey } from "./claim.server";

type ResultDoc = Omit<ResultDocument, "id"> & { _id: string };
const localized = { th: String, en: String };
const ResultDocumentSchema = new Schema<ResultDoc>(
  {
    _id: String,
    number: String,
    caseId: String,
    trackingNumber: String,
    agencyId: String,
    agencyName: localized,
    serviceTitle: localized,
    kind: String,
    applicantName: String,
    subject: String,
    text: String,
    issuedAt: Date,
    referredTo: { type: new Schema({ name: localized, address: String }, { _id: false }), default: undefined },
    signature: { kid: String, jws: String },
  },
  { versionKey: false },
);
// The documents of a case (case page, "my requests").
ResultDocumentSchema.index({ caseId: 1 });
const ResultDocumentModel =
  (mongoose.models.ResultDocument as mongoose.Model<ResultDoc>) ?? mongoose.model<ResultDoc>("ResultDocument", ResultDocumentSchema);

export async function getResultDocument(id: string): Promise<ResultDocument | null> {
  const doc = await ResultDocumentModel.findById(id).lean<ResultDoc>();
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

export async function insertResultDocument(doc: ResultDocument): Promise<void> {
  const { id, ...rest } = doc;
  try {
    await ResultDocumentModel.create({ _id: id, ...rest });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** The result letters of these cases (a person's personal-data export). */
export async function listResultDocumentsOfCases(caseIds: string[]): Promise<ResultDocument[]> {
  if (caseIds.length === 0) return [];
  const docs = await ResultDocumentModel.find({ caseId: { $in: caseIds } }).lean<ResultDoc[]>();
  return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
}
