import { computeFee } from "~/core/payments/fees";
import { receiptFiscalYear, receiptNumber, receiptPayloadOf, receiptSequenceName, type PaymentReceipt } from "~/core/payments/receipt";
import { RECEIPT_JWS_TYPE } from "~/core/permits/permit-signature";
import type { Agency } from "~/models/agency.server";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import { claimedSequence, nextSequence } from "~/models/counter.server";
import { claimMany, claimOwner } from "~/models/claim.server";
import { getPayment, insertPayment, listPaymentsOfCase, markPaymentPaid, paymentPaidClaim, setPaymentReceipt, type PaymentRequest } from "~/models/payment.server";
import { getReceipt, insertReceipt } from "~/models/receipt.server";
import type { PublishedService } from "~/models/service.server";
import { signDocument } from "../document-signing.server";
import { ensurePaymentReceiptPdf } from "../payments/receipt-documents.server";
import { crashPoint } from "./fault-injection.server";
import { paymentRequestOf, takePaymentReference } from "../payments/new-payment-request.server";

type EffectInput = { record: CaseDoc; service: PublishedService; agency: Agency; effect: CaseEffect; resumed: boolean };

/**
 * The recordPayment effect: the electronic receipt of the case's fee. Idempotent and crash-safe like the
 * result letter: the receipt's `_id` is the effect id; its number comes from the agency's gap-free sequence
 * for the Thai fiscal year with the effect as owner, so a retry after a crash reuses the number it took.
 *
 * The payment it receipts: the case's newest request that is paid (by the bank, reconciled) or still due —
 * a cashier pressed FEE_PAID for money taken at the counter, so it is recorded as paid at the counter now.
 * A case with no payment request at all (a service without requestPayment) is charged its manifest's fee
 * as a counter payment.
 */
