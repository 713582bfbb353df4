/**
 * Ref1 of a PromptPay bill payment and of a bank pay-in slip: 12 digits, all numeric so every bank's app and
 * counter accepts it — the last two digits of the Thai fiscal year, a 9-digit sequence per fiscal year (shared by
 * every agency), and a Luhn check digit that catches a mistyped digit or two swapped neighbours at a counter.
 */
export const PAYMENT_REFERENCE_PATTERN = /^\d{12}$/;

/**
 * One sequence for the whole platform per fiscal year: the reference is the request's `_id`, so it must be
 * unique across agencies, not only per biller.
 */
export function paymentReferenceSequenceName(fiscalYear: number): string {
  return `payref:${fiscalYear}`;
}

export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function paymentReference(fiscalYear: number, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999_999) throw new RangeError(`payment reference sequence out of range: ${seq}`);
  const body = `${String(fiscalYear % 100).padStart(2, "0")}${String(seq).padStart(9, "0")}`;
  return `${body}${luhnCheckDigit(body)}`;
}

/** Whether a reference as typed or read from a statement is well formed and its check digit holds. */
export function isValidPaymentReference(reference: string): boolean {
  if (!PAYMENT_REFERENCE_PATTERN.test(reference)) return false;
  return luhnCheckDigit(reference.slice(0, -1)) === Number(reference.at(-1));
}
