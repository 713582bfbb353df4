import { spawnSync } from "node:child_process";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { receiptFiscalYear, receiptNumber, receiptSequenceName } from "~/core/payments/receipt";
import { verifyAnySignedDocument } from "~/core/permits/permit-signature";
import { getCase } from "~/models/case.server";
import { sequenceHint } from "~/models/counter.server";
import { getEffectRuns } from "~/models/effect-run.server";
import { listPaymentsOfCase } from "~/models/payment.server";
import { getReceipt, ReceiptModel } from "~/models/receipt.server";
import { getFile } from "~/models/stored-file.server";
import { caseDocuments } from "~/services/case-documents.server";
import { publishedKeySet } from "~/services/document-signing.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { runCaseEffects, sweepPendingEffects } from "~/services/effects/run-effects.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { exportPaymentsCsv } from "~/services/payments/export-payments-csv.server";
import { getFinanceOverview } from "~/services/payments/get-finance-overview.server";
import { paymentReceiptFileId } from "~/services/payments/receipt-documents.server";
import { verifyStoredReceipt } from "~/services/payments/verify-receipt.server";
import { withTestDatabase } from "../support/db";
import { caseAwaitingFee, demoActor, officer } from "../support/journeys";
import { startTestSmtp } from "../support/smtp";

// A real SMTP server on loopback, started before anything calls env() (cached for the file).
const smtp = await startTestSmtp();
process.env.SMTP_URL = smtp.url;

withTestDatabase();

afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
});

const bangkok = (local: string) => new Date(`${local}+07:00`);
const cashier = () => demoActor("cashier@sukjai.demo.borikan.local");
const receiptOf = async (caseId: string) => {
  const docs = await caseDocuments((await getCase(caseId))!);
  return docs.issued.filter((d) => d.kind === "receipt");
};

/** FEE_PAID as a cashier's officer presses it at `now`, and its effects run. */
async function feePaid(caseId: string, now: Date) {
  await fireCaseEvent(await officer(), caseId, { type: "FEE_PAID" }, now);
  await settleCaseEffects(caseId);
}

