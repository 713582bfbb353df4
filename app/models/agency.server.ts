import mongoose, { Schema } from "mongoose";
import type { AgencyContact, ReadinessLevel } from "~/core/onboarding/agency-input";
import type { LocalizedText } from "~/core/text";
import { bumpConfigStamp, configCache } from "./config-stamp.server";

export type Agency = {
  _id: string;
  code: string;
  name: LocalizedText;
  kind: "opdc" | "municipality" | "sao" | "provincialOffice" | "department";
  province?: string;
  /** Set for agencies OPDC onboards through the platform. */
  contact?: AgencyContact;
  targetLevel?: ReadinessLevel;
  createdAt?: Date;
  /** The largest file the agency accepts in any field (bytes); the deployment's UPLOAD_MAX_BYTES when unset. */
  uploadCeilingBytes?: number;
  /** Every staff account of the agency must have a second factor (set by its admin), beyond SECOND_FACTOR_REQUIRED_ROLES. */
  secondFactorForAllStaff?: boolean;
  /**
   * PromptPay bill payment: the agency's biller ID (15 digits: its 13-digit tax ID and a 2-digit suffix the bank
   * gives), shown in the QR code and on pay-in slips. Without it the agency cannot take fees electronically.
   */
  billerId?: string;
  /** When the bank callback's secret was last set (the secret itself is kept apart: BankCallbackSecretModel). */
  bankCallbackSecretSetAt?: Date;
};

const localized = { th: { type: String, required: true }, en: { type: String, required: true } };

const AgencySchema = new Schema<Agency>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    name: localized,
    kind: { type: String, required: true },
    province: String,
    uploadCeilingBytes: Number,
    secondFactorForAllStaff: Boolean,
    billerId: String,
    bankCallbackSecretSetAt: Date,
    contact: { type: new Schema({ name: String, email: String, phone: String }, { _id: false }), required: false },
    targetLevel: String,
    createdAt: Date,
  },
  { versionKey: false },
);

export const AgencyModel = (mongoose.models.Agency as mongoose.Model<Agency>) ?? mongoose.model<Agency>("Agency", AgencySchema);

export async function getAgency(id: string): Promise<Agency | null> {
  return AgencyModel.findById(id).lean<Agency>();
}

const forNaming = configCache<Agency | null>(2_000);

/**
 * The agency as receipts, letters, permits and notices name it, as of the configuration stamp (every agency
 * writer below bumps it, so a renamed agency shows on the next document). Shared: callers must not change it.
 * Never for decisions (policies, scopes): those use getAgency.
 */
export function getAgencyForDocuments(id: string): Promise<Agency | null> {
  return forNaming.get(id, () => getAgency(id));
}

export async function listAgencies(): Promise<Agency[]> {
  return AgencyModel.find().sort({ _id: 1 }).lean<Agency[]>();
}

export async function upsertAgency(agency: Agency): Promise<void> {
  await AgencyModel.updateOne({ _id: agency._id }, { $set: agency }, { upsert: true });
  await bumpConfigStamp();
}

export async function setAgencySecondFactorForAllStaff(id: string, required: boolean): Promise<Agency | null> {
  const agency = await AgencyModel.findByIdAndUpdate(id, { $set: { secondFactorForAllStaff: required } }, { returnDocument: "after" }).lean<Agency>();
  await bumpConfigStamp();
  return agency;
}

/** Inserts a new agency; its `_id` is unique, so a second agency with the same id fails with a duplicate key. */
export async function insertAgency(agency: Agency): Promise<Agency> {
  const created = await AgencyModel.create(agency);
  await bumpConfigStamp();
  return created.toObject() as Agency;
}

/** Payment settings (finance settings page). */
export async function setAgencyBillerId(id: string, billerId: string): Promise<void> {
  await AgencyModel.updateOne({ _id: id }, { $set: { billerId } }).exec();
  await bumpConfigStamp();
}

/**
 * The bank callback's HMAC secret, sealed (AES-256-GCM, utils/encryption) because it must be usable, not only
 * checkable. It lives in its own collection keyed by the agency, so no read of an agency can return it.
 */
type BankCallbackSecret = { _id: string; sealed: string; setAt: Date };
const BankCallbackSecretModel =
  (mongoose.models.BankCallbackSecret as mongoose.Model<BankCallbackSecret>) ??
  mongoose.model<BankCallbackSecret>(
    "BankCallbackSecret",
    new Schema<BankCallbackSecret>({ _id: String, sealed: { type: String, required: true }, setAt: Date }, { versionKey: false, collection: "bank_callback_secrets" }),
  );

export async function setAgencyBankCallbackSecret(id: string, sealed: string, at: Date): Promise<void> {
  await BankCallbackSecretModel.updateOne({ _id: id }, { $set: { sealed, setAt: at } }, { upsert: true }).exec();
  await AgencyModel.updateOne({ _id: id }, { $set: { bankCallbackSecretSetAt: at } }).exec();
  await bumpConfigStamp();
}

/** The sealed callback secret (the callback route only). */
export async function getAgencyBankCallbackSecret(id: string): Promise<string | null> {
  return (await BankCallbackSecretModel.findById(id).lean<BankCallbackSecret>())?.sealed ?? null;
}
