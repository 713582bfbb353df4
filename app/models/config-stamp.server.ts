import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import mongoose, { Schema } from "mongoose";
import { coalescedRead, StampedCache } from "~/core/cache/stamped-cache";

/**
 * The configuration stamp (decision 018): one document, `config_stamps/_id: "config"`, whose token every writer of
 * cached configuration (API clients and key look-ups, the service catalogue, webhook routes, agencies; and the
 * sessions and accounts a signed-in request is checked against) replaces with a fresh random one AFTER its own
 * write; a writer that bypasses the model functions must call `bumpConfigStamp` too. A process keeps what it read
 * while the token it reads is the one it read it under, so a request reads one small document by `_id` instead.
 *
 * Why a random token and not `$inc`: FerretDB's `$inc` is a read and a write, so two concurrent bumps can write
 * the same number and an older number can come back; a fresh token never equals one a reader has seen.
 */
type ConfigStamp = { _id: string; token: string; at: Date };

const ConfigStampModel =
  (mongoose.models.ConfigStamp as mongoose.Model<ConfigStamp>) ??
  mongoose.model<ConfigStamp>(
    "ConfigStamp",
    new Schema<ConfigStamp>({ _id: String, token: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false, collection: "config_stamps" }),
  );

const STAMP_ID = "config";

// The database's name is part of the stamp: a process that moves to another database (tests) starts afresh.
const readStamp = coalescedRead(async () => {
  const doc = await ConfigStampModel.collection.findOne<{ token?: string }>({ _id: STAMP_ID as never }, { projection: { token: 1 } });
  return `${ConfigStampModel.db.name}/${doc?.token ?? "-"}`;
});

/**
 * One request's view: the stamp is read at most once per request (its first cached look-up), so all its
 * look-ups agree. It ends with the response: work the request left running reads the stamp again.
 */
type Scope = { stamp?: Promise<string>; ended: boolean };
const scopes = new AsyncLocalStorage<Scope>();

/** Express middleware: runs the rest of the request in its own configuration scope. */
export function configStampScope() {
  return (_req: unknown, res: { once(event: "close", listener: () => void): unknown }, next: () => void) => {
    const scope: Scope = { ended: false };
    res.once("close", () => {
      scope.ended = true;
    });
    scopes.run(scope, next);
  };
}

/**
 * Runs `work` in a scope of its own: one stamp read for all its look-ups. Work a request starts while it is still
 * open (the effects of a transition, run as soon as it is written) keeps the request's stamp: the request and
 * what it started see one configuration. Otherwise (the worker's sweep, a run queued behind others) it reads afresh.
 */
export async function withConfigScope<T>(work: () => Promise<T>): Promise<T> {
  const parent = scopes.getStore();
  const scope: Scope = { ended: false, stamp: parent && !parent.ended ? parent.stamp : undefined };
  try {
    return await scopes.run(scope, work);
  } finally {
    scope.ended = true;
  }
}

/** The current stamp: never older than the call (or than the request, within a request's scope). */
export function currentConfigStamp(): Promise<string> {
  const scope = scopes.getStore();
  if (!scope || scope.ended) return readStamp();
  if (!scope.stamp) {
    const stamp = readStamp();
    scope.stamp = stamp;
    // A failed read is not kept for the rest of the request.
    stamp.catch(() => {
      if (scope.stamp === stamp) scope.stamp = undefined;
    });
  }
  return scope.stamp;
}

const caches: StampedCache<unknown>[] = [];

/**
 * However unchanged the stamp, a copy is read again after a minute: a writer that failed between its write and
 * its bump (a crash, a lost connection) leaves a change unseen for at most that long, as the agency's names were
 * before the stamp.
 */
export const CONFIG_CACHE_MAX_AGE_MS = 60_000;

/**
 * Marks the cached configuration as changed, for every process: call it after the write. This process forgets
 * its own copies at once; the others on their next read of the stamp. A request's scope in this process reads
 * the stamp again too, so the rest of the request sees its own change.
 */
export async function bumpConfigStamp(now = new Date()): Promise<void> {
  await ConfigStampModel.collection.updateOne({ _id: STAMP_ID as never }, { $set: { token: randomUUID(), at: now } }, { upsert: true });
  for (const cache of caches) cache.clear();
  const scope = scopes.getStore();
  if (scope) scope.stamp = undefined;
}

export type ConfigCache<V> = {
  /** `load()` unless this process holds its answer for `key` under the current stamp; kept only when `keep`. */
  get(key: string, load: () => Promise<V>, keep?: (value: V) => boolean): Promise<V>;
  /** Forgets this process's copy of `key` (e.g. before deciding on the database's own answer). */
  forget(key: string): void;
};

/** A cache of configuration valid while the stamp is unchanged, at most `max` entries (least recently used dropped). */
export function configCache<V>(max: number): ConfigCache<V> {
  const cache = new StampedCache<V>(max, CONFIG_CACHE_MAX_AGE_MS);
  caches.push(cache as StampedCache<unknown>);
  return {
    async get(key, load, keep) {
      const stamp = await currentConfigStamp();
      return cache.get(stamp, key, load, keep);
    },
    forget: (key) => cache.delete(key),
  };
}
