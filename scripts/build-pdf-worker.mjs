// Bundles the PDF worker thread's entry (app/services/pdf/render-task.server.ts) into build/pdf-worker.mjs,
// beside the Remix server build (build/index.js) that starts it. Run after `remix build` (npm run build,
// npm start and npm test do). Packages stay external: they load from node_modules as the server's do.
// `node scripts/build-pdf-worker.mjs <outfile>` writes elsewhere (a test does, inside the repository so that
// node_modules is found).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
await build({
  absWorkingDir: root,
  entryPoints: ["app/services/pdf/render-task.server.ts"],
  outfile: process.argv[2] ?? "build/pdf-worker.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  tsconfig: "tsconfig.json", // the "~/" alias
  // Packages load from node_modules at run time, as the server build's do ("~/" is the app, bundled).
  plugins: [
    {
      name: "external-packages",
      setup(b) {
        b.onResolve({ filter: /^[^./~]/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
  logLevel: "warning",
});
