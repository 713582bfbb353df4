import { describe, expect, it } from "vitest";
import { formatLimit, parseLimit, RATE_LIMITS, SIGN_IN_DEFAULTS, signInDelayMs } from "~/core/security/limits";

describe("limit settings", () => {
  it("reads a count per named period or per a number of seconds", () => {
    expect(parseLimit("60/minute")).toEqual({ points: 60, seconds: 60 });
    expect(parseLimit("600 / hour")).toEqual({ points: 600, seconds: 3600 });
    expect(parseLimit("5/30")).toEqual({ points: 5, seconds: 30 });
    expect(parseLimit("3/days")).toEqual({ points: 3, seconds: 86_400 });
  });

  it("refuses anything else", () => {
    for (const text of ["", "60", "0/minute", "-1/minute", "1.5/minute", "10/fortnight", "10/0", "off"]) expect(parseLimit(text), text).toBeNull();
  });

  it("writes each default back as its setting would be written", () => {
    for (const spec of Object.values(RATE_LIMITS)) expect(parseLimit(formatLimit(spec.default))).toEqual(spec.default);
  });
});

describe("progressive delay of failed sign-ins", () => {
  it("is nothing for the first half of the allowed failures, then doubles, and is nothing once locked", () => {
    const delays = Array.from({ length: 11 }, (_, i) => signInDelayMs(i + 1, SIGN_IN_DEFAULTS.failuresPerAccount, 500));
    expect(delays).toEqual([0, 0, 0, 0, 0, 500, 1000, 2000, 4000, 0, 0]);
  });

  it("never holds an answer back longer than 8 seconds", () => {
    expect(signInDelayMs(49, 50, 500)).toBe(8000);
  });
});
