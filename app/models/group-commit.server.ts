import type { AnyBulkWriteOperation, Collection, Document } from "mongodb";

/**
 * Group commit across concurrent requests of one process: while one batch of writes to a collection is being
 * sent, the writes that arrive queue up and go together as the next batch — one `insertMany({ ordered: false })`
 * or one `bulkWrite({ ordered: false })` instead of one command each. On this engine a command costs about 1 ms
 * of database CPU and 0.5 ms of client CPU whatever it carries, so under load (8–64 filings at once) a filing's
 * writes cost a fraction of a command each.
 *
 * Each caller still gets its own outcome: the driver reports failed writes by their index in the batch, and each
 * is handed back to the caller whose document it was (a duplicate key fails only that caller). Unordered writes
 * are independent, so one caller's failure does not stop the others'. An error that is not about particular
 * writes (a lost connection) fails every caller of the batch: none of them knows what was stored, as when a lone
 * write fails that way.
 *
 * A batch is collected at the end of the current turn of the event loop (`setImmediate`), not at the first
 * write: the answer to one batch releases all its callers in the same turn, and each then asks for its next
 * write (a filing's claim, then its case, then its search words…). Sent at the first of them, those next writes
 * would go as one lone write and then the rest; collected at the end of the turn they go together, so
 * concurrent requests move through their writes in step. The wait is one turn of the loop, not a timer.
 */

/** A write of a batch that the database refused, by its index among the writes its caller submitted. */
export type WriteFailure = { index: number; code: number | undefined; error: Error };

type Pending<W> = { writes: W[]; resolve: (failures: WriteFailure[]) => void; reject: (error: unknown) => void };

/** At most this many writes go in one command; more wait for the next (kept well under the 16 MB message). */
const MAX_WRITES_PER_BATCH = 256;

type Sender<W> = (writes: W[]) => Promise<void>;

/** Resolves once everything already queued in this turn of the event loop (promise reactions included) has run. */
export const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The grouping itself, for any write: `send` gets every write queued meanwhile in one call. Resolves to the
 * failures among the caller's writes that `send`'s error names by index; any other error fails every caller it
 * carried (and only those).
 */
export function groupWrites<W>(send: Sender<W>, maxWrites = MAX_WRITES_PER_BATCH): (writes: W[]) => Promise<WriteFailure[]> {
  const waiting: Pending<W>[] = [];
  let sending = false;

  async function drain(): Promise<void> {
    sending = true;
    try {
      await endOfTurn();
      while (waiting.length > 0) {
        const batch: Pending<W>[] = [];
        let count = 0;
        while (waiting.length > 0 && (batch.length === 0 || count + waiting[0]!.writes.length <= maxWrites)) {
          const next = waiting.shift()!;
          batch.push(next);
          count += next.writes.length;
        }
        await sendBatch(batch);
      }
    } finally {
      sending = false;
    }
  }

  async function sendBatch(batch: Pending<W>[]): Promise<void> {
    const writes = batch.flatMap((p) => p.writes);
    let failed: Map<number, WriteFailure>;
    try {
      await send(writes);
      failed = new Map();
    } catch (error) {
      const perWrite = writeFailuresOf(error);
      if (!perWrite) {
        for (const p of batch) p.reject(error);
        return;
      }
      failed = perWrite;
    }
    let offset = 0;
    for (const p of batch) {
      const mine: WriteFailure[] = [];
      for (let i = 0; i < p.writes.length; i++) {
        const failure = failed.get(offset + i);
        if (failure) mine.push({ ...failure, index: i });
      }
      offset += p.writes.length;
      p.resolve(mine);
    }
  }

  return (writes) => {
    if (writes.length === 0) return Promise.resolve([]);
    const outcome = new Promise<WriteFailure[]>((resolve, reject) => waiting.push({ writes, resolve, reject }));
    if (!sending) void drain();
    return outcome;
  };
}

type DriverWriteError = { index?: number; code?: number; errmsg?: string; err?: { index?: number; code?: number; errmsg?: string } };

/**
 * The failed writes an unordered bulk error reports, by index in the batch; null when the error is not about
 * particular writes (then nobody knows which were stored). The driver gives one write error as an object and
 * several as an array; a write-concern error alongside means the stored ones may not be durable: null too.
 */
export function writeFailuresOf(error: unknown): Map<number, WriteFailure> | null {
  if (typeof error !== "object" || error === null) return null;
  const { writeErrors, writeConcernError } = error as { writeErrors?: DriverWriteError | DriverWriteError[]; writeConcernError?: unknown };
  if (!writeErrors || writeConcernError) return null;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  if (list.length === 0) return null;
  const failures = new Map<number, WriteFailure>();
  for (const raw of list) {
    const index = raw.index ?? raw.err?.index;
    if (typeof index !== "number") return null;
    const code = raw.code ?? raw.err?.code;
    const message = raw.errmsg ?? raw.err?.errmsg ?? "write failed";
    failures.set(index, { index, code, error: Object.assign(new Error(message), { code }) });
  }
  return failures;
}

/**
 * Inserts into one collection, grouped with the concurrent inserts of this process: resolves to the failures
 * among `docs` (empty when all were stored). Documents are stored as given (plain driver objects).
 */
export function insertGrouped<T extends Document>(collection: () => Collection<T>, maxWrites = MAX_WRITES_PER_BATCH) {
  return groupWrites<T>(async (docs) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OptionalUnlessRequiredId<T> is T for these callers
    await collection().insertMany(docs as any[], { ordered: false });
  }, maxWrites);
}

/** Bulk writes (update/upsert by `_id`) to one collection, grouped as `insertGrouped` groups inserts. */
export function bulkWriteGrouped<T extends Document>(collection: () => Collection<T>, maxWrites = MAX_WRITES_PER_BATCH) {
  return groupWrites<AnyBulkWriteOperation<T>>(async (operations) => {
    await collection().bulkWrite(operations, { ordered: false });
  }, maxWrites);
}
