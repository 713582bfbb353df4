import type { Document } from "mongodb";
import mongoose, { Schema, type Connection } from "mongoose";
import { auditEntryId, type AuditEntry } from "~/core/audit/chain";
import type { StoredAuditEntry, StoredCheckpoint } from "~/core/audit/verify";
import { isDuplicateKey } from "./claim.server";

/**
 * The audit chains. An entry's `_id` is `${agencyId}:${seq}`, so appending is a unique insert that exactly one
 * writer wins (FerretDB's conditional updates are not atomic; its `_id` inserts are), and every read here is
 * an `_id` lookup, the one query FerretDB's SQLite backend does not answer by scanning the collection.
 */
type EntryDoc = AuditEntry & { _id: string };
/** The latest entry of a chain as last recorded: a hint where appends start (it may lag, never lead). */
export type AuditHead = { _id: string; seq: number; hash: string; at: Date };
type CheckpointDoc = StoredCheckpoint & { _id: string; kid: string };
/** The latest checkpoint of a chain (`_id` = agency), so the page finds it with one lookup. */
type CheckpointHead = { _id: string; seq: number; at: Date };
/** An entry that could not be appended when its action happened; the worker appends it later. */
export type SpooledAuditEntry = { _id: string; agencyId: string; input: string; at: Date; attempts: number };

const ref = new Schema({ kind: String, id: String, name: String }, { _id: false });
const target = new Schema({ type: String, id: String }, { _id: false });

