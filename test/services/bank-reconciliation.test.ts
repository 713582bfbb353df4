import { describe, expect, it } from "vitest";
import { paymentReference } from "~/core/payments/payment-reference";
import { formatBillPaymentText, type TextDetail } from "~/core/payments/statement-formats";
import { DAY_MS } from "~/core/time/bangkok-clock";
import { getBankLine } from "~/models/bank-line.server";
import { getCase } from "~/models/case.server";
import { getPayment, insertPayment, listPaymentsOfCase, type PaymentRequest } from "~/models/payment.server";
import { getStatementImport } from "~/models/statement-import.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { applyBankLine } from "~/services/payments/apply-bank-payment.server";
import { decideUnmatchedItem } from "~/services/payments/decide-unmatched-item.server";
import { requireFinanceStaff } from "~/services/payments/finance-access.server";
import { listUnmatchedItems } from "~/services/payments/list-unmatched-items.server";
import {
  getStatementImportView,
  mapCsvStatement,
  receiveStatement,
  resumeStalledStatementImports,
  runStatementImport,
  SimulatedCrash,
} from "~/services/payments/statement-imports.server";
import { bankDateTime } from "../support/bank-statement";
import { withTestDatabase } from "../support/db";
import { expectAppError } from "../support/errors";
import { caseAwaitingFee, demoActor, officer } from "../support/journeys";

withTestDatabase();

const cashier = async () => requireFinanceStaff(await demoActor("cashier@sukjai.demo.borikan.local"));

function statement(details: TextDetail[]): Uint8Array {
  return Buffer.from(formatBillPaymentText({ bankCode: "006", account: "1234567890", companyName: "SUKJAI MUNICIPALITY", effectiveDate: bankDateTime(new Date()).date, details }));
}

function paying(payment: PaymentRequest, over: Partial<TextDetail> & { at?: Date } = {}): TextDetail {
  const { date, time } = bankDateTime(over.at ?? new Date(new Date(payment.requestedAt).getTime() + 60_000));
  return { date, time, ref1: payment._id, ref2: payment.ref2, amountSatang: payment.amountSatang, customerName: "สมชาย ใจดี", ...over };
}

async function feeCase(n: number): Promise<{ caseId: string; payment: PaymentRequest }> {
  const caseId = await caseAwaitingFee(n);
  const [payment] = await listPaymentsOfCase(caseId);
  if (!payment) throw new Error(`case ${caseId} has no payment request`);
  return { caseId, payment };
}

async function importText(details: TextDetail[], fileName = "statement.txt") {
  const id = await receiveStatement(await cashier(), { fileName, bytes: statement(details) }, { start: false });
  await runStatementImport(id);
  return getStatementImportView(await cashier(), id);
}

const feePaidEvents = async (caseId: string) => (await getCase(caseId))!.history.filter((h) => h.event === "FEE_PAID").length;

