import { computeFee, DEFAULT_PAYMENT_TERMS } from "~/core/payments/fees";
import { addCalendarDays, bangkokDate, startOfBangkokDay, DAY_MS } from "~/core/time/bangkok-clock";
import type { Agency } from "~/models/agency.server";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import { getPayment, insertPayment } from "~/models/payment.server";
import type { PublishedService } from "~/models/service.server";
import { paymentRequestOf, takePaymentReference } from "../payments/new-payment-request.server";

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
  const reference = await takePaymentReference(effect.id, requestedAt, resumed);
  const existing = await getPayment(reference);
  if (existing) return { paymentReference: reference };

  const { manifest } = service.definition;
  const fee = computeFee(manifest.fees, JSON.parse(record.dataJson) as Record<string, unknown>);
  const terms = manifest.payment ?? DEFAULT_PAYMENT_TERMS;
  // Due at the end of the dueDays-th Bangkok day after the request.
  const dueAt = new Date(startOfBangkokDay(addCalendarDays(bangkokDate(requestedAt), terms.dueDays)).getTime() + DAY_MS - 1);
  const payment = paymentRequestOf({ record, agencyId: agency._id, serviceTitle: manifest.title, effectId: effect.id, reference, fee, requestedAt, dueAt });
  await insertPayment(payment);
  return { paymentReference: reference };
}


