import { describe, expect, it } from "vitest";
import { isPayable, paymentState } from "~/core/payments/payment-state";

describe("paymentState", () => {
  const dueAt = new Date("2026-12-21T16:59:59.999Z"); // 23:59:59.999 on 21 Dec 2026 in Bangkok
  it("is due up to the last millisecond of the due day and expired after it", () => {
    expect(paymentState({ status: "due", dueAt }, new Date("2026-12-21T16:59:59.999Z"))).toBe("due");
    expect(paymentState({ status: "due", dueAt }, new Date("2026-12-21T17:00:00.000Z"))).toBe("expired");
  });
  it("keeps paid and cancelled whatever the clock says, and only a due request is payable", () => {
    expect(paymentState({ status: "paid", dueAt }, new Date("2027-01-30T00:00:00Z"))).toBe("paid");
    expect(paymentState({ status: "cancelled", dueAt }, new Date("2026-12-01T00:00:00Z"))).toBe("cancelled");
    expect(isPayable("due")).toBe(true);
    expect(isPayable("expired")).toBe(false);
  });
});
