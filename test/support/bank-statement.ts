import { formatBillPaymentText } from "~/core/payments/statement-formats";
import { BANGKOK_OFFSET_MS } from "~/core/time/bangkok-clock";

/** DDMMYYYY and HHMMSS of an instant in Bangkok, as a bank prints them. */
export function bankDateTime(at: Date): { date: string; time: string } {
  const iso = new Date(at.getTime() + BANGKOK_OFFSET_MS).toISOString();
  return { date: `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}`, time: `${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}` };
}

/** A one-line bank statement paying a request in full a minute after it was made. */
export function statementLineForTest(payment: { _id: string; ref2: string; amountSatang: number; requestedAt: Date }, at = new Date(new Date(payment.requestedAt).getTime() + 60_000)): Buffer {
  const { date, time } = bankDateTime(at);
  return Buffer.from(
    formatBillPaymentText({
      bankCode: "006",
      account: "1234567890",
      companyName: "SUKJAI MUNICIPALITY",
      effectiveDate: date,
      details: [{ date, time, ref1: payment._id, ref2: payment.ref2, amountSatang: payment.amountSatang, customerName: "SOMCHAI JAIDEE" }],
    }),
  );
}
