/**
 * Process-local caches of configuration that is valid while one "stamp" value is unchanged (decision 018).
 * Pure promise orchestration, no I/O: the reads are passed in.
 */

/**
 * Shares one read among concurrent callers, without ever answering a caller with a read that was sent before
 * the call. A read starts at the end of the turn of the event loop in which its first caller called (every
 * caller of that turn shares it: requests released together, e.g. by one batch's answer, read together); a
 * caller arriving while a read is in flight waits for the NEXT read, which starts as soon as the current one
 * settles and is shared by every caller that arrived meanwhile. So an answer is never older than the call (a
 * change completed before the call is always seen), and a burst of N callers costs at most two reads.
 */
export function coalescedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let busy = false; // a read is scheduled or in flight
  let waiting: { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } | null = null;

  function launchWaiting(): void {
    const callers = waiting!;
    waiting = null;
    let p: Promise<T>;
    try {
      p = read();
    } catch (error) {
      p = Promise.reject(error);
    }
    const settle = () => {
      if (waiting) launchWaiting();
      else busy = false;
    };
    p.then(settle, settle);
    p.then(callers.resolve, callers.reject);
  }

  return () => {
    if (!waiting) {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      waiting = { promise, resolve, reject };
    }
    const { promise } = waiting;
    if (!busy) {
      busy = true;
      setImmediate(launchWaiting);
    }
    return promise;
  };
}

type Entry<V> = { value: Promise<V>; loadedAt: number };

/**
 * A bounded map of loads, valid for one stamp. `get` with another stamp than the entries were loaded under drops
 * them all first. Concurrent misses of one key share one load; a load is kept only when `keep` says so (e.g. a
 * positive result) and never when it fails. Past `max` entries the least recently used is dropped. An entry
 * older than `maxAgeMs` is loaded again whatever the stamp says: the bound on how long a change whose writer
 * failed before bumping the stamp (a crash between the two) can go unseen.
 */
export class StampedCache<V> {
  private stamp: string | undefined;
  private entries = new Map<string, Entry<V>>();

  constructor(
    readonly max: number,
    readonly maxAgeMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    if (!(max >= 1)) throw new Error("A cache holds at least one entry");
  }

  get size(): number {
    return this.entries.size;
  }

  /** Forgets everything (this process changed the configuration). */
  clear(): void {
    this.entries = new Map();
    this.stamp = undefined;
  }

  /** Forgets one entry (its next `get` loads it again). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  get(stamp: string, key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (stamp !== this.stamp) {
      // A new map: a load still in flight under the old stamp settles into the old one, never into this.
      this.entries = new Map();
      this.stamp = stamp;
    }
    const entries = this.entries;
    const now = this.now();
    const hit = entries.get(key);
    if (hit && now - hit.loadedAt < this.maxAgeMs && now >= hit.loadedAt) {
      // Most recently used last (a Map keeps insertion order).
      entries.delete(key);
      entries.set(key, hit);
      return hit.value;
    }
    let loaded: Promise<V>;
    try {
      loaded = load();
    } catch (error) {
      return Promise.reject(error);
    }
    entries.delete(key);
    entries.set(key, { value: loaded, loadedAt: now });
    if (entries.size > this.max) entries.delete(entries.keys().next().value as string);
    const forget = () => {
      if (entries.get(key)?.value === loaded) entries.delete(key);
    };
    loaded.then((value) => {
      if (!keep(value)) forget();
    }, forget);
    return loaded;
  }
}
