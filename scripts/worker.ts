// The background worker: picks up effects (permits, letters, notices) that a web process queued but did not
// finish — it crashed, or the database blinked — deletes uploads that expired unattached, appends audit entries
// that could not be appended when their action happened, signs each audit chain's head every
// AUDIT_CHECKPOINT_MINUTES, removes the personal data of closed cases kept longer than their retention (PDPA), and deletes
// rate-limit counts and sessions that ended; and keeps the public registry's shared index snapshot fresh, so a web
// process starting later loads it and has few changes to catch up (building the first one if none exists); sends
// the law's delay and decision notices when due, delivers webhooks with their retries, computes OPDC's figures and
// sends the s.22 progress notices and reports. `npm start` runs one beside the web server.
import { drainAuditSpool } from "~/services/audit/drain-audit-spool.server";
import { signAllAuditCheckpoints } from "~/services/audit/sign-audit-checkpoint.server";
import { cleanupEndedSessions } from "~/services/accounts/cleanup-ended-sessions.server";
import { sweepPendingEffects } from "~/services/effects/run-effects.server";
import { repairNewCaseReadModels } from "~/services/cases/repair-new-cases.server";
import { resumeStalledStatementImports } from "~/services/payments/statement-imports.server";
import { sendDueNotices } from "~/services/cases/send-due-notices.server";
import { sendPeriodicReports } from "~/services/oversight/send-periodic-reports.server";
import { removeExpiredPersonalData } from "~/services/privacy/remove-expired-personal-data.server";
import { purgeExpiredRateLimits } from "~/models/rate-limit.server";
import { cleanupExpiredUploads } from "~/services/uploads/cleanup-uploads.server";
import { AppError } from "~/core/errors";
import { publishRegistrySnapshot } from "~/services/registry.server";
import { ensureAgencyFigures, refreshAgencyFigures } from "~/services/oversight/agency-figures.server";
import { deliverDueWebhooks } from "~/services/webhooks/deliver-webhooks.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { logError } from "~/utils/log.server";

const intervalMs = Number(process.env.WORKER_INTERVAL_MS ?? 10_000);
const once = process.argv.includes("--once");
const checkpointEveryMs = env().AUDIT_CHECKPOINT_MINUTES * 60_000;
let lastCheckpointAt = 0;
// Retention is counted in days and years: an hourly sweep is plenty, and it reads every closed case.
const retentionSweepMs = env().RETENTION_SWEEP_INTERVAL_MS;
let nextRetentionSweep = 0;
// Deleting by time scans the collection on FerretDB (no TTL indexes there), so not on every sweep.
const RATE_LIMIT_PURGE_MS = 5 * 60_000;
let lastRateLimitPurge = 0;
// Ended sessions are refused anyway; removing their records can wait (and is a scan on FerretDB).
const SESSION_SWEEP_MS = 5 * 60_000;
let lastSessionSweep = 0;
// Delay notices are due by the day (Licensing Facilitation Act): every NOTICE_SWEEP_MINUTES is plenty.
const noticeSweepMs = env().NOTICE_SWEEP_MINUTES * 60_000;
let lastNoticeSweep = 0;

await connectDb();
let stopping = false;
// Stopping ends every wait (between sweeps, and of the loops beside them) at once; work under way finishes first.
let endWait: (() => void) | undefined;
const wakers = new Set<() => void>();
const stop = () => {
  stopping = true;
  endWait?.();
  for (const wake of wakers) wake();
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);

/**
 * Runs `sweep` now and then every `everyMs`, beside the main sweeps rather than inside them: work that reads a
 * whole collection (minutes at a million rows) or waits on other systems must not hold up the effects.
 */
function loopBeside(name: string, everyMs: number, sweep: () => Promise<void>): Promise<void> {
  return (async () => {
    while (!stopping) {
      try {
        await sweep();
      } catch (error) {
        logError(`worker: ${name} failed; retrying`, error);
      }
      if (once || stopping) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, everyMs);
        wakers.add(wake);
      });
    }
  })();
}

// The registry snapshot: the first build reads every permit.
const registrySnapshots = loopBeside("registry snapshot", Number(process.env.REGISTRY_SNAPSHOT_INTERVAL_MS ?? 30_000), async () => {
  try {
    const written = await publishRegistrySnapshot();
    if (written) console.log(`worker: wrote registry snapshot at change ${written.seen} (${Math.round(written.bytes / 2 ** 20)} MiB)`);
  } catch (error) {
    // UNAVAILABLE: another process is building the first snapshot; this loop loads it once it exists.
    if (!(error instanceof AppError && error.code === "UNAVAILABLE")) throw error;
  }
});

