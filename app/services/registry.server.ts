/**
 * The public permit registry (s.13 of the Act): anyone can search the permits an authority granted, and
 * the answer must always reflect the permit store.
 *
 * The store is the source of truth; this process keeps a search index projected from it
 * (PermitSearchIndex). The index is built once from `forEachPermit`, then before every search it is
 * brought up to date from the store's change log:
 * - `latestChange()` (one `_id` lookup) says whether anything was announced since; if so the new
 *   changes are read and their permits re-read by `_id` and upserted (or removed when gone);
 * - a change is announced just before its write lands (see recordChange), so the permits of changes
 *   younger than 30 s are re-read again on later searches, until the re-read shows the write landed
 *   (the permit appeared or its public content changed) or the 30 s are over;
 * - every 5 s the change log itself is probed too (16 `_id` lookups), in case a writer failed to raise
 *   the latest-change hint after announcing (recordChange ignores that error);
 * - more than 50,000 changes behind (or more permits to re-read than a quarter of the index, at least
 *   50,000), the index is rebuilt instead.
 * Searches that arrive while a refresh runs wait for one shared follow-up refresh, so a search always
 * sees every write that completed before it started.
 */
import { effectiveStatus } from "~/core/permits/permit-rules";
import type { PublicPermit } from "~/core/permits/types";
import {
  PermitSearchIndex,
  toRegistryEntry,
  type RegistryEntry,
  type RegistryItem,
  type RegistrySearchResult,
} from "~/core/registry/permit-search-index";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { forEachPermit, getPermit, getPermits, latestChange, readChangesSince } from "~/models/permit.server";

const RECENT_MS = 30_000;
const PROBE_MS = 5_000;
const REBUILD_AFTER_CHANGES = 50_000;
/** Re-reading more permits than this (or a quarter of the index) one `_id` lookup at a time is slower than a rebuild. */
const REBUILD_AFTER_PERMITS = 50_000;
const BUILD_BATCH = 2_000;
const CHANGE_PAGE = 500;

type RecentChange = {
  id: number;
  at: number;
  /** Numbers whose write is not yet seen to have landed, with their public content before it. */
  pending: Map<string, string | null>;
  reads: number;
};

/** How the last full build went: reading the store vs indexing, in milliseconds. */
export type BuildStats = { permits: number; readMs: number; indexMs: number; totalMs: number; at: Date };

type RegistryState = {
  index: PermitSearchIndex;
  /** The last change applied. */
  seen: number;
  recent: RecentChange[];
  lastProbe: number;
};

let state: RegistryState | undefined;
let lastBuild: BuildStats | undefined;
let running: Promise<RegistryState> | undefined;
let queued: Promise<RegistryState> | undefined;
/** Bumped by a reset, so a refresh started before it does not install its result. */
let generation = 0;

/** The calendar day in Bangkok (UTC+7 all year, no daylight saving). */
function bangkokToday(now: Date): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** One page of the registry for `query`, up to date with the store as of the call. */
export async function searchRegistry(query: RegistryQuery, now = new Date()): Promise<RegistrySearchResult> {
  const { index } = await refresh();
  return index.search(query, bangkokToday(now));
}

/**
 * Every permit matching `query` (its page and pageSize are ignored), in result order, for the open-data
 * export: ranked once, instead of once per page, and a snapshot of the moment the export started.
 */
export async function* exportRegistry(query: RegistryQuery, now = new Date()): AsyncGenerator<RegistryItem> {
  const { index } = await refresh();
  const today = bangkokToday(now);
  for (const entry of index.searchAll(query, today)) yield index.item(entry, today);
}

/** One permit's public fields, read from the store itself (always current, no index needed); null if unknown. */
export async function getRegistryEntry(number: string, now = new Date()): Promise<RegistryItem | null> {
  const trimmed = number.trim();
  const permit = (await getPermit(trimmed)) ?? (trimmed !== trimmed.toUpperCase() ? await getPermit(trimmed.toUpperCase()) : null);
  if (!permit) return null;
  const entry = toRegistryEntry(permit);
  return { ...entry, effectiveStatus: effectiveStatus(entry, bangkokToday(now)) };
}

/** The index, brought up to date: for benches and diagnostics (do not keep it across awaits). */
export async function currentRegistryIndex(): Promise<PermitSearchIndex> {
  return (await refresh()).index;
}

/** Builds the index (or brings it up to date) ahead of the first search, e.g. at server start. */
export async function warmRegistryIndex(): Promise<void> {
  await refresh();
}

/** What the index holds right now, without refreshing it (health checks, the bench). */
export function registryIndexStatus(): {
  built: boolean;
  size: number;
  seen: number;
  pendingRereads: number;
  lastBuild?: BuildStats;
} {
  const pending = new Set(state?.recent.flatMap((change) => [...change.pending.keys()]));
  return { built: state !== undefined, size: state?.index.size ?? 0, seen: state?.seen ?? 0, pendingRereads: pending.size, lastBuild };
}

/** Forgets the index, so the next search builds it again from the (test's own) store. */
export function resetRegistryIndexForTests(): void {
  generation += 1;
  state = undefined;
  lastBuild = undefined;
  running = undefined;
  queued = undefined;
}

