import { describe, expect, it } from "vitest";
import { checkGraceHours, checkNewKey, latestExpiry, refusalOfKey, serviceInScope } from "~/core/api-keys";

const now = new Date("2026-12-05T03:00:00Z");
const options = { roles: ["officer", "approver"] as const, services: ["a", "b"] };

describe("API key rules", () => {
  it("refuses revoked before expired before rotated, and nothing for a live key", () => {
    const past = new Date(now.getTime() - 1);
    expect(refusalOfKey({ revokedAt: past, expiresAt: past }, { graceUntil: past }, now)).toBe("revoked");
    expect(refusalOfKey({ expiresAt: past }, { graceUntil: past }, now)).toBe("expired");
    expect(refusalOfKey({ expiresAt: new Date(now.getTime() + 1) }, { graceUntil: past }, now)).toBe("rotated");
    expect(refusalOfKey({ expiresAt: new Date(now.getTime() + 1) }, { graceUntil: new Date(now.getTime() + 1) }, now)).toBeNull();
  });

  it("scopes services: absent means all", () => {
    expect(serviceInScope(undefined, "x")).toBe(true);
    expect(serviceInScope(["a"], "a")).toBe(true);
    expect(serviceInScope(["a"], "b")).toBe(false);
  });

  it("accepts an expiry up to the end of the Bangkok day 730 days ahead", () => {
    const last = latestExpiry(now).toISOString().slice(0, 10);
    expect(last).toBe("2028-12-04");
    const ok = checkNewKey({ name: "x", roles: ["officer"], services: ["a"], expiresAt: "2028-12-04" }, options, now);
    expect(ok.ok).toBe(true);
    const far = checkNewKey({ name: "x", roles: [], services: "all", expiresAt: "2028-12-06" }, options, now);
    expect(far.ok).toBe(false);
  });

  it("grace: default 24 hours, 0 to 168 allowed", () => {
    expect(checkGraceHours(undefined)).toEqual({ ok: true, hours: 24 });
    expect(checkGraceHours("0")).toEqual({ ok: true, hours: 0 });
    expect(checkGraceHours(168)).toEqual({ ok: true, hours: 168 });
    expect(checkGraceHours(-1).ok).toBe(false);
    expect(checkGraceHours("abc").ok).toBe(false);
  });
});
