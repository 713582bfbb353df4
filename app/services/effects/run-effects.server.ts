import { crashPoint } from "./fault-injection.server";
import { getAgencyForDocuments, type Agency } from "~/models/agency.server";
import { getCase, type CaseDoc, type CaseEffect } from "~/models/case.server";
import { acquireLease, claimMany, releaseLeases, renewLease, STALE_CLAIM_MS, takeOverStaleLease } from "~/models/claim.server";
import {
  dropPendingEffect,
  dropPendingEffects,
  getEffectRuns,
  isEffectDone,
  listPendingEffects,
  markEffectsDone,
  type EffectRun,
  type PendingEffect,
  PENDING_PAGE,
  notePendingEffectFailure,
  type EffectResult,
} from "~/models/effect-run.server";
import { getServiceVersion, type PublishedService } from "~/models/service.server";
import { actionSpec, isActionName, isEffectName, type EffectName } from "~/core/workflow/catalogue";
import { sendApplicantNotice } from "~/services/mail/applicant-notice.server";
import { recordDecisionNotice } from "~/services/cases/record-decision-notice.server";
import { issuePermitEffect } from "./issue-permit.server";
import { issueReceiptEffect } from "./issue-receipt.server";
import { issueResultEffect } from "./issue-result.server";
import { publishEventEffect } from "../webhooks/publish-event.server";
import { referToAgencyEffect } from "./refer-to-agency.server";
import { requestPaymentEffect } from "./request-payment.server";

type EffectContext = { record: CaseDoc; service: PublishedService; agency: Agency; effect: CaseEffect; resumed: boolean };
type EffectRunner = (context: EffectContext) => Promise<EffectResult>;

/** Written with the transition by the use case (catalogue: appliesIn "transition"): running it only records that. */
const APPLIED_IN_TRANSITION: EffectResult = { note: "applied in the transition" };
const appliedInTransition: EffectRunner = async () => APPLIED_IN_TRANSITION;

const receiptResult = (record: CaseDoc): EffectResult => ({ channel: record.channel === "api" ? "api" : "case-page" });

/**
 * One runner per effect the catalogue and the platform know: `satisfies` makes a new action without a runner
 * a type error here.
 */
const RUNNERS = {
  issuePermit: issuePermitEffect,
  issueResult: issueResultEffect,
  // s.11: once filed electronically, the applicant is answered electronically — the case page lists every
  // issued document as soon as it exists.
  sendReceipt: async ({ record }) => receiptResult(record),
  // s.11 as well: by e-mail with the documents of this transition attached, when the case has an address.
  // … and, after a final transition, that notice is the decision notice (Licensing Facilitation Act: within 7 days).
  notifyApplicant: async ({ record, service, effect }) => {
    const result = await sendApplicantNotice({ record, service, effect });
    await recordDecisionNotice({ record, service, effect }, result);
    return result;
  },
  // Webhooks to the agency's other systems: one delivery per subscribed endpoint, sent by the delivery sweep.
  publishEvent: publishEventEffect,
  requestMissingItems: appliedInTransition,
  acceptResubmission: appliedInTransition,
  // The fee and its payment reference (QR and pay-in slip on the case page).
  requestPayment: requestPaymentEffect,
  // The payment recorded and its signed electronic receipt.
  recordPayment: issueReceiptEffect,
  // s.10: a new case at the competent agency, or a letter naming one that is not on the platform.
  referToAgency: referToAgencyEffect,
} satisfies Record<EffectName, EffectRunner>;

const isAppliedInTransition = (type: string) => isActionName(type) && actionSpec(type).appliesIn === "transition";
/**
 * The result of an effect whose run only computes it from the case, with no other write and no outside call
 * (those applied in the transition, the receipt's channel): recording it is idempotent, so it needs no lease.
 * Null for every other effect.
 */
const isRecordedOnly = (type: string) => type === "sendReceipt" || isAppliedInTransition(type);
function recordedOnlyResult(type: string, record: CaseDoc): EffectResult | null {
  if (isAppliedInTransition(type)) return APPLIED_IN_TRANSITION;
  if (type === "sendReceipt") return receiptResult(record);
  return null;
}

