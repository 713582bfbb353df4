/**
 * Renders PDFs (permits, result letters, receipts) in a pool of worker threads, so the thread that
 * serves requests and runs transitions is never blocked by layout, QR encoding or compression — the
 * work that kept a transition at 7–10 % of a raw update while the effect runner made letters.
 *
 * - `PDF_WORKERS` threads (default 1: on a 2-core machine the other core serves requests and the
 *   database); 0 renders in the calling thread as before. Tasks beyond the threads wait in piscina's
 *   queue, so a burst of permits cannot starve the event loop.
 * - A render that throws, or a worker that dies, rejects the caller's promise: the effect that asked
 *   for the PDF fails and is retried like any other failed effect. Piscina replaces a dead worker.
 * - From the sources (tsx, vitest) a worker loads pdf-worker.dev.mjs, which loads the TypeScript through
 *   tsx; from the server build (build/index.js) it loads build/pdf-worker.mjs, which the build bundles.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Piscina } from "piscina";

import { env } from "~/utils/env.server";

import { renderPdfTask, type PdfTask } from "./render-task.server";

/** Where the worker's entry is, for the code running now: the sources or the server build. */
export function pdfWorkerFile(moduleUrl = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  if (/\.[cm]?tsx?$/.test(here)) return path.join(path.dirname(here), "pdf-worker.dev.mjs");
  // Bundled: this code is in build/index.js, and the build puts the worker beside it. Without it (a
  // build made by `remix build` alone) the sources next to the build are used through tsx.
  const bundled = path.join(path.dirname(here), "pdf-worker.mjs");
  const sources = path.resolve(path.dirname(here), "../app/services/pdf/pdf-worker.dev.mjs");
  return existsSync(bundled) || !existsSync(sources) ? bundled : sources;
}

let pool: Piscina | null = null;

function thePool(): Piscina | null {
  const threads = env().PDF_WORKERS;
  if (threads === 0) return null;
  if (!pool) {
    const filename = pdfWorkerFile();
    if (!existsSync(filename)) throw new Error(`The PDF worker ${filename} is missing: run the build (npm run build)`);
    pool = new Piscina({
      filename,
      minThreads: threads,
      maxThreads: threads,
      // Threads are kept: each parses the fonts once and keeps its caches warm.
      idleTimeout: Number.MAX_SAFE_INTEGER,
    });
  }
  return pool;
}

/** The PDF's bytes, rendered in a worker thread (or here with PDF_WORKERS=0). */
export async function renderPdf(task: PdfTask): Promise<Buffer> {
  const workers = thePool();
  if (!workers) return renderPdfTask(task);
  const bytes = (await workers.run(task)) as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Stops the threads (tests, graceful shutdown); the next render starts a new pool. */
export async function closePdfPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.destroy();
}
