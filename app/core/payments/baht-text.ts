/**
 * An amount in Thai words as on receipts and pay-in slips ("ตัวอักษร"): 1,234.50 baht →
 * "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์", 21 baht → "ยี่สิบเอ็ดบาทถ้วน". The usual rules: 1 in the units
 * place after a tens or higher digit is "เอ็ด", 2 in the tens place is "ยี่สิบ", 1 in the tens place is "สิบ",
 * and the count of millions is read as a number itself ("หนึ่งล้านล้าน" for 10^12).
 */
const DIGITS = ["ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"];
const PLACES = ["", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"];

/** Words for 0 < n < 1,000,000; `afterHigher`: it follows millions, so a lone 1 is "เอ็ด" (1,000,001 → "หนึ่งล้านเอ็ด"). */
function belowMillion(n: number, afterHigher = false): string {
  const digits = String(n).split("").map(Number).reverse();
  let words = "";
  for (let place = digits.length - 1; place >= 0; place--) {
    const d = digits[place];
    if (d === 0) continue;
    if (place === 0 && d === 1 && (n > 9 || afterHigher)) words += "เอ็ด";
    else if (place === 1 && d === 1) words += "สิบ";
    else if (place === 1 && d === 2) words += "ยี่สิบ";
    else words += DIGITS[d] + PLACES[place];
  }
  return words;
}

/** Words for a whole number ≥ 1. */
function numberText(n: number): string {
  if (n < 1_000_000) return belowMillion(n);
  const millions = Math.floor(n / 1_000_000);
  const rest = n % 1_000_000;
  return `${numberText(millions)}ล้าน${rest > 0 ? belowMillion(rest, true) : ""}`;
}

export function bahtText(satang: number): string {
  if (!Number.isSafeInteger(satang) || satang < 0) throw new RangeError(`bahtText: not a whole, non-negative number of satang: ${satang}`);
  const baht = Math.floor(satang / 100);
  const st = satang % 100;
  if (baht === 0 && st === 0) return "ศูนย์บาทถ้วน";
  const bahtWords = baht > 0 ? `${numberText(baht)}บาท` : "";
  return st === 0 ? `${bahtWords}ถ้วน` : `${bahtWords}${numberText(st)}สตางค์`;
}