describe("importing a bank statement", () => {
  it("pays the request, sends FEE_PAID once and issues the permit; the same file again changes nothing", async () => {
    const { caseId, payment } = await feeCase(1);
    const report = await importText([paying(payment)]);
    expect(report.status).toBe("done");
    expect(report.report).toEqual([expect.objectContaining({ lineNumber: 2, outcome: "applied", paymentReference: payment._id, caseId })]);
    expect(report.summary).toEqual({ applied: 1, unmatched: 0, duplicate: 0 });
    const paid = (await getPayment(payment._id))!;
    expect(paid.status).toBe("paid");
    expect(paid.paid).toMatchObject({ amountSatang: payment.amountSatang, source: "statement", bankReference: "006-0001-0001-CSH" });
    await settleCaseEffects(caseId);
    const record = (await getCase(caseId))!;
    expect(record.stateValue).toBe("permitIssued");
    const step = record.history.at(-1)!;
    expect(step).toMatchObject({ event: "FEE_PAID", actor: { kind: "api", id: "bank:sukjai", name: "การชำระผ่านธนาคาร / Bank payment" } });

    const again = await importText([paying(payment)]);
    expect(again.report).toEqual([expect.objectContaining({ outcome: "duplicate", duplicateOf: expect.objectContaining({ source: "statement", importId: report.id, lineNumber: 2 }) })]);
    expect((await getCase(caseId))!.rev).toBe(record.rev);
    expect(await feePaidEvents(caseId)).toBe(1);
  });

  it("reports a line repeated inside one file as a duplicate of the first", async () => {
    const { caseId, payment } = await feeCase(2);
    const report = await importText([paying(payment), paying(payment)]);
    expect(report.report.map((r) => [r.lineNumber, r.outcome])).toEqual([[2, "applied"], [3, "duplicate"]]);
    expect(await feePaidEvents(caseId)).toBe(1);
  });

  it("lists under- and over-payments, unknown, invalid and other agencies' references, late and second payments for a person", async () => {
    const { caseId, payment } = await feeCase(3);
    const { payment: late } = await feeCase(4);
    // far from this fiscal year's sequence (the reference has no agency part)
    const foreign: PaymentRequest = { ...payment, _id: paymentReference(2070, 900_000_005), effectId: "e-foreign", agencyId: "thungthong", caseId: "000000000000000000000000", status: "due" };
    await insertPayment(foreign);
    const badCheck = payment._id.slice(0, 11) + ((Number(payment._id[11]) + 1) % 10);
    const report = await importText([
      paying(payment, { amountSatang: payment.amountSatang - 100 }), // 2 underpaid
      paying(payment, { amountSatang: payment.amountSatang + 100 }), // 3 overpaid
      paying(payment, { ref1: paymentReference(2070, 999_999) }), // 4 unknown
      paying(payment, { ref1: badCheck }), // 5 invalid check digit
      paying(payment, { ref1: foreign._id }), // 6 another agency's
      paying(late, { at: new Date(new Date(late.dueAt).getTime() + DAY_MS) }), // 7 after the due date
      paying(payment), // 8 the match
      paying(payment, { time: "235958", teller: "0002" }), // 9 paid a second time
      paying(payment, { kind: "D" }), // 10 a reversal
    ]);
    expect(report.report.map((r) => [r.lineNumber, r.outcome, r.reason ?? null])).toEqual([
      [2, "unmatched", "underpaid"],
      [3, "unmatched", "overpaid"],
      [4, "unmatched", "unknown-reference"],
      [5, "unmatched", "invalid-reference"],
      [6, "unmatched", "other-agency"],
      [7, "unmatched", "late"],
      [8, "applied", null],
      [9, "unmatched", "already-paid"],
      [10, "unmatched", "reversal"],
    ]);
    expect(await feePaidEvents(caseId)).toBe(1);
    expect((await getPayment(late._id))!.status).toBe("due");
    expect((await getPayment(foreign._id))!.status).toBe("due");
    // another agency's request is not named on this agency's item
    const items = await listUnmatchedItems(await cashier());
    const other = items.find((i) => i.ref1 === foreign._id)!;
    expect(other.request).toBeNull();
    expect(items.find((i) => i.reason === "late")!.request).toMatchObject({ reference: late._id, status: "due" });
    // staff of the other agency see none of it
    const theirs = requireFinanceStaff({ ...(await cashier()), agencyId: "thungthong" });
    expect(await listUnmatchedItems(theirs)).toEqual([]);
  });

  it("rejects a malformed file whole, by line number, and applies nothing from it", async () => {
    const { caseId, payment } = await feeCase(5);
    const good = formatBillPaymentText({ bankCode: "006", account: "1234567890", companyName: "X", effectiveDate: "01012027", details: [paying(payment), paying(payment, { teller: "0009" })] });
    const lines = good.split("\r\n");
    lines[2] = lines[2]!.slice(0, 163) + "0000000150.00" + lines[2]!.slice(176); // an amount with decimals
    const id = await receiveStatement(await cashier(), { fileName: "bad.txt", bytes: Buffer.from(lines.join("\r\n")) }, { start: false });
    await runStatementImport(id);
    const view = await getStatementImportView(await cashier(), id);
    expect(view.status).toBe("rejected");
    expect(view.lineErrors.map((e) => e.line)).toEqual([3]);
    expect(view.lineErrors[0]!.message.th).toMatch(/จำนวนเงิน/);
    expect((await getPayment(payment._id))!.status).toBe("due");
    expect((await getCase(caseId))!.stateValue).toBe("awaitingFee");
  });

  it("imports a CSV through its column mapping", async () => {
    const { caseId, payment } = await feeCase(6);
    const at = new Date(new Date(payment.requestedAt).getTime() + 120_000);
    const { date, time } = bankDateTime(at);
    const csv = `วันที่,เวลา,Ref1,Ref2,จำนวนเงิน,เลขที่รายการ\r\n${date.slice(0, 2)}/${date.slice(2, 4)}/${date.slice(4)},${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4)},${payment._id},${payment.ref2},${(payment.amountSatang / 100).toFixed(2)},TXN-CSV-1\r\n`;
    const id = await receiveStatement(await cashier(), { fileName: "statement.csv", bytes: Buffer.from(csv) }, { start: false });
    const step = await getStatementImportView(await cashier(), id);
    expect(step.status).toBe("mapping");
    expect(step.suggested).toMatchObject({ ref1: "Ref1", amount: "จำนวนเงิน" });
    await expectAppError(async () => mapCsvStatement(await cashier(), id, { date: "วันที่" }), "FORM_INVALID");
    await mapCsvStatement(await cashier(), id, step.suggested, { start: false });
    await runStatementImport(id);
    expect((await getStatementImportView(await cashier(), id)).report).toEqual([expect.objectContaining({ outcome: "applied", paymentReference: payment._id })]);
    expect((await getPayment(payment._id))!.paid?.bankReference).toBe("TXN-CSV-1");
    expect(await feePaidEvents(caseId)).toBe(1);
  });
});

