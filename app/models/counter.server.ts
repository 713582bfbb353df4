import mongoose, { Schema } from "mongoose";
import { claim, findClaimsOf } from "./claim.server";

type Counter = { _id: string; seq: number };
const CounterSchema = new Schema<Counter>({ _id: String, seq: { type: Number, required: true } }, { versionKey: false });
const CounterModel = (mongoose.models.Counter as mongoose.Model<Counter>) ?? mongoose.model<Counter>("Counter", CounterSchema);

/**
 * Next value of a named sequence, unique across processes: the counter document is only a hint of where
 * to start; each number is owned by the one caller whose claim insert for it succeeds. An `owner` is
 * recorded on the claim so that a caller that crashed after taking a number can find it again
 * (`claimedSequence`) instead of leaving a gap.
 */
export async function nextSequence(name: string, owner?: string): Promise<number> {
  const hint = await CounterModel.findOne({ _id: name }).lean<Counter>();
  let candidate = (hint?.seq ?? 0) + 1;
  while (!(await claim(`seq:${name}:${candidate}`, owner))) candidate += 1;
  await CounterModel.updateOne({ _id: name }, { $max: { seq: candidate } }, { upsert: true }).catch(() => undefined);
  return candidate;
}

/** The last number of `name` that `owner` took earlier, if it took any. */
export async function claimedSequence(name: string, owner: string): Promise<number | null> {
  const taken = (await findClaimsOf(`seq:${name}:`, owner)).map((key) => Number(key.slice(`seq:${name}:`.length)));
  return taken.length > 0 ? Math.max(...taken) : null;
}

/** Where a hand-numbered sequence (an `_id` insert loop) should start looking; never decreases. */
export async function sequenceHint(name: string): Promise<number> {
  return (await CounterModel.findOne({ _id: name }).lean<Counter>())?.seq ?? 0;
}

export async function raiseSequenceHint(name: string, value: number): Promise<void> {
  await CounterModel.updateOne({ _id: name }, { $max: { seq: value } }, { upsert: true }).catch(() => undefined);
}
