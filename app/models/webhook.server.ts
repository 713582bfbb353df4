import mongoose, { Schema } from "mongoose";
import type { DeliveryStatus } from "~/core/webhooks/webhook-rules";
import { isDuplicateKey } from "./claim.server";
import { bumpConfigStamp, configCache } from "./config-stamp.server";

/**
 * Webhooks to other agencies' systems, in four small collections, each read by `_id` on every hot path
 * (FerretDB answers only `_id` equality without reading the whole collection):
 * - webhook_endpoints: an agency's registered receivers (the admin page lists them by agency);
 * - webhook_routes: per agency (`_id` = agency id), which enabled endpoints take which events — what a
 *   transition and the fan-out read; rebuilt from the endpoints whenever an admin changes one;
 * - webhook_deliveries: one per event per endpoint, `_id` chosen by the writer from what caused it, so a
 *   re-run writes nothing new; its id is also the `webhook-id` header, the same on every attempt;
 * - webhook_due: the deliveries still waiting for an attempt (`_id` = delivery id), removed when a
 *   delivery is delivered or parked as failed: the sweep reads only this.
 */
export type WebhookEndpoint = {
  _id: string;
  agencyId: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  /** The signing secret (`whsec_…`), sealed under KEY_ENCRYPTION_SECRET; it is needed in clear to sign. */
  secretSealed: string;
  /** After a rotation the old secret also signs (a second `v1,` signature) until `previousUntil`. */
  previousSecretSealed?: string;
  previousUntil?: Date;
  createdAt: Date;
  createdBy: { id: string; name: string };
  rotatedAt?: Date;
};

export type WebhookRoute = { _id: string; endpoints: { id: string; events: string[] }[] };

export type WebhookAttempt = { at: Date; statusCode?: number; excerpt?: string; error?: string; ms: number };

export type WebhookDelivery = {
  _id: string;
  endpointId: string;
  agencyId: string;
  event: string;
  /** The exact body sent (and signed) on every attempt. */
  payloadJson: string;
  createdAt: Date;
  status: DeliveryStatus;
  attempts: WebhookAttempt[];
  /** How many attempts were made before the current round (a resend starts a new round). */
  roundStart: number;
  nextAttemptAt: Date | null;
  deliveredAt?: Date;
  failedAt?: Date;
  resentAt?: Date;
};

export type WebhookDue = { _id: string; dueAt: Date };

const EndpointSchema = new Schema<WebhookEndpoint>(
  {
    _id: String,
    agencyId: { type: String, required: true },
    url: { type: String, required: true },
    description: { type: String, default: "" },
    events: { type: [String], default: [] },
    enabled: { type: Boolean, default: true },
    secretSealed: { type: String, required: true },
    previousSecretSealed: String,
    previousUntil: Date,
    createdAt: { type: Date, required: true },
    createdBy: { type: new Schema({ id: String, name: String }, { _id: false }), required: true },
    rotatedAt: Date,
  },
  { versionKey: false, collection: "webhook_endpoints" },
);
// The admin page: an agency's endpoints (a small collection; on MongoDB served by this index).
EndpointSchema.index({ agencyId: 1, createdAt: 1 });

const RouteSchema = new Schema<WebhookRoute>(
  { _id: String, endpoints: [new Schema({ id: String, events: [String] }, { _id: false })] },
  { versionKey: false, collection: "webhook_routes" },
);

const AttemptSchema = new Schema<WebhookAttempt>({ at: Date, statusCode: Number, excerpt: String, error: String, ms: Number }, { _id: false });
const DeliverySchema = new Schema<WebhookDelivery>(
  {
    _id: String,
    endpointId: { type: String, required: true },
    agencyId: { type: String, required: true },
    event: { type: String, required: true },
    payloadJson: { type: String, required: true },
    createdAt: { type: Date, required: true },
    status: { type: String, required: true },
    attempts: { type: [AttemptSchema], default: [] },
    roundStart: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: null },
    deliveredAt: Date,
    failedAt: Date,
    resentAt: Date,
  },
  { versionKey: false, collection: "webhook_deliveries" },
);
// The admin page: an endpoint's latest deliveries.
DeliverySchema.index({ endpointId: 1, createdAt: -1 });

const DueSchema = new Schema<WebhookDue>({ _id: String, dueAt: { type: Date, required: true } }, { versionKey: false, collection: "webhook_due" });
DueSchema.index({ dueAt: 1 });

