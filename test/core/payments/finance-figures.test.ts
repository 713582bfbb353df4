import { describe, expect, it } from "vitest";
import { lastBangkokDays, monthRange, paymentsCsvRows, totalsPerDay, totalsPerService, type PaidPayment } from "~/core/payments/finance-figures";

const bangkok = (local: string) => new Date(`${local}+07:00`);
const payment = (over: Partial<PaidPayment>): PaidPayment => ({
  reference: "700000000013",
  trackingNumber: "SKJ-2570-000001",
  serviceSlug: "hh",
  serviceTitle: { th: "กิจการที่เป็นอันตรายต่อสุขภาพ", en: "Health hazard" },
  payerName: "สมชาย ใจดี",
  amountSatang: 100_000,
  paidAt: bangkok("2026-10-01T10:00:00"),
  source: "statement",
  ...over,
});

describe("finance figures", () => {
  it("counts a payment on its Bangkok day: 00:30 on 1 October is 1 October, though UTC still says 30 September", () => {
    const days = lastBangkokDays(bangkok("2026-10-01T12:00:00"), 30);
    expect(days).toHaveLength(30);
    expect(days.at(-1)).toBe("2026-10-01");
    expect(days[0]).toBe("2026-09-02");
    const totals = totalsPerDay([payment({ paidAt: bangkok("2026-10-01T00:30:00") }), payment({ paidAt: bangkok("2026-09-30T23:59:00"), amountSatang: 50 })], days);
    expect(totals.at(-1)).toEqual({ day: "2026-10-01", totalSatang: 100_000, count: 1 });
    expect(totals.at(-2)).toEqual({ day: "2026-09-30", totalSatang: 50, count: 1 });
  });

  it("adds up per service, largest first", () => {
    const rows = totalsPerService([payment({}), payment({ serviceSlug: "food", amountSatang: 300_000 }), payment({ amountSatang: 50_000 })]);
    expect(rows.map((r) => [r.serviceSlug, r.totalSatang, r.count])).toEqual([["food", 300_000, 1], ["hh", 150_000, 2]]);
  });

  it("spans a Bangkok month, and refuses what is not YYYY-MM", () => {
    expect(monthRange("2026-12")).toEqual({ from: bangkok("2026-12-01T00:00:00"), to: bangkok("2027-01-01T00:00:00") });
    for (const bad of ["2026-13", "2026-1", "26-10", "", "2026-10-01"]) expect(monthRange(bad)).toBeNull();
  });

  it("writes CSV rows in Bangkok time with two decimals, and never a cell a spreadsheet would run", () => {
    const rows = paymentsCsvRows([payment({ payerName: "=HYPERLINK(\"x\")", receiptNumber: "SKJ-R-2570-000001", amountSatang: 123_450 })]);
    expect(rows[1]).toEqual(["2026-10-01 10:00:00", "700000000013", "SKJ-2570-000001", "กิจการที่เป็นอันตรายต่อสุขภาพ", "'=HYPERLINK(\"x\")", "1234.50", "statement", "", "SKJ-R-2570-000001"]);
  });
});
