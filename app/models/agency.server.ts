import mongoose, { Schema } from "mongoose";
import type { LocalizedText } from "~/core/text";

export type Agency = {
  _id: string;
  code: string;
  name: LocalizedText;
  kind: "opdc" | "municipality" | "sao" | "department";
  province?: string;
};

const localized = { th: { type: String, required: true }, en: { type: String, required: true } };

const AgencySchema = new Schema<Agency>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    name: localized,
    kind: { type: String, required: true },
    province: String,
  },
  { versionKey: false },
);

export const AgencyModel = (mongoose.models.Agency as mongoose.Model<Agency>) ?? mongoose.model<Agency>("Agency", AgencySchema);

export async function getAgency(id: string): Promise<Agency | null> {
  return AgencyModel.findById(id).lean<Agency>();
}

export async function listAgencies(): Promise<Agency[]> {
  return AgencyModel.find().sort({ _id: 1 }).lean<Agency[]>();
}

export async function upsertAgency(agency: Agency): Promise<void> {
  await AgencyModel.updateOne({ _id: agency._id }, { $set: agency }, { upsert: true });
}
