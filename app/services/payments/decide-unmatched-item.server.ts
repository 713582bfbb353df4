import type { Actor } from "~/core/actor";
import { AppError, notFound } from "~/core/errors";
import type { FieldError } from "~/core/forms/form-validation";
import { isValidPaymentReference } from "~/core/payments/payment-reference";
import { closeUnmatchedItem, getBankLine, updateBankLine } from "~/models/bank-line.server";
import { getCase } from "~/models/case.server";
import { claim, claimOwner } from "~/models/claim.server";
import { getPayment, markPaymentPaid, paymentPaidClaim } from "~/models/payment.server";
import { recordAudit } from "../audit/record-audit.server";
import { enforceRateLimit } from "../security/rate-limits.server";
import { requireFinanceStaff } from "./finance-access.server";
import { feePaidRoles, fireFeePaid } from "./fire-fee-paid.server";

export type UnmatchedDecision = { decision: "apply" | "set-aside"; note: string; paymentReference?: string; confirmed?: boolean };

const invalid = (fields: FieldError[]) => new AppError("FORM_INVALID", { th: "กรุณาแก้ไขข้อมูลที่ระบุ", en: "Please correct the marked fields" }, { fields });

/**
 * A person's decision on an unmatched bank line, with a required note. "apply": the money pays a request after all
 * (e.g. a late payment the agency accepts) — only when the person confirms, then exactly like a match (request
 * marked paid under its claim, FEE_PAID sent). "set-aside": refunded outside the platform. Each line is decided
 * once. Errors: FORBIDDEN, NOT_FOUND, FORM_INVALID, CONFLICT (decided already, or the request cannot take it),
 * RATE_LIMITED.
 */
export async function decideUnmatchedItem(actor: Actor, lineId: string, input: UnmatchedDecision, now = new Date()): Promise<{ state: "applied" | "set-aside"; paymentReference?: string }> {
  const staff = requireFinanceStaff(actor);
  const line = lineId.startsWith(`bankline:${staff.agencyId}:`) ? await getBankLine(lineId) : null;
  if (!line || line.agencyId !== staff.agencyId) throw notFound({ th: "รายการที่จับคู่ไม่ได้", en: "Unmatched item" });
  await enforceRateLimit("financeDecisions", staff.id);
  const note = (input.note ?? "").trim();
  const errors: FieldError[] = [];
  if (note.length < 5) errors.push({ pointer: "/note", message: { th: "กรุณาบันทึกเหตุผลของการตัดสินใจ (อย่างน้อย 5 ตัวอักษร)", en: "Write the reason for the decision (at least 5 characters)" } });
  const reference = (input.paymentReference ?? line.ref1).replace(/\s+/g, "");
  if (input.decision === "apply") {
    if (!isValidPaymentReference(reference)) errors.push({ pointer: "/paymentReference", message: { th: "เลขอ้างอิงการชำระไม่ถูกต้อง", en: "The payment reference is not valid" } });
    if (!input.confirmed) errors.push({ pointer: "/confirmed", message: { th: "กรุณายืนยันว่าจะนำเงินรายการนี้ไปชำระคำขอ", en: "Confirm that this money pays the request" } });
  }
  if (errors.length > 0) throw invalid(errors);
  if (line.state !== "unmatched") throw decidedAlready();

  const conflict = (th: string, en: string) => new AppError("CONFLICT", { th, en });
  if (input.decision === "apply") {
    const payment = await getPayment(reference);
    if (!payment || payment.agencyId !== staff.agencyId) throw invalid([{ pointer: "/paymentReference", message: { th: "ไม่พบรายการเรียกเก็บของหน่วยงานตามเลขอ้างอิงนี้", en: "No payment request of your agency has this reference" } }]);
    const owner = await claimOwner(paymentPaidClaim(reference));
    if ((payment.status !== "due" && owner !== line._id) || (owner && owner !== line._id)) throw conflict("รายการเรียกเก็บนี้ชำระแล้วหรือถูกยกเลิก", "That request is already paid or cancelled");
    const record = await getCase(payment.caseId);
    if (!record || (owner !== line._id && !(await feePaidRoles(record)))) throw conflict("คำขอไม่ได้อยู่ในขั้นรอชำระค่าธรรมเนียม", "The application is not waiting for the fee");
    // The line is decided once: a second person deciding at the same time meets this claim.
    if (!(await claim(`bankline-decision:${line._id}`, staff.id))) throw decidedAlready();
    if (!(await claim(paymentPaidClaim(reference), line._id)) && (await claimOwner(paymentPaidClaim(reference))) !== line._id) {
      throw conflict("รายการเรียกเก็บนี้ชำระแล้ว", "That request is already paid");
    }
    await markPaymentPaid(reference, { at: line.paidAt, amountSatang: line.amountSatang, source: line.source, ...(line.bankReference ? { bankReference: line.bankReference } : {}) });
    await fireFeePaid({ agencyId: staff.agencyId, caseId: payment.caseId, paymentReference: reference, now, comment: `ยอมรับโดย / accepted by ${staff.name}: ${note}` });
    await updateBankLine(line._id, {
      state: "applied",
      paymentReference: reference,
      caseId: payment.caseId,
      trackingNumber: payment.trackingNumber,
      decision: { kind: "apply", by: staff.id, byName: staff.name, note, at: now, paymentReference: reference },
    });
    await closeUnmatchedItem(line._id);
    await recordAudit(staff, {
      action: "payment.unmatched.apply",
      at: now,
      target: { type: "bank-line", id: line._id },
      details: { reason: line.reason, paymentReference: reference, trackingNumber: payment.trackingNumber, amountSatang: line.amountSatang, requestedSatang: payment.amountSatang, note },
    });
    return { state: "applied", paymentReference: reference };
  }

  if (!(await claim(`bankline-decision:${line._id}`, staff.id))) throw decidedAlready();
  await updateBankLine(line._id, { state: "set-aside", decision: { kind: "set-aside", by: staff.id, byName: staff.name, note, at: now } });
  await closeUnmatchedItem(line._id);
  await recordAudit(staff, {
    action: "payment.unmatched.set-aside",
    at: now,
    target: { type: "bank-line", id: line._id },
    details: { reason: line.reason, ref1: line.ref1, amountSatang: line.amountSatang, note },
  });
  return { state: "set-aside" };
}

function decidedAlready() {
  return new AppError("CONFLICT", { th: "รายการนี้มีผู้ตัดสินใจไปแล้ว", en: "Someone has already decided this item" });
}
