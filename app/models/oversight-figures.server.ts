import mongoose, { Schema } from "mongoose";
import type { AgencyFigures } from "~/core/oversight/figures";
import { isDuplicateKey } from "./claim.server";

/**
 * The snapshot of OPDC's figures: one small document per agency (`_id` = agency id) and one over all agencies
 * (`_id` "all"), written by the worker. Pages read it by `_id` or read the whole (small) collection; nothing on
 * a request reads the cases. The figures are stored as a JSON string: they are read whole, never queried.
 */
type FiguresDoc = { _id: string; agencyCode: string; figuresJson: string; computedAt: Date };

const FiguresSchema = new Schema<FiguresDoc>(
  {
    _id: { type: String, required: true },
    agencyCode: { type: String, required: true },
    figuresJson: { type: String, required: true },
    computedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "oversight_figures" },
);

const FiguresModel = (mongoose.models.OversightFigures as mongoose.Model<FiguresDoc>) ?? mongoose.model<FiguresDoc>("OversightFigures", FiguresSchema);

/** Replaces each snapshot given (whole documents: a reader sees the old one or the new one). */
export async function saveFiguresSnapshots(figures: AgencyFigures[], computedAt: Date): Promise<void> {
  const write = () =>
    FiguresModel.bulkWrite(
      figures.map((f) => ({
        replaceOne: {
          filter: { _id: f.agencyId },
          replacement: { _id: f.agencyId, agencyCode: f.agencyCode, figuresJson: JSON.stringify(f), computedAt },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  try {
    await write();
  } catch (error) {
    // Two processes creating the same snapshot at once: the loser's upsert meets the winner's insert. Its
    // replace now finds the document, so writing again succeeds (each write is whole and correct).
    if (!isDuplicateKey(error)) throw error;
    await write();
  }
}

/** Removes the snapshots of agencies no longer on the platform. */
export async function deleteFiguresSnapshotsExcept(ids: string[]): Promise<void> {
  await FiguresModel.deleteMany({ _id: { $nin: ids } });
}

export async function getFiguresSnapshot(id: string): Promise<AgencyFigures | null> {
  const doc = await FiguresModel.findById(id).lean<FiguresDoc>();
  return doc ? (JSON.parse(doc.figuresJson) as AgencyFigures) : null;
}

/** Every snapshot (one per agency and "all": a small collection). */
export async function listFiguresSnapshots(): Promise<AgencyFigures[]> {
  const docs = await FiguresModel.find().sort({ _id: 1 }).lean<FiguresDoc[]>();
  return docs.map((doc) => JSON.parse(doc.figuresJson) as AgencyFigures);
}
