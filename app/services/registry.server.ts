/**
 * The public permit registry (s.13 of the Act): anyone can search the permits an authority granted, and
 * the answer must always reflect the permit store.
 *
 * The store is the source of truth; this process keeps a search index projected from it
 * (PermitSearchIndex: numbers, filter columns and postings; the fields shown are read from the store by
 * `_id` for the page shown). A process starts from the shared snapshot of that index (registry-snapshot:
 * the image and the change-log position it covers, written by whichever process built it from the store
 * first, under a lease, and then refreshed by the worker: `publishRegistrySnapshot`). With no snapshot
 * yet, one process builds it from `forEachPermit` while the others answer "being prepared" (503). Then
 * before every search the index is brought up to date from the store's change log:
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
import { AppError } from "~/core/errors";
import { bangkokDate } from "~/core/time/bangkok-clock";
import { effectiveStatus } from "~/core/permits/permit-rules";
import {
  PermitSearchIndex,
  publicHash,
  SNAPSHOT_VERSION,
  toRegistryEntry,
  type RegistryItem,
  type RegistrySearchResult,
} from "~/core/registry/permit-search-index";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { acquireLease, releaseClaim } from "~/models/claim.server";
import { findPermitsByNumber, forEachPermit, getPermit, getPermits, latestChange, readChangesSince } from "~/models/permit.server";
import { readRegistrySnapshotInto, registrySnapshotInfo, writeRegistrySnapshot, type SnapshotInfo } from "~/models/registry-snapshot.server";

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
  /** Numbers whose write is not yet seen to have landed, with the hash of their public content before it. */
  pending: Map<string, number | null>;
  reads: number;
};

/** How the index of this process came to be: a full build from the store, or a snapshot load. */
export type BuildStats = {
  permits: number;
  from: "store" | "snapshot";
  readMs: number;
  indexMs: number;
  totalMs: number;
  at: Date;
  snapshotBytes?: number;
  /** Read from this host's copy (REGISTRY_CACHE_DIR) rather than from the database. */
  localCopy?: boolean;
};

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

/** The lease of the one process building the first snapshot from the store (minutes at a million permits). */
const BUILD_LEASE = "registry-snapshot:build";
const BUILD_LEASE_STALE_MS = 20 * 60_000;
/** The lease of the one process writing a newer snapshot. */
const PUBLISH_LEASE = "registry-snapshot:publish";
const PUBLISH_LEASE_STALE_MS = 10 * 60_000;
const FETCH_BATCH = 200;

const bangkokToday = bangkokDate;

function preparing(): AppError {
  return new AppError("UNAVAILABLE", {
    th: "ทะเบียนใบอนุญาตกำลังเตรียมข้อมูลสำหรับการค้นหา โปรดลองใหม่อีกครั้งในอีกสักครู่",
    en: "The permit registry is being prepared for searching. Please try again in a moment.",
  });
}

/** The public fields of `numbers`, read from the store, in the order given (a permit deleted meanwhile is left out). */
async function itemsOf(numbers: string[], today: string): Promise<RegistryItem[]> {
  const found = new Map((await findPermitsByNumber(numbers)).map((p) => [p.number, p]));
  const items: RegistryItem[] = [];
  for (const number of numbers) {
    const permit = found.get(number);
    if (!permit) continue;
    const entry = toRegistryEntry(permit);
    items.push({ ...entry, effectiveStatus: effectiveStatus(entry, today) });
  }
  return items;
}

/**
 * One page of the registry for `query`, up to date with the store as of the call. Throws UNAVAILABLE (503)
 * while the first snapshot is being built by another process.
 */
export async function searchRegistry(query: RegistryQuery, now = new Date()): Promise<RegistrySearchResult> {
  const { index } = await refresh();
  const today = bangkokToday(now);
  const hits = index.search(query, today);
  return { items: await itemsOf(hits.numbers, today), total: hits.total, page: hits.page, pageSize: hits.pageSize };
}