export type EffectRunOptions = {
  staleAfterMs?: number;
  /**
   * Leave the pending entries of what ran for the worker's sweep, which removes the done ones in bulk (one
   * look-up and one delete per sweep instead of a delete per run): the in-process runner does, on the hot path.
   * A lingering entry of a done effect is harmless: nothing runs an effect that has a run record, and the case
   * page reads pending entries only for effects without one.
   */
  leavePendingToSweep?: boolean;
};

/**
 * What the transition that queued the run already knows (effect-runner: scheduleCaseEffects): the case as it
 * wrote it, so the run does not read it again, and the ids of the effects it queued — ids nobody has run
 * before, so their run records need not be looked up: their lease says whether someone else has them.
 */
export type GivenCase = { record?: CaseDoc; fresh?: ReadonlySet<string> };

/**
 * Effect ids this process has seen done (ran them, or read their run record). Being done is final (run records
 * are never removed), so remembering it is always right; it only saves looking the record up again at the
 * case's next transition. Bounded: the oldest are forgotten first, which costs one look-up, never a re-run.
 */
const knownDone = new Set<string>();
const KNOWN_DONE_LIMIT = 50_000;
function noteDone(id: string): void {
  knownDone.delete(id);
  knownDone.add(id);
  if (knownDone.size > KNOWN_DONE_LIMIT) knownDone.delete(knownDone.values().next().value as string);
}
/** For tests: forget what this process knows, as a freshly started one would. */
export function forgetKnownDoneEffects(): void {
  knownDone.clear();
}

/**
 * What one run did: the effects it ran; the one that failed (noted on its pending entry, retried by the
 * sweep once its lease is stale); or the one whose lease someone else holds (another process, or a failed run
 * of this one within the last minute) — that holder keeps the order from there.
 */
export type CaseEffectsOutcome = { ran: string[]; failed?: string; blocked?: string };

/**
 * Runs a case's effects that have not run yet, in the order the workflow queued them, each under a lease
 * so two processes never run the same effect at once. A failure stops the case's queue (later effects,
 * such as the notification after a permit, wait for it) and is retried by the sweep.
 */
export async function runCaseEffects(caseId: string, options: EffectRunOptions = {}, given: GivenCase = {}): Promise<CaseEffectsOutcome> {
  const ran: string[] = [];
  try {
    return await runPendingOfCase(caseId, ran, options, given);
  } finally {
    // The pending entries of what ran go in one round trip. After a crash before this, the sweep finds the
    // entries, sees their runs recorded and drops them.
    if (!options.leavePendingToSweep) await dropPendingEffects(ran).catch((error: unknown) => console.warn(`could not drop the pending entries of case ${caseId}:`, error));
  }
}

/**
 * The leases of the effects a run is about to run, taken together before the first (one insert, grouped with
 * concurrent runs' claims, instead of one per effect): a FEE_PAID runs three leased effects. `held` are the
 * effects whose lease this run now holds, all stamped `at`; `refused` those someone else holds.
 */
type LeasesAhead = { at: Date; held: Set<string>; refused: Set<string> };
const leaseKey = (effectId: string) => `effect:${effectId}`;

async function takeLeasesAhead(effectIds: string[]): Promise<LeasesAhead | null> {
  if (effectIds.length < 2) return null;
  const at = new Date();
  const results = await claimMany(effectIds.map((id) => ({ key: leaseKey(id) })), at);
  const ahead: LeasesAhead = { at, held: new Set(), refused: new Set() };
  results.forEach((result, i) => {
    if (result === true) ahead.held.add(effectIds[i]!);
    else if (result === false) ahead.refused.add(effectIds[i]!);
    // A claim refused by an error (not a duplicate) is made again on its own at its turn, as before.
  });
  return ahead;
}

