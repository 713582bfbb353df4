/** Thai mobile numbers: 10 digits starting 06, 08 or 09 (e.g. 081-234-5678). */

const MOBILE = /^0[689]\d{8}$/;

/** Digits only, with a +66 / 66 country prefix turned back into the leading 0 (what the widget stores while typing). */
export function thaiMobileDigits(value: string): string {
  const digits = value.replace(/\D/g, "");
  return digits.startsWith("66") && digits.length === 11 ? "0" + digits.slice(2) : digits;
}

/**
 * The canonical 10-digit form we store, or null when the input is not a Thai mobile number.
 * Only spaces, dashes, dots, brackets and a leading +66 are tolerated: letters make it invalid.
 */
export function normalizeThaiMobile(value: string): string | null {
  if (!/^[\d\s\-().+]*$/.test(value)) return null;
  if (value.includes("+") && !/^\s*\+66/.test(value)) return null;
  const digits = thaiMobileDigits(value);
  return MOBILE.test(digits) ? digits : null;
}

export function isValidThaiMobile(value: string): boolean {
  return normalizeThaiMobile(value) !== null;
}

/** 0xx-xxx-xxxx, also for a partial number while typing. */
export function formatThaiMobile(value: string): string {
  const digits = thaiMobileDigits(value).slice(0, 10);
  return [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)].filter(Boolean).join("-");
}