/**
 * Every permit matching `query` (its page and pageSize are ignored), in result order, for the open-data
 * export: ranked once, instead of once per page; the list of matches is that of the moment the export
 * started, each permit's fields are read as the export reaches it.
 */
export async function* exportRegistry(query: RegistryQuery, now = new Date()): AsyncGenerator<RegistryItem> {
  const { index } = await refresh();
  const today = bangkokToday(now);
  const numbers = index.searchAll(query, today);
  for (let i = 0; i < numbers.length; i += FETCH_BATCH) yield* await itemsOf(numbers.slice(i, i + FETCH_BATCH), today);
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

/** Loads the snapshot (or builds the index) ahead of the first search, e.g. at server start. */
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

/** Forgets the index, so the next search loads the snapshot (or builds it) again from the (test's own) store. */
export function resetRegistryIndexForTests(): void {
  generation += 1;
  state = undefined;
  lastBuild = undefined;
  running = undefined;
  queued = undefined;
}

/**
 * Writes a snapshot of this process's index when the shared one lags it by `minChanges` changes, or by any
 * change once it is older than `maxAgeMs` (the worker calls this on every sweep), so a process starting
 * later has few changes to catch up. One process writes at a time (a lease). Returns the new snapshot or null.
 */
export async function publishRegistrySnapshot({ minChanges = 2_000, maxAgeMs = 5 * 60_000 } = {}): Promise<SnapshotInfo | null> {
  let s = await refresh();
  // Another refresh may have started meanwhile: capture the image only between refreshes.
  const settled = async () => {
    for (let job = running; job; job = running) s = await job.catch(() => s);
  };
  await settled();
  const shared = await registrySnapshotInfo();
  const behind = s.seen - (shared?.seen ?? -1);
  // A snapshot of another layout (written by an older version) is replaced whatever its age.
  if (usable(shared) && (behind <= 0 || (behind < minChanges && Date.now() - shared.at.getTime() < maxAgeMs))) return null;
  if (!(await acquireLease(PUBLISH_LEASE, async () => true, PUBLISH_LEASE_STALE_MS))) return null;
  try {
    await settled();
    const capturedAt = new Date();
    const seen = s.seen;
    const recent = encodeRecent(s.recent);
    const image = s.index.toSnapshot();
    return await writeRegistrySnapshot(image, seen, capturedAt, recent);
  } finally {
    await releaseClaim(PUBLISH_LEASE);
  }
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
    const next = await sync(state ?? (await start()));
    if (started === generation) state = next;
    return next;
  })().finally(() => {
    if (running === job) running = undefined;
  });
  running = job;
  return job;
}

/** The first index of this process: the shared snapshot, or a build from the store published as the first snapshot. */
async function start(): Promise<RegistryState> {
  const loaded = await loadSnapshot();
  if (loaded) return loaded;
  const lease = await acquireLease(BUILD_LEASE, async () => !usable(await registrySnapshotInfo()), BUILD_LEASE_STALE_MS);
  if (!lease) {
    // Another process is building it; it may have finished between our two reads.
    const late = await loadSnapshot();
    if (late) return late;
    throw preparing();
  }
  try {
    // Synced first, so the changes of the 30 s before the scan are re-read once here, not by every reader.
    const built = await sync(await build());
    await writeRegistrySnapshot(built.index.toSnapshot(), built.seen, new Date(), encodeRecent(built.recent));
    return built;
  } finally {
    await releaseClaim(BUILD_LEASE);
  }
}

/** A snapshot this version can load: none, or one of another layout (an older version's), is rebuilt from the store. */
function usable(info: SnapshotInfo | null): info is SnapshotInfo {
  return info !== null && info.format === SNAPSHOT_VERSION;
}

