import mongoose, { Schema } from "mongoose";
import { claim } from "./claim.server";

type Counter = { _id: string; seq: number };
const CounterSchema = new Schema<Counter>({ _id: String, seq: { type: Number, required: true } }, { versionKey: false });
const CounterModel = (mongoose.models.Counter as mongoose.Model<Counter>) ?? mongoose.model<Counter>("Counter", CounterSchema);

/**
 * Next value of a named sequence, unique across processes: the counter document is only a hint of where
 * to start; each number is owned by the one caller whose claim insert for it succeeds.
 */
export async function nextSequence(name: string): Promise<number> {
  const hint = await CounterModel.findOne({ _id: name }).lean<Counter>();
  let candidate = (hint?.seq ?? 0) + 1;
  while (!(await claim(`seq:${name}:${candidate}`))) candidate += 1;
  await CounterModel.updateOne({ _id: name }, { $max: { seq: candidate } }, { upsert: true }).catch(() => undefined);
  return candidate;
}
