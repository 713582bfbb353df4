import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["test/setup/global-db.ts"],
    setupFiles: ["test/setup/fail-on-console-error.ts", "test/setup/fresh-connections.ts"],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    // Most tests sign demo admins and approvers in with a password alone; the second-factor tests turn it on.
    env: { SECOND_FACTOR_REQUIRED_ROLES: "" },
  },
});