export async function issueReceiptEffect(input: EffectInput): Promise<{ receiptId?: string; note?: string }> {
  const { record, agency, effect, resumed } = input;
  // Stored only under this effect's lease: a first run (a fresh lease) has none to find, and if one were
  // there all the same, the insert below would find it (its `_id` is the effect id).
  let receipt = resumed ? await getReceipt(effect.id) : null;
  // What this run knows without reading again: the payment it settled, and whether it stored the receipt.
  let settled: PaymentRequest | null = null;
  let justIssued = false;
  if (!receipt) {
    const issuedAt = new Date(effect.createdAt);
    const found = await paymentToReceipt(input, issuedAt);
    if ("note" in found) return found;
    let payment = found.payment;
    const fiscalYear = receiptFiscalYear(issuedAt);
    const sequence = receiptSequenceName(agency._id, fiscalYear);
    const needsClaim = payment.status === "due" || !payment.paid;
    const claimKey = paymentPaidClaim(payment._id);
    // The payment's claim and the receipt number's claim are made in the same turn, so they go as one grouped
    // insert (decision 037). The number is taken even if a bank line holds the payment and this run has to wait
    // for it: the number is owned by this effect, and the retry (a resumed run) finds it again, so no gap.
    const [paymentClaimed, seq] = await Promise.all([
      needsClaim ? claimMany([{ key: claimKey, owner: effect.id }]).then(([result]) => result) : true,
      resumed ? claimedSequence(sequence, effect.id).then((taken) => taken ?? nextSequence(sequence, effect.id)) : nextSequence(sequence, effect.id),
    ]);
    if (paymentClaimed instanceof Error) throw paymentClaimed;
    if (needsClaim) {
      // The counter takes the request's payment claim like a bank line does, so money that reaches it both
      // ways is recorded once: a bank line that got there first is what this receipt shows.
      if (paymentClaimed || (await claimOwner(claimKey)) === effect.id) {
        const paid = { at: issuedAt, amountSatang: payment.amountSatang, source: "counter" as const };
        // Paid and linked to its receipt in one update: the receipt's id is this effect's, known before it is
        // stored. Until it is, the link leads nowhere (the receipt page says not found, the finance overview
        // shows no number); a run resumed after a crash finds the payment by that link (paymentToReceipt).
        // Bank lines do not read the link: the payment claim above is what keeps them off this payment.
        await markPaymentPaid(payment._id, paid, effect.id);
        payment = { ...payment, status: "paid", paid, receiptId: effect.id };
      } else {
        payment = (await getPayment(payment._id)) ?? payment;
        if (!payment.paid) throw new Error(`payment ${payment._id} is being recorded by a bank line; the receipt waits for it`);
      }
    }
    const paid = payment.paid!;
    crashPoint("receipt:number-taken");
    const unsigned: Omit<PaymentReceipt, "signature"> = {
      id: effect.id,
      number: receiptNumber(agency.code, fiscalYear, seq),
      fiscalYear,
      agencyId: agency._id,
      agencyName: agency.name,
      caseId: String(record._id),
      trackingNumber: record.trackingNumber,
      serviceSlug: record.serviceSlug,
      serviceTitle: payment.serviceTitle,
      payerName: payment.applicantName,
      paymentReference: payment._id,
      lines: payment.lines.map((l) => ({ label: { th: l.label.th, en: l.label.en }, amountSatang: l.amountSatang })),
      amountSatang: paid.amountSatang,
      source: paid.source,
      ...(paid.bankReference ? { bankReference: paid.bankReference } : {}),
      paidAt: new Date(paid.at),
      issuedAt,
    };
    const signed: PaymentReceipt = { ...unsigned, signature: await signDocument(agency._id, receiptPayloadOf(unsigned), RECEIPT_JWS_TYPE) };
    justIssued = await insertReceipt(signed);
    crashPoint("receipt:inserted");
    // Stored by this call: what is stored is `signed`. Otherwise another run of this effect stored it first.
    receipt = justIssued ? signed : (await getReceipt(effect.id))!;
    settled = payment;
  }
  // The receipt id on the payment is written only here (by this effect), so the payment read by this run
  // tells whether it is there yet; a resumed run reads it.
  const payment = settled?._id === receipt.paymentReference ? settled : await getPayment(receipt.paymentReference);
  if (payment && payment.receiptId !== receipt.id) await setPaymentReceipt(payment._id, receipt.id);
  await ensurePaymentReceiptPdf(receipt, { justIssued });
  crashPoint("receipt:pdf-stored");
  return { receiptId: receipt.id };
}

async function paymentToReceipt({ record, service, agency, effect, resumed }: EffectInput, at: Date): Promise<{ payment: PaymentRequest } | { note: string }> {
  const payments = await listPaymentsOfCase(String(record._id));
  // A payment this effect linked already (paid at the counter by a run that stopped before its receipt was stored).
  const open =
    payments.find((p) => p.effectId === effect.id || p.receiptId === effect.id) ??
    payments.find((p) => (p.status === "due" || p.status === "paid") && !p.receiptId);
  if (open) return { payment: open };
  if (payments.length > 0) return { note: "every payment of the case already has its receipt" };

  // No request was ever opened: the fee of the manifest, taken at the counter, under a reference of its own
  // (owned by this effect, so a retry finds it).
  const { manifest } = service.definition;
  const fee = computeFee(manifest.fees, JSON.parse(record.dataJson) as Record<string, unknown>);
  if (fee.totalSatang <= 0) return { note: "no fee is charged for this case" };
  const reference = await takePaymentReference(effect.id, at, resumed);
  const payment: PaymentRequest = {
    ...paymentRequestOf({ record, agencyId: agency._id, serviceTitle: manifest.title, effectId: effect.id, reference, fee, requestedAt: at, dueAt: at }),
    status: "paid",
    paid: { at, amountSatang: fee.totalSatang, source: "counter" },
    receiptId: effect.id, // linked as it is written (see the counter payment above)
  };
  await insertPayment(payment);
  return { payment: (await getPayment(reference)) ?? payment };
}
