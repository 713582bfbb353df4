import { describe, expect, it } from "vitest";
import { coalescedRead, StampedCache } from "~/core/cache/stamped-cache";

/** A read whose answers the test releases one by one. */
function controlledRead<T>() {
  const pending: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  return {
    read: () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject })),
    started: () => pending.length,
    answer: (i: number, v: T) => pending[i]!.resolve(v),
    fail: (i: number, e: unknown) => pending[i]!.reject(e),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("coalescedRead", () => {
  it("shares one read among the callers of one turn, started at the end of that turn", async () => {
    const source = controlledRead<string>();
    const get = coalescedRead(source.read);
    const a = get();
    const b = get();
    expect(source.started()).toBe(0);
    await tick();
    expect(source.started()).toBe(1);
    source.answer(0, "s1");
    expect(await a).toBe("s1");
    expect(await b).toBe("s1");
  });

  it("never answers a caller with a read sent before it called: late callers share the next read", async () => {
    const source = controlledRead<string>();
    const get = coalescedRead(source.read);
    const first = get();
    await tick();
    // These arrive while the first read is in flight: a change completed before they called may be missed by it.
    const second = get();
    const third = get();
    expect(source.started()).toBe(1);
    source.answer(0, "old");
    expect(await first).toBe("old");
    await tick();
    expect(source.started()).toBe(2);
    source.answer(1, "new");
    expect(await second).toBe("new");
    expect(await third).toBe("new");
    // Nothing in flight now: the next caller gets a read of its own.
    const fourth = get();
    await tick();
    expect(source.started()).toBe(3);
    source.answer(2, "newer");
    expect(await fourth).toBe("newer");
  });

  it("passes a failure to the callers of that read only, and reads again for the next", async () => {
    const source = controlledRead<string>();
    const get = coalescedRead(source.read);
    const first = get();
    await tick();
    const second = get();
    source.fail(0, new Error("down"));
    await expect(first).rejects.toThrow("down");
    await tick();
    source.answer(1, "back");
    expect(await second).toBe("back");
  });
});

describe("StampedCache", () => {
  it("keeps a load while the stamp is unchanged and drops everything when it changes", async () => {
    const cache = new StampedCache<string>(10, 60_000);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.get("s1", "k", load)).toBe("v1");
    expect(await cache.get("s1", "k", load)).toBe("v1");
    expect(await cache.get("s2", "k", load)).toBe("v2");
    // Back to an old stamp is a change too (a process never trusts what it read under another stamp).
    expect(await cache.get("s1", "k", load)).toBe("v3");
    expect(loads).toBe(3);
  });

  it("shares one load among concurrent misses of a key (single flight)", async () => {
    const cache = new StampedCache<string>(10, 60_000);
    const source = controlledRead<string>();
    const a = cache.get("s", "k", source.read);
    const b = cache.get("s", "k", source.read);
    expect(source.started()).toBe(1);
    source.answer(0, "v");
    expect(await a).toBe("v");
    expect(await b).toBe("v");
  });

  it("does not keep what `keep` refuses (a miss) nor a failed load", async () => {
    const cache = new StampedCache<string | null>(10, 60_000);
    let loads = 0;
    const missing = async () => (loads++, null);
    expect(await cache.get("s", "unknown", missing, (v) => v !== null)).toBeNull();
    expect(await cache.get("s", "unknown", missing, (v) => v !== null)).toBeNull();
    expect(loads).toBe(2);
    expect(cache.size).toBe(0);
    await expect(cache.get("s", "k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("s", "k", async () => "ok")).toBe("ok");
  });

  it("never stores a load that was in flight when the stamp changed into the new stamp's entries", async () => {
    const cache = new StampedCache<string>(10, 60_000);
    const source = controlledRead<string>();
    const stale = cache.get("s1", "k", source.read);
    // Another request saw a newer stamp meanwhile.
    const fresh = cache.get("s2", "k", source.read);
    source.answer(0, "read under s1");
    source.answer(1, "read under s2");
    expect(await stale).toBe("read under s1");
    expect(await fresh).toBe("read under s2");
    expect(await cache.get("s2", "k", async () => "reloaded")).toBe("read under s2");
  });

  it("forgets everything on clear (this process changed the configuration)", async () => {
    const cache = new StampedCache<string>(10, 60_000);
    await cache.get("s", "k", async () => "before");
    cache.clear();
    expect(await cache.get("s", "k", async () => "after")).toBe("after");
  });

  it("holds at most `max` entries, dropping the least recently used", async () => {
    const cache = new StampedCache<string>(3, 60_000);
    for (const k of ["a", "b", "c"]) await cache.get("s", k, async () => k);
    await cache.get("s", "a", async () => "reloaded a"); // a is now the most recent
    await cache.get("s", "d", async () => "d"); // drops b
    expect(cache.size).toBe(3);
    expect(await cache.get("s", "a", async () => "reloaded a")).toBe("a");
    expect(await cache.get("s", "b", async () => "reloaded b")).toBe("reloaded b");
  });

  it("loads an entry again once it is older than its maximum age, whatever the stamp (a writer that never bumped)", async () => {
    let now = 1_000_000;
    const cache = new StampedCache<string>(10, 60_000, () => now);
    await cache.get("s", "k", async () => "first");
    now += 59_999;
    expect(await cache.get("s", "k", async () => "second")).toBe("first");
    now += 1;
    expect(await cache.get("s", "k", async () => "second")).toBe("second");
    // A clock that went back does not stretch an entry's life either.
    now -= 120_000;
    expect(await cache.get("s", "k", async () => "third")).toBe("third");
  });
});
