import { describe, expect, it } from "vitest";
import { receiptFiscalYear, receiptMismatches, receiptNumber, receiptPayloadOf, receiptSequenceName } from "~/core/payments/receipt";

/** An instant given as Bangkok wall-clock time (UTC+7). */
const bangkok = (local: string) => new Date(`${local}+07:00`);

describe("receipt numbers", () => {
  it("read agency, R, the Thai fiscal year and a six-digit sequence", () => {
    expect(receiptNumber("SKJ", 2570, 1)).toBe("SKJ-R-2570-000001");
    expect(receiptNumber("SKJ", 2570, 123_456)).toBe("SKJ-R-2570-123456");
    expect(() => receiptNumber("SKJ", 2570, 0)).toThrow(RangeError);
  });

  it("start the next fiscal year at 00:00 on 1 October in Bangkok, not in UTC", () => {
    // 30 Sep 2026 23:59 Bangkok is still fiscal 2569; one minute later 2570 begins.
    expect(receiptFiscalYear(bangkok("2026-09-30T23:59:59.999"))).toBe(2569);
    expect(receiptFiscalYear(bangkok("2026-10-01T00:00:00.000"))).toBe(2570);
    // 1 Oct 00:30 Bangkok is 30 Sep 17:30 UTC: Bangkok's date decides.
    expect(new Date(bangkok("2026-10-01T00:30:00")).getUTCDate()).toBe(30);
    expect(receiptFiscalYear(bangkok("2026-10-01T00:30:00"))).toBe(2570);
    // The calendar year turning does not start a fiscal year.
    expect(receiptFiscalYear(bangkok("2026-12-31T23:59:59"))).toBe(2570);
    expect(receiptFiscalYear(bangkok("2027-01-01T00:00:00"))).toBe(2570);
  });

  it("run one sequence per agency and fiscal year", () => {
    expect(receiptSequenceName("sukjai", 2569)).not.toBe(receiptSequenceName("sukjai", 2570));
    expect(receiptSequenceName("sukjai", 2570)).not.toBe(receiptSequenceName("thungthong", 2570));
  });
});

describe("the signed content of a receipt", () => {
  const receipt = {
    id: "e1",
    number: "SKJ-R-2570-000001",
    fiscalYear: 2570,
    agencyId: "sukjai",
    agencyName: { th: "เทศบาลตำบลสุขใจ", en: "Suk Jai" },
    caseId: "c1",
    trackingNumber: "SKJ-2570-000001",
    serviceSlug: "s",
    serviceTitle: { th: "ใบอนุญาต", en: "Licence" },
    payerName: "สมชาย ใจดี",
    paymentReference: "700000000018",
    lines: [{ label: { th: "ค่าธรรมเนียม", en: "Fee" }, amountSatang: 123_450 }],
    amountSatang: 123_450,
    source: "counter" as const,
    paidAt: bangkok("2026-10-01T10:00:00"),
    issuedAt: bangkok("2026-10-01T10:00:00"),
  };

  it("carries the amount with two decimals and matches the receipt it came from", () => {
    const payload = receiptPayloadOf(receipt);
    expect(payload).toMatchObject({ number: "SKJ-R-2570-000001", agency: "sukjai", amount: "1234.50", doc: "receipt" });
    expect(receiptMismatches(payload, receipt)).toEqual([]);
  });

  it("names what was changed in a stored receipt", () => {
    const payload = receiptPayloadOf(receipt);
    expect(receiptMismatches(payload, { ...receipt, amountSatang: 12_345 })).toEqual(["amount"]);
    const relabelled = { ...receipt, lines: [{ label: { th: "อื่น", en: "Other" }, amountSatang: 123_450 }] };
    expect(receiptMismatches(payload, relabelled)).toEqual(["linesSha256"]);
  });
});
