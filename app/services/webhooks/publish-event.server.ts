import { createHash } from "node:crypto";
import type { PermitStatus, StoredPermit } from "~/core/permits/types";
import { TEST_EVENT, type WebhookEvent } from "~/core/webhooks/webhook-rules";
import type { Effect } from "~/core/workflow/runner";
import type { CaseDoc, CaseEffect } from "~/models/case.server";
import type { EffectResult } from "~/models/effect-run.server";
import { addDue, getRoute, insertDelivery } from "~/models/webhook.server";
import { kickWebhookDeliveries } from "./deliver-webhooks.server";

/**
 * Publishing an event to the agency's subscribed endpoints: one delivery per endpoint, each with an id derived
 * from what caused the event (`sourceKey`) and the endpoint, so publishing the same thing again (a re-run
 * after a crash) writes nothing new and the receiver sees one `webhook-id` per event, however often it is sent.
 */
export type PublishInput = {
  agencyId: string;
  event: WebhookEvent | typeof TEST_EVENT;
  /** What caused the event, unique per event: an effect id, a permit number and revision… */
  sourceKey: string;
  data: Record<string, unknown>;
  at: Date;
  /** Only this endpoint (the "send a test" button); otherwise every enabled endpoint subscribed to the event. */
  endpointId?: string;
  /** Make the first attempt now in this process (default), or leave it to the caller / the sweep. */
  kick?: boolean;
};

/** `msg_` + 32 base64url characters of a hash: stable for (source, endpoint), and no internal id leaks. */
export function deliveryIdOf(sourceKey: string, endpointId: string): string {
  return `msg_${createHash("sha256").update(`${sourceKey}\n${endpointId}`).digest("base64url").slice(0, 32)}`;
}

/** The endpoints of `agencyId` that take `event` (one `_id` read). */
export async function subscribersOf(agencyId: string, event: string): Promise<string[]> {
  const route = await getRoute(agencyId);
  return (route?.endpoints ?? []).filter((e) => e.events.includes(event)).map((e) => e.id);
}

/** Writes the deliveries (and their due entries) and returns their ids; none when nobody subscribes. */
export async function publishEvent(input: PublishInput): Promise<string[]> {
  const endpoints = input.endpointId ? [input.endpointId] : await subscribersOf(input.agencyId, input.event);
  if (endpoints.length === 0) return [];
  const payloadJson = JSON.stringify({ type: input.event, timestamp: input.at.toISOString(), data: input.data });
  const ids = endpoints.map((endpointId) => deliveryIdOf(input.sourceKey, endpointId));
  await Promise.all(
    endpoints.map((endpointId, i) =>
      insertDelivery({
        _id: ids[i]!,
        endpointId,
        agencyId: input.agencyId,
        event: input.event,
        payloadJson,
        createdAt: input.at,
        status: "pending",
        attempts: [],
        roundStart: 0,
        nextAttemptAt: input.at,
      }),
    ),
  );
  // After the deliveries: a due entry always has its delivery. A re-run re-adds an entry only where it is
  // missing; for a delivery already delivered the sweep just removes it again.
  await addDue(ids.map((id) => ({ _id: id, dueAt: input.at })));
  if (input.kick !== false) kickWebhookDeliveries(ids);
  return ids;
}

// Cases: the outbox is the case's own effect list (written in the same update as the filing or transition).

type CaseEventParams = { event: "case.filed" | "case.transitioned"; transition?: string; from?: string | null; to?: string };

/**
 * The `publishEvent` effect to queue with a filing or transition, or none when the agency has no endpoint
 * for the event (one `_id` read): agencies without webhooks pay nothing more per transition.
 */
export async function webhookEffectsFor(agencyId: string, params: CaseEventParams): Promise<Effect[]> {
  return (await subscribersOf(agencyId, params.event)).length > 0 ? [{ type: "publishEvent", params }] : [];
}

function caseData(record: CaseDoc): Record<string, unknown> {
  return { case: { id: String(record._id), trackingNumber: record.trackingNumber, service: record.serviceSlug, agencyId: record.agencyId, channel: record.channel } };
}

/** The runner of the `publishEvent` effect: fans the event out to the endpoints subscribed when it runs. */
export async function publishEventEffect({ record, effect }: { record: CaseDoc; effect: CaseEffect }): Promise<EffectResult> {
  const params = JSON.parse(effect.paramsJson) as CaseEventParams;
  const data = caseData(record);
  const ids = await publishEvent({
    agencyId: record.agencyId,
    event: params.event,
    sourceKey: `effect:${effect.id}`,
    at: effect.createdAt,
    data:
      params.event === "case.filed"
        ? { ...data, state: params.to, receivedAt: record.receipt.receivedAt.toISOString() }
        : { ...data, transition: { event: params.transition, from: params.from, to: params.to } },
  });
  return { note: `${ids.length} webhook deliver${ids.length === 1 ? "y" : "ies"}` };
}

/**
 * For the referral feature (s.10, wrong agency): tells the referring agency's endpoints that `record` was
 * referred to `target`. Call it where the referral is written, with the referral's own unique id (e.g. the id of
 * the `referToAgency` effect), so that a re-run publishes nothing new. Returns the delivery ids.
 */
export async function publishCaseReferred(
  record: Pick<CaseDoc, "_id" | "trackingNumber" | "serviceSlug" | "agencyId" | "channel">,
  target: { agencyId?: string; name: string; onPlatform: boolean; newCaseId?: string },
  referral: { id: string; at: Date; reason?: string },
): Promise<string[]> {
  return publishEvent({
    agencyId: record.agencyId,
    event: "case.referred",
    sourceKey: `referral:${referral.id}`,
    at: referral.at,
    data: { ...caseData(record as CaseDoc), referredTo: target, ...(referral.reason ? { reason: referral.reason } : {}) },
  });
}

// Permits: written right where the permit is written, with ids from the permit's number (and revision).

function permitData(permit: StoredPermit): Record<string, unknown> {
  return {
    permit: {
      number: permit.number,
      agencyId: permit.agencyId,
      type: permit.typeCode,
      businessName: permit.businessName,
      status: permit.status,
      issuedOn: permit.issuedOn,
      validFrom: permit.validFrom,
      validUntil: permit.validUntil,
      ...(permit.caseId ? { caseId: permit.caseId } : {}),
      ...(permit.renews ? { renews: permit.renews } : {}),
    },
  };
}

/** `permit.issued`, once per permit (its number is unique), whether or not the effect that issued it is re-run. */
export async function publishPermitIssued(permit: StoredPermit, at: Date): Promise<string[]> {
  return publishEvent({ agencyId: permit.agencyId, event: "permit.issued", sourceKey: `permit:${permit.number}:issued`, at, data: permitData(permit) });
}

/** `permit.status_changed` for the change that made revision `rev` (suspend, revoke, reinstate). */
export async function publishPermitStatusChanged(
  permit: StoredPermit,
  change: { from: PermitStatus; to: PermitStatus; reason: string; rev: number; at: Date },
): Promise<string[]> {
  return publishEvent({
    agencyId: permit.agencyId,
    event: "permit.status_changed",
    sourceKey: `permit:${permit.number}:rev:${change.rev}`,
    at: change.at,
    data: { ...permitData({ ...permit, status: change.to }), change: { from: change.from, to: change.to, reason: change.reason } },
  });
}
