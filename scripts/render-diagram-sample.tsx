/**
 * Renders a workflow definition with <WorkflowDiagram> and screenshots it, to look at the picture.
 *   npx tsx scripts/render-diagram-sample.tsx <workflow.json> <out.png> [th|en] [currentState] [visited,states]
 * Uses Debian's chromium through playwright-core; Sarabun comes from node_modules, so the
 * screenshot uses the same font the app does.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { renderToStaticMarkup } from "react-dom/server";
import { chromium } from "playwright-core";
import { WorkflowDiagram } from "../app/components/WorkflowDiagram";
import type { DiagramWorkflowConfig } from "../app/core/workflow/diagram-layout";
import type { Lang } from "../app/core/text";

const [input, output, langArg, current, visitedArg] = process.argv.slice(2);
if (!input || !output) {
  console.error(
    "usage: npx tsx scripts/render-diagram-sample.tsx <workflow.json> <out.png> [th|en] [currentState] [visited,states]"
  );
  process.exit(2);
}
const lang: Lang = langArg === "en" ? "en" : "th";
const config = JSON.parse(readFileSync(input, "utf8")) as DiagramWorkflowConfig;
const visited = visitedArg ? visitedArg.split(",").filter(Boolean) : undefined;

const svg = renderToStaticMarkup(
  <WorkflowDiagram config={config} lang={lang} currentState={current || undefined} visitedStates={visited} />
);

const require = createRequire(import.meta.url);
const fontDir = path.dirname(require.resolve("@expo-google-fonts/sarabun/package.json"));
const face = (weight: number, dir: string, file: string) =>
  `@font-face{font-family:Sarabun;font-weight:${weight};src:url("${
    pathToFileURL(path.join(fontDir, dir, file)).href
  }") format("truetype");}`;

const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><style>
${face(400, "400Regular", "Sarabun_400Regular.ttf")}
${face(500, "500Medium", "Sarabun_500Medium.ttf")}
${face(700, "700Bold", "Sarabun_700Bold.ttf")}
body{margin:0;padding:24px;background:#fff;font-family:Sarabun,sans-serif}
#wrap{display:inline-block}
</style></head><body><div id="wrap">${svg}</div></body></html>`;

const htmlPath = path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.html`);
writeFileSync(htmlPath, html);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: 2 });
  await page.goto(pathToFileURL(htmlPath).href);
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
  const fontsLoaded = await page.evaluate(() => document.fonts.check("16px Sarabun", "ก"));
  if (!fontsLoaded) console.warn("Sarabun did not load; the screenshot uses a fallback font");
  await page.locator("#wrap").screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  const { rmSync } = await import("node:fs");
  rmSync(htmlPath, { force: true });
}
