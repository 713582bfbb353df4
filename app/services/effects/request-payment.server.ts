import { computeFee, DEFAULT_PAYMENT_TERMS } from "~/core/payments/fees";
import { paymentReference, paymentReferenceSequenceName } from "~/core/payments/payment-reference";
import { addCalendarDays, bangkokDate, startOfBangkokDay, thaiFiscalYear, DAY_MS } from "~/core/time/bangkok-clock";
import type { Agency } from "~/models/agency.server";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import { claimedSequence, nextSequence } from "~/models/counter.server";
import { getPayment, insertPayment, type PaymentRequest } from "~/models/payment.server";
import type { PublishedService } from "~/models/service.server";

/**
 * The requestPayment effect: the fee from the manifest's fee table and the case's data, under a new payment
 * reference. The reference's sequence number is owned by the effect, so a retry after a crash finds the same
 * reference (and the request already stored under it) instead of opening a second one.
 */
export async function requestPaymentEffect(input: {
  record: CaseDoc;
  service: PublishedService;
  agency: Agency;
  effect: CaseEffect;
  resumed: boolean;
}): Promise<{ paymentReference: string }> {
  const { record, service, agency, effect, resumed } = input;
  const requestedAt = new Date(effect.createdAt);
  const sequence = paymentReferenceSequenceName(thaiFiscalYear(requestedAt));
  const seq = (resumed ? await claimedSequence(sequence, effect.id) : null) ?? (await nextSequence(sequence, effect.id));
  const reference = paymentReference(thaiFiscalYear(requestedAt), seq);
  const existing = await getPayment(reference);
  if (existing) return { paymentReference: reference };

  const { manifest } = service.definition;
  const fee = computeFee(manifest.fees, JSON.parse(record.dataJson) as Record<string, unknown>);
  const terms = manifest.payment ?? DEFAULT_PAYMENT_TERMS;
  // Due at the end of the dueDays-th Bangkok day after the request.
  const dueAt = new Date(startOfBangkokDay(addCalendarDays(bangkokDate(requestedAt), terms.dueDays)).getTime() + DAY_MS - 1);
  const payment: PaymentRequest = {
    _id: reference,
    effectId: effect.id,
    agencyId: agency._id,
    caseId: String(record._id),
    trackingNumber: record.trackingNumber,
    serviceSlug: record.serviceSlug,
    serviceTitle: manifest.title,
    applicantName: record.summary.applicantName,
    ref2: record.trackingNumber.replace(/\D/g, ""),
    lines: fee.lines,
    amountSatang: fee.totalSatang,
    requestedAt,
    dueAt,
    status: "due",
  };
  await insertPayment(payment);
  return { paymentReference: reference };
}


