import type { Actor } from "~/core/actor";
import { AppError } from "~/core/errors";
import {
  currentMonth,
  daysRange,
  lastBangkokDays,
  monthRange,
  totalsPerDay,
  totalsPerService,
  type DayTotal,
  type PaidPayment,
  type ServiceTotal,
} from "~/core/payments/finance-figures";
import { listDuePayments, listPaymentsPaidBetween, type PaymentRequest } from "~/models/payment.server";
import { getReceipts } from "~/models/receipt.server";
import { requireFinanceStaff } from "./finance-access.server";

export const OVERVIEW_DAYS = 30;
export const LATEST_PAYMENTS = 20;

export type FinanceOverview = {
  agencyId: string;
  month: string;
  perDay: DayTotal[];
  perService: ServiceTotal[];
  monthTotalSatang: number;
  latest: (Omit<PaidPayment, "paidAt"> & { paidAt: string })[];
  dueCount: number;
  expiredCount: number;
};

export const badMonth = (month: string) =>
  new AppError("BAD_REQUEST", { th: `เดือนต้องอยู่ในรูปแบบ ปปปป-ดด (ค.ศ.) เช่น 2026-10 ไม่ใช่ "${month}"`, en: `The month must read YYYY-MM, e.g. 2026-10, not "${month}"` }, {
    field: "month",
  });

/** The agency's paid payments in [from, to), each with its receipt's number when it has one. */
export async function paidPaymentsBetween(agencyId: string, from: Date, to: Date): Promise<PaidPayment[]> {
  const rows = await listPaymentsPaidBetween(agencyId, from, to);
  const receipts = await getReceipts(rows.flatMap((r) => (r.receiptId ? [r.receiptId] : [])));
  return rows.map((r) => paidPaymentOf(r, r.receiptId ? receipts.get(r.receiptId)?.number : undefined));
}

function paidPaymentOf(r: PaymentRequest, receiptNumber: string | undefined): PaidPayment {
  const paid = r.paid!;
  return {
    reference: r._id,
    trackingNumber: r.trackingNumber,
    serviceSlug: r.serviceSlug,
    serviceTitle: r.serviceTitle,
    payerName: r.applicantName,
    amountSatang: paid.amountSatang,
    paidAt: new Date(paid.at),
    source: paid.source,
    ...(paid.bankReference ? { bankReference: paid.bankReference } : {}),
    ...(receiptNumber ? { receiptNumber } : {}),
  };
}

/**
 * The finance overview of the actor's own agency (cashiers and agency admins): per Bangkok day over the
 * last 30 days, per service for the chosen month (this month by default), the latest payments, and how many
 * requests are still due or have expired unpaid. Errors: FORBIDDEN, BAD_REQUEST for a malformed month.
 */
export async function getFinanceOverview(actor: Actor, options: { month?: string | null } = {}, now = new Date()): Promise<FinanceOverview> {
  const staff = requireFinanceStaff(actor);
  const month = options.month?.trim() || currentMonth(now);
  const monthSpan = monthRange(month);
  if (!monthSpan) throw badMonth(month);
  const days = lastBangkokDays(now, OVERVIEW_DAYS);
  const daySpan = daysRange(days);
  const [recent, inMonth, due] = await Promise.all([
    paidPaymentsBetween(staff.agencyId, daySpan.from, daySpan.to),
    paidPaymentsBetween(staff.agencyId, monthSpan.from, monthSpan.to),
    listDuePayments(staff.agencyId),
  ]);
  const expiredCount = due.filter((p) => new Date(p.dueAt).getTime() < now.getTime()).length;
  return {
    agencyId: staff.agencyId,
    month,
    perDay: totalsPerDay(recent, days),
    perService: totalsPerService(inMonth),
    monthTotalSatang: inMonth.reduce((sum, p) => sum + p.amountSatang, 0),
    latest: recent.slice(0, LATEST_PAYMENTS).map((p) => ({ ...p, paidAt: p.paidAt.toISOString() })),
    dueCount: due.length - expiredCount,
    expiredCount,
  };
}