const model = <T>(name: string, schema: Schema<T>) => (mongoose.models[name] as mongoose.Model<T>) ?? mongoose.model<T>(name, schema);
const EndpointModel = model("WebhookEndpoint", EndpointSchema);
const RouteModel = model("WebhookRoute", RouteSchema);
const DeliveryModel = model("WebhookDelivery", DeliverySchema);
const DueModel = model("WebhookDue", DueSchema);

// Endpoints

export async function insertEndpoint(endpoint: WebhookEndpoint): Promise<void> {
  await EndpointModel.create(endpoint);
}

export async function getEndpoint(id: string): Promise<WebhookEndpoint | null> {
  return EndpointModel.findById(id).lean<WebhookEndpoint>();
}

export async function listEndpoints(agencyId: string): Promise<WebhookEndpoint[]> {
  return EndpointModel.find({ agencyId }).sort({ createdAt: 1 }).lean<WebhookEndpoint[]>();
}

/** Endpoints are changed by their agency's admins only (rare): a plain update. */
export async function updateEndpoint(id: string, set: Partial<WebhookEndpoint>, unset: (keyof WebhookEndpoint)[] = []): Promise<void> {
  await EndpointModel.updateOne({ _id: id }, { $set: set, ...(unset.length ? { $unset: Object.fromEntries(unset.map((k) => [k, 1])) } : {}) });
}

export async function deleteEndpoint(id: string): Promise<void> {
  await EndpointModel.deleteOne({ _id: id });
}

// Routes

// Per agency, absent routes included (most agencies have none): agency ids are ours, not the caller's.
const routes = configCache<WebhookRoute | null>(5_000);

/** The agency's route as of the configuration stamp (`rebuildRoute` bumps it). Shared: do not change it. */
export function getRoute(agencyId: string): Promise<WebhookRoute | null> {
  return routes.get(agencyId, () => RouteModel.findById(agencyId).lean<WebhookRoute>().exec());
}

/** Rewrites the agency's route from its endpoints as they are now (idempotent; the last writer is right). */
export async function rebuildRoute(agencyId: string): Promise<void> {
  const endpoints = (await listEndpoints(agencyId)).filter((e) => e.enabled).map((e) => ({ id: e._id, events: e.events }));
  await RouteModel.replaceOne({ _id: agencyId }, { _id: agencyId, endpoints }, { upsert: true });
  await bumpConfigStamp();
}

// Deliveries

/** Inserts the delivery unless one with its id exists; true when this call created it. */
export async function insertDelivery(delivery: WebhookDelivery): Promise<boolean> {
  try {
    await DeliveryModel.create(delivery);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function getDelivery(id: string): Promise<WebhookDelivery | null> {
  return DeliveryModel.findById(id).lean<WebhookDelivery>();
}

export async function listDeliveries(endpointId: string, limit = 20): Promise<WebhookDelivery[]> {
  return DeliveryModel.find({ endpointId }).sort({ createdAt: -1, _id: 1 }).limit(limit).lean<WebhookDelivery[]>();
}

/** Only the holder of the delivery's lease (or an admin's resend of a parked one) writes it. */
export async function recordAttempt(id: string, attempt: WebhookAttempt, set: Partial<WebhookDelivery>): Promise<void> {
  await DeliveryModel.updateOne({ _id: id }, { $set: set, $push: { attempts: attempt } });
}

export async function updateDelivery(id: string, set: Partial<WebhookDelivery>): Promise<void> {
  await DeliveryModel.updateOne({ _id: id }, { $set: set });
}

// Due

export async function setDue(id: string, dueAt: Date): Promise<void> {
  await DueModel.replaceOne({ _id: id }, { _id: id, dueAt }, { upsert: true });
}

/** Writes the due entries of new deliveries; one already there (a re-run) is left as it is. */
export async function addDue(entries: WebhookDue[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await DueModel.insertMany(entries, { ordered: false });
  } catch (error) {
    const errors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
    const onlyDuplicates = isDuplicateKey(error) || (errors?.length && errors.every((e) => (e.code ?? e.err?.code) === 11000));
    if (!onlyDuplicates) throw error;
  }
}

export async function getDue(id: string): Promise<WebhookDue | null> {
  return DueModel.findById(id).lean<WebhookDue>();
}

/** Deliveries due by `now`, oldest first (the collection holds only undelivered ones: small). */
export async function listDue(now: Date, limit: number): Promise<WebhookDue[]> {
  return DueModel.find({ dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(limit).lean<WebhookDue[]>();
}

export async function removeDue(id: string): Promise<void> {
  await DueModel.deleteOne({ _id: id });
}
