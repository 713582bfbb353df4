import path from "node:path";
import { defineConfig } from "vitest/config";

/** Tests of the framework-free core, the components and the reference definitions: no database, no server. */
const PURE = ["test/core/**/*.test.{ts,tsx}", "test/components/**/*.test.{ts,tsx}", "test/definitions/**/*.test.ts"];

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    setupFiles: ["test/setup/fail-on-console-error.ts", "test/setup/fresh-connections.ts"],
    // Most tests sign demo admins and approvers in with a password alone; the second-factor tests turn it on.
    env: { SECOND_FACTOR_REQUIRED_ROLES: "" },
    projects: [
      // `npx vitest run --project pure`: seconds, without starting the embedded database.
      { extends: true, test: { name: "pure", include: PURE } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          exclude: PURE,
          globalSetup: ["test/setup/global-db.ts"],
        },
      },
    ],
  },
});