describe("a worker killed half-way through an import", () => {
  it("is taken over and completes, with no double payment", async () => {
    const first = await feeCase(7);
    const second = await feeCase(8);
    const id = await receiveStatement(await cashier(), { fileName: "s.txt", bytes: statement([paying(first.payment), paying(second.payment)]) }, { start: false });
    await expect(runStatementImport(id, { faults: { afterLines: 1 } })).rejects.toBeInstanceOf(SimulatedCrash);
    expect((await getStatementImport(id))!.status).toBe("running");
    expect((await getPayment(first.payment._id))!.status).toBe("paid");
    expect((await getPayment(second.payment._id))!.status).toBe("due");
    // still beating: not taken over yet
    expect(await resumeStalledStatementImports(new Date())).toBe(0);
    expect(await resumeStalledStatementImports(new Date(Date.now() + 120_000))).toBe(1);
    const view = await getStatementImportView(await cashier(), id);
    expect(view.status).toBe("done");
    expect(view.report.map((r) => r.outcome)).toEqual(["applied", "applied"]);
    expect(await feePaidEvents(first.caseId)).toBe(1);
    expect(await feePaidEvents(second.caseId)).toBe(1);
  });

  it("completes a line claimed just before its process died (request claimed, FEE_PAID not yet sent)", async () => {
    const { caseId, payment } = await feeCase(9);
    const id = await receiveStatement(await cashier(), { fileName: "s.txt", bytes: statement([paying(payment)]) }, { start: false });
    const crash = () => {
      throw new SimulatedCrash("killed after the claims");
    };
    await expect(runStatementImport(id, { faults: { apply: { afterClaim: crash } } })).rejects.toBeInstanceOf(SimulatedCrash);
    const line = (await getStatementImport(id))!;
    expect(line.status).toBe("running");
    expect((await getPayment(payment._id))!.status).toBe("due");
    expect((await getCase(caseId))!.stateValue).toBe("awaitingFee");
    await runStatementImport(id, { takeOver: true });
    expect((await getStatementImportView(await cashier(), id)).report.map((r) => r.outcome)).toEqual(["applied"]);
    expect((await getPayment(payment._id))!.status).toBe("paid");
    expect(await feePaidEvents(caseId)).toBe(1);
  });

  it("lets only one of two runs of the same generation work", async () => {
    const { payment } = await feeCase(10);
    const id = await receiveStatement(await cashier(), { fileName: "s.txt", bytes: statement([paying(payment)]) }, { start: false });
    await Promise.all([runStatementImport(id), runStatementImport(id)]);
    expect((await getStatementImport(id))!.runs).toBe(0);
    expect((await getStatementImportView(await cashier(), id)).report.map((r) => r.outcome)).toEqual(["applied"]);
  });
});