/**
 * The lease of `effectId` for its run, and since when it is held (its sweep retry is counted from then). A lease
 * taken ahead counts from when the run took it: once half of the stale age has gone by (the earlier effects took
 * long), it is renewed first, so that no other process takes it over as stale while this one runs the effect;
 * if it has been taken over already, this run does not have it.
 */
async function leaseFor(effectId: string, ahead: LeasesAhead | null, staleAfterMs: number): Promise<{ lease: "fresh" | "resumed" | null; since: number }> {
  const key = leaseKey(effectId);
  const stillNeeded = async () => !(await isEffectDone(effectId));
  if (ahead?.held.delete(effectId)) {
    if (Date.now() - ahead.at.getTime() < staleAfterMs / 2) return { lease: "fresh", since: ahead.at.getTime() };
    const renewed = await renewLease(key, ahead.at);
    return { lease: renewed ? "fresh" : null, since: renewed?.getTime() ?? Date.now() };
  }
  const since = Date.now();
  if (ahead?.refused.delete(effectId)) return { lease: await takeOverStaleLease(key, stillNeeded, staleAfterMs), since };
  return { lease: await acquireLease(key, stillNeeded, staleAfterMs), since };
}

async function runPendingOfCase(caseId: string, ran: string[], options: EffectRunOptions, given: GivenCase): Promise<CaseEffectsOutcome> {
  const record = given.record ?? (await getCase(caseId));
  if (!record || record.effects.length === 0) return { ran };
  // Effects known done are skipped; the others' run records are read in one round trip — except the ones the
  // transition just queued, which cannot have run unless someone holds their lease (checked below), and, when
  // only they are left, those that are merely recorded (recording one again is ignored).
  const unknown = record.effects.filter((e) => !knownDone.has(e.id));
  const notFresh = unknown.filter((e) => !given.fresh?.has(e.id));
  const done = await getEffectRuns(notFresh.some((e) => !isRecordedOnly(e.type)) ? notFresh.map((e) => e.id) : []);
  for (const id of done.keys()) noteDone(id);
  const staleAfterMs = options.staleAfterMs ?? STALE_CLAIM_MS;
  // Loaded once per run, for the first effect that needs them (not once per effect).
  let context: Promise<{ service: PublishedService; agency: Agency }> | null = null;
  // Records of effects that need no lease wait to go with the next record (one insert for both); `ran` lists an
  // effect only once its record is written, so its pending entry is never dropped before.
  const deferred: EffectRun[] = [];
  const recordRuns = async (runs: EffectRun[]) => {
    await markEffectsDone([...deferred, ...runs]);
    for (const r of [...deferred.splice(0), ...runs]) {
      noteDone(r._id);
      ran.push(r._id);
    }
  };
  const ahead = await takeLeasesAhead(unknown.filter((e) => !done.has(e.id) && !isRecordedOnly(e.type)).map((e) => e.id));
  try {
    for (const effect of unknown) {
      if (done.has(effect.id)) continue;
      const recordedOnly = recordedOnlyResult(effect.type, record);
      if (recordedOnly) {
        // Nothing to do but record it, which is idempotent: no lease, and no look-up of its record (a second
        // insert of it is ignored).
        deferred.push({ _id: effect.id, caseId, type: effect.type, at: new Date(), result: recordedOnly });
        continue;
      }
      const { lease, since: leasedAt } = await leaseFor(effect.id, ahead, staleAfterMs);
      if (!lease) {
        // A fresh effect's run record was not read: whoever holds its lease may have finished it already.
        if (given.fresh?.has(effect.id) && (await isEffectDone(effect.id))) {
          noteDone(effect.id);
          continue;
        }
        await recordRuns([]);
        return { ran: [...ran], blocked: effect.id };
      }
      try {
        context ??= effectContext(record);
        const result = await runEffect(record, await context, effect, lease === "resumed");
        // Done but not recorded (nor the records deferred before it): a re-run must resume it, not repeat it.
        crashPoint(`effects:before-record:${effect.type}`);
        await recordRuns([{ _id: effect.id, caseId, type: effect.type, at: new Date(), result }]);
      } catch (error) {
        console.warn(`effect ${effect.type} ${effect.id} of case ${caseId} failed; it will be retried:`, error);
        // The lease stays taken: the sweep may take it over once it is stale, which is when the retry can come.
        await notePendingEffectFailure(effect.id, caseId, new Date(), new Date(leasedAt + staleAfterMs)).catch((noteError: unknown) =>
          console.warn(`could not note the failure of effect ${effect.id}:`, noteError),
        );
        await recordRuns([]).catch(() => undefined);
        return { ran: [...ran], failed: effect.id };
      }
    }
    await recordRuns([]);
    return { ran: [...ran] };
  } finally {
    // Leases taken ahead for effects this run did not reach (it stopped at a failed or held one) go back at once:
    // another process that goes on with the case must not wait for them to grow stale.
    if (ahead && ahead.held.size > 0) {
      await releaseLeases([...ahead.held].map(leaseKey), ahead.at).catch((error: unknown) => console.warn(`could not give back the leases of case ${caseId}:`, error));
    }
  }
}

