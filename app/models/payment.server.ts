import mongoose, { Schema } from "mongoose";
import type { LocalizedText } from "~/core/text";
import type { FeeLine } from "~/core/payments/fees";
import { isDuplicateKey } from "./claim.server";

/**
 * A fee a case owes and how it was paid. `_id` is the payment reference (Ref1), so a bank line or callback
 * finds its request by `_id`. Written once by the requestPayment effect; `paid` and `receiptId` are set once.
 */
export type PaymentRequest = {
  _id: string;
  /** The requestPayment effect that created it: a retry after a crash finds the same request. */
  effectId: string;
  agencyId: string;
  caseId: string;
  trackingNumber: string;
  serviceSlug: string;
  serviceTitle: LocalizedText;
  applicantName: string;
  /** Ref2 of the bill payment: the tracking number's digits, so a bank statement line also names the case. */
  ref2: string;
  lines: FeeLine[];
  amountSatang: number;
  requestedAt: Date;
  /** The reference is refused after this instant (end of the due day in Bangkok). */
  dueAt: Date;
  status: "due" | "paid" | "cancelled";
  paid?: {
    at: Date;
    amountSatang: number;
    /** How the money came in: a bank statement line, a bank's signed callback, or recorded by a cashier. */
    source: "statement" | "callback" | "counter";
    /** The bank's own transaction reference, when the bank gave one. */
    bankReference?: string;
  };
  /** The electronic receipt issued for it. */
  receiptId?: string;
};

const localized = { th: String, en: String };
const PaymentSchema = new Schema<PaymentRequest>(
  {
    _id: String,
    effectId: { type: String, required: true },
    agencyId: { type: String, required: true },
    caseId: { type: String, required: true },
    trackingNumber: String,
    serviceSlug: String,
    serviceTitle: localized,
    applicantName: String,
    ref2: String,
    lines: [new Schema({ label: localized, amountSatang: Number }, { _id: false })],
    amountSatang: { type: Number, required: true },
    requestedAt: Date,
    dueAt: Date,
    status: { type: String, required: true },
    paid: { type: new Schema({ at: Date, amountSatang: Number, source: String, bankReference: String }, { _id: false }), default: undefined },
    receiptId: String,
  },
  { versionKey: false },
);
// The payments of a case (case page); the agency's payments by time (finance views).
PaymentSchema.index({ caseId: 1 });
PaymentSchema.index({ agencyId: 1, requestedAt: -1 });
// The agency's payments by the time they were paid (finance overview, CSV), and those still due.
PaymentSchema.index({ agencyId: 1, "paid.at": -1 });
PaymentSchema.index({ agencyId: 1, status: 1 });

export const PaymentModel =
  (mongoose.models.Payment as mongoose.Model<PaymentRequest>) ?? mongoose.model<PaymentRequest>("Payment", PaymentSchema);

export async function getPayment(reference: string): Promise<PaymentRequest | null> {
  return PaymentModel.findById(reference).lean<PaymentRequest>();
}

/** Inserts a new request; an existing one with the same reference is left as it is (a retried effect). */
export async function insertPayment(payment: PaymentRequest): Promise<void> {
  try {
    await PaymentModel.create(payment);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** The payment requests of a case, newest first. */
export async function listPaymentsOfCase(caseId: string): Promise<PaymentRequest[]> {
  const rows = await PaymentModel.find({ caseId }).lean<PaymentRequest[]>();
  return rows.sort((a, b) => new Date(b.requestedAt).getTime() - new Date(a.requestedAt).getTime());
}

/**
 * Records the money on the request. Called only by the holder of the request's `payment-paid:<reference>` claim
 * (so once per request); writing the same values again on a resumed line changes nothing.
 */
export async function markPaymentPaid(reference: string, paid: NonNullable<PaymentRequest["paid"]>, receiptId?: string): Promise<void> {
  await PaymentModel.updateOne({ _id: reference }, { $set: { status: "paid", paid, ...(receiptId ? { receiptId } : {}) } }).exec();
}

/** The claim that lets exactly one bank line (or decision) pay a request. */
export const paymentPaidClaim = (reference: string) => `payment-paid:${reference}`;

/** Links the electronic receipt issued for the payment. */
export async function setPaymentReceipt(reference: string, receiptId: string): Promise<void> {
  await PaymentModel.updateOne({ _id: reference }, { $set: { receiptId } });
}

/** The agency's payments paid in [from, to) (finance overview and CSV). */
export async function listPaymentsPaidBetween(agencyId: string, from: Date, to: Date): Promise<PaymentRequest[]> {
  const rows = await PaymentModel.find({ agencyId, "paid.at": { $gte: from, $lt: to } }).lean<PaymentRequest[]>();
  return rows.sort((a, b) => new Date(b.paid!.at).getTime() - new Date(a.paid!.at).getTime());
}

/** The agency's requests still waiting for money (due, and those whose due date has passed). */
export async function listDuePayments(agencyId: string): Promise<PaymentRequest[]> {
  return PaymentModel.find({ agencyId, status: "due" }).lean<PaymentRequest[]>();
}
