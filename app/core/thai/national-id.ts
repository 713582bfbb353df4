/** Thai national ID (เลขประจำตัวประชาชน): 13 digits, the last a mod-11 check digit. */

/** Strips the separators people type or paste ("1-2345-67890-12-1", spaces); other characters are kept so they fail. */
export function normalizeThaiNationalId(value: string): string {
  return value.replace(/[\s-]/g, "");
}

/** The check digit for the first 12 digits: (11 - Σ digit[i]·(13-i) mod 11) mod 10. */
export function thaiNationalIdCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

export function isValidThaiNationalId(value: string): boolean {
  const digits = normalizeThaiNationalId(value);
  if (!/^\d{13}$/.test(digits)) return false;
  return thaiNationalIdCheckDigit(digits.slice(0, 12)) === Number(digits[12]);
}

/**
 * x-xxxx-xxxxx-xx-x. Works on a partial number too (the widget formats as the user types),
 * so "12345" becomes "1-2345"; non-digits are dropped and anything past 13 digits is cut.
 */
export function formatThaiNationalId(value: string): string {
  const digits = value.replace(/\D/g, "").slice(0, 13);
  const groups = [1, 4, 5, 2, 1];
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join("-");
}
