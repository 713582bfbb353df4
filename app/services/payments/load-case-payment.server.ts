import type { Actor } from "~/core/actor";
import { AppError, notFound } from "~/core/errors";
import { isPayable, paymentState, type PaymentState } from "~/core/payments/payment-state";
import { getAgencyForDocuments, type Agency } from "~/models/agency.server";
import type { CaseDoc } from "~/models/case.server";
import { getPayment, type PaymentRequest } from "~/models/payment.server";
import { loadVisibleCase } from "../case-access.server";

export type PayableCasePayment = { record: CaseDoc; payment: PaymentRequest; agency: Agency & { billerId: string }; state: PaymentState };

const PAYMENT = { th: "รายการชำระเงินนี้", en: "Payment" };

/**
 * A payment request of a case the actor may see, by its reference (`_id`), ready to be paid: its QR code and
 * pay-in slip are given out only while it is due and the agency has a biller ID. A reference of another case
 * is "not found" (as a case the actor may not see); one paid, cancelled or past its due date is a conflict (409).
 */
export async function loadPayableCasePayment(actor: Actor, caseId: string, reference: string, now: Date): Promise<PayableCasePayment> {
  const { record } = await loadVisibleCase(actor, caseId);
  const payment = /^\d{12}$/.test(reference) ? await getPayment(reference) : null;
  if (!payment || payment.caseId !== String(record._id)) throw notFound(PAYMENT);
  const state = paymentState(payment, now);
  if (!isPayable(state)) {
    throw new AppError("CONFLICT", {
      th: state === "expired" ? "เลขอ้างอิงนี้พ้นกำหนดชำระแล้ว โปรดติดต่อหน่วยงาน" : "รายการนี้ไม่ต้องชำระแล้ว",
      en: state === "expired" ? "This reference is past its due date: please contact the agency" : "Nothing is due on this reference any more",
    });
  }
  const agency = await getAgencyForDocuments(payment.agencyId);
  if (!agency?.billerId) throw notFound({ th: "ช่องทางชำระเงินทางอิเล็กทรอนิกส์ของหน่วยงาน", en: "The agency's electronic payment" });
  return { record, payment, agency: { ...agency, billerId: agency.billerId }, state };
}
