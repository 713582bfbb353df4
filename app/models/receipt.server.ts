import mongoose, { Schema } from "mongoose";
import type { PaymentReceipt } from "~/core/payments/receipt";
import { isDuplicateKey } from "./claim.server";

/** Electronic receipts of fees; `_id` is the recordPayment effect that issued it, so each is written once. */
type ReceiptDoc = Omit<PaymentReceipt, "id"> & { _id: string };
const localized = { th: String, en: String };
const ReceiptSchema = new Schema<ReceiptDoc>(
  {
    _id: String,
    number: { type: String, required: true },
    fiscalYear: Number,
    agencyId: { type: String, required: true },
    agencyName: localized,
    caseId: { type: String, required: true },
    trackingNumber: String,
    serviceSlug: String,
    serviceTitle: localized,
    payerName: String,
    paymentReference: String,
    lines: [new Schema({ label: localized, amountSatang: Number }, { _id: false })],
    amountSatang: { type: Number, required: true },
    source: String,
    bankReference: String,
    paidAt: Date,
    issuedAt: Date,
    signature: { kid: String, jws: String },
  },
  { versionKey: false },
);
// The receipts of a case (the applicant's documents).
ReceiptSchema.index({ caseId: 1 });
ReceiptSchema.index({ agencyId: 1, issuedAt: -1 });

export const ReceiptModel =
  (mongoose.models.PaymentReceipt as mongoose.Model<ReceiptDoc>) ?? mongoose.model<ReceiptDoc>("PaymentReceipt", ReceiptSchema);

const fromDoc = ({ _id, ...rest }: ReceiptDoc): PaymentReceipt => ({ id: _id, ...rest });

export async function getReceipt(id: string): Promise<PaymentReceipt | null> {
  const doc = await ReceiptModel.findById(id).lean<ReceiptDoc>();
  return doc ? fromDoc(doc) : null;
}

/**
 * Inserts the receipt; one already stored under the same effect id is kept (a retried effect). True when
 * this call stored it (what is stored is then exactly `receipt`), false when one was there.
 */
export async function insertReceipt(receipt: PaymentReceipt): Promise<boolean> {
  const { id, ...rest } = receipt;
  try {
    await ReceiptModel.create({ _id: id, ...rest });
    return true;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return false;
  }
}

/** The receipts with these ids (the finance overview names each payment's receipt): `_id` look-ups only. */
export async function getReceipts(ids: string[]): Promise<Map<string, PaymentReceipt>> {
  if (ids.length === 0) return new Map();
  const docs = await ReceiptModel.find({ _id: { $in: ids } }).lean<ReceiptDoc[]>();
  return new Map(docs.map((d) => [d._id, fromDoc(d)]));
}

/** The receipts of these cases (a person's personal-data export). */
export async function listReceiptsOfCases(caseIds: string[]): Promise<PaymentReceipt[]> {
  if (caseIds.length === 0) return [];
  const docs = await ReceiptModel.find({ caseId: { $in: caseIds } }).lean<ReceiptDoc[]>();
  return docs.map(fromDoc);
}