const EntrySchema = new Schema<EntryDoc>(
  {
    _id: String,
    agencyId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: { type: ref, required: true },
    action: { type: String, required: true },
    target: { type: target, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  // minimize: false keeps `details: {}` as written, so the stored entry hashes as it did when appended.
  { versionKey: false, minimize: false, collection: "audit_entries" },
);
// For MongoDB: the page's filters by action or actor within an agency, newest first.
EntrySchema.index({ agencyId: 1, action: 1, seq: -1 });
EntrySchema.index({ agencyId: 1, "actor.id": 1, seq: -1 });

const HeadSchema = new Schema<AuditHead>({ _id: String, seq: Number, hash: String, at: Date }, { versionKey: false, collection: "audit_heads" });
const CheckpointSchema = new Schema<CheckpointDoc>(
  { _id: String, agencyId: String, seq: Number, hash: String, at: Date, kid: String, jws: String },
  { versionKey: false, collection: "audit_checkpoints" },
);
const CheckpointHeadSchema = new Schema<CheckpointHead>({ _id: String, seq: Number, at: Date }, { versionKey: false, collection: "audit_checkpoint_heads" });
const SpoolSchema = new Schema<SpooledAuditEntry>(
  { _id: String, agencyId: String, input: String, at: Date, attempts: Number },
  { versionKey: false, collection: "audit_spool" },
);

function model<T>(connection: Connection, name: string, schema: Schema<T>): mongoose.Model<T> {
  return (connection.models[name] as mongoose.Model<T>) ?? connection.model<T>(name, schema);
}

function toEntry(doc: EntryDoc): StoredAuditEntry {
  return { ...doc, at: new Date(doc.at), details: doc.details ?? {} };
}

const stores = new WeakMap<Connection, ReturnType<typeof createAuditStore>>();

/**
 * The audit collections on one connection (the app's by default; tests open a second to race the first).
 * One store object per connection, so appenders can queue per store.
 */
export function auditStore(connection: Connection = mongoose.connection) {
  let store = stores.get(connection);
  if (!store) {
    store = createAuditStore(connection);
    stores.set(connection, store);
  }
  return store;
}

function createAuditStore(connection: Connection) {
  const Entries = model(connection, "AuditEntry", EntrySchema);
  const Heads = model(connection, "AuditHead", HeadSchema);
  const Checkpoints = model(connection, "AuditCheckpoint", CheckpointSchema);
  const CheckpointHeads = model(connection, "AuditCheckpointHead", CheckpointHeadSchema);
  const Spool = model(connection, "AuditSpool", SpoolSchema);

  return {
    async findEntry(agencyId: string, seq: number): Promise<StoredAuditEntry | null> {
      const doc = await Entries.findById(auditEntryId(agencyId, seq)).lean<EntryDoc>();
      return doc ? toEntry(doc) : null;
    },
    /** The entries of seq `from..to` by `_id` lookups (missing ones are left out). */
    async findEntries(agencyId: string, from: number, to: number): Promise<StoredAuditEntry[]> {
      const ids: string[] = [];
      for (let seq = from; seq <= to; seq++) ids.push(auditEntryId(agencyId, seq));
      const docs = await Promise.all(ids.map((id) => Entries.findById(id).lean<EntryDoc>()));
      return docs.filter((d): d is EntryDoc => d !== null).map(toEntry);
    },
    /**
     * Inserts consecutive entries in order, stopping at the first position another writer holds. Returns how
     * many of them are stored, counted by reading back the positions when one was taken: a driver's count of
     * an ordered insert that failed part-way is not something both databases report alike.
     */
    async insertEntries(entries: AuditEntry[]): Promise<number> {
      try {
        // The driver directly (mongoose's casting and validation cost more than the insert): the entries are
        // built by `chainEntry` from JSON values; an undefined key is left out, as the hash leaves it out.
        await Entries.collection.insertMany(
          entries.map((entry) => ({ _id: auditEntryId(entry.agencyId, entry.seq), ...entry }) as unknown as Document),
          { ordered: true, ignoreUndefined: true },
        );
        return entries.length;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      let stored = 0;
      for (const entry of entries) {
        const found = await Entries.findById(auditEntryId(entry.agencyId, entry.seq)).select("hash").lean<{ hash: string }>();
        if (found?.hash !== entry.hash) break;
        stored += 1;
      }
      return stored;
    },
    async findHead(agencyId: string): Promise<AuditHead | null> {
      return Heads.findById(agencyId).lean<AuditHead>();
    },
    /** Moves the hint forward; a lost race leaves it behind, which appends walk past. */
    async raiseHead(agencyId: string, head: { seq: number; hash: string; at: Date }): Promise<void> {
      await Heads.updateOne({ _id: agencyId, $or: [{ seq: { $lt: head.seq } }, { seq: { $exists: false } }] }, { $set: head }, { upsert: true }).catch((error) => {
        if (!isDuplicateKey(error)) throw error; // the upsert lost to another writer's insert: its head is as good
      });
    },
    /** Every chain (a scan of the small heads collection: one document per agency). */
    async listHeads(): Promise<AuditHead[]> {
      return Heads.find().lean<AuditHead[]>();
    },
    /** The last seq actually stored, whatever the head says (full verification only: a scan). */
    async lastStoredSeq(agencyId: string): Promise<number> {
      const last = await Entries.find({ agencyId }).sort({ seq: -1 }).limit(1).select("seq").lean<{ seq: number }[]>();
      return last[0]?.seq ?? 0;
    },
    async listChainIds(): Promise<string[]> {
      return (await Entries.distinct("agencyId")) as string[];
    },

    /** False when a checkpoint for this seq exists already. */
    async insertCheckpoint(checkpoint: StoredCheckpoint & { kid: string }): Promise<boolean> {
      try {
        await Checkpoints.create({ _id: auditEntryId(checkpoint.agencyId, checkpoint.seq), ...checkpoint });
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
      await CheckpointHeads.updateOne({ _id: checkpoint.agencyId, $or: [{ seq: { $lt: checkpoint.seq } }, { seq: { $exists: false } }] }, { $set: { seq: checkpoint.seq, at: checkpoint.at } }, { upsert: true }).catch((error) => {
        if (!isDuplicateKey(error)) throw error;
      });
      return true;
    },
    async findCheckpoint(agencyId: string, seq: number): Promise<(StoredCheckpoint & { kid: string }) | null> {
      return Checkpoints.findById(auditEntryId(agencyId, seq)).lean<CheckpointDoc>();
    },
    async latestCheckpoint(agencyId: string): Promise<(StoredCheckpoint & { kid: string }) | null> {
      const head = await CheckpointHeads.findById(agencyId).lean<CheckpointHead>();
      return head ? Checkpoints.findById(auditEntryId(agencyId, head.seq)).lean<CheckpointDoc>() : null;
    },
    /** A chain's checkpoints (full verification only: a scan). */
    async listCheckpoints(agencyId: string): Promise<(StoredCheckpoint & { kid: string })[]> {
      return Checkpoints.find({ agencyId }).sort({ seq: 1 }).lean<CheckpointDoc[]>();
    },

    async spool(entry: SpooledAuditEntry): Promise<void> {
      await Spool.create(entry);
    },
    async listSpooled(limit = 100): Promise<SpooledAuditEntry[]> {
      return Spool.find().sort({ at: 1 }).limit(limit).lean<SpooledAuditEntry[]>();
    },
    async removeSpooled(id: string): Promise<void> {
      await Spool.deleteOne({ _id: id });
    },
    async countSpooled(): Promise<number> {
      return Spool.countDocuments();
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
