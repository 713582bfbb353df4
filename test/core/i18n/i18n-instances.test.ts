import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe("the translation instances", () => {
  it("translate in both languages and print nothing to the console (no library advertisement in the server log)", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const { i18nFor } = await import("~/i18n/i18n");
    const th = i18nFor("th");
    const en = i18nFor("en");
    expect(th.language).toBe("th");
    expect(en.language).toBe("en");
    expect([...info.mock.calls, ...log.mock.calls]).toEqual([]);
  });
});
