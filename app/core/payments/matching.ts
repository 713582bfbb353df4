/**
 * Whether a bank line pays a payment request: the pure rule. A line matches only when its Ref1 is a valid
 * reference of THIS agency's request, the request is still due, the amount is exactly the amount asked and the
 * money came in at or before the due instant. Anything else is an unmatched item with its reason, for a person to
 * decide; nothing is applied silently.
 */
import type { LocalizedText } from "../text";
import { isValidPaymentReference } from "./payment-reference";

export type MatchablePayment = {
  _id: string;
  agencyId: string;
  amountSatang: number;
  dueAt: Date;
  status: "due" | "paid" | "cancelled";
  paid?: { amountSatang: number; source: string };
};

export type UnmatchedReason =
  | "reversal"
  | "invalid-reference"
  | "unknown-reference"
  | "other-agency"
  | "already-paid"
  | "cancelled"
  | "underpaid"
  | "overpaid"
  | "late"
  | "not-awaiting-fee";

export type MatchOutcome = { kind: "match" } | { kind: "unmatched"; reason: UnmatchedReason } | { kind: "already-notified" };

export const UNMATCHED_REASONS: Record<UnmatchedReason, LocalizedText> = {
  reversal: { th: "รายการถอนคืน (ไม่ใช่การชำระเงิน)", en: "A reversal (not a payment)" },
  "invalid-reference": { th: "เลขอ้างอิงไม่ถูกต้อง (รูปแบบหรือเลขตรวจสอบผิด)", en: "Invalid reference (wrong format or check digit)" },
  "unknown-reference": { th: "ไม่พบรายการเรียกเก็บตามเลขอ้างอิงนี้", en: "No payment request has this reference" },
  "other-agency": { th: "เลขอ้างอิงเป็นของหน่วยงานอื่น", en: "The reference belongs to another agency" },
  "already-paid": { th: "รายการเรียกเก็บนี้ชำระแล้ว (ชำระซ้ำ)", en: "The request is already paid (paid twice)" },
  cancelled: { th: "รายการเรียกเก็บนี้ถูกยกเลิกแล้ว", en: "The request was cancelled" },
  underpaid: { th: "ชำระน้อยกว่ายอดที่เรียกเก็บ", en: "Paid less than the amount due" },
  overpaid: { th: "ชำระมากกว่ายอดที่เรียกเก็บ", en: "Paid more than the amount due" },
  late: { th: "ชำระหลังวันครบกำหนด (เลขอ้างอิงหมดอายุ)", en: "Paid after the due date (the reference had expired)" },
  "not-awaiting-fee": { th: "คำขอไม่ได้อยู่ในขั้นรอชำระค่าธรรมเนียม", en: "The application is not waiting for the fee" },
};

export type MatchInput = {
  line: { ref1: string; amountSatang: number; paidAt: Date; kind: "credit" | "debit" };
  agencyId: string;
  /** The request found by the line's Ref1 (`_id` lookup), or null. */
  payment: MatchablePayment | null;
  /** This same line already marked the request paid (a resumed line): it still matches. */
  paidByThisLine?: boolean;
  /** Where the line came from: a statement line for a request a callback already paid is that callback's echo. */
  source: "statement" | "callback";
};

export function matchBankLine({ line, agencyId, payment, paidByThisLine = false, source }: MatchInput): MatchOutcome {
  const unmatched = (reason: UnmatchedReason): MatchOutcome => ({ kind: "unmatched", reason });
  if (line.kind === "debit") return unmatched("reversal");
  if (!isValidPaymentReference(line.ref1)) return unmatched("invalid-reference");
  // Another agency's request is reported as such only to this agency's staff, who see their own lines.
  if (!payment) return unmatched("unknown-reference");
  if (payment.agencyId !== agencyId) return unmatched("other-agency");
  if (payment.status === "cancelled") return unmatched("cancelled");
  if (payment.status === "paid" && !paidByThisLine) {
    // The bank's notification came first; its statement line later says the same payment again.
    if (source === "statement" && payment.paid?.source === "callback" && payment.paid.amountSatang === line.amountSatang) return { kind: "already-notified" };
    return unmatched("already-paid");
  }
  if (line.amountSatang < payment.amountSatang) return unmatched("underpaid");
  if (line.amountSatang > payment.amountSatang) return unmatched("overpaid");
  if (line.paidAt.getTime() > new Date(payment.dueAt).getTime()) return unmatched("late");
  return { kind: "match" };
}
