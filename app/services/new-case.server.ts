import type { Types } from "mongoose";
import { addWorkingDays } from "~/core/calendar/working-days";
import type { WorkingCalendar } from "~/core/calendar/working-days";
import { getAt } from "~/core/json-pointer";
import { trackingNumber as trackingNumberOf, trackingSequenceName } from "~/core/numbering/document-numbers";
import type { ServiceManifest } from "~/core/definitions/types";
import { startWorkflow, type Effect } from "~/core/workflow/runner";
import { getAgencyForDocuments } from "~/models/agency.server";
import { indexCaseForSearch } from "~/models/case-search.server";
import { type ActorRef, type CaseDoc, type HistoryEntry } from "~/models/case.server";
import { claimedSequence, nextSequence, takeSequenceNumber } from "~/models/counter.server";
import type { PublishedService } from "~/models/service.server";
import { newEffects } from "./case-effects.server";

/**
 * The pieces every new case is made of, shared by filing (submit-application) and referral (a case filed at
 * another agency, s.10): its tracking number, its summary, its first step and clocks, and the one insert.
 */

/**
 * The next tracking number of an agency. With an `owner` (an effect id) a re-run after a crash finds the number
 * it took before (`resumed`), so no number is skipped or taken twice for one piece of work.
 */
export async function newTrackingNumber(agencyId: string, now: Date, owner?: { id: string; resumed: boolean }): Promise<string> {
  const sequence = trackingSequenceName(agencyId, now);
  const seq = (owner?.resumed ? await claimedSequence(sequence, owner.id) : null) ?? (await nextSequence(sequence, owner?.id));
  return agencyTrackingNumber(agencyId, now, seq);
}

/**
 * A filing's tracking number (no owner: a filing that fails after this leaves its number unused, as before), answered
 * once claimed; `hinted` settles once the shared hint covers it, and the caller awaits it before it answers
 * (`takeSequenceNumber`), so the hint is raised alongside the filing's next writes instead of before them.
 */
export async function claimTrackingNumber(agencyId: string, now: Date): Promise<{ trackingNumber: string; hinted: Promise<void> }> {
  const { value, hinted } = await takeSequenceNumber(trackingSequenceName(agencyId, now));
  return { trackingNumber: await agencyTrackingNumber(agencyId, now, value), hinted };
}

/** Number `seq` of the agency's sequence, written with the agency's code (its id in capitals if it has none). */
async function agencyTrackingNumber(agencyId: string, now: Date, seq: number): Promise<string> {
  const agency = await getAgencyForDocuments(agencyId);
  return trackingNumberOf(agency?.code ?? agencyId.toUpperCase(), now, seq);
}

/** What the inbox lists of a case: the names the manifest points at in the form data. */
export function caseSummaryOf(manifest: ServiceManifest, data: Record<string, unknown>, applicant: ActorRef): CaseDoc["summary"] {
  return {
    applicantName: String(getAt(data, manifest.summary.applicantName) ?? applicant.name),
    subject: String(manifest.summary.subject ? (getAt(data, manifest.summary.subject) ?? "") : ""),
    email: manifest.summary.email ? (getAt(data, manifest.summary.email) as string | undefined) : undefined,
  };
}

export type NewCaseDoc = Omit<CaseDoc, "createdAt" | "updatedAt">;

export type NewCaseInput = {
  caseId: Types.ObjectId;
  service: PublishedService;
  data: Record<string, unknown>;
  applicant: ActorRef;
  channel: CaseDoc["channel"];
  onBehalfOf?: CaseDoc["onBehalfOf"];
  summary: CaseDoc["summary"];
  trackingNumber: string;
  /** s.10: when the request entered the system and the working time it counts from (a referral keeps both). */
  receivedAt: Date;
  countedFrom: Date;
  /** Where the first step's own clock starts (the filing's countedFrom; for a referral, its own arrival). */
  stepFrom: Date;
  /** The first history entry, without the step it reaches. */
  firstEntry: Omit<HistoryEntry, "from" | "to">;
  /** Effects the platform adds before the workflow's own (the receipt at filing). */
  platformEffects: Effect[];
  consent?: CaseDoc["consent"];
  now: Date;
  cal: WorkingCalendar;
};

/** The case document to insert: the workflow started on the data, the receipt, the clocks and the effects. */
export function newCaseDocument(input: NewCaseInput): NewCaseDoc {
  const { manifest, workflow } = input.service.definition;
  const started = startWorkflow(workflow, input.data);
  const initialState = workflow.states[started.stateValue];
  const dueAt = addWorkingDays(input.countedFrom, manifest.statutoryDays, input.cal);
  const due = initialState?.meta.slaDays ? { stateDueAt: addWorkingDays(input.stepFrom, initialState.meta.slaDays, input.cal) } : {};
  return {
    _id: input.caseId,
    trackingNumber: input.trackingNumber,
    serviceSlug: input.service.slug,
    serviceVersionId: input.service.id,
    agencyId: input.service.agencyId,
    applicant: input.applicant,
    channel: input.channel,
    ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {}),
    summary: input.summary,
    dataJson: JSON.stringify(input.data),
    snapshotJson: JSON.stringify(started.snapshot),
    stateValue: started.stateValue,
    status: "active",
    rev: 1,
    history: [{ ...input.firstEntry, from: null, to: started.stateValue }],
    receipt: { number: input.trackingNumber, receivedAt: input.receivedAt, countedFrom: input.countedFrom, dueAt },
    sla: { ...due, paused: Boolean(initialState?.meta.pausesSla), pausedAt: null, statutoryDueAt: dueAt },
    missingItems: null,
    effects: newEffects([...input.platformEffects, ...started.effects], input.now),
    ...(input.consent ? { consent: input.consent } : {}),
  };
}

/** The inbox's search words for a new case: written before the case, so a created case is always findable. */
export function indexNewCase(doc: NewCaseDoc): Promise<void> {
  return indexCaseForSearch([{ _id: doc._id, agencyId: doc.agencyId, trackingNumber: doc.trackingNumber, summary: doc.summary }]);
}