/** Runs one refresh at a time; callers arriving meanwhile share the next one. */
function refresh(): Promise<RegistryState> {
  if (running) {
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return refresh();
      });
    return queued;
  }
  const started = generation;
  const job: Promise<RegistryState> = (async () => {
    const next = await sync(state ?? (await build()));
    if (started === generation) state = next;
    return next;
  })().finally(() => {
    if (running === job) running = undefined;
  });
  running = job;
  return job;
}

async function build(): Promise<RegistryState> {
  const startedAt = Date.now();
  // Read before the scan: every change after it is applied by the first sync.
  const seen = await latestChange();
  const index = new PermitSearchIndex();
  let indexMs = 0;
  await forEachPermit(BUILD_BATCH, (batch) => {
    const start = performance.now();
    index.upsert(batch);
    indexMs += performance.now() - start;
  });
  const orderStart = performance.now();
  index.prepare();
  indexMs += performance.now() - orderStart;
  const totalMs = Date.now() - startedAt;
  lastBuild = { permits: index.size, readMs: Math.max(0, totalMs - indexMs), indexMs, totalMs, at: new Date() };
  // Changes announced shortly before the scan may land after it passed their permits: re-read them too.
  const recent: RecentChange[] = [];
  for (let high = seen; high > 0; high -= 16) {
    const changes = (await readChangesSince(Math.max(0, high - 16), 16)).filter((c) => c._id <= high);
    const young = changes.filter((c) => c.at.getTime() >= startedAt - RECENT_MS);
    for (const change of young) recent.push(recentChange(index, change));
    if (young.length < changes.length || changes.length === 0) break;
  }
  return { index, seen, recent, lastProbe: 0 };
}

async function sync(current: RegistryState): Promise<RegistryState> {
  let s = current;
  const now = Date.now();
  const latest = await latestChange();
  if (latest - s.seen > REBUILD_AFTER_CHANGES) s = await build();

  const toRead = new Set<string>();
  if (latest > s.seen || now - s.lastProbe >= PROBE_MS) {
    s.lastProbe = now;
    for (let behind = 0; ; ) {
      const changes = await readChangesSince(s.seen, CHANGE_PAGE);
      for (const change of changes) {
        for (const number of change.numbers) toRead.add(number);
        if (change.at.getTime() >= now - RECENT_MS) s.recent.push(recentChange(s.index, change));
        s.seen = change._id;
      }
      behind += changes.length;
      if (behind > REBUILD_AFTER_CHANGES || toRead.size > Math.max(REBUILD_AFTER_PERMITS, s.index.size / 4)) return sync(await build());
      if (changes.length < CHANGE_PAGE) break;
      // Apply as we go, so a long catch-up holds one page of changes in memory, not all of them.
      await reread(s, toRead);
      toRead.clear();
    }
  }
  for (const change of s.recent) for (const number of change.pending.keys()) toRead.add(number);
  if (toRead.size > 0) await reread(s, toRead);
  s.recent = s.recent.filter((change) => change.pending.size > 0 && (change.at >= now - RECENT_MS || change.reads === 0));
  return s;
}

/** Re-reads `numbers` from the store into the index, then settles the recent changes whose write landed. */
async function reread(s: RegistryState, numbers: Set<string>): Promise<void> {
  const permits = await getPermits([...numbers]);
  const found = new Map(permits.map((p) => [p.number, p]));
  s.index.upsert(permits);
  s.index.remove([...numbers].filter((n) => !found.has(n)));
  // Two recent changes of one permit may land in either order: such a permit stays pending for 30 s.
  const touches = new Map<string, number>();
  for (const change of s.recent) for (const number of change.pending.keys()) touches.set(number, (touches.get(number) ?? 0) + 1);
  for (const change of s.recent) {
    let read = false;
    for (const [number, before] of change.pending) {
      if (!numbers.has(number)) continue;
      read = true;
      const after = found.get(number);
      if (touches.get(number) === 1 && (after ? publicSignature(after) : null) !== before) change.pending.delete(number);
    }
    if (read) change.reads += 1;
  }
}

function recentChange(index: PermitSearchIndex, change: { _id: number; numbers: string[]; at: Date }): RecentChange {
  const pending = new Map<string, string | null>();
  for (const number of change.numbers) {
    const entry = index.get(number);
    pending.set(number, entry ? publicSignature(entry) : null);
  }
  return { id: change._id, at: change.at.getTime(), pending, reads: 0 };
}

/** The public content of a permit in a fixed shape, so a stored permit and an index entry compare equal. */
function publicSignature(permit: PublicPermit | RegistryEntry): string {
  const e = toRegistryEntry(permit);
  const text = (t: { th: string; en: string }) => [t.th, t.en];
  return JSON.stringify([
    e.number,
    e.agencyId,
    text(e.agencyName),
    e.typeCode,
    text(e.typeName),
    e.holderName,
    e.businessName,
    e.activity,
    [e.address.text, e.address.province, e.address.district, e.address.subdistrict, e.address.postcode],
    e.details.map((d) => [d.key, text(d.label), d.value]),
    e.conditions.map(text),
    e.issuedOn,
    e.validFrom,
    e.validUntil,
    e.status,
    e.statusReason,
    e.statusChangedAt,
    e.renews,
    e.renewedBy,
    e.holderEntity?.juristicId,
    e.displayRequired,
    e.source,
  ]);
}
