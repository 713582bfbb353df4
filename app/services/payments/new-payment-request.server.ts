import type { ComputedFee } from "~/core/payments/fees";
import { paymentReference, paymentReferenceSequenceName } from "~/core/payments/payment-reference";
import type { LocalizedText } from "~/core/text";
import { thaiFiscalYear } from "~/core/time/bangkok-clock";
import type { CaseDoc } from "~/models/case.server";
import { claimedSequence, nextSequence } from "~/models/counter.server";
import type { PaymentRequest } from "~/models/payment.server";

/**
 * A new payment reference owned by the effect that opens the request: a retry after a crash (`resumed`) finds
 * the number it took instead of taking another.
 */
export async function takePaymentReference(effectId: string, at: Date, resumed: boolean): Promise<string> {
  const fiscalYear = thaiFiscalYear(at);
  const sequence = paymentReferenceSequenceName(fiscalYear);
  const seq = (resumed ? await claimedSequence(sequence, effectId) : null) ?? (await nextSequence(sequence, effectId));
  return paymentReference(fiscalYear, seq);
}

/** The request for a case's fee under `reference`, still due. */
export function paymentRequestOf(input: {
  record: CaseDoc;
  agencyId: string;
  serviceTitle: LocalizedText;
  effectId: string;
  reference: string;
  fee: ComputedFee;
  requestedAt: Date;
  dueAt: Date;
}): PaymentRequest {
  const { record } = input;
  return {
    _id: input.reference,
    effectId: input.effectId,
    agencyId: input.agencyId,
    caseId: String(record._id),
    trackingNumber: record.trackingNumber,
    serviceSlug: record.serviceSlug,
    serviceTitle: input.serviceTitle,
    applicantName: record.summary.applicantName,
    // Ref2: the tracking number's digits, so a statement line also names the case for a person.
    ref2: record.trackingNumber.replace(/\D/g, ""),
    lines: input.fee.lines,
    amountSatang: input.fee.totalSatang,
    requestedAt: input.requestedAt,
    dueAt: input.dueAt,
    status: "due",
  };
}
