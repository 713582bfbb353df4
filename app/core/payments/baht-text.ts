/**
 * An amount in Thai words as receipts and cheques print it (like Excel's BAHTTEXT): 21 baht →
 * "ยี่สิบเอ็ดบาทถ้วน", 1,234.50 baht → "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์". The amount is in whole satang,
 * as every amount in the platform is.
 */
const DIGITS = ["ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"];
const PLACES = ["", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"];

/** 0 < n < 1,000,000; `after` says whether a higher digit came before (then a final 1 reads "เอ็ด"). */
function belowMillion(n: number, after: boolean): string {
  const digits = String(n).split("").map(Number).reverse();
  let out = "";
  for (let place = digits.length - 1; place >= 0; place--) {
    const d = digits[place]!;
    if (d === 0) continue;
    if (place === 1) out += d === 1 ? "สิบ" : d === 2 ? "ยี่สิบ" : `${DIGITS[d]}สิบ`;
    else if (place === 0) out += d === 1 && (after || n > 9) ? "เอ็ด" : DIGITS[d];
    else out += `${DIGITS[d]}${PLACES[place]}`;
  }
  return out;
}

/** Any whole number ≥ 0 in words; millions repeat ("หนึ่งล้านล้าน"). */
export function thaiNumberText(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole number ≥ 0: ${n}`);
  if (n === 0) return DIGITS[0]!;
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 1_000_000)) groups.push(rest % 1_000_000);
  let out = "";
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g > 0) out += belowMillion(g, i < groups.length - 1);
    if (i > 0) out += "ล้าน";
  }
  return out;
}

export function bahtText(satang: number): string {
  if (!Number.isSafeInteger(satang)) throw new RangeError(`an amount in whole satang is expected: ${satang}`);
  const sign = satang < 0 ? "ลบ" : "";
  const abs = Math.abs(satang);
  const baht = Math.floor(abs / 100);
  const st = abs % 100;
  if (st === 0) return `${sign}${thaiNumberText(baht)}บาทถ้วน`;
  return `${sign}${baht > 0 ? `${thaiNumberText(baht)}บาท` : ""}${thaiNumberText(st)}สตางค์`;
}
