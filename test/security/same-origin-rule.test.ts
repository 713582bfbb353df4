/** The same-origin rule itself, case by case (the browser tests show it in place). */
import { describe, expect, it } from "vitest";
import { crossOriginVerdict, type RequestFacts } from "~/utils/web-security.server";

const OURS = "https://borikan.go.th.test";
const COOKIE = "__borikan";
const verdict = (method: string, path: string, headers: RequestFacts["headers"]) => crossOriginVerdict({ method, path, headers }, OURS, COOKIE);
const session = { cookie: `lang=th; ${COOKIE}=abc.def` };

describe("the same-origin rule for unsafe requests", () => {
  it("lets safe methods through whatever their origin", () => {
    expect(verdict("GET", "/api/v1/services", { ...session, origin: "https://evil.test" })).toEqual({ allowed: true });
  });

  it("takes a session's POST from our own Origin, or with Sec-Fetch-Site same-origin when there is no Origin", () => {
    expect(verdict("POST", "/logout", { ...session, origin: OURS })).toEqual({ allowed: true });
    expect(verdict("POST", "/logout", { ...session, "sec-fetch-site": "same-origin" })).toEqual({ allowed: true });
  });

  it("refuses a session's POST from another origin, a same-site sibling, or with neither header", () => {
    expect(verdict("POST", "/logout", { ...session, origin: "https://evil.test" })).toEqual({ allowed: false, reason: "foreign-origin" });
    expect(verdict("DELETE", "/uploads/x", { ...session, "sec-fetch-site": "same-site" })).toEqual({ allowed: false, reason: "no-origin" });
    expect(verdict("PUT", "/api/v1/admin/services/x/draft", { ...session })).toEqual({ allowed: false, reason: "no-origin" });
    expect(verdict("POST", "/login", { ...session, origin: "null" })).toEqual({ allowed: false, reason: "foreign-origin" });
  });

  it("refuses a foreign Origin even without a session (a forged sign-in), but not a client that names none", () => {
    expect(verdict("POST", "/login", { origin: "https://evil.test" })).toEqual({ allowed: false, reason: "foreign-origin" });
    expect(verdict("POST", "/login", {})).toEqual({ allowed: true });
  });

  it("requires JSON for a session's API request with a body", () => {
    const post = (type: string | undefined) => verdict("POST", "/api/v1/applications/1/events", { ...session, origin: OURS, "content-length": "12", "content-type": type });
    expect(post("application/json; charset=utf-8")).toEqual({ allowed: true });
    expect(post("text/plain")).toEqual({ allowed: false, reason: "not-json" });
    expect(post(undefined)).toEqual({ allowed: false, reason: "not-json" });
    expect(verdict("POST", "/api/v1/admin/services/x/verify", { ...session, origin: OURS })).toEqual({ allowed: true });
  });

  it("leaves API-key clients alone", () => {
    expect(verdict("POST", "/api/v1/applications/1/events", { ...session, authorization: "Bearer bk_x", origin: "https://evil.test", "content-type": "text/plain", "content-length": "2" })).toEqual({ allowed: true });
  });
});
