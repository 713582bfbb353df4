// `npm test`: checks what the tests need, builds the app for the browser tests, runs vitest.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const missing = [];
if (spawnSync("go", ["version"]).error && !process.env.MONGODB_URI) missing.push("Go (builds the embedded FerretDB database)");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) missing.push(`Chromium at ${chromium} (apt-get install chromium fonts-thai-tlwg)`);
if (missing.length > 0) {
  console.error(`Missing prerequisites:\n${missing.map((m) => `  - ${m}`).join("\n")}`);
  process.exit(1);
}
const steps = [
  ["npx", ["remix", "build"], {}],
  ["node", ["scripts/build-pdf-worker.mjs"], {}],
  ["npx", ["vitest", "run", ...process.argv.slice(2)], { NODE_ENV: "test" }],
];
for (const [command, args, extraEnv] of steps) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
