import { describe, expect, it } from "vitest";
import { safeNext } from "~/core/safe-redirect";

const SITE = "https://borikan.example.go.th";

describe("safeNext keeps a sign-in's next page only on this site", () => {
  it.each([
    ["/cases/1?x=1#y", "/cases/1?x=1#y"],
    ["/inbox", "/inbox"],
    ["/my/requests?page=2", "/my/requests?page=2"],
    ["/services/%E0%B8%81", "/services/%E0%B8%81"],
    ["cases/1", "/cases/1"],
    [`${SITE}/inbox?x=1`, "/inbox?x=1"],
    // Encoded slashes and backslashes stay one path segment on this site: harmless.
    ["/%2F%2Fevil", "/%2F%2Fevil"],
    ["%5C%5Cevil", "/%5C%5Cevil"],
  ])("keeps %j as %j", (next, expected) => {
    expect(safeNext(next, SITE)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\n//evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "https://evil.example",
    "https://evil.example/inbox",
    "http://borikan.example.go.th/inbox",
    "https://borikan.example.go.th.evil.example/",
    "https://borikan.example.go.th@evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/.//evil.example",
    "/a/..//evil.example",
  ])("refuses %j", (next) => {
    expect(safeNext(next, SITE)).toBe("/");
  });

  it("uses the fallback for a missing, empty or non-string value", () => {
    expect(safeNext(null, SITE, "/inbox")).toBe("/inbox");
    expect(safeNext("", SITE, "/inbox")).toBe("/inbox");
    expect(safeNext(["/cases/1"], SITE, "/inbox")).toBe("/inbox");
    expect(safeNext("//evil.example", SITE, "/inbox")).toBe("/inbox");
  });

  it("judges the origin against PUBLIC_URL, port included", () => {
    expect(safeNext("http://localhost:3000/cases/1", "http://localhost:3000")).toBe("/cases/1");
    expect(safeNext("http://localhost:3001/cases/1", "http://localhost:3000")).toBe("/");
    // A scheme-relative form of the site's own scheme is a path on this site; of another scheme, another host.
    expect(safeNext("http:evil.example", "http://localhost:3000")).toBe("/evil.example");
    expect(safeNext("https:evil.example", SITE)).toBe("/evil.example");
  });
});
