/**
 * What a payment request is to the applicant at an instant: due (payable by QR or at a bank counter), paid,
 * expired (its due date has passed unpaid: the reference is refused, the agency decides what happens next) or
 * cancelled. Stored status "due" becomes "expired" by the clock alone, so nothing has to sweep requests.
 */
export type PaymentState = "due" | "paid" | "expired" | "cancelled";

export function paymentState(payment: { status: "due" | "paid" | "cancelled"; dueAt: Date | string }, now: Date): PaymentState {
  if (payment.status !== "due") return payment.status;
  return now.getTime() > new Date(payment.dueAt).getTime() ? "expired" : "due";
}

/** Only a request still due may be paid: its QR code and pay-in slip are given out only then. */
export const isPayable = (state: PaymentState): boolean => state === "due";
