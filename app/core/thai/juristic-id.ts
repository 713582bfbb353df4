import { normalizeThaiNationalId, thaiNationalIdCheckDigit } from "./national-id";

/**
 * Thai juristic person registration number (เลขทะเบียนนิติบุคคล), 13 digits, e.g. 0-1055-56012-34-5: the
 * Department of Business Development uses the national ID's mod-11 check digit for it.
 */
export function normalizeJuristicId(value: string): string {
  return normalizeThaiNationalId(value);
}

export function isValidJuristicId(value: string): boolean {
  const digits = normalizeJuristicId(value);
  if (!/^\d{13}$/.test(digits)) return false;
  return thaiNationalIdCheckDigit(digits.slice(0, 12)) === Number(digits[12]);
}

/** x-xxxx-xxxxx-xx-x, as printed on DBD certificates. */
export function formatJuristicId(value: string): string {
  const d = normalizeJuristicId(value);
  return /^\d{13}$/.test(d) ? `${d[0]}-${d.slice(1, 5)}-${d.slice(5, 10)}-${d.slice(10, 12)}-${d[12]}` : value;
}
