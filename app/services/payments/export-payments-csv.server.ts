import { stringify } from "csv-stringify/sync";
import type { Actor } from "~/core/actor";
import { monthRange, paymentsCsvRows } from "~/core/payments/finance-figures";
import { recordAudit } from "../audit/record-audit.server";
import { requireFinanceStaff } from "./finance-access.server";
import { badMonth, paidPaymentsBetween } from "./get-finance-overview.server";

/**
 * The payments the actor's agency received in a Bangkok month, as CSV (UTF-8 with BOM so spreadsheet
 * programs read Thai). Payer names are personal data: the export is audited. Errors: FORBIDDEN, BAD_REQUEST.
 */
export async function exportPaymentsCsv(actor: Actor, month: string): Promise<{ filename: string; body: string; count: number }> {
  const staff = requireFinanceStaff(actor);
  const span = monthRange(month);
  if (!span) throw badMonth(month);
  const payments = await paidPaymentsBetween(staff.agencyId, span.from, span.to);
  await recordAudit(actor, { action: "finance.export", target: { type: "payments", id: month }, details: { month, count: payments.length } });
  return { filename: `payments-${staff.agencyId}-${month}.csv`, body: stringify(paymentsCsvRows(payments), { bom: true }), count: payments.length };
}