async function loadSnapshot(): Promise<RegistryState | null> {
  const startedAt = Date.now();
  // The manifest first: an image of another layout is not worth reading (250 MiB at a million permits).
  if (!usable(await registrySnapshotInfo())) return null;
  // Read piece by piece into the index's own arrays: the whole image would stay in memory as long as the
  // index (ADR 027). The sections are copied while reading; `indexMs` is the rest (numbers, vocabulary).
  const snapshot = await readRegistrySnapshotInto((info) => {
    const reader = PermitSearchIndex.snapshotReader(info.bytes);
    return { write: (piece) => reader.write(piece), finish: () => reader };
  });
  if (!snapshot) return null;
  const readMs = Date.now() - startedAt;
  const begin = performance.now();
  let index: PermitSearchIndex;
  try {
    index = snapshot.result.finish();
  } catch {
    return null;
  }
  const indexMs = performance.now() - begin;
  lastBuild = {
    permits: index.size,
    from: "snapshot",
    readMs,
    indexMs,
    totalMs: Date.now() - startedAt,
    at: new Date(),
    snapshotBytes: snapshot.info.bytes,
    localCopy: snapshot.local,
  };
  const { seen, at, recent } = snapshot.info;
  // The writer's own unsettled changes when it took the image; an older writer's snapshot without them:
  // every change of the 30 s before the image.
  // Like sync: a change re-read at least once and older than 30 s has landed (or never will).
  const now = Date.now();
  const restored = recent !== undefined ? decodeRecent(recent)?.filter((c) => c.at >= now - RECENT_MS || c.reads === 0) : undefined;
  return { index, seen, recent: restored ?? (await recentBefore(index, seen, at.getTime())), lastProbe: 0 };
}

/** Above this many unsettled numbers the snapshot leaves them out and a reader rebuilds the list from the change log. */
const MAX_CARRIED_PENDING = 50_000;

function encodeRecent(recent: RecentChange[]): string | undefined {
  const count = recent.reduce((sum, change) => sum + change.pending.size, 0);
  if (count > MAX_CARRIED_PENDING) return undefined;
  return JSON.stringify(recent.map((change) => [change.id, change.at, change.reads, [...change.pending]]));
}

function decodeRecent(text: string): RecentChange[] | undefined {
  try {
    const list = JSON.parse(text) as [number, number, number, [string, number | null][]][];
    return list.map(([id, at, reads, pending]) => ({ id, at, reads, pending: new Map(pending) }));
  } catch {
    return undefined;
  }
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
  lastBuild = { permits: index.size, from: "store", readMs: Math.max(0, totalMs - indexMs), indexMs, totalMs, at: new Date() };
  return { index, seen, recent: await recentBefore(index, seen, startedAt), lastProbe: 0 };
}

/**
 * Changes announced up to `seen` and shortly before `since` (a scan's start, a snapshot's capture) may land
 * after it passed their permits: they are re-read until seen to land, like any recent change.
 */
async function recentBefore(index: PermitSearchIndex, seen: number, since: number): Promise<RecentChange[]> {
  const recent: RecentChange[] = [];
  for (let high = seen; high > 0; high -= 16) {
    const changes = (await readChangesSince(Math.max(0, high - 16), 16)).filter((c) => c._id <= high);
    const young = changes.filter((c) => c.at.getTime() >= since - RECENT_MS);
    for (const change of young) recent.push(recentChange(index, change));
    if (young.length < changes.length || changes.length === 0) break;
  }
  return recent;
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
      if (touches.get(number) === 1 && (after ? publicHash(after) : null) !== before) change.pending.delete(number);
    }
    if (read) change.reads += 1;
  }
}

function recentChange(index: PermitSearchIndex, change: { _id: number; numbers: string[]; at: Date }): RecentChange {
  const pending = new Map<string, number | null>();
  for (const number of change.numbers) pending.set(number, index.publicHashOf(number) ?? null);
  return { id: change._id, at: change.at.getTime(), pending, reads: 0 };
}
