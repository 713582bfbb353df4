import mongoose, { Schema } from "mongoose";
import type { ServiceDefinition } from "~/core/definitions/types";
import { acquireLease, isDuplicateKey } from "./claim.server";

/**
 * The working copy of a service that an admin edits before publishing it as the next immutable version.
 * One draft per slug; `rev` counts saves so that a save or publish based on an older copy is a conflict.
 * Stored as JSON strings like published versions (`$schema`/`$ref` keys).
 */
export type ServiceDraft = {
  slug: string;
  agencyId: string;
  isTemplate: boolean;
  definition: ServiceDefinition;
  rev: number;
  /** The published version this draft started from (null for a new service). */
  basedOnVersion: number | null;
  /** The rev that was last published; a later rev means the draft has changes citizens do not see yet. */
  publishedRev: number | null;
  updatedAt: Date;
  updatedBy: string;
};

type DraftDoc = Omit<ServiceDraft, "slug" | "definition"> & { _id: string; manifestJson: string; formJson: string; uiJson: string; workflowJson: string };

const DraftSchema = new Schema<DraftDoc>(
  {
    _id: String,
    agencyId: { type: String, required: true },
    isTemplate: { type: Boolean, required: true },
    manifestJson: { type: String, required: true },
    formJson: { type: String, required: true },
    uiJson: { type: String, required: true },
    workflowJson: { type: String, required: true },
    rev: { type: Number, required: true },
    basedOnVersion: { type: Number, default: null },
    publishedRev: { type: Number, default: null },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { versionKey: false },
);
const DraftModel = (mongoose.models.ServiceDraft as mongoose.Model<DraftDoc>) ?? mongoose.model<DraftDoc>("ServiceDraft", DraftSchema);

const toDoc = (definition: ServiceDefinition) => ({
  manifestJson: JSON.stringify(definition.manifest),
  formJson: JSON.stringify(definition.form.schema),
  uiJson: JSON.stringify(definition.form.uiSchema),
  workflowJson: JSON.stringify(definition.workflow),
});

function fromDoc(doc: DraftDoc): ServiceDraft {
  return {
    slug: doc._id,
    agencyId: doc.agencyId,
    isTemplate: doc.isTemplate,
    definition: {
      manifest: JSON.parse(doc.manifestJson) as ServiceDefinition["manifest"],
      form: { schema: JSON.parse(doc.formJson) as ServiceDefinition["form"]["schema"], uiSchema: JSON.parse(doc.uiJson) as ServiceDefinition["form"]["uiSchema"] },
      workflow: JSON.parse(doc.workflowJson) as ServiceDefinition["workflow"],
    },
    rev: doc.rev,
    basedOnVersion: doc.basedOnVersion ?? null,
    publishedRev: doc.publishedRev ?? null,
    updatedAt: doc.updatedAt,
    updatedBy: doc.updatedBy,
  };
}

export async function getDraft(slug: string): Promise<ServiceDraft | null> {
  const doc = await DraftModel.findById(slug).lean<DraftDoc>();
  return doc ? fromDoc(doc) : null;
}

/** False when a draft with this slug exists already. */
export async function insertDraft(draft: Omit<ServiceDraft, "rev" | "updatedAt" | "publishedRev"> & { publishedRev?: number | null }): Promise<boolean> {
  try {
    await DraftModel.create({
      _id: draft.slug,
      agencyId: draft.agencyId,
      isTemplate: draft.isTemplate,
      ...toDoc(draft.definition),
      rev: 0,
      basedOnVersion: draft.basedOnVersion,
      publishedRev: draft.publishedRev ?? null,
      updatedAt: new Date(),
      updatedBy: draft.updatedBy,
    });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Saves over revision `expectedRev` (claimed first, see claim.server.ts); false when someone saved since. */
export async function replaceDraft(slug: string, expectedRev: number, definition: ServiceDefinition, updatedBy: string): Promise<boolean> {
  const lease = await acquireLease(`draft:${slug}:rev:${expectedRev}`, async () => (await getDraft(slug))?.rev === expectedRev);
  if (!lease) return false;
  const result = await DraftModel.updateOne(
    { _id: slug, rev: expectedRev },
    { $set: { ...toDoc(definition), rev: expectedRev + 1, updatedAt: new Date(), updatedBy } },
  ).exec();
  return result.modifiedCount === 1;
}

/** After publishing, the draft continues from the new version. */
export async function markDraftPublished(slug: string, expectedRev: number, version: number): Promise<boolean> {
  const result = await DraftModel.updateOne({ _id: slug, rev: expectedRev }, { $set: { basedOnVersion: version, publishedRev: expectedRev } }).exec();
  return result.matchedCount === 1;
}

/** Every draft of one owner (an agency, or "opdc" for templates), for the studio's list. */
export async function listDrafts(agencyId: string): Promise<ServiceDraft[]> {
  const docs = await DraftModel.find({ agencyId }).lean<DraftDoc[]>();
  return docs.map(fromDoc).sort((a, b) => a.slug.localeCompare(b.slug));
}
