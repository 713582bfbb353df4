/**
 * Group commit: writes asked for while one is on its way go together in the next one (one round trip for all),
 * and the first goes at once, so nothing waits when the process is quiet. Each caller's promise settles when
 * the write that carried its items is done — it is never told "done" before its items are written, which is
 * what crash safety needs. A failed write fails every caller in it (each handles it as its own failure).
 */
export function groupCommit<T>(write: (items: T[]) => Promise<void>): (items: T[]) => Promise<void> {
  let queued: { items: T[]; waiters: { resolve: () => void; reject: (error: unknown) => void }[] } | null = null;
  let inFlight = false;

  async function flush(): Promise<void> {
    while (queued) {
      const batch = queued;
      queued = null;
      inFlight = true;
      try {
        await write(batch.items);
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        for (const w of batch.waiters) w.reject(error);
      } finally {
        inFlight = false;
      }
    }
  }

  return (items: T[]) => {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      queued ??= { items: [], waiters: [] };
      queued.items.push(...items);
      queued.waiters.push({ resolve, reject });
      if (!inFlight) void flush();
    });
  };
}
