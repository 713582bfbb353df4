// The PDF worker thread's entry when Borikan runs from its TypeScript sources (tsx, vitest, benches):
// it loads render-task.server.ts through tsx, under its own namespace so that it neither needs nor
// disturbs a tsx the thread may have inherited. The server build uses build/pdf-worker.mjs instead,
// bundled from the same module by scripts/build-pdf-worker.mjs.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = register({ namespace: "borikan-pdf-worker", tsconfig: path.resolve(here, "../../../tsconfig.json") });
const task = await tsx.import("./render-task.server.ts", import.meta.url);

export default task.default;