describe("FEE_PAID on a case whose payment request is still due (money taken at the counter)", () => {
  const at = bangkok("2026-11-03T10:15:00");
  let caseId = "";

  it("records the payment at the counter and issues one signed receipt, numbered in the fiscal year", async () => {
    caseId = await caseAwaitingFee(1);
    const [request] = await listPaymentsOfCase(caseId);
    expect(request).toMatchObject({ status: "due" });
    const seq = (await sequenceHint(receiptSequenceName("sukjai", 2570))) + 1;

    await feePaid(caseId, at);

    const receipts = await receiptOf(caseId);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ number: receiptNumber("SKJ", 2570, seq), amountSatang: request!.amountSatang });
    const receipt = (await getReceipt(receipts[0]!.id))!;
    expect(receipt).toMatchObject({ paymentReference: request!._id, source: "counter", fiscalYear: 2570, caseId });
    expect(receipt.lines).toEqual(request!.lines);
    const [paid] = await listPaymentsOfCase(caseId);
    expect(paid).toMatchObject({ status: "paid", receiptId: receipt.id, paid: { source: "counter", amountSatang: request!.amountSatang } });
    expect(new Date(paid!.paid!.at).getTime()).toBe(at.getTime());
    expect((await getFile(paymentReceiptFileId(receipt.id)))!.data.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("runs again to no effect: still one receipt, same number", async () => {
    const before = await receiptOf(caseId);
    await runCaseEffects(caseId);
    await sweepPendingEffects({ staleAfterMs: 0 });
    expect(await receiptOf(caseId)).toEqual(before);
    expect(await ReceiptModel.countDocuments({ caseId })).toBe(1);
  });

  it("is valid on verification, offline (the QR's JWS) and online (the stored receipt)", async () => {
    const [doc] = await receiptOf(caseId);
    const receipt = (await getReceipt(doc!.id))!;
    const offline = await verifyAnySignedDocument(receipt.signature.jws, await publishedKeySet(receipt.signature.kid));
    expect(offline.kind).toBe("receipt");
    expect(offline.check).toMatchObject({ ok: true, agency: "sukjai", payload: { number: receipt.number, amount: (receipt.amountSatang / 100).toFixed(2) } });
    expect(await verifyStoredReceipt(receipt.id)).toMatchObject({ valid: true, status: "valid", receipt: { number: receipt.number } });
    expect(await verifyStoredReceipt("no-such-receipt")).toBeNull();
  });

  it("detects a tampered receipt: an altered QR and an altered stored amount", async () => {
    const [doc] = await receiptOf(caseId);
    const receipt = (await getReceipt(doc!.id))!;
    // the QR's payload with a bigger amount, the signature kept
    const [header, body, signature] = receipt.signature.jws.split(".");
    const claimed = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claimed, amount: "1.00" })).toString("base64url");
    const offline = await verifyAnySignedDocument(`${header}.${forged}.${signature}`, await publishedKeySet());
    expect(offline).toMatchObject({ kind: "receipt", check: { ok: false, code: "BAD_SIGNATURE" } });

    await ReceiptModel.updateOne({ _id: receipt.id }, { $set: { amountSatang: 100 } });
    try {
      expect(await verifyStoredReceipt(receipt.id)).toMatchObject({ valid: false, status: "altered", signature: { mismatchedFields: ["amount"] } });
    } finally {
      await ReceiptModel.updateOne({ _id: receipt.id }, { $set: { amountSatang: receipt.amountSatang } });
    }
  });

  it("e-mails the receipt PDF with the FEE_PAID notice, beside the permit", async () => {
    const [doc] = await receiptOf(caseId);
    const record = (await getCase(caseId))!;
    const notice = record.effects.filter((e) => e.type === "notifyApplicant").at(-1)!;
    const mail = smtp.mailsTo("applicant1@example.co.th").find((m) => m.mail.messageId === `<${notice.id}@borikan>`);
    expect(mail, "the FEE_PAID notice").toBeTruthy();
    const attached = mail!.mail.attachments.find((a) => a.filename === `${doc!.number}.pdf`);
    expect(attached?.contentType).toBe("application/pdf");
    expect(attached!.content.equals((await getFile(paymentReceiptFileId(doc!.id)))!.data)).toBe(true);
    expect(mail!.mail.text).toContain(doc!.number);
    expect(mail!.mail.text).toContain("ใบเสร็จรับเงินอิเล็กทรอนิกส์");
  });
});

describe("receipt numbers", () => {
  it("are gap-free and distinct when several cases are paid at once", async () => {
    const at = bangkok("2027-02-10T09:00:00");
    const fiscalYear = receiptFiscalYear(at);
    const ids = await Promise.all([11, 12, 13, 14, 15].map((n) => caseAwaitingFee(n)));
    const start = (await sequenceHint(receiptSequenceName("sukjai", fiscalYear))) + 1;
    await Promise.all(ids.map((id) => feePaid(id, at)));
    const numbers = (await Promise.all(ids.map(receiptOf))).map((r) => {
      expect(r).toHaveLength(1);
      return r[0]!.number;
    });
    expect(numbers.sort()).toEqual([0, 1, 2, 3, 4].map((i) => receiptNumber("SKJ", fiscalYear, start + i)));
  });

  it("start again at 1 when the fiscal year turns at midnight on 1 October, Bangkok time", async () => {
    const [late, early] = await Promise.all([caseAwaitingFee(21), caseAwaitingFee(22)]);
    const lastMinute = bangkok("2028-09-30T23:59:00");
    const firstMinute = bangkok("2028-10-01T00:00:00");
    await feePaid(late, lastMinute);
    await feePaid(early, firstMinute);
    expect((await receiptOf(late))[0]!.number).toBe("SKJ-R-2571-000001");
    expect((await receiptOf(early))[0]!.number).toBe("SKJ-R-2572-000001");
  });
});