describe("deciding an unmatched item", () => {
  it("applies a late payment the agency accepts, only when confirmed and with a note; audited", async () => {
    const { caseId, payment } = await feeCase(11);
    const report = await importText([paying(payment, { at: new Date(new Date(payment.dueAt).getTime() + 3_600_000) })]);
    expect(report.report[0]).toMatchObject({ outcome: "unmatched", reason: "late" });
    const item = (await listUnmatchedItems(await cashier())).find((i) => i.ref1 === payment._id)!;
    await expectAppError(async () => decideUnmatchedItem(await cashier(), item.id, { decision: "apply", note: "" }), "FORM_INVALID");
    await expectAppError(async () => decideUnmatchedItem(await officer(), item.id, { decision: "apply", note: "ยอมรับ", confirmed: true }), "FORBIDDEN");
    const done = await decideUnmatchedItem(await cashier(), item.id, { decision: "apply", note: "ผู้ยื่นชำระช้า 1 ชั่วโมง ยอมรับตามระเบียบ", confirmed: true });
    expect(done).toEqual({ state: "applied", paymentReference: payment._id });
    expect((await getPayment(payment._id))!.status).toBe("paid");
    await settleCaseEffects(caseId);
    const record = (await getCase(caseId))!;
    expect(record.stateValue).toBe("permitIssued");
    expect(record.history.at(-1)!.comment).toMatch(/ยอมรับตามระเบียบ/);
    expect((await listUnmatchedItems(await cashier())).some((i) => i.id === item.id)).toBe(false);
    // decided once
    await expectAppError(async () => decideUnmatchedItem(await cashier(), item.id, { decision: "set-aside", note: "คืนเงินนอกระบบ" }), "CONFLICT");
    expect((await getBankLine(item.id))!.decision).toMatchObject({ kind: "apply", note: "ผู้ยื่นชำระช้า 1 ชั่วโมง ยอมรับตามระเบียบ" });
  });

  it("sets aside an overpayment for a refund outside the platform; the request stays due", async () => {
    const { payment } = await feeCase(12);
    await importText([paying(payment, { amountSatang: payment.amountSatang * 2 })]);
    const item = (await listUnmatchedItems(await cashier())).find((i) => i.ref1 === payment._id && i.reason === "overpaid")!;
    expect(await decideUnmatchedItem(await cashier(), item.id, { decision: "set-aside", note: "คืนเงินให้ผู้ชำระทางบัญชีธนาคาร" })).toEqual({ state: "set-aside" });
    expect((await getBankLine(item.id))!.state).toBe("set-aside");
    expect((await getPayment(payment._id))!.status).toBe("due");
  });

  it("refuses another agency's item as not found", async () => {
    const { payment } = await feeCase(13);
    await importText([paying(payment, { amountSatang: 1 })]);
    const item = (await listUnmatchedItems(await cashier())).find((i) => i.ref1 === payment._id)!;
    const stranger = requireFinanceStaff({ ...(await cashier()), id: "someone", agencyId: "thungthong" });
    await expectAppError(async () => decideUnmatchedItem(stranger, item.id, { decision: "set-aside", note: "ไม่ใช่ของเรา" }), "NOT_FOUND");
  });
});

describe("applying the same bank line from two places at once", () => {
  it("pays the request once", async () => {
    const { caseId, payment } = await feeCase(14);
    const line = { lineNumber: 0, bankCode: "callback", paidAt: new Date(), ref1: payment._id, ref2: "", amountSatang: payment.amountSatang, kind: "credit" as const };
    const results = await Promise.all([
      applyBankLine({ agencyId: "sukjai", source: "callback", transactionId: "TX-A", line: { ...line, bankReference: "TX-A" } }),
      applyBankLine({ agencyId: "sukjai", source: "callback", transactionId: "TX-B", line: { ...line, bankReference: "TX-B" } }),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["applied", "unmatched"]);
    expect(results.find((r) => r.outcome === "unmatched")!.reason).toBe("already-paid");
    expect(await feePaidEvents(caseId)).toBe(1);
  });
});
