import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "~/core/errors";
import { getCase } from "~/models/case.server";
import { createUser, findUserByEmail, type User } from "~/models/user.server";
import { getPayment, PaymentModel } from "~/models/payment.server";
import * as qrRoute from "~/routes/cases_.$id.payments.$reference.qr[.svg]";
import * as slipRoute from "~/routes/cases_.$id.payments.$reference.slip[.pdf]";
import { getCasePayments } from "~/services/payments/get-case-payments.server";
import { loadPayableCasePayment } from "~/services/payments/load-case-payment.server";
import { actorOfUser } from "~/utils/auth.server";
import { withTestDatabase } from "../support/db";
import { foodCaseAwaitingFee } from "../support/food-premises";
import { sessionCookieFor } from "../support/sessions";

withTestDatabase();

const tmp = mkdtempSync(path.join(tmpdir(), "borikan-slip-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let applicant: User;
let otherCitizen: User;
let caseId: string;
let reference: string;

async function get(route: typeof qrRoute | typeof slipRoute, file: string, user: User, id = caseId, ref = reference): Promise<Response> {
  const url = `http://localhost/cases/${id}/payments/${ref}/${file}`;
  const request = new Request(url, { headers: { Cookie: await sessionCookieFor(user) } });
  try {
    return await route.loader({ request, params: { id, reference: ref }, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeAll(async () => {
  applicant = (await findUserByEmail("citizen@demo.borikan.local"))!;
  otherCitizen = await createUser({ email: "somsri.pay@example.co.th", passwordHash: "unused", name: "สมศรี มีสุข", kind: "citizen", roles: [] });
  // Given a food-premises case of 250 m² (a restaurant: 2,000 baht a year), approved by the approver.
  caseId = await foodCaseAwaitingFee(1, { areaSqm: 250 });
  const payments = await getCasePayments((await getCase(caseId))!, new Date());
  reference = payments[0]!.reference;
}, 120_000);

describe("the payment request of an approved food-premises case", () => {
  it("exists with the fee of the case's floor area, its lines, Ref2 and a due date 15 days on", async () => {
    const record = (await getCase(caseId))!;
    expect(record.stateValue).toBe("awaitingFee");
    const payment = (await getPayment(reference))!;
    expect(payment.caseId).toBe(caseId);
    expect(payment.amountSatang).toBe(200_000);
    expect(payment.lines.map((l) => l.amountSatang)).toEqual([200_000]);
    expect(payment.ref2).toBe(record.trackingNumber.replace(/\D/g, ""));
    expect(payment.status).toBe("due");
    const days = (new Date(payment.dueAt).getTime() - new Date(payment.requestedAt).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(15);
    expect(days).toBeLessThanOrEqual(16);

    const [view] = await getCasePayments(record, new Date(payment.requestedAt));
    expect(view).toMatchObject({ reference, state: "due", amount: "2,000.00", billerId: "099400016543901", qrUrl: `/cases/${caseId}/payments/${reference}/qr.svg`, slipUrl: `/cases/${caseId}/payments/${reference}/slip.pdf`, receiptUrl: null });
  });

  it("gives the applicant the Thai QR as an SVG with the wording and the amount", async () => {
    const response = await get(qrRoute, "qr.svg", applicant);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("image/svg+xml");
    const svg = await response.text();
    expect(svg).toMatch(/^<svg [\s\S]*<\/svg>$/);
    expect(svg).toContain("THAI QR PAYMENT");
    expect(svg).toContain("2,000.00 THB");
    expect(svg).toContain(reference);
  });

  it("gives the applicant the pay-in slip with the references, the amount and the amount in words", async () => {
    const response = await get(slipRoute, "slip.pdf", applicant);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toContain(`pay-in-slip-${reference}.pdf`);
    const file = path.join(tmp, "slip.pdf");
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString("utf8");
    const record = (await getCase(caseId))!;
    expect(text).toContain("เทศบาลเมืองสุขใจ");
    expect(text).toContain(record.trackingNumber);
    expect(text).toContain("099400016543901");
    expect(text).toContain(reference);
    expect(text).toContain(record.trackingNumber.replace(/\D/g, ""));
    expect(text).toContain("2,000.00");
    expect(text).toContain("สองพันบาทถ้วน");
    expect(text).toContain("Thai QR Payment");
    expect(text).toMatch(/\d{1,2} \S+ 25\d\d/); // the due date in the Buddhist era
  });

  it("answers 404 to another citizen, for the QR and for the slip", async () => {
    expect((await get(qrRoute, "qr.svg", otherCitizen)).status).toBe(404);
    expect((await get(slipRoute, "slip.pdf", otherCitizen)).status).toBe(404);
  });

  it("answers 404 for a reference of another case, even to that case's applicant", async () => {
    const otherCase = await foodCaseAwaitingFee(2, { areaSqm: 300, premisesType: "food-storage" });
    const [other] = await getCasePayments((await getCase(otherCase))!, new Date());
    expect(other!.amountSatang).toBe(250_000); // 2,000 + the 500 storage surcharge
    expect((await get(qrRoute, "qr.svg", applicant, caseId, other!.reference)).status).toBe(404);
    expect((await get(slipRoute, "slip.pdf", applicant, otherCase, reference)).status).toBe(404);
    expect((await get(qrRoute, "qr.svg", applicant, caseId, "not-a-reference")).status).toBe(404);
  }, 120_000);

  it("shows an expired request as expired after its due date, and gives out no QR or slip for it", async () => {
    const payment = (await getPayment(reference))!;
    const lastMoment = new Date(payment.dueAt);
    const afterDue = new Date(lastMoment.getTime() + 1);
    const record = (await getCase(caseId))!;
    expect((await getCasePayments(record, lastMoment))[0]).toMatchObject({ state: "due" });
    const [expired] = await getCasePayments(record, afterDue);
    expect(expired).toMatchObject({ state: "expired", qrUrl: null, slipUrl: null });
    const error = await loadPayableCasePayment(actorOfUser(applicant), caseId, reference, afterDue).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("CONFLICT");
  });

  it("shows a paid request as paid on its day, with the receipt's link once the receipt is issued, and no QR or slip", async () => {
    const otherCase = await foodCaseAwaitingFee(3);
    const record = (await getCase(otherCase))!;
    const [due] = await getCasePayments(record, new Date());
    // Given the reconciliation (another slice) recorded the payment, and later the receipt.
    const paidAt = new Date(new Date(due!.requestedAt).getTime() + 3_600_000);
    await PaymentModel.updateOne({ _id: due!.reference }, { $set: { status: "paid", paid: { at: paidAt, amountSatang: due!.amountSatang, source: "statement" } } });
    expect((await getCasePayments(record, paidAt))[0]).toMatchObject({ state: "paid", paidAt: paidAt.toISOString(), qrUrl: null, slipUrl: null, receiptUrl: null });
    await PaymentModel.updateOne({ _id: due!.reference }, { $set: { receiptId: "r-2570-000001" } });
    expect((await getCasePayments(record, paidAt))[0]!.receiptUrl).toBe(`/cases/${otherCase}/receipts/r-2570-000001.pdf`);
    expect((await get(slipRoute, "slip.pdf", applicant, otherCase, due!.reference)).status).toBe(409);
  }, 120_000);
});
