import mongoose, { Schema } from "mongoose";
import type { UnmatchedReason } from "~/core/payments/matching";
import { isDuplicateKey } from "./claim.server";

/**
 * Every bank line an agency received (statement line or callback), keyed by a stable hash of the line, so the
 * insert of its `_id` is the claim that makes it apply at most once. `state` makes applying it resumable: a line
 * left "received" by a crash is completed by the next run.
 */
export type BankLineState = "received" | "applied" | "unmatched" | "duplicate" | "set-aside";

export type BankLineDoc = {
  _id: string;
  agencyId: string;
  source: "statement" | "callback";
  /** The statement import and line number that brought it (a statement line). */
  importId?: string;
  lineNumber?: number;
  /** The bank's transaction id (a callback). */
  transactionId?: string;
  bankCode: string;
  paidAt: Date;
  ref1: string;
  ref2: string;
  amountSatang: number;
  bankReference: string;
  customerName?: string;
  kind: "credit" | "debit";
  state: BankLineState;
  reason?: UnmatchedReason;
  /** The request it paid (applied). */
  paymentReference?: string;
  caseId?: string;
  trackingNumber?: string;
  receivedAt: Date;
  settledAt?: Date;
  /** A person's decision on an unmatched line. */
  decision?: { kind: "apply" | "set-aside"; by: string; byName: string; note: string; at: Date; paymentReference?: string };
};

const BankLineSchema = new Schema<BankLineDoc>(
  {
    _id: String,
    agencyId: { type: String, required: true },
    source: { type: String, required: true },
    importId: String,
    lineNumber: Number,
    transactionId: String,
    bankCode: String,
    paidAt: Date,
    ref1: String,
    ref2: String,
    amountSatang: Number,
    bankReference: String,
    customerName: String,
    kind: String,
    state: { type: String, required: true },
    reason: String,
    paymentReference: String,
    caseId: String,
    trackingNumber: String,
    receivedAt: Date,
    settledAt: Date,
    decision: { type: new Schema({ kind: String, by: String, byName: String, note: String, at: Date, paymentReference: String }, { _id: false }), default: undefined },
  },
  { versionKey: false, collection: "bank_lines" },
);
// The agency's lines by state (finance views on MongoDB); the hot paths read by `_id`.
BankLineSchema.index({ agencyId: 1, state: 1, receivedAt: -1 });

const BankLineModel = (mongoose.models.BankLine as mongoose.Model<BankLineDoc>) ?? mongoose.model<BankLineDoc>("BankLine", BankLineSchema);

/** True when this caller inserted the line (owns it); false when it was there already. */
export async function insertBankLine(line: BankLineDoc): Promise<boolean> {
  try {
    await BankLineModel.create(line);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function getBankLine(id: string): Promise<BankLineDoc | null> {
  return BankLineModel.findById(id).lean<BankLineDoc>();
}

export async function updateBankLine(id: string, set: Partial<BankLineDoc>): Promise<void> {
  await BankLineModel.updateOne({ _id: id }, { $set: set }).exec();
}

/**
 * The open unmatched items: a small collection of its own (one document per line waiting for a person), so the
 * page reads a handful of documents rather than every bank line the agency ever received.
 */
type OpenItem = { _id: string; agencyId: string; at: Date };
const OpenItemSchema = new Schema<OpenItem>({ _id: String, agencyId: { type: String, required: true }, at: Date }, { versionKey: false, collection: "bank_unmatched" });
OpenItemSchema.index({ agencyId: 1, at: -1 });
const OpenItemModel = (mongoose.models.BankUnmatched as mongoose.Model<OpenItem>) ?? mongoose.model<OpenItem>("BankUnmatched", OpenItemSchema);

export async function openUnmatchedItem(lineId: string, agencyId: string, at: Date): Promise<void> {
  try {
    await OpenItemModel.create({ _id: lineId, agencyId, at });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

export async function closeUnmatchedItem(lineId: string): Promise<void> {
  await OpenItemModel.deleteOne({ _id: lineId }).exec();
}

/** The agency's open unmatched lines, newest first. */
export async function listOpenUnmatched(agencyId: string, limit = 200): Promise<BankLineDoc[]> {
  const open = await OpenItemModel.find({ agencyId }).sort({ at: -1 }).limit(limit).lean<OpenItem[]>();
  const lines = await Promise.all(open.map((o) => getBankLine(o._id)));
  return lines.filter((l): l is BankLineDoc => l !== null && l.state === "unmatched");
}
