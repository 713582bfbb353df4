/**
 * Crash points for the crash-safety tests: when BORIKAN_CRASH_AT names a point, the process dies there
 * at once (as `kill -9` would), leaving whatever was half done. Inert unless that variable is set.
 */
export function crashPoint(name: string): void {
  if (process.env.BORIKAN_CRASH_AT === name) {
    process.stderr.write(`crash injected at ${name}\n`);
    process.exit(137);
  }
}

/**
 * Test gate: with BORIKAN_HOLD_EFFECTS=1 a web process queues effects but does not start them itself, so a test
 * can see (and photograph) documents "being prepared"; settleCaseEffects or the worker's sweep then runs them.
 */
export function effectsHeld(): boolean {
  return process.env.BORIKAN_HOLD_EFFECTS === "1";
}

/**
 * Test gate for the PDF worker threads: BORIKAN_PDF_FAULT=throw makes a render throw, =exit makes the
 * thread rendering it exit (as a crash of the thread would). Read in the rendering thread, whose
 * environment is a copy of the process's when the pool started it. Inert unless that variable is set.
 */
export function pdfFault(kind: string): void {
  const fault = process.env.BORIKAN_PDF_FAULT;
  if (fault === "throw") throw new Error(`PDF fault injected while rendering a ${kind}`);
  if (fault === "exit") process.exit(70);
}
