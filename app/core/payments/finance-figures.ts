/**
 * The finance overview's figures, from the agency's paid payments: totals per Bangkok day (the last 30
 * days), totals per service for a month, and the rows of the month's CSV. Pure: the service reads the
 * payments, this adds them up. Amounts stay in whole satang.
 */
import { addCalendarDays, bangkokDate, bangkokMonth, startOfBangkokDay } from "../time/bangkok-clock";
import type { LocalizedText } from "../text";
import type { PaymentSource } from "./payment-source";

export type PaidPayment = {
  reference: string;
  trackingNumber: string;
  serviceSlug: string;
  serviceTitle: LocalizedText;
  payerName: string;
  amountSatang: number;
  paidAt: Date;
  source: PaymentSource;
  bankReference?: string;
  receiptNumber?: string;
};

export type DayTotal = { day: string; totalSatang: number; count: number };
export type ServiceTotal = { serviceSlug: string; serviceTitle: LocalizedText; totalSatang: number; count: number };

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The Bangkok days from `days - 1` days before `now` to today, oldest first. */
export function lastBangkokDays(now: Date, days: number): string[] {
  const today = bangkokDate(now);
  return Array.from({ length: days }, (_, i) => addCalendarDays(today, i - days + 1));
}

/** [from, to) of a Bangkok calendar month "YYYY-MM"; null for anything else. */
export function monthRange(month: string): { from: Date; to: Date } | null {
  const match = MONTH_PATTERN.exec(month);
  if (!match) return null;
  const year = Number(match[1]);
  const m = Number(match[2]);
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, "0")}`;
  return { from: startOfBangkokDay(`${month}-01`), to: startOfBangkokDay(`${next}-01`) };
}

/** [from, to) of the days from the first to the day after the last. */
export function daysRange(days: string[]): { from: Date; to: Date } {
  return { from: startOfBangkokDay(days[0]!), to: startOfBangkokDay(addCalendarDays(days.at(-1)!, 1)) };
}

export const currentMonth = (now: Date): string => bangkokMonth(now);

/** Every day of `days` with its total (zero on a day without payments). */
export function totalsPerDay(payments: readonly PaidPayment[], days: readonly string[]): DayTotal[] {
  const byDay = new Map(days.map((day) => [day, { day, totalSatang: 0, count: 0 }]));
  for (const p of payments) {
    const row = byDay.get(bangkokDate(p.paidAt));
    if (!row) continue;
    row.totalSatang += p.amountSatang;
    row.count += 1;
  }
  return [...byDay.values()];
}

/** The services paid for, the largest total first. */
export function totalsPerService(payments: readonly PaidPayment[]): ServiceTotal[] {
  const bySlug = new Map<string, ServiceTotal>();
  for (const p of payments) {
    const row = bySlug.get(p.serviceSlug) ?? { serviceSlug: p.serviceSlug, serviceTitle: p.serviceTitle, totalSatang: 0, count: 0 };
    row.totalSatang += p.amountSatang;
    row.count += 1;
    bySlug.set(p.serviceSlug, row);
  }
  return [...bySlug.values()].sort((a, b) => b.totalSatang - a.totalSatang || a.serviceSlug.localeCompare(b.serviceSlug));
}

/** A cell a spreadsheet would run as a formula is quoted as text. */
const safeCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** "2026-10-01 09:15:00" in Bangkok time. */
export function bangkokDateTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}

export const PAYMENTS_CSV_HEADER = [
  "paid_at_bangkok",
  "payment_reference",
  "tracking_number",
  "service",
  "payer",
  "amount_baht",
  "source",
  "bank_reference",
  "receipt_number",
];

/** The CSV rows of the month's payments, oldest first: stable column names, amounts with two decimals. */
export function paymentsCsvRows(payments: readonly PaidPayment[]): string[][] {
  const rows = [...payments].sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime());
  return [
    PAYMENTS_CSV_HEADER,
    ...rows.map((p) =>
      [
        bangkokDateTime(p.paidAt),
        p.reference,
        p.trackingNumber,
        p.serviceTitle.th,
        p.payerName,
        (p.amountSatang / 100).toFixed(2),
        p.source,
        p.bankReference ?? "",
        p.receiptNumber ?? "",
      ].map(safeCell),
    ),
  ];
}
