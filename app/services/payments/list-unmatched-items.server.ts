import type { Actor } from "~/core/actor";
import { UNMATCHED_REASONS, type UnmatchedReason } from "~/core/payments/matching";
import type { LocalizedText } from "~/core/text";
import { listOpenUnmatched } from "~/models/bank-line.server";
import { getPayment } from "~/models/payment.server";
import { requireFinanceStaff } from "./finance-access.server";

export type UnmatchedItemView = {
  id: string;
  source: "statement" | "callback";
  reason: UnmatchedReason | null;
  reasonText: LocalizedText | null;
  paidAt: string;
  ref1: string;
  ref2: string;
  amountSatang: number;
  bankReference: string;
  customerName: string | null;
  importId: string | null;
  lineNumber: number | null;
  transactionId: string | null;
  /** This agency's request the Ref1 names, when there is one. */
  request: { reference: string; trackingNumber: string; amountSatang: number; dueAt: string; status: string } | null;
};

/** The agency's open unmatched bank lines, newest first, each with the request its Ref1 names (if the agency's). */
export async function listUnmatchedItems(actor: Actor): Promise<UnmatchedItemView[]> {
  const staff = requireFinanceStaff(actor);
  const lines = await listOpenUnmatched(staff.agencyId);
  return Promise.all(
    lines.map(async (line) => {
      const payment = line.paymentReference ? await getPayment(line.paymentReference) : null;
      const own = payment && payment.agencyId === staff.agencyId ? payment : null;
      return {
        id: line._id,
        source: line.source,
        reason: line.reason ?? null,
        reasonText: line.reason ? UNMATCHED_REASONS[line.reason] : null,
        paidAt: new Date(line.paidAt).toISOString(),
        ref1: line.ref1,
        ref2: line.ref2,
        amountSatang: line.amountSatang,
        bankReference: line.bankReference,
        customerName: line.customerName ?? null,
        importId: line.importId ?? null,
        lineNumber: line.lineNumber ?? null,
        transactionId: line.transactionId ?? null,
        request: own ? { reference: own._id, trackingNumber: own.trackingNumber, amountSatang: own.amountSatang, dueAt: new Date(own.dueAt).toISOString(), status: own.status } : null,
      };
    }),
  );
}
