import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm run bench -- --small` (1,000 rows, a few runs): the bench keeps working as the code changes. Its
// figures are not judged here (a shared CI machine), only that every hot path was measured.
const out = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-small-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Row = { size: number; path: string; value: number; figure: string; ratio?: number; met?: boolean };

describe("npm run bench -- --small", () => {
  it("measures every hot path with its ceiling and writes latest.md and latest.json", () => {
    // As from a shell: not the test runner's NODE_ENV=test (a staged `remix build` would then not be a production build).
    const { NODE_ENV: _testEnv, ...env } = process.env;
    const run = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "--small", "--out", out], { encoding: "utf8", timeout: 600_000, env: env as NodeJS.ProcessEnv });
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    const { rows, loads } = JSON.parse(readFileSync(path.join(out, "latest.json"), "utf8")) as { rows: Row[]; loads: string[] };
    const paths = rows.map((r) => r.path);
    for (const expected of [
      "inbox: in progress, page 1 (with its total count)",
      "inbox: in progress, page 20 (with its total count)",
      "inbox: overdue (with its total count)",
      "inbox search: a tracking number",
      "inbox search: a word in every name (capped at 500)",
      "My requests (citizen with 50 cases)",
      "sign-in look-up by e-mail",
      "GET /inbox (officer)",
      "GET /my/requests (citizen)",
      "filing through the API, concurrency 8",
      "filing through the API, concurrency 32",
      "server rendering of the apply page (/services/sukjai-health-hazard-licence/apply)",
      "server rendering of the inbox page (/inbox)",
      "server rendering of the apply page (/services/sukjai-health-hazard-licence/apply), data already read",
      "server rendering of the inbox page (/inbox), data already read",
      "transition without documents (ACCEPT), effects run alongside in this process",
      "transition without documents (ACCEPT), persisted; its effects produced afterwards",
      "transition issuing a letter (APPROVE), effects run alongside in this process",
      "transition issuing a letter (APPROVE), persisted; its effects produced afterwards",
    ]) expect(paths).toContain(expected);
    for (const row of rows) expect(Number.isFinite(row.value), `${row.path}: ${row.figure}`).toBe(true);
    // Filings and transitions are compared with a ceiling that really ran.
    for (const row of rows.filter((r) => r.path.startsWith("filing through") || r.path.startsWith("transition") || r.path.startsWith("server rendering"))) {
      expect(row.ratio, row.path).toBeGreaterThan(0);
      expect(Number.isFinite(row.ratio), row.path).toBe(true);
    }
    expect(loads[0]).toMatch(/^start: \d/);
    const md = readFileSync(path.join(out, "latest.md"), "utf8");
    expect(md).toContain("| path | figure | ceiling | ratio | target | met | previous |");
  }, 660_000);
});
