import { afterAttempt, type DeliveryStatus } from "~/core/webhooks/webhook-rules";
import { acquireLease, releaseClaim } from "~/models/claim.server";
import {
  getDelivery,
  getDue,
  getEndpoint,
  listDue,
  recordAttempt,
  removeDue,
  setDue,
  type WebhookAttempt,
  type WebhookDelivery,
} from "~/models/webhook.server";
import { logError } from "~/utils/log.server";
import { crashPoint } from "../effects/fault-injection.server";
import { postWebhook } from "./post-webhook.server";
import { openWebhookSecret, webhookHeaders } from "./sign-webhook.server";

/**
 * The delivery of webhooks: every due delivery is leased (one sender at a time across processes), POSTed, and
 * its attempt recorded with the receiver's status code and the start of its answer; then it is delivered,
 * scheduled for its next attempt (10 s, 1 min, 5 min, 30 min, 2 h, 6 h) or parked as failed. A sender killed
 * mid-delivery leaves its lease and the due entry: once the lease is stale the next sweep sends again, with the
 * same `webhook-id`, so the receiver can drop the copy.
 */

/** A lease older than this is taken to be a dead sender's: longer than an attempt can take (10 s deadline). */
export const WEBHOOK_LEASE_STALE_MS = 60_000;

export type DeliverOptions = {
  /** The instant of the attempt (tests choose it); the lease's staleness is always measured on the real clock. */
  now?: Date;
  staleAfterMs?: number;
  timeoutMs?: number;
  /** Send even if the next attempt is not due yet (a resend or a test from the admin page). */
  force?: boolean;
};

export type DeliverOutcome = "delivered" | "retrying" | "failed" | "skipped";

const outcomeOf = (status: DeliveryStatus): DeliverOutcome => (status === "pending" ? "retrying" : status);

/** One attempt of one delivery, if it is due and no one else is sending it. */
export async function deliverWebhook(id: string, options: DeliverOptions = {}): Promise<DeliverOutcome> {
  const now = options.now ?? new Date();
  const key = `webhook:${id}`;
  const lease = await acquireLease(key, async () => (await getDue(id)) !== null, options.staleAfterMs ?? WEBHOOK_LEASE_STALE_MS);
  if (!lease) return "skipped";
  try {
    const delivery = await getDelivery(id);
    if (!delivery || delivery.status !== "pending") {
      await removeDue(id);
      return "skipped";
    }
    if (!options.force && delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > now.getTime()) {
      // The due entry was behind (a crash between the two writes): it catches up.
      await setDue(id, delivery.nextAttemptAt);
      return "skipped";
    }
    return await attempt(delivery, now, options);
  } finally {
    await releaseClaim(key);
  }
}

async function attempt(delivery: WebhookDelivery, now: Date, options: DeliverOptions): Promise<DeliverOutcome> {
  const endpoint = await getEndpoint(delivery.endpointId);
  let result: WebhookAttempt;
  if (!endpoint || !endpoint.enabled) {
    result = { at: now, error: endpoint ? "endpoint disabled" : "endpoint deleted", ms: 0 };
  } else {
    const secrets = [openWebhookSecret(endpoint.secretSealed)];
    if (endpoint.previousSecretSealed && endpoint.previousUntil && endpoint.previousUntil.getTime() > now.getTime()) {
      secrets.push(openWebhookSecret(endpoint.previousSecretSealed));
    }
    const posted = await postWebhook(endpoint.url, webhookHeaders(secrets, delivery._id, now, delivery.payloadJson), delivery.payloadJson, {
      timeoutMs: options.timeoutMs,
    });
    // Killed here, the receiver has the message and nothing is recorded: it is sent again, same id.
    crashPoint("webhook:sent");
    result = {
      at: now,
      ms: posted.ms,
      ...(posted.statusCode !== undefined ? { statusCode: posted.statusCode } : {}),
      ...(posted.excerpt ? { excerpt: posted.excerpt } : {}),
      ...(posted.error ? { error: posted.error } : {}),
    };
  }
  const inRound = delivery.attempts.length + 1 - delivery.roundStart;
  // A disabled or deleted endpoint gets no more tries: parked, to be resent once it is back.
  const next = endpoint?.enabled ? afterAttempt(result, inRound, now) : { status: "failed" as const, nextAttemptAt: null };
  await recordAttempt(delivery._id, result, {
    status: next.status,
    nextAttemptAt: next.nextAttemptAt,
    ...(next.status === "delivered" ? { deliveredAt: now } : {}),
    ...(next.status === "failed" ? { failedAt: now } : {}),
  });
  if (next.nextAttemptAt) await setDue(delivery._id, next.nextAttemptAt);
  else await removeDue(delivery._id);
  return outcomeOf(next.status);
}

export type SweepResult = { attempted: number; delivered: number; retrying: number; failed: number };

/**
 * The worker's sweep: every delivery due by `now` gets one attempt, a few at a time. Reads only the due
 * entries (the undelivered ones), never the deliveries' collection.
 */
export async function deliverDueWebhooks(options: DeliverOptions & { limit?: number; concurrency?: number } = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const due = await listDue(now, options.limit ?? 200);
  const result: SweepResult = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  const queue = [...due];
  const work = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const outcome = await deliverWebhook(next._id, { ...options, now }).catch((error: unknown) => {
        logError(`webhook delivery ${next._id} could not be attempted; the next sweep retries it`, error);
        return "skipped" as const;
      });
      if (outcome === "skipped") continue;
      result.attempted += 1;
      result[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, work));
  return result;
}

/** Kicks started by this process that have not ended yet (tests and shutdown wait for them). */
const kicks = new Set<Promise<unknown>>();

/**
 * Makes the first attempt of new deliveries now, in this process, without waiting for the worker's sweep; the
 * caller does not wait. Anything that fails here stays due for the sweep.
 */
export function kickWebhookDeliveries(ids: string[]): void {
  if (ids.length === 0 || process.env.BORIKAN_HOLD_WEBHOOKS === "1") return;
  const run = Promise.all(
    ids.map((id) => deliverWebhook(id).catch((error: unknown) => logError(`webhook delivery ${id}: first attempt failed to run; the sweep retries it`, error))),
  ).finally(() => kicks.delete(run));
  kicks.add(run);
}

/** Resolves once this process's kicks have ended. */
export async function settleWebhookKicks(): Promise<void> {
  while (kicks.size > 0) await Promise.all([...kicks]);
}