// Webhooks: retries are due every few seconds, and a slow receiver (10 s deadline) must not hold up the other
// sweeps. It reads only webhook_due (the undelivered deliveries).
const webhookSweeps = loopBeside("webhook sweep", Number(process.env.WEBHOOK_SWEEP_MS ?? 5_000), async () => {
  const sent = await deliverDueWebhooks();
  if (sent.attempted > 0) console.log(`worker: webhooks ${sent.delivered} delivered, ${sent.retrying} to retry, ${sent.failed} failed`);
});

// OPDC's figures read every case: at start-up when none are stored, then every OVERSIGHT_REFRESH_MINUTES. The
// s.22 notices (once per 15/60-day period, claimed so never doubled) render PDFs of those figures, so they follow.
const oversightRefreshMs = env().OVERSIGHT_REFRESH_MINUTES * 60_000;
let nextOversightRefresh = 0;
const oversightSweeps = loopBeside("oversight figures and s.22 notices", Number(process.env.PERIODIC_REPORTS_SWEEP_MS ?? 10 * 60_000), async () => {
  if (Date.now() >= nextOversightRefresh) {
    // At start-up only when none are stored (a restart does not recompute them); then on the interval.
    if (nextOversightRefresh === 0) await ensureAgencyFigures();
    else await refreshAgencyFigures();
    nextOversightRefresh = Date.now() + oversightRefreshMs;
  }
  const reports = await sendPeriodicReports();
  if (reports.sent.length > 0) console.log(`worker: sent s.22 notices ${reports.sent.join(", ")}`);
});

// Bank statement imports whose web process died (their heartbeat stopped): taken over and run to the end.
const statementImportSweeps = loopBeside("statement imports", Number(process.env.STATEMENT_IMPORT_SWEEP_MS ?? 30_000), async () => {
  const resumed = await resumeStalledStatementImports();
  if (resumed > 0) console.log(`worker: completed ${resumed} interrupted statement import(s)`);
});

let announcedIdle = false;
do {
  try {
    const ran = await sweepPendingEffects();
    if (ran > 0) console.log(`worker: ran ${ran} pending effect(s)`);
    const repaired = await repairNewCaseReadModels();
    if (repaired.words + repaired.clocks > 0) console.log(`worker: wrote ${repaired.words} missing search word(s) and ${repaired.clocks} clock row(s) of new cases`);
    const removed = await cleanupExpiredUploads();
    if (removed > 0) console.log(`worker: removed ${removed} expired upload(s)`);
    const appended = await drainAuditSpool();
    if (appended > 0) console.log(`worker: appended ${appended} spooled audit entr(ies)`);
    if (Date.now() - lastCheckpointAt >= checkpointEveryMs) {
      for (const outcome of await signAllAuditCheckpoints()) {
        if (outcome.signed) console.log(`worker: signed audit checkpoint ${outcome.agencyId} #${outcome.seq}`);
        else if (outcome.reason === "broken") console.error(`worker: audit chain ${outcome.agencyId} is broken; not signed`, outcome.problems);
      }
      lastCheckpointAt = Date.now();
    }
    if (Date.now() >= nextRetentionSweep) {
      const cleared = await removeExpiredPersonalData();
      if (cleared > 0) console.log(`worker: removed the personal data of ${cleared} case(s) past their retention period`);
      nextRetentionSweep = Date.now() + retentionSweepMs;
    }
    if (Date.now() - lastRateLimitPurge >= RATE_LIMIT_PURGE_MS) {
      lastRateLimitPurge = Date.now();
      await purgeExpiredRateLimits();
    }
    if (Date.now() - lastSessionSweep >= SESSION_SWEEP_MS) {
      lastSessionSweep = Date.now();
      const ended = await cleanupEndedSessions();
      if (ended > 0) console.log(`worker: removed ${ended} ended session(s)`);
    }
    if (Date.now() - lastNoticeSweep >= noticeSweepMs) {
      lastNoticeSweep = Date.now();
      const notices = await sendDueNotices();
      if (notices.delay + notices.decision > 0) console.log(`worker: sent ${notices.delay} delay and ${notices.decision} decision notice(s)`);
    }
  } catch (error) {
    logError("worker: sweep failed; retrying", error);
  }
  if (once || stopping) break;
  if (!announcedIdle) {
    announcedIdle = true;
    console.log(`worker: first sweep done; sweeping every ${intervalMs / 1000} s`);
  }
  await new Promise<void>((resolve) => {
    // A stop ends the wait and its timer: a pending timer would keep the process alive for the rest of the interval.
    const timer = setTimeout(resolve, intervalMs);
    endWait = () => {
      clearTimeout(timer);
      resolve();
    };
  });
} while (!stopping);
await Promise.all([registrySnapshots, webhookSweeps, oversightSweeps, statementImportSweeps]);
await disconnectDb();
