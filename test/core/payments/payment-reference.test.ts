import { describe, expect, it } from "vitest";
import { isValidPaymentReference, luhnCheckDigit, paymentReference } from "~/core/payments/payment-reference";

describe("payment reference", () => {
  it("is 12 digits: fiscal year, sequence and a Luhn check digit", () => {
    expect(paymentReference(2570, 1)).toMatch(/^70000000001\d$/);
    // The Luhn example every implementation is checked against: 7992739871 → 3.
    expect(luhnCheckDigit("7992739871")).toBe(3);
    expect(isValidPaymentReference(paymentReference(2570, 123_456))).toBe(true);
  });

  it("catches any single mistyped digit and any swap of two different neighbours", () => {
    const reference = paymentReference(2569, 4_815_162);
    for (let i = 0; i < reference.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === reference[i]) continue;
        expect(isValidPaymentReference(reference.slice(0, i) + d + reference.slice(i + 1))).toBe(false);
      }
    }
    for (let i = 0; i + 1 < reference.length; i++) {
      if (reference[i] === reference[i + 1] || `${reference[i]}${reference[i + 1]}` === "09" || `${reference[i]}${reference[i + 1]}` === "90") continue;
      const swapped = reference.slice(0, i) + reference[i + 1] + reference[i] + reference.slice(i + 2);
      expect(isValidPaymentReference(swapped)).toBe(false);
    }
  });

  it("refuses what is not a reference", () => {
    for (const bad of ["", "70000000001", "7000000000100", "70000000001a", " 700000000010"]) expect(isValidPaymentReference(bad)).toBe(false);
    expect(() => paymentReference(2570, 0)).toThrow(RangeError);
  });
});
