import { describe, expect, it } from "vitest";
import { normalizeThaiPhone, parseNewAgency } from "~/core/onboarding/agency-input";
import { INVITATION_TTL_MS, invitationState } from "~/core/onboarding/invitation-rules";
import { leavesAgencyWithoutAdmin, parseRoleChoice } from "~/core/onboarding/staff-rules";

describe("onboarding rules", () => {
  it("an invitation is pending until 72 hours have passed, then expired", () => {
    const now = new Date("2026-12-05T00:00:00Z");
    const record = { status: "pending" as const, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) };
    expect(invitationState(record, now)).toBe("pending");
    expect(invitationState(record, new Date(now.getTime() + INVITATION_TTL_MS))).toBe("expired");
    expect(invitationState({ ...record, status: "revoked" }, now)).toBe("revoked");
  });

  it("offers only the agency's roles and the admin right; a held role may be kept", () => {
    expect(parseRoleChoice(["officer", "agencyAdmin"], ["officer"])).toEqual({ choice: { roles: ["officer"], admin: true } });
    expect(parseRoleChoice(["cashier"], ["officer"])).toHaveProperty("fields");
    expect(parseRoleChoice(["cashier"], ["officer"], ["cashier"])).toEqual({ choice: { roles: ["cashier"], admin: false } });
    expect(parseRoleChoice([], ["officer"])).toHaveProperty("fields");
  });

  it("refuses a change that leaves no active admin", () => {
    const seats = [{ id: "a", isAdmin: true, active: true }, { id: "b", isAdmin: false, active: true }];
    expect(leavesAgencyWithoutAdmin(seats, "a", { isAdmin: false })).toBe(true);
    expect(leavesAgencyWithoutAdmin(seats, "a", { active: false })).toBe(true);
    expect(leavesAgencyWithoutAdmin([...seats, { id: "c", isAdmin: true, active: true }], "a", { isAdmin: false })).toBe(false);
  });

  it("checks an agency's fields and phone numbers", () => {
    expect(normalizeThaiPhone("+66 81 234 5678")).toBe("0812345678");
    expect(normalizeThaiPhone("12345")).toBeNull();
    const parsed = parseNewAgency({ code: "dep1", name: { th: "กรมทดสอบ", en: "Test Department" }, kind: "department", contact: { name: "ก", email: "a@b.go.th", phone: "02 123 4567" }, targetLevel: "standard" }, []);
    expect(parsed).toMatchObject({ agency: { code: "DEP1", kind: "department" } });
  });
});
