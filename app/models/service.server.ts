import mongoose, { Schema } from "mongoose";
import type { ServiceDefinition } from "~/core/definitions/types";
import type { LocalizedText } from "~/core/text";
import { bumpConfigStamp, configCache } from "./config-stamp.server";

/**
 * A service in the catalogue (one per slug) and its immutable published versions.
 * Definitions are stored as JSON strings: MongoDB-compatible stores refuse `$` keys ($schema, $ref).
 */
export type ServiceSummary = {
  _id: string; // slug
  agencyId: string;
  isTemplate: boolean;
  currentVersion: number;
  title: LocalizedText;
  level: "initial" | "standard";
  category: string;
  sourceTemplate?: { id: string; version: number };
  updatedAt: Date;
};

export type ServiceVersionDoc = {
  _id: string; // `${slug}@${version}`
  slug: string;
  version: number;
  agencyId: string;
  manifestJson: string;
  formJson: string;
  uiJson: string;
  workflowJson: string;
  publishedAt: Date;
  publishedBy?: string;
};

export type PublishedService = {
  id: string;
  slug: string;
  version: number;
  agencyId: string;
  publishedAt: Date;
  definition: ServiceDefinition;
};

const localized = { th: { type: String, required: true }, en: { type: String, required: true } };

const ServiceSchema = new Schema<ServiceSummary>(
  {
    _id: { type: String, required: true },
    agencyId: { type: String, required: true, index: true },
    isTemplate: { type: Boolean, required: true },
    currentVersion: { type: Number, required: true },
    title: localized,
    level: { type: String, required: true },
    category: { type: String, required: true },
    sourceTemplate: { type: new Schema({ id: String, version: Number }, { _id: false }), required: false },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const ServiceVersionSchema = new Schema<ServiceVersionDoc>(
  {
    _id: { type: String, required: true },
    slug: { type: String, required: true },
    version: { type: Number, required: true },
    agencyId: { type: String, required: true },
    manifestJson: { type: String, required: true },
    formJson: { type: String, required: true },
    uiJson: { type: String, required: true },
    workflowJson: { type: String, required: true },
    publishedAt: { type: Date, required: true },
    publishedBy: String,
  },
  { versionKey: false },
);
ServiceVersionSchema.index({ slug: 1, version: -1 }, { unique: true });

export const ServiceModel =
  (mongoose.models.Service as mongoose.Model<ServiceSummary>) ?? mongoose.model<ServiceSummary>("Service", ServiceSchema);
export const ServiceVersionModel =
  (mongoose.models.ServiceVersion as mongoose.Model<ServiceVersionDoc>) ??
  mongoose.model<ServiceVersionDoc>("ServiceVersion", ServiceVersionSchema);

export function versionId(slug: string, version: number) {
  return `${slug}@${version}`;
}

// Published versions never change, so a parsed copy can be kept for the life of the process.
const parsed = new Map<string, PublishedService>();

function toPublished(doc: ServiceVersionDoc): PublishedService {
  const hit = parsed.get(doc._id);
  if (hit) return hit;
  const service: PublishedService = {
    id: doc._id,
    slug: doc.slug,
    version: doc.version,
    agencyId: doc.agencyId,
    publishedAt: doc.publishedAt,
    definition: {
      manifest: JSON.parse(doc.manifestJson),
      form: { schema: JSON.parse(doc.formJson), uiSchema: JSON.parse(doc.uiJson) },
      workflow: JSON.parse(doc.workflowJson),
    },
  };
  parsed.set(doc._id, service);
  return service;
}

export async function getServiceVersion(id: string): Promise<PublishedService | null> {
  const cached = parsed.get(id);
  if (cached) return cached;
  const doc = await ServiceVersionModel.findById(id).lean<ServiceVersionDoc>();
  return doc ? toPublished(doc) : null;
}

export async function getServiceSummary(slug: string): Promise<ServiceSummary | null> {
  return ServiceModel.findById(slug).lean<ServiceSummary>();
}

type CurrentService = { summary: ServiceSummary; service: PublishedService };

// Known slugs only: a slug from an address that names no service is read again each time (it cannot fill the cache).
const currentServices = configCache<CurrentService | null>(2_000);

/**
 * The current published version of a service, or null when the slug is unknown; as of the configuration stamp
 * (publishing bumps it). The result is shared: callers must not change it. Writers read `getServiceSummary`.
 */
export function getCurrentService(slug: string): Promise<CurrentService | null> {
  return currentServices.get(slug, () => readCurrentService(slug), (found) => found !== null);
}

async function readCurrentService(slug: string): Promise<CurrentService | null> {
  const summary = await getServiceSummary(slug);
  if (!summary) return null;
  const service = await getServiceVersion(versionId(slug, summary.currentVersion));
  return service ? { summary, service } : null;
}

export async function listServices(filter: { agencyId?: string; isTemplate?: boolean } = {}): Promise<ServiceSummary[]> {
  const query: Record<string, unknown> = {};
  if (filter.agencyId) query.agencyId = filter.agencyId;
  if (filter.isTemplate !== undefined) query.isTemplate = filter.isTemplate;
  return ServiceModel.find(query).sort({ _id: 1 }).lean<ServiceSummary[]>();
}

// An agency's published services, per agency (keys are staff members' own agencies: a bounded set).
const agencyServices = configCache<ServiceSummary[]>(500);

/**
 * The services an agency publishes (templates left out), by slug, as of the configuration stamp (publishing bumps
 * it): what the inbox lists and filters by on every request (decision 022). Shared: callers must not change it.
 */
export function listPublishedServicesOf(agencyId: string): Promise<readonly ServiceSummary[]> {
  return agencyServices.get(agencyId, () => listServices({ agencyId, isTemplate: false }));
}

/**
 * Stores `definition` as the next immutable version of `slug`. The version document is written first
 * (its unique _id makes a concurrent publish of the same number fail), then the catalogue entry moves
 * forward only if it still points at the version we read.
 */
export async function publishServiceVersion(input: {
  slug: string;
  agencyId: string;
  isTemplate: boolean;
  definition: ServiceDefinition;
  publishedBy?: string;
}): Promise<PublishedService> {
  const existing = await getServiceSummary(input.slug);
  const version = (existing?.currentVersion ?? 0) + 1;
  const { manifest, form, workflow } = input.definition;
  const doc: ServiceVersionDoc = {
    _id: versionId(input.slug, version),
    slug: input.slug,
    version,
    agencyId: input.agencyId,
    manifestJson: JSON.stringify(manifest),
    formJson: JSON.stringify(form.schema),
    uiJson: JSON.stringify(form.uiSchema),
    workflowJson: JSON.stringify(workflow),
    publishedAt: new Date(),
    publishedBy: input.publishedBy,
  };
  await ServiceVersionModel.create(doc);
  const summary = {
    agencyId: input.agencyId,
    isTemplate: input.isTemplate,
    currentVersion: version,
    title: manifest.title,
    level: manifest.level,
    category: manifest.category,
    sourceTemplate: manifest.sourceTemplate,
    updatedAt: doc.publishedAt,
  };
  if (existing) {
    await ServiceModel.updateOne({ _id: input.slug, currentVersion: existing.currentVersion }, { $set: summary });
  } else {
    await ServiceModel.create({ _id: input.slug, ...summary });
  }
  await bumpConfigStamp();
  return toPublished(doc);
}
