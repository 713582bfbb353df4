import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect } from "vitest";

/** axe-core's browser build, read once. It is evaluated over the DevTools protocol: the CSP blocks injected <script> tags. */
let axeSource: string | null = null;
function axeScript(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/** `soft`: record the failure and go on (a run over many pages reports them all). */
export type CheckOptions = { soft?: boolean };

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] };

/** WCAG 2.0 and 2.1, levels A and AA. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Runs axe-core in the page as it is now and fails listing every serious or critical violation
 * (rule, element, what to fix). Minor and moderate findings are not counted.
 */
export async function expectAccessible(page: Page, label: string, options: CheckOptions = {}): Promise<void> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeScript());
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  }, AXE_TAGS);
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const lines = serious.flatMap((v) =>
    v.nodes.map((n) => `${label}: [${v.impact}] ${v.id} (${v.help}) at ${n.target.join(" ")}: ${(n.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 300)}`),
  );
  (options.soft ? expect.soft : expect)(lines, `${label}: axe found serious or critical violations:\n${lines.join("\n")}\n`).toEqual([]);
}

/**
 * At the page's current viewport, fails if the page scrolls sideways (the document or the body is wider than
 * the window), naming the widest elements that stick out and are not inside a box that scrolls or clips them.
 */
export async function expectNoHorizontalOverflow(page: Page, label: string, options: CheckOptions = {}): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const found = await page.evaluate((viewport) => {
    // A mobile viewport grows to fit content that overflows: compare with the width the page was given too.
    const limit = Math.min(window.innerWidth, viewport || window.innerWidth);
    const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
    if (scrollWidth <= limit) return null;
    const clipped = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return true;
      }
      return false;
    };
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className.trim() ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
      const testid = el.getAttribute("data-testid");
      return `${el.tagName.toLowerCase()}${id}${cls}${testid ? `[data-testid=${testid}]` : ""}`;
    };
    const offenders = [...document.body.querySelectorAll("*")]
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ el, box }) => box.width > 0 && box.right > limit + 0.5 && !clipped(el))
      .sort((a, b) => b.box.width - a.box.width)
      .slice(0, 6)
      .map(({ el, box }) => `${describe(el)} (${Math.round(box.left)}–${Math.round(box.right)} px)`);
    return [`${scrollWidth} px wide in a ${limit} px window; sticking out:`, ...offenders];
  }, width);
  (options.soft ? expect.soft : expect)(found, `${label} at ${width} px: the page scrolls sideways: ${(found ?? []).join("\n  ")}\n`).toBeNull();
}

/**
 * WCAG 2.5.3 (label in name): a button or link with an aria-label whose visible text is words must have an
 * accessible name that starts with that text, so that a person saying what they see reaches it.
 */
export async function expectLabelInName(page: Page, label: string, options: CheckOptions = {}): Promise<void> {
  const mismatches = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("button[aria-label], a[aria-label], summary[aria-label], [role=button][aria-label]:not(svg *)")]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ text: el.innerText.replace(/\s+/g, " ").trim(), name: (el.getAttribute("aria-label") ?? "").replace(/\s+/g, " ").trim() }))
      // The visible text as whole words at the start (Thai runs words together: "คัดลอกค่า" does not start with "คัดลอก").
      .filter(({ text, name }) => /\p{L}/u.test(text) && !(name.toLowerCase().startsWith(text.toLowerCase()) && !/^[\p{L}\p{M}]/u.test(name.slice(text.length))))
      .map(({ text, name }) => `"${text}" is named "${name}"`),
  );
  (options.soft ? expect.soft : expect)(mismatches, `${label}: accessible names that do not start with the visible text:\n${mismatches.join("\n")}\n`).toEqual([]);
}
