import { matchBankLine, type UnmatchedReason } from "~/core/payments/matching";
import { isValidPaymentReference } from "~/core/payments/payment-reference";
import type { BankLine } from "~/core/payments/statement-formats";
import { getBankLine, insertBankLine, openUnmatchedItem, updateBankLine, type BankLineDoc } from "~/models/bank-line.server";
import { getCase } from "~/models/case.server";
import { claim, claimOwner } from "~/models/claim.server";
import { getPayment, markPaymentPaid, paymentPaidClaim } from "~/models/payment.server";
import { feePaidRoles, fireFeePaid, sha256Hex } from "./fire-fee-paid.server";

export type BankSource = "statement" | "callback";

export type ApplyOutcome = {
  lineId: string;
  outcome: "applied" | "unmatched" | "duplicate";
  reason?: UnmatchedReason;
  paymentReference?: string;
  caseId?: string;
  trackingNumber?: string;
  /** The same line (or callback transaction) was received before: this is its first outcome again. */
  replay?: boolean;
  /** What an already-received line was first (a duplicate line, a replayed callback). */
  duplicateOf?: { source: BankSource; importId?: string; lineNumber?: number; transactionId?: string; state: BankLineDoc["state"] };
};

/** Test hook: a fault after the line's claims and before FEE_PAID, as a process killed there would leave it. */
export type ApplyFaults = { afterClaim?: () => void };

/**
 * The line's stable key. A statement line: its bank, instant, Ref1, amount and bank reference (not its place in
 * the file, so the same line in another file is the same line) and whether it is a payment or a reversal. A callback: the bank's transaction id.
 */
export function bankLineId(agencyId: string, source: BankSource, line: BankLine, transactionId?: string): string {
  const basis =
    source === "callback"
      ? `callback|${transactionId ?? ""}`
      : [line.bankCode, line.paidAt.toISOString(), line.ref1, line.amountSatang, line.bankReference, line.kind].join("|");
  return `bankline:${agencyId}:${sha256Hex(basis)}`;
}

/**
 * Applies one bank line exactly once. The line is claimed (insert of its key in `bank_lines`) before anything else;
 * then it either matches — the request is marked paid (under the request's own claim, so two lines can never both
 * pay it) and FEE_PAID is sent to the case — or becomes an unmatched item with its reason. A line left "received"
 * by a crash is completed by running it again; a line already settled changes nothing and reports its first outcome.
 */
export async function applyBankLine(input: {
  agencyId: string;
  source: BankSource;
  line: BankLine;
  importId?: string;
  transactionId?: string;
  now?: Date;
  faults?: ApplyFaults;
}): Promise<ApplyOutcome> {
  const { agencyId, source, line } = input;
  const now = input.now ?? new Date();
  const id = bankLineId(agencyId, source, line, input.transactionId);
  const fresh: BankLineDoc = {
    _id: id,
    agencyId,
    source,
    ...(input.importId ? { importId: input.importId, lineNumber: line.lineNumber } : {}),
    ...(input.transactionId ? { transactionId: input.transactionId } : {}),
    bankCode: line.bankCode,
    paidAt: line.paidAt,
    ref1: line.ref1,
    ref2: line.ref2,
    amountSatang: line.amountSatang,
    bankReference: line.bankReference,
    ...(line.customerName ? { customerName: line.customerName } : {}),
    kind: line.kind,
    state: "received",
    receivedAt: now,
  };
  if (!(await insertBankLine(fresh))) {
    const existing = await getBankLine(id);
    if (!existing) throw new Error(`bank line ${id} claimed but not found`);
    const sameLine = source === "callback" || (existing.importId === input.importId && existing.lineNumber === line.lineNumber);
    if (!sameLine) return duplicateOf(existing);
    // The same line run again: a settled one reports its outcome, a half-done one is completed.
    if (existing.state !== "received") return { ...outcomeOf(existing), replay: true };
    return { ...(await settle(existing, source, now, input.faults)), replay: true };
  }
  return settle(fresh, source, now, input.faults);
}

function duplicateOf(existing: BankLineDoc): ApplyOutcome {
  return {
    lineId: existing._id,
    outcome: "duplicate",
    ...(existing.paymentReference ? { paymentReference: existing.paymentReference } : {}),
    duplicateOf: {
      source: existing.source,
      state: existing.state,
      ...(existing.importId ? { importId: existing.importId, lineNumber: existing.lineNumber } : {}),
      ...(existing.transactionId ? { transactionId: existing.transactionId } : {}),
    },
  };
}

export function outcomeOf(line: BankLineDoc): ApplyOutcome {
  const outcome = line.state === "applied" ? "applied" : line.state === "duplicate" ? "duplicate" : "unmatched";
  return {
    lineId: line._id,
    outcome,
    ...(line.reason ? { reason: line.reason } : {}),
    ...(line.paymentReference ? { paymentReference: line.paymentReference } : {}),
    ...(line.caseId ? { caseId: line.caseId } : {}),
    ...(line.trackingNumber ? { trackingNumber: line.trackingNumber } : {}),
  };
}

async function settle(line: BankLineDoc, source: BankSource, now: Date, faults?: ApplyFaults): Promise<ApplyOutcome> {
  const reference = line.ref1;
  const payment = isValidPaymentReference(reference) ? await getPayment(reference) : null;
  const paidByThisLine = payment?.status === "paid" && (await claimOwner(paymentPaidClaim(reference))) === line._id;
  const verdict = matchBankLine({ line, agencyId: line.agencyId, payment, paidByThisLine, source });

  const unmatched = async (reason: UnmatchedReason): Promise<ApplyOutcome> => {
    // Only this agency's own request is named on the item; another agency's stays out of it.
    const own = payment && payment.agencyId === line.agencyId ? { paymentReference: payment._id, caseId: payment.caseId, trackingNumber: payment.trackingNumber } : {};
    await updateBankLine(line._id, { state: "unmatched", reason, settledAt: now, ...own });
    await openUnmatchedItem(line._id, line.agencyId, now);
    return { lineId: line._id, outcome: "unmatched", reason, ...own };
  };

  if (verdict.kind === "unmatched") return unmatched(verdict.reason);
  const found = payment!;
  const target = { paymentReference: found._id, caseId: found.caseId, trackingNumber: found.trackingNumber };
  if (verdict.kind === "already-notified") {
    await updateBankLine(line._id, { state: "duplicate", settledAt: now, ...target });
    return { lineId: line._id, outcome: "duplicate", ...target, duplicateOf: { source: "callback", state: "applied" } };
  }

  const record = await getCase(found.caseId);
  if (!record || (!paidByThisLine && !(await feePaidRoles(record)))) return unmatched("not-awaiting-fee");
  if (!(await claim(paymentPaidClaim(found._id), line._id)) && (await claimOwner(paymentPaidClaim(found._id))) !== line._id) {
    return unmatched("already-paid");
  }
  faults?.afterClaim?.();
  await markPaymentPaid(found._id, { at: line.paidAt, amountSatang: line.amountSatang, source, ...(line.bankReference ? { bankReference: line.bankReference } : {}) });
  await fireFeePaid({ agencyId: line.agencyId, caseId: found.caseId, paymentReference: found._id, now });
  await updateBankLine(line._id, { state: "applied", settledAt: now, ...target });
  return { lineId: line._id, outcome: "applied", ...target };
}
