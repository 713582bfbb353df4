import { GUARDS } from "../workflow/catalogue";
import type { Fee, PaymentTerms } from "../definitions/types";
import type { LocalizedText } from "../text";

export const DEFAULT_PAYMENT_TERMS: PaymentTerms = { dueDays: 15 };

export type FeeLine = { label: LocalizedText; amountSatang: number };
export type ComputedFee = { lines: FeeLine[]; totalSatang: number };

/** Baht (at most two decimals) to satang: money is stored and compared in whole satang, never as floats. */
export function toSatang(baht: number): number {
  return Math.round(baht * 100);
}

/** "1,234.50" — how an amount in satang reads on pages, slips and receipts. */
export function formatBaht(satang: number): string {
  const sign = satang < 0 ? "-" : "";
  const abs = Math.abs(satang);
  const baht = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}${baht}.${String(abs % 100).padStart(2, "0")}`;
}

/** Whether a fee line applies to this form data: every condition holds (an unknown guard never holds). */
export function feeLineApplies(fee: Fee, data: Record<string, unknown>): boolean {
  return (fee.when ?? []).every((condition) => {
    const guard = Object.hasOwn(GUARDS, condition.type) ? GUARDS[condition.type] : undefined;
    return guard ? guard.test({ data }, condition.params ?? {}) : false;
  });
}

/** The fee a case owes: the lines of the manifest's fee table whose conditions hold, and their total. */
export function computeFee(fees: readonly Fee[], data: Record<string, unknown>): ComputedFee {
  const lines = fees.filter((fee) => feeLineApplies(fee, data)).map((fee) => ({ label: fee.label, amountSatang: toSatang(fee.amount) }));
  return { lines, totalSatang: lines.reduce((sum, line) => sum + line.amountSatang, 0) };
}
