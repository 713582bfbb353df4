import { billPayment } from "promptparse/generate";

/**
 * The Thai QR Payment payload of a PromptPay bill payment (EMVCo merchant-presented QR, Bank of Thailand's
 * Thai QR Code standard): tag 00 = 01, tag 01 = 12 (dynamic: it carries an amount), tag 30 = the bill-payment
 * merchant account (00 = AID A000000677010112, 01 = biller ID, 02 = Ref1, 03 = Ref2), tag 53 = 764 (baht),
 * tag 54 = amount with two decimals, tag 58 = TH, tag 63 = CRC-16/CCITT-FALSE of everything before its value.
 * Built by `promptparse` (a maintained library, checked in the tests against its published vectors and an
 * independent parser); this module only checks the inputs, so a bad biller ID or reference is never printed.
 */
export type BillPaymentQrInput = {
  /** The agency's PromptPay biller ID: 15 digits (tax ID + 2-digit suffix). */
  billerId: string;
  /** Ref1: the payment reference. */
  ref1: string;
  /** Ref2: the tracking number's digits. */
  ref2?: string;
  amountSatang: number;
};

export const PROMPTPAY_BILL_PAYMENT_AID = "A000000677010112";
export const BILLER_ID_PATTERN = /^\d{15}$/;
/** Thai QR and bank counters take references of up to 20 characters; ours are digits only (every bank accepts those). */
export const BILL_REFERENCE_PATTERN = /^\d{1,20}$/;

export function billPaymentQrPayload(input: BillPaymentQrInput): string {
  const { billerId, ref1, ref2, amountSatang } = input;
  if (!BILLER_ID_PATTERN.test(billerId)) throw new RangeError(`biller ID must be 15 digits: ${JSON.stringify(billerId)}`);
  if (!BILL_REFERENCE_PATTERN.test(ref1)) throw new RangeError(`Ref1 must be 1–20 digits: ${JSON.stringify(ref1)}`);
  if (ref2 !== undefined && ref2 !== "" && !BILL_REFERENCE_PATTERN.test(ref2)) throw new RangeError(`Ref2 must be 1–20 digits: ${JSON.stringify(ref2)}`);
  // A dynamic QR always carries its amount: a zero or fractional-satang amount would make a static code.
  if (!Number.isSafeInteger(amountSatang) || amountSatang <= 0) throw new RangeError(`amount must be a positive whole number of satang: ${amountSatang}`);
  // promptparse prints `amount.toFixed(2)`: satang / 100 is exact to two decimals for any safe integer amount.
  return billPayment({ billerId, ref1, ...(ref2 ? { ref2 } : {}), amount: amountSatang / 100 });
}

/**
 * What the Code 128 barcode of a bank-counter pay-in slip carries (Bank of Thailand barcode standard for bill
 * payment, as banks' counters and promptparse's `botBarcode` read it):
 * `|` + biller ID (15 digits) + CR + Ref1 + CR + Ref2 + CR + amount in satang with no decimal point
 * (e.g. `|099400016543901\r690000000018\r2569000123\r123450` for 1,234.50 baht).
 * Written here from the integer satang (promptparse multiplies a float baht amount, which can be off by one).
 */
export function counterBarcodeText(input: BillPaymentQrInput): string {
  const { billerId, ref1, ref2 = "", amountSatang } = input;
  if (!BILLER_ID_PATTERN.test(billerId)) throw new RangeError(`biller ID must be 15 digits: ${JSON.stringify(billerId)}`);
  if (!BILL_REFERENCE_PATTERN.test(ref1)) throw new RangeError(`Ref1 must be 1–20 digits: ${JSON.stringify(ref1)}`);
  if (ref2 !== "" && !BILL_REFERENCE_PATTERN.test(ref2)) throw new RangeError(`Ref2 must be 1–20 digits: ${JSON.stringify(ref2)}`);
  if (!Number.isSafeInteger(amountSatang) || amountSatang < 0) throw new RangeError(`amount must be a whole number of satang: ${amountSatang}`);
  return `|${billerId}\r${ref1}\r${ref2}\r${amountSatang}`;
}
