import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getCase } from "~/models/case.server";
import { getPayment, listPaymentsOfCase } from "~/models/payment.server";
import * as callbackRoute from "~/routes/api.v1.payments.bank-callback.$agencyCode";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { statementLineForTest } from "../support/bank-statement";
import { generateCallbackSecret } from "~/services/payments/payment-settings.server";
import { receiveStatement, runStatementImport, getStatementImportView } from "~/services/payments/statement-imports.server";
import { requireFinanceStaff } from "~/services/payments/finance-access.server";
import { withTestDatabase } from "../support/db";
import { caseAwaitingFee, demoActor } from "../support/journeys";
import { expectAppError } from "../support/errors";

withTestDatabase();

const admin = () => demoActor("admin@sukjai.demo.borikan.local");
let secret = "";

function post(body: string, headers: Record<string, string>, code = "SKJ") {
  const request = new Request(`http://localhost/api/v1/payments/bank-callback/${code}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
  return callbackRoute.action({ request, params: { agencyCode: code }, context: {} } as never);
}

function signed(body: string, options: { at?: Date; key?: string; tamper?: boolean } = {}) {
  const timestamp = String(Math.floor((options.at ?? new Date()).getTime() / 1000));
  const mac = createHmac("sha256", options.key ?? secret).update(`${timestamp}.${body}`).digest("hex");
  return { "X-Borikan-Timestamp": timestamp, "X-Borikan-Signature": `sha256=${options.tamper ? mac.replace(/^./, (c) => (c === "a" ? "b" : "a")) : mac}` };
}

async function feeCase(n: number) {
  const caseId = await caseAwaitingFee(n);
  const [payment] = await listPaymentsOfCase(caseId);
  return { caseId, payment: payment! };
}

const bodyFor = (payment: { _id: string; ref2: string; amountSatang: number }, transactionId: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ transactionId, ref1: payment._id, ref2: payment.ref2, amount: (payment.amountSatang / 100).toFixed(2), paidAt: new Date().toISOString(), ...over });

describe("the bank callback", () => {
  it("is refused until the agency has a secret; the admin generates one (shown once, audited)", async () => {
    const { payment } = await feeCase(1);
    const body = bodyFor(payment, "TX-0");
    const before = await post(body, signed(body, { key: "guess" }));
    expect(before.status).toBe(401);
    secret = await generateCallbackSecret(await admin());
    expect(secret).toMatch(/^bkcb_/);
    await expectAppError(async () => generateCallbackSecret(await demoActor("cashier@sukjai.demo.borikan.local")), "FORBIDDEN");
  });

  it("applies a signed payment once: FEE_PAID, the permit; the same transaction again is a replay that changes nothing", async () => {
    const { caseId, payment } = await feeCase(2);
    const body = bodyFor(payment, "KTB-20261206-000123");
    const first = await post(body, signed(body));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ transactionId: "KTB-20261206-000123", outcome: "applied", paymentReference: payment._id, replay: false });
    expect((await getPayment(payment._id))!.paid).toMatchObject({ source: "callback", bankReference: "KTB-20261206-000123" });
    await settleCaseEffects(caseId);
    const record = (await getCase(caseId))!;
    expect(record.stateValue).toBe("permitIssued");

    const again = await post(body, signed(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ transactionId: "KTB-20261206-000123", outcome: "applied", paymentReference: payment._id, replay: true });
    expect((await getCase(caseId))!.rev).toBe(record.rev);

    // the statement line for the same payment, arriving the next day, is known as the callback's echo
    const cashier = requireFinanceStaff(await demoActor("cashier@sukjai.demo.borikan.local"));
    const id = await receiveStatement(cashier, { fileName: "s.txt", bytes: statementLineForTest(payment) }, { start: false });
    await runStatementImport(id);
    expect((await getStatementImportView(cashier, id)).report).toEqual([expect.objectContaining({ outcome: "duplicate", duplicateOf: expect.objectContaining({ source: "callback" }) })]);
    expect((await getCase(caseId))!.history.filter((h) => h.event === "FEE_PAID")).toHaveLength(1);
  });

  it("answers 401 with one message for a bad signature, an old or future timestamp, a wrong secret or agency", async () => {
    const { payment } = await feeCase(3);
    const body = bodyFor(payment, "TX-401");
    const answers = [
      await post(body, signed(body, { tamper: true })),
      await post(body, signed(body, { at: new Date(Date.now() - 6 * 60_000) })),
      await post(body, signed(body, { at: new Date(Date.now() + 6 * 60_000) })),
      await post(body, signed(body, { key: "bkcb_wrong" })),
      await post(body, signed(body), "TTG"),
      await post(body, signed(body), "NOPE"),
      await post(body, { "X-Borikan-Timestamp": signed(body)["X-Borikan-Timestamp"] }),
      await post(`${body} `, signed(body)), // the body changed after signing
    ];
    const bodies = await Promise.all(answers.map(async (a) => [a.status, await a.json()]));
    for (const [status, json] of bodies) {
      expect(status).toBe(401);
      expect(json).toEqual({ error: { code: "UNAUTHENTICATED", message: { th: "ไม่สามารถยืนยันผู้ส่งการแจ้งชำระเงินได้", en: "The payment notification could not be authenticated" }, details: null } });
    }
    expect((await getPayment(payment._id))!.status).toBe("due");
    // within five minutes is fine
    const ok = await post(body, signed(body, { at: new Date(Date.now() - 4 * 60_000) }));
    expect(ok.status).toBe(200);
  });

  it("lists a wrong amount for a person and rejects a malformed body with 400", async () => {
    const { payment } = await feeCase(4);
    const under = bodyFor(payment, "TX-UNDER", { amount: (payment.amountSatang / 100 - 1).toFixed(2) });
    expect(await (await post(under, signed(under))).json()).toMatchObject({ outcome: "unmatched", reason: "underpaid" });
    const decimals = bodyFor(payment, "TX-DEC", { amount: "100.005" });
    const bad = await post(decimals, signed(decimals));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details).toEqual({ pointer: "/amount" });
    const noOffset = bodyFor(payment, "TX-TZ", { paidAt: "2026-12-06T10:00:00" });
    expect((await post(noOffset, signed(noOffset))).status).toBe(400);
    expect((await getPayment(payment._id))!.status).toBe("due");
  });

  it("stops working for the old secret once rotated", async () => {
    const { payment } = await feeCase(5);
    const old = secret;
    secret = await generateCallbackSecret(await admin());
    const body = bodyFor(payment, "TX-ROT");
    expect((await post(body, signed(body, { key: old }))).status).toBe(401);
    expect((await post(body, signed(body))).status).toBe(200);
  });
});
