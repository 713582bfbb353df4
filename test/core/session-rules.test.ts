import { describe, expect, it } from "vitest";
import { sessionRefusal, touchIntervalMs } from "~/core/session-rules";

const MIN = 60_000;
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 9, 0) + minutes * MIN);
const session = (over: Partial<{ createdAt: Date; lastSeenAt: Date; expiresAt: Date }> = {}) => ({
  createdAt: at(0),
  lastSeenAt: at(0),
  expiresAt: at(8 * 60),
  ...over,
});
const holder = { active: true };

describe("sessionRefusal", () => {
  it("accepts a session in use, within its lifetime, of an active person", () => {
    expect(sessionRefusal(session({ lastSeenAt: at(470) }), holder, 30 * MIN, at(479))).toBeNull();
  });

  it("refuses a session left idle for the idle limit", () => {
    expect(sessionRefusal(session({ lastSeenAt: at(10) }), holder, 30 * MIN, at(39))).toBeNull();
    expect(sessionRefusal(session({ lastSeenAt: at(10) }), holder, 30 * MIN, at(40))).toBe("idle");
  });

  it("refuses a session past its absolute end however recently it was used", () => {
    expect(sessionRefusal(session({ lastSeenAt: at(479) }), holder, 30 * MIN, at(480))).toBe("expired");
  });

  it("refuses a session started before the person's sessionsValidFrom", () => {
    expect(sessionRefusal(session(), { active: true, sessionsValidFrom: at(1) }, 30 * MIN, at(2))).toBe("revoked");
    expect(sessionRefusal(session({ createdAt: at(1) }), { active: true, sessionsValidFrom: at(1) }, 30 * MIN, at(2))).toBeNull();
  });

  it("refuses the session of a deactivated or deleted account", () => {
    expect(sessionRefusal(session(), { active: false }, 30 * MIN, at(1))).toBe("inactive");
    expect(sessionRefusal(session(), null, 30 * MIN, at(1))).toBe("inactive");
  });

  it("treats an account without the active flag (created before it existed) as active", () => {
    expect(sessionRefusal(session(), {}, 30 * MIN, at(1))).toBeNull();
  });
});

describe("touchIntervalMs", () => {
  it("writes last-seen at most once a minute, more often only for idle limits under four minutes", () => {
    expect(touchIntervalMs(30 * MIN)).toBe(MIN);
    expect(touchIntervalMs(2 * MIN)).toBe(30_000);
  });
});
