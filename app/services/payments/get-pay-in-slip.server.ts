import type { Actor } from "~/core/actor";
import { renderPdf } from "../pdf/pdf-pool.server";
import { loadPayableCasePayment } from "./load-case-payment.server";

/** The pay-in slip PDF of a payment request still due, for whoever may see its case. */
export async function getPayInSlip(actor: Actor, caseId: string, reference: string, now: Date): Promise<{ pdf: Buffer; fileName: string }> {
  const { payment, agency } = await loadPayableCasePayment(actor, caseId, reference, now);
  const pdf = await renderPdf({
    kind: "payInSlip",
    input: {
      agencyName: agency.name,
      serviceTitle: payment.serviceTitle,
      trackingNumber: payment.trackingNumber,
      applicantName: payment.applicantName,
      lines: payment.lines.map((l) => ({ label: { th: l.label.th, en: l.label.en }, amountSatang: l.amountSatang })),
      amountSatang: payment.amountSatang,
      requestedAt: new Date(payment.requestedAt),
      dueAt: new Date(payment.dueAt),
      billerId: agency.billerId,
      reference: payment._id,
      ref2: payment.ref2,
    },
  });
  return { pdf, fileName: `pay-in-slip-${payment._id}.pdf` };
}
