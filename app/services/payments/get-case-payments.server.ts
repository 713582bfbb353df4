import { formatBaht, type FeeLine } from "~/core/payments/fees";
import { isPayable, paymentState, type PaymentState } from "~/core/payments/payment-state";
import { getAgencyForDocuments } from "~/models/agency.server";
import type { CaseDoc } from "~/models/case.server";
import { getEffectRuns } from "~/models/effect-run.server";
import { getPayment, type PaymentRequest } from "~/models/payment.server";

/** One payment request as the case page shows it (to the applicant, and read-only to staff). */
export type CasePaymentView = {
  reference: string;
  ref2: string;
  billerId: string | null;
  lines: FeeLine[];
  amountSatang: number;
  amount: string;
  requestedAt: string;
  dueAt: string;
  state: PaymentState;
  paidAt: string | null;
  /** Only while it can be paid and the agency has a biller ID. */
  qrUrl: string | null;
  slipUrl: string | null;
  /** The electronic receipt once issued (the receipts slice serves it). */
  receiptUrl: string | null;
};

/**
 * The payment requests of a case, newest first. Found through the case's requestPayment effects: each effect's
 * run names its reference, and a request is read by its `_id`, so a case page never scans the payments
 * collection (FerretDB pushes down only `_id` look-ups; `listPaymentsOfCase` would read every payment).
 * A case that never asked for a fee costs no read at all.
 */
export async function getCasePayments(record: Pick<CaseDoc, "_id" | "effects">, now: Date): Promise<CasePaymentView[]> {
  const effectIds = record.effects.filter((e) => e.type === "requestPayment").map((e) => e.id);
  if (effectIds.length === 0) return [];
  const runs = await getEffectRuns(effectIds);
  const references = [...runs.values()].map((r) => r.result.paymentReference).filter((r): r is string => Boolean(r));
  const payments = (await Promise.all(references.map(getPayment))).filter((p): p is PaymentRequest => p !== null && p.caseId === String(record._id));
  if (payments.length === 0) return [];
  const agency = await getAgencyForDocuments(payments[0].agencyId);
  const billerId = agency?.billerId ?? null;
  return payments
    .sort((a, b) => new Date(b.requestedAt).getTime() - new Date(a.requestedAt).getTime())
    .map((p) => {
      const state = paymentState(p, now);
      const base = `/cases/${p.caseId}/payments/${p._id}`;
      const payable = isPayable(state) && billerId !== null;
      return {
        reference: p._id,
        ref2: p.ref2,
        billerId,
        lines: p.lines.map((l) => ({ label: { th: l.label.th, en: l.label.en }, amountSatang: l.amountSatang })),
        amountSatang: p.amountSatang,
        amount: formatBaht(p.amountSatang),
        requestedAt: new Date(p.requestedAt).toISOString(),
        dueAt: new Date(p.dueAt).toISOString(),
        state,
        paidAt: p.paid ? new Date(p.paid.at).toISOString() : null,
        qrUrl: payable ? `${base}/qr.svg` : null,
        slipUrl: payable ? `${base}/slip.pdf` : null,
        receiptUrl: p.receiptId ? `/cases/${p.caseId}/receipts/${p.receiptId}.pdf` : null,
      };
    });
}