describe("a process killed while issuing the receipt", () => {
  /** Fires FEE_PAID in a separate process that dies at `point`, as `kill -9` would. */
  function payAndCrash(caseId: string, point: string) {
    const child = spawnSync(process.execPath, ["--import", "tsx", "test/support/children/fire-event.ts", caseId, "FEE_PAID", "officer@sukjai.demo.borikan.local"], {
      env: { ...process.env, BORIKAN_CRASH_AT: point },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stderr, child.stderr).toContain(`crash injected at ${point}`);
    expect(child.status).toBe(137);
  }

  it.each([["receipt:number-taken", 31], ["receipt:inserted", 32]] as const)("at %s: the sweep resumes with the same number, no gap, one receipt", async (point, n) => {
    const caseId = await caseAwaitingFee(n);
    const fiscalYear = receiptFiscalYear(new Date());
    const seq = (await sequenceHint(receiptSequenceName("sukjai", fiscalYear))) + 1;
    payAndCrash(caseId, point);

    await sweepPendingEffects({ staleAfterMs: 0 });
    const receipts = await receiptOf(caseId);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.number).toBe(receiptNumber("SKJ", fiscalYear, seq));
    const runs = await getEffectRuns((await getCase(caseId))!.effects.map((e) => e.id));
    expect([...runs.values()].filter((r) => r.result.receiptId)).toHaveLength(1);
    // the payment, marked paid and linked to the receipt before the crash, leads to the receipt stored after it
    const payments = await listPaymentsOfCase(caseId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: "paid", receiptId: receipts[0]!.id, paid: { source: "counter" } });

    // the next receipt takes the next number: nothing was skipped
    const next = await caseAwaitingFee(n + 100);
    await feePaid(next, new Date());
    expect((await receiptOf(next))[0]!.number).toBe(receiptNumber("SKJ", fiscalYear, seq + 1));
  });
});

describe("the finance overview and the CSV", () => {
  it("adds up the agency's payments per day and per service, lists the latest, and counts what is still due", async () => {
    await caseAwaitingFee(41); // a request left unpaid
    const now = bangkok("2027-02-10T18:00:00");
    const overview = await getFinanceOverview(await cashier(), { month: "2027-02" }, now);
    expect(overview.perDay).toHaveLength(30);
    const day = overview.perDay.find((d) => d.day === "2027-02-10")!;
    expect(day.count).toBe(5); // the five paid at once above
    expect(overview.perService[0]).toMatchObject({ count: 5, totalSatang: day.totalSatang });
    expect(overview.monthTotalSatang).toBe(day.totalSatang);
    expect(overview.latest[0]).toMatchObject({ source: "counter", receiptNumber: expect.stringMatching(/^SKJ-R-2570-/) });
    expect(overview.dueCount + overview.expiredCount).toBeGreaterThanOrEqual(1);
  });

  it("is for finance staff of the agency only, and refuses a malformed month", async () => {
    await expect(getFinanceOverview(await officer())).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getFinanceOverview(await demoActor("citizen@demo.borikan.local"))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getFinanceOverview(await cashier(), { month: "2027-13" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const other = await getFinanceOverview(await demoActor("admin@sukjai.demo.borikan.local"), { month: "2027-02" }, bangkok("2027-02-10T18:00:00"));
    expect(other.monthTotalSatang).toBeGreaterThan(0);
  });

  it("exports the month's payments as CSV with a BOM, amounts with two decimals and the receipt numbers", async () => {
    const { body, count, filename } = await exportPaymentsCsv(await cashier(), "2027-02");
    expect(filename).toBe("payments-sukjai-2027-02.csv");
    expect(count).toBe(5);
    expect(body.startsWith("\uFEFF")).toBe(true);
    const rows = parse(body.slice(1)) as string[][];
    expect(rows[0]).toEqual(["paid_at_bangkok", "payment_reference", "tracking_number", "service", "payer", "amount_baht", "source", "bank_reference", "receipt_number"]);
    expect(rows).toHaveLength(6);
    for (const row of rows.slice(1)) {
      expect(row[0]).toBe("2027-02-10 09:00:00");
      expect(row[5]).toMatch(/^\d+\.\d{2}$/);
      expect(row[6]).toBe("counter");
      expect(row[8]).toMatch(/^SKJ-R-2570-\d{6}$/);
    }
    expect((await exportPaymentsCsv(await cashier(), "2027-03")).count).toBe(0);
    await expect(exportPaymentsCsv(await cashier(), "02-2027")).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
