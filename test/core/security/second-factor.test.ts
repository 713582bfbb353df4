import { describe, expect, it } from "vitest";
import { formatRecoveryCode, isSecondFactorRequired, normalizeRecoveryCode, normalizeTotpCode, signInStep } from "~/core/security/second-factor";

const REQUIRED = ["agencyAdmin", "opdcAdmin", "approver"];

describe("who must have a second factor", () => {
  it("follows the listed kinds and roles, and the agency's rule for all its staff; never citizens", () => {
    expect(isSecondFactorRequired({ kind: "agencyAdmin", roles: [] }, REQUIRED, false)).toBe(true);
    expect(isSecondFactorRequired({ kind: "staff", roles: ["officer", "approver"] }, REQUIRED, false)).toBe(true);
    expect(isSecondFactorRequired({ kind: "staff", roles: ["officer"] }, REQUIRED, false)).toBe(false);
    expect(isSecondFactorRequired({ kind: "staff", roles: ["officer"] }, REQUIRED, true)).toBe(true);
    expect(isSecondFactorRequired({ kind: "citizen", roles: [] }, ["citizen"], true)).toBe(false);
    expect(isSecondFactorRequired({ kind: "opdcAdmin", roles: [] }, [], false)).toBe(false);
  });

  it("asks for the factor when one is enrolled, for enrolment when required, else nothing", () => {
    expect(signInStep(true, false)).toBe("secondFactor");
    expect(signInStep(false, true)).toBe("enrolSecondFactor");
    expect(signInStep(false, false)).toBeNull();
  });
});

describe("codes as typed", () => {
  it("reads recovery codes in any case, with or without the dash, and refuses others", () => {
    const code = formatRecoveryCode(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 31]));
    expect(code).toBe("01234-5678Z");
    expect(normalizeRecoveryCode(" 01234 5678z ")).toBe("012345678Z");
    expect(normalizeRecoveryCode("01234-5678I")).toBeNull();
    expect(normalizeRecoveryCode("0123")).toBeNull();
  });

  it("reads six-digit app codes, spaces allowed", () => {
    expect(normalizeTotpCode("123 456")).toBe("123456");
    expect(normalizeTotpCode("12345")).toBeNull();
    expect(normalizeTotpCode("12345a")).toBeNull();
  });
});
