import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { paymentReference } from "~/core/payments/payment-reference";
import { matchBankLine, type MatchablePayment } from "~/core/payments/matching";
import {
  checkCsvMapping,
  csvInstant,
  parseBillPaymentText,
  parseCsvStatement,
  satangOfBahtText,
  suggestCsvMapping,
  type BankLine,
} from "~/core/payments/statement-formats";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../../fixtures/payments", name));
const text = (name: string) => fixture(name).toString("utf8");

function csvRows(body: string) {
  const [head, ...rest] = body.trim().split(/\r?\n/);
  const split = (l: string) => l.match(/("[^"]*"|[^,]+)/g)!.map((c) => c.replace(/^"|"$/g, ""));
  const headers = split(head!);
  return { headers, rows: rest.map((l, i) => ({ rowNumber: i + 2, values: Object.fromEntries(split(l).map((v, j) => [headers[j]!, v])) })) };
}

describe("the bill-payment text file", () => {
  it("reads the header, every detail and checks them against the total record", () => {
    const parsed = parseBillPaymentText(text("statement-valid.txt"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.header).toEqual({ bankCode: "006", account: "1234567890", companyName: "MUNICIPALITY OF SUKJAI", effectiveDate: "06122026" });
    expect(parsed.lines).toHaveLength(3);
    const [first, second, reversal] = parsed.lines;
    expect(first).toMatchObject({ lineNumber: 2, bankCode: "006", ref1: paymentReference(2027, 1), ref2: "6900000001", amountSatang: 150_000, customerName: "สมชาย ใจดี", kind: "credit" });
    // 09:30:15 in Bangkok is 02:30:15 UTC
    expect(first!.paidAt.toISOString()).toBe("2026-12-05T02:30:15.000Z");
    // a Buddhist-era year reads the same
    expect(second!.paidAt.toISOString()).toBe("2026-12-05T03:15:00.000Z");
    expect(second!.bankReference).toBe("006-0123-9001-ATM");
    expect(reversal!.kind).toBe("debit");
  });

  it("reads a TIS-620 file like the UTF-8 one once decoded as Windows-874", () => {
    const decoded = new TextDecoder("windows-874").decode(fixture("statement-valid-tis620.txt"));
    expect(parseBillPaymentText(decoded)).toEqual(parseBillPaymentText(text("statement-valid.txt")));
  });

  it("rejects a malformed file whole, with every error by line number in Thai and English", () => {
    const parsed = parseBillPaymentText(text("statement-malformed.txt"));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(parsed.errors[0]!.message.en).toMatch(/amount "00000001500.0".*13 digits in satang/);
    expect(parsed.errors[1]!.message.en).toMatch(/255 characters long; it must be 256/);
    expect(parsed.errors[1]!.message.th).toMatch(/255 ตัวอักษร/);
    expect(parsed.errors[2]!.message.en).toMatch(/date and time "31022026/);
  });

  it("rejects a file whose total record does not add up, or that has none", () => {
    const wrong = parseBillPaymentText(text("statement-wrong-total.txt"));
    expect(wrong.ok || wrong.errors).toEqual([{ line: 5, message: expect.objectContaining({ en: expect.stringMatching(/2 credits of 2000.00 baht, but the file holds 2 of 2000.50/) }) }]);
    const cut = parseBillPaymentText(text("statement-no-total.txt"));
    expect(cut.ok || cut.errors.map((e) => e.message.en)).toEqual([expect.stringMatching(/no total record/)]);
  });

  it("rejects a record of an unknown type and a wrong sequence", () => {
    const lines = text("statement-valid.txt").split("\r\n");
    lines[2] = "X" + lines[2]!.slice(1);
    lines[3] = lines[3]!.slice(0, 1) + "000009" + lines[3]!.slice(7);
    const parsed = parseBillPaymentText(lines.join("\r\n"));
    expect(parsed.ok || parsed.errors.map((e) => e.line)).toEqual([3, 4]);
  });
});

describe("a CSV statement with a column mapping", () => {
  const mapping = { date: "วันที่", time: "เวลา", ref1: "Ref1", ref2: "Ref2", amount: "จำนวนเงิน", bankReference: "เลขที่รายการ" };

  it("suggests the columns and reads baht into satang", () => {
    const { headers, rows } = csvRows(text("statement-valid.csv"));
    expect(suggestCsvMapping(headers)).toEqual(mapping);
    expect(checkCsvMapping(headers, mapping)).toEqual([]);
    const parsed = parseCsvStatement(rows, mapping);
    expect(parsed.ok && parsed.lines.map((l) => [l.lineNumber, l.amountSatang, l.paidAt.toISOString(), l.bankReference])).toEqual([
      [2, 150_000, "2026-12-05T02:30:15.000Z", "TXN0001"],
      [3, 50_050, "2026-12-05T03:15:00.000Z", "TXN0002"],
    ]);
  });

  it("rejects amounts with wrong decimals and impossible dates, by row", () => {
    const { rows } = csvRows(text("statement-bad-decimals.csv"));
    const parsed = parseCsvStatement(rows, mapping);
    expect(parsed.ok || parsed.errors.map((e) => [e.line, e.message.en.slice(0, 40)])).toEqual([
      [2, 'The amount "1500.5" is not valid: baht w'],
      [3, 'The payment date and time "32/12/2569 10'],
      [3, 'The amount "500.505" is not valid: baht '],
    ]);
  });

  it("needs a column for the date, Ref1 and the amount", () => {
    expect(checkCsvMapping(["a", "b"], { date: "a" }).map((e) => e.en)).toEqual(['Choose the column of "Reference 1 (Ref1)"', 'Choose the column of "Amount (baht)"']);
    expect(checkCsvMapping(["a"], { date: "a", ref1: "a", amount: "z" }).map((e) => e.en)).toEqual(['The file has no column "z"']);
  });

  it("reads amounts and dates the way banks write them", () => {
    expect(satangOfBahtText("1,500.00")).toBe(150_000);
    expect(satangOfBahtText("1500")).toBe(150_000);
    expect(satangOfBahtText("1500.5")).toBeNull();
    expect(satangOfBahtText("1,50.00")).toBeNull();
    expect(satangOfBahtText("-10.00")).toBeNull();
    expect(csvInstant("05/12/2569 09:30")?.toISOString()).toBe("2026-12-05T02:30:00.000Z");
    expect(csvInstant("29/02/2026")).toBeNull();
  });
});

describe("matching a bank line to a payment request", () => {
  const ref = paymentReference(2027, 7);
  const due = new Date("2026-12-20T16:59:59.999Z");
  const payment: MatchablePayment = { _id: ref, agencyId: "sukjai", amountSatang: 150_000, dueAt: due, status: "due" };
  const line: Pick<BankLine, "ref1" | "amountSatang" | "paidAt" | "kind"> = { ref1: ref, amountSatang: 150_000, paidAt: new Date("2026-12-05T02:30:00Z"), kind: "credit" };
  const match = (over: Partial<typeof line> = {}, p: MatchablePayment | null = payment, extra: { paidByThisLine?: boolean; source?: "statement" | "callback" } = {}) =>
    matchBankLine({ line: { ...line, ...over }, agencyId: "sukjai", payment: p, source: extra.source ?? "statement", paidByThisLine: extra.paidByThisLine });

  it("matches this agency's due request by reference and exact amount, paid by the due instant", () => {
    expect(match()).toEqual({ kind: "match" });
    expect(match({ paidAt: due })).toEqual({ kind: "match" });
  });

  it("leaves everything else for a person, with its reason", () => {
    const reason = (o: ReturnType<typeof match>) => (o.kind === "unmatched" ? o.reason : o.kind);
    expect(reason(match({ amountSatang: 149_999 }))).toBe("underpaid");
    expect(reason(match({ amountSatang: 150_001 }))).toBe("overpaid");
    expect(reason(match({ paidAt: new Date(due.getTime() + 1) }))).toBe("late");
    expect(reason(match({ ref1: ref.slice(0, 11) + ((Number(ref[11]) + 1) % 10) }))).toBe("invalid-reference");
    expect(reason(match({}, null))).toBe("unknown-reference");
    expect(reason(match({}, { ...payment, agencyId: "thungthong" }))).toBe("other-agency");
    expect(reason(match({}, { ...payment, status: "cancelled" }))).toBe("cancelled");
    expect(reason(match({}, { ...payment, status: "paid", paid: { amountSatang: 150_000, source: "statement" } }))).toBe("already-paid");
    expect(reason(match({ kind: "debit" }))).toBe("reversal");
  });

  it("knows a statement line for a payment the bank's callback already brought, and a line it paid itself", () => {
    const paid: MatchablePayment = { ...payment, status: "paid", paid: { amountSatang: 150_000, source: "callback" } };
    expect(match({}, paid)).toEqual({ kind: "already-notified" });
    expect(match({}, paid, { source: "callback" })).toEqual({ kind: "unmatched", reason: "already-paid" });
    expect(match({}, paid, { paidByThisLine: true })).toEqual({ kind: "match" });
  });
});