async function effectContext(record: CaseDoc): Promise<{ service: PublishedService; agency: Agency }> {
  const [service, agency] = await Promise.all([getServiceVersion(record.serviceVersionId), getAgencyForDocuments(record.agencyId)]);
  if (!service || !agency) throw new Error(`case ${String(record._id)}: service ${record.serviceVersionId} or agency ${record.agencyId} is missing`);
  return { service, agency };
}

async function runEffect(
  record: CaseDoc,
  { service, agency }: { service: PublishedService; agency: Agency },
  effect: CaseEffect,
  resumed: boolean,
): Promise<EffectResult> {
  if (!isEffectName(effect.type)) throw new Error(`No runner for effect type ${effect.type}`);
  const run: EffectRunner = RUNNERS[effect.type];
  return run({ record, service, agency, effect, resumed });
}

/**
 * Picks up effects a crashed process left behind: every pending entry's case is run again. Entries whose
 * effect never reached the case (its transition lost a conflict) are dropped after a grace period.
 */
export async function sweepPendingEffects(options: EffectRunOptions = {}): Promise<number> {
  const pending = await dropDonePendingEntries();
  const byCase = new Map<string, typeof pending>();
  for (const p of pending) byCase.set(p.caseId, [...(byCase.get(p.caseId) ?? []), p]);
  let ran = 0;
  for (const [caseId, entries] of byCase) {
    const record = await getCase(caseId);
    const known = new Set(record?.effects.map((e) => e.id) ?? []);
    for (const entry of entries) {
      if (!known.has(entry._id) && Date.now() - new Date(entry.at).getTime() > (options.staleAfterMs ?? STALE_CLAIM_MS)) {
        await dropPendingEffect(entry._id);
      }
    }
    if (!entries.some((e) => known.has(e._id))) continue;
    ran += (await runCaseEffects(caseId, options)).ran.length;
    // Entries whose effect ran before a crash took away the run's own clean-up.
    const runs = await getEffectRuns(entries.map((e) => e._id));
    await dropPendingEffects(entries.filter((e) => runs.has(e._id)).map((e) => e._id));
  }
  return ran;
}

/**
 * Removes the pending entries whose effects are done — those the in-process runner leaves behind — a page at a
 * time (one look-up of their run records and one delete per page), and returns the oldest entries still open.
 */
async function dropDonePendingEntries(): Promise<PendingEffect[]> {
  let pending = await listPendingEffects();
  // Bounded: a page whose oldest entries are stuck (failing) yields few done ones; the next sweep goes on.
  for (let page = 0; page < 10; page++) {
    const runs = await getEffectRuns(pending.map((p) => p._id));
    if (runs.size === 0) return pending;
    await dropPendingEffects([...runs.keys()]);
    if (pending.length < PENDING_PAGE) return pending.filter((p) => !runs.has(p._id));
    pending = await listPendingEffects();
  }
  return pending;
}
