import mongoose, { Schema } from "mongoose";

type Counter = { _id: string; seq: number };
const CounterSchema = new Schema<Counter>({ _id: String, seq: { type: Number, required: true } }, { versionKey: false });
const CounterModel = (mongoose.models.Counter as mongoose.Model<Counter>) ?? mongoose.model<Counter>("Counter", CounterSchema);

/** Next value of a named sequence: one atomic single-document update, safe across processes. */
export async function nextSequence(name: string): Promise<number> {
  const doc = await CounterModel.findOneAndUpdate(
    { _id: name },
    { $inc: { seq: 1 } },
    { upsert: true, new: true, lean: true },
  );
  return doc!.seq;
}
