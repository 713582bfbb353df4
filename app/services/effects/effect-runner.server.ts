import { withConfigScope } from "~/models/config-stamp.server";
import { env } from "~/utils/env.server";
import { logError } from "~/utils/log.server";
import { crashPoint, effectsHeld } from "./fault-injection.server";
import type { CaseDoc } from "~/models/case.server";
import { runCaseEffects, type CaseEffectsOutcome, type GivenCase } from "./run-effects.server";

/**
 * The per-process effect runner: a transition returns once the case and its pending effects are written, and
 * the documents (PDF rendering, signing, mail) are produced here, off the request path. One case's effects run
 * in order (runCaseEffects, under per-effect leases shared with every other process); a bounded number of
 * cases run at once. Nothing here is durable: after a crash the worker's sweep finds the pending entries.
 */

type Due = { promise: Promise<CaseEffectsOutcome>; resolve: (outcome: CaseEffectsOutcome) => void; given: Given };
/** What the run starts from: the newest case a transition handed over (none: read it), and the fresh effect ids. */
type Given = { record?: CaseDoc; fresh: Set<string> };

/** Cases due for a run that has not started yet, in arrival order (a Map keeps insertion order). */
const due = new Map<string, Due>();
/** Cases running now; a case is never run twice at once in one process. */
const running = new Map<string, Promise<CaseEffectsOutcome>>();
/** The revision of the case each running run was handed (absent: it read the case itself). */
const runningRev = new Map<string, number>();
/** Re-runs of cases whose next effect another process holds, and how often each was retried. */
const retryTimers = new Map<string, NodeJS.Timeout>();
const retries = new Map<string, number>();

// Another holder usually finishes within seconds (a PDF and a signature); after ~8 s the sweep takes over.
const BLOCKED_RETRY_MS = [250, 500, 1000, 2000, 4000];

/**
 * Queues a run of the case's effects in this process and returns at once (for the request path). The returned
 * promise, which never rejects, settles when that run is over; errors are logged and left to the sweep.
 */
export function scheduleCaseEffects(caseId: string, given?: { record: CaseDoc; fresh: string[] }): Promise<CaseEffectsOutcome> | undefined {
  if (effectsHeld()) return undefined;
  return enqueue(caseId, given);
}

/**
 * Waits for the case's effects to be run in this process — the run already due or under way (a transition
 * queues one after any run in progress, so that run covers it), or a new one now — and returns its outcome.
 * For tests, the worker and anything that needs the documents now. It does not wait for another process that
 * holds one of the effects: `blocked` in the outcome says so.
 */
export function settleCaseEffects(caseId: string): Promise<CaseEffectsOutcome> {
  return due.get(caseId)?.promise ?? running.get(caseId) ?? enqueue(caseId);
}

/** Resolves once nothing is due or running in this process (tests before dropping their database; shutdown). */
export async function drainEffectRunner(): Promise<void> {
  for (const timer of retryTimers.values()) clearTimeout(timer);
  retryTimers.clear();
  while (running.size > 0 || due.size > 0) {
    await Promise.all([...running.values(), ...[...due.values()].map((d) => d.promise)]);
  }
}

/**
 * A run that has not started yet covers this request too, provided it starts from the newest case: a handed
 * record replaces an older one (by `rev`); a request without one (settle, a retry) makes the run read the case,
 * since a transition in another process may have written a newer one. A record no newer than the one the
 * case's current run was handed is not kept either (the current run covers it; the next one reads).
 */
function enqueue(caseId: string, handed?: { record: CaseDoc; fresh: string[] }): Promise<CaseEffectsOutcome> {
  const waiting = due.get(caseId);
  if (waiting) {
    for (const id of handed?.fresh ?? []) waiting.given.fresh.add(id);
    if (!handed) waiting.given.record = undefined;
    else if (waiting.given.record && handed.record.rev > waiting.given.record.rev) waiting.given.record = handed.record;
    return waiting.promise;
  }
  let resolve!: (outcome: CaseEffectsOutcome) => void;
  const promise = new Promise<CaseEffectsOutcome>((r) => (resolve = r));
  const current = runningRev.get(caseId);
  const record = handed && (current === undefined || handed.record.rev > current) ? handed.record : undefined;
  due.set(caseId, { promise, resolve, given: { record, fresh: new Set(handed?.fresh ?? []) } });
  pump();
  return promise;
}

function pump(): void {
  const limit = env().EFFECTS_CASES_AT_ONCE;
  for (const [caseId, entry] of due) {
    if (running.size >= limit) return;
    // A case already running gets its next run when the current one ends (its new effects may not be in it).
    if (running.has(caseId)) continue;
    due.delete(caseId);
    if (entry.given.record) runningRev.set(caseId, entry.given.record.rev);
    const run = runOnce(caseId, entry.given).then((outcome) => {
      running.delete(caseId);
      runningRev.delete(caseId);
      entry.resolve(outcome);
      afterRun(caseId, outcome);
      pump();
      return outcome;
    });
    running.set(caseId, run);
  }
}

async function runOnce(caseId: string, given: GivenCase): Promise<CaseEffectsOutcome> {
  // The transition has answered by now: a crash here leaves only the pending entries, for the sweep.
  crashPoint("effects:before-run");
  try {
    // One configuration stamp read per run (the request's own when it started the run and is still open). The
    // pending entries of what ran are left to the worker's sweep, which drops done ones in bulk.
    return await withConfigScope(() => runCaseEffects(caseId, { leavePendingToSweep: true }, given));
  } catch (error) {
    // The database blinked or the case could not be read: the pending entries remain for the sweep.
    logError(`effects of case ${caseId} could not run; the worker's sweep will retry them:`, error);
    return { ran: [] };
  }
}

/** When another process holds the case's next effect, look again shortly: it keeps the order, not the rest. */
function afterRun(caseId: string, outcome: CaseEffectsOutcome): void {
  if (!outcome.blocked) {
    retries.delete(caseId);
    return;
  }
  const attempt = retries.get(caseId) ?? 0;
  if (attempt >= BLOCKED_RETRY_MS.length || retryTimers.has(caseId)) {
    if (attempt >= BLOCKED_RETRY_MS.length) retries.delete(caseId);
    return;
  }
  retries.set(caseId, attempt + 1);
  const timer = setTimeout(() => {
    retryTimers.delete(caseId);
    void enqueue(caseId);
  }, BLOCKED_RETRY_MS[attempt]);
  // A pending re-run must not keep a finishing process (a script, a test worker) alive.
  timer.unref();
  retryTimers.set(caseId, timer);
}
