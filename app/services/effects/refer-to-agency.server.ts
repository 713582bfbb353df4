import { createHash } from "node:crypto";
import { Types } from "mongoose";
import { countedFrom } from "~/core/calendar/working-days";
import { getWorkingCalendar } from "~/core/calendar/working-calendar.server";
import type { ReferralTarget } from "~/core/cases/referral";
import { uploadRefsIn } from "~/core/uploads/upload-rules";
import type { Agency } from "~/models/agency.server";
import { applyCaseUpdate, getCase, insertCase, type CaseDoc, type CaseEffect, type HistoryEntry } from "~/models/case.server";
import { isDuplicateKey } from "~/models/claim.server";
import { addPendingEffects, type EffectResult } from "~/models/effect-run.server";
import { getCurrentService, type PublishedService } from "~/models/service.server";
import { getUploads, passUploadOn } from "~/models/upload.server";
import { indexNewCase, newCaseDocument, newTrackingNumber } from "../new-case.server";
import { issueResultEffect } from "./issue-result.server";
import { trackNewCaseClock } from "../cases/track-case-clock.server";
import { publishCaseReferred } from "../webhooks/publish-event.server";

type EffectInput = { record: CaseDoc; service: PublishedService; agency: Agency; effect: CaseEffect; resumed: boolean };

/** The case a referral files at the other agency: its id follows from the effect's, so a re-run never files twice. */
export function referralCaseIdOf(effectId: string): Types.ObjectId {
  return new Types.ObjectId(createHash("sha256").update(`referral:${effectId}`).digest("hex").slice(0, 24));
}

/**
 * The referToAgency effect (s.10). To an agency on the platform: a new case in its inbox under its service of the
 * same kind, with the same form data, the same stored files (passed on, not copied) and the original received-at
 * and counted-from times; both histories link to each other. To an agency not on the platform: a signed referral
 * letter to the applicant naming it (and its address), delivered like every result letter.
 */
export async function referToAgencyEffect(input: EffectInput): Promise<EffectResult> {
  const { record, agency, effect } = input;
  const target = (JSON.parse(effect.paramsJson || "{}") as { target?: ReferralTarget }).target;
  // fireCaseEvent always checks and adds the target; an effect without one has nothing to do (and must not
  // stop the case's queue for good).
  if (!target) return { note: "no referral target in the effect's params" };
  if (target.kind === "external") {
    const referredTo = { name: target.name, ...(target.address ? { address: target.address } : {}) };
    const letter = await issueResultEffect(input, { kind: "referral", referredTo });
    await publishCaseReferred(record, { name: target.name.th, onPlatform: false }, { id: effect.id, at: new Date(effect.createdAt) });
    return letter;
  }
  const referred = await fileReferredCase(input, target);
  // The referring agency's other systems learn of it (deliveries keyed by the effect: a re-run adds none).
  await publishCaseReferred(
    record,
    { agencyId: target.agencyId, name: target.agencyName.th, onPlatform: true, newCaseId: String(referred._id) },
    { id: effect.id, at: new Date(effect.createdAt) },
  );
  await linkHistory(record._id, {
    at: new Date(effect.createdAt),
    actor: systemActor(agency),
    role: "system",
    event: "REFERRED_TO",
    from: record.stateValue,
    to: record.stateValue,
    link: { caseId: String(referred._id), trackingNumber: referred.trackingNumber, agencyName: target.agencyName },
  });
  return { channel: "platform", referredCaseId: String(referred._id), referredTrackingNumber: referred.trackingNumber };
}

/** History entries the platform writes on behalf of an agency, not of one of its people. */
const systemActor = (agency: Agency): HistoryEntry["actor"] => ({ kind: "staff", id: `agency:${agency._id}`, name: agency.name.th });

async function fileReferredCase(input: EffectInput, target: Extract<ReferralTarget, { kind: "platform" }>): Promise<CaseDoc> {
  const { record, service, agency, effect, resumed } = input;
  const caseId = referralCaseIdOf(effect.id);
  const existing = await getCase(String(caseId));
  if (existing) return existing;

  const found = await getCurrentService(target.serviceSlug);
  // Thrown, so the effect is retried: the agency may publish the service again.
  if (!found || found.summary.isTemplate || found.service.agencyId !== target.agencyId) {
    throw new Error(`referral of case ${String(record._id)}: service ${target.serviceSlug} of ${target.agencyId} is not published`);
  }
  const now = new Date(effect.createdAt);
  const cal = getWorkingCalendar();
  const data = JSON.parse(record.dataJson) as Record<string, unknown>;
  // The stored files go with the case: the same bytes, now held by the new case (which stays open longest).
  const ids = [...new Set(uploadRefsIn(service.definition.form.schema, data).map((r) => r.id))];
  for (const upload of await getUploads(ids)) {
    if (upload.attachedTo === String(record._id) || upload.attachedTo === String(caseId)) await passUploadOn(upload._id, String(record._id), String(caseId));
  }
  // The officer's reasons, so the receiving agency sees why the case came to it.
  const reasons = record.history.find((h) => new Date(h.at).getTime() === now.getTime() && !h.link)?.comment?.trim();
  const doc = newCaseDocument({
    caseId,
    service: found.service,
    data,
    applicant: record.applicant,
    channel: record.channel,
    onBehalfOf: record.onBehalfOf,
    summary: record.summary,
    trackingNumber: await newTrackingNumber(target.agencyId, now, { id: effect.id, resumed }),
    // s.10: the request was received when it entered the system, whichever agency it was sent to first.
    receivedAt: record.receipt.receivedAt,
    countedFrom: record.receipt.countedFrom,
    // The receiving agency's first step (screening) counts from the referral's arrival.
    stepFrom: countedFrom(now, cal),
    firstEntry: {
      at: now,
      actor: systemActor(agency),
      role: "system",
      event: "REFERRED_FROM",
      ...(reasons ? { comment: reasons } : {}),
      link: { caseId: String(record._id), trackingNumber: record.trackingNumber, agencyName: agency.name },
    },
    platformEffects: [],
    consent: record.consent,
    now,
    cal,
  });
  // Effects of the workflow's first step (if any) are announced for the worker's sweep, as at filing.
  await addPendingEffects(String(caseId), doc.effects.map((e) => e.id), now).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
  await indexNewCase(doc);
  try {
    const filed = await insertCase(doc);
    // The receiving agency's clocks (delay notices) run from the original receipt, like the case's own.
    await trackNewCaseClock(filed, found.service.definition.manifest.statutoryDays, now);
    return filed;
  } catch (error) {
    // Another run of the same effect filed it first: that one is the case.
    const filed = isDuplicateKey(error) ? await getCase(String(caseId)) : null;
    if (!filed) throw error;
    return filed;
  }
}

/**
 * Adds the entry to the case's history unless an entry with the same link is there: the check and the write
 * are tied by the revision (applyCaseUpdate), so two runs never both add it.
 */
async function linkHistory(caseId: Types.ObjectId, entry: HistoryEntry): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getCase(String(caseId));
    if (!current || current.history.some((h) => h.link?.caseId === entry.link?.caseId)) return;
    if (await applyCaseUpdate(current._id, current.rev, { set: {}, history: entry, effects: [] })) return;
  }
  throw new Error(`could not link case ${String(caseId)} to ${entry.link?.trackingNumber ?? "?"}: it keeps changing`);
}
