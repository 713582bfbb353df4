/**
 * The electronic receipt (ใบเสร็จรับเงินอิเล็กทรอนิกส์) an agency issues for a fee it was paid: numbered
 * without gaps per agency and Thai fiscal year (1 October starts the next year), signed like permits and
 * result letters. Pure: numbering, the signed payload and the comparison of a stored receipt with it.
 */
import { createHash } from "node:crypto";
import type { PermitSignature } from "../permits/types";
import type { LocalizedText } from "../text";
import { thaiFiscalYear } from "../time/bangkok-clock";
import type { FeeLine } from "./fees";

import type { PaymentSource } from "./payment-source";

export type { PaymentSource };

export type PaymentReceipt = {
  /** The recordPayment effect that issued it: written once. */
  id: string;
  /** "SKJ-R-2570-000001". */
  number: string;
  fiscalYear: number;
  agencyId: string;
  agencyName: LocalizedText;
  caseId: string;
  trackingNumber: string;
  serviceSlug: string;
  serviceTitle: LocalizedText;
  payerName: string;
  /** The payment request (Ref1) it settles. */
  paymentReference: string;
  lines: FeeLine[];
  amountSatang: number;
  source: PaymentSource;
  bankReference?: string;
  paidAt: Date;
  issuedAt: Date;
  signature: PermitSignature;
};

export function receiptSequenceName(agencyId: string, fiscalYear: number): string {
  return `receipt:${agencyId}:${fiscalYear}`;
}

/** "SKJ-R-2570-000001": agency code, R, Thai fiscal year (B.E.), six-digit sequence. */
export function receiptNumber(agencyCode: string, fiscalYear: number, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`receipt sequence out of range: ${seq}`);
  return `${agencyCode}-R-${fiscalYear}-${String(seq).padStart(6, "0")}`;
}

/** The fiscal year a receipt issued at this instant is numbered in (Bangkok's calendar). */
export const receiptFiscalYear = (issuedAt: Date): number => thaiFiscalYear(issuedAt);


/** What the receipt's signature covers. Fee labels travel as a hash so the QR stays small. */
export function receiptPayloadOf(receipt: Omit<PaymentReceipt, "signature">) {
  return {
    v: 1 as const,
    doc: "receipt" as const,
    number: receipt.number,
    agency: receipt.agencyId,
    tracking: receipt.trackingNumber,
    payer: receipt.payerName,
    reference: receipt.paymentReference,
    amount: (receipt.amountSatang / 100).toFixed(2),
    source: receipt.source,
    paid: new Date(receipt.paidAt).toISOString(),
    issued: new Date(receipt.issuedAt).toISOString(),
    linesSha256: createHash("sha256")
      .update(JSON.stringify(receipt.lines.map((l) => [l.label.th, l.label.en, l.amountSatang])))
      .digest("hex"),
  };
}
export type ReceiptPayload = ReturnType<typeof receiptPayloadOf>;

/** The signed fields that no longer match the stored receipt (empty when it is what the agency signed). */
export function receiptMismatches(signed: Record<string, unknown>, stored: Omit<PaymentReceipt, "signature">): string[] {
  const expected = receiptPayloadOf(stored) as Record<string, unknown>;
  return Object.keys(expected).filter((key) => signed[key] !== expected[key]);
}
