import { chainEntry, type AuditEntry, type AuditEntryInput } from "~/core/audit/chain";
import type { StoredAuditEntry } from "~/core/audit/verify";
import { auditStore, type AuditStore } from "~/models/audit-entry.server";
import { endOfTurn } from "~/models/group-commit.server";

/** At most this many entries go in one insert; more wait for the next. */
const MAX_BATCH = 64;
/**
 * The head hint is written once the chain has grown this far past it, not on every append: a write costs
 * far more than the `_id` reads that walk from the hint to the end (bench/filing-cost.ts).
 */
const HEAD_RAISE_INTERVAL = 16;

type Waiting = { input: AuditEntryInput; resolve: (entry: AuditEntry) => void; reject: (error: unknown) => void };
/** Per store and chain: the entries waiting to be appended, and whether a batch is being written. */
type ChainQueue = { waiting: Waiting[]; writing: boolean };
/**
 * Per store and chain, what this process last knew: the entry it last wrote (where the next batch starts)
 * and the head hint's seq.
 */
type ChainMemory = { written?: { seq: number; hash: string }; headSeq: number };
const memories = new WeakMap<AuditStore, Map<string, ChainMemory>>();
const queues = new WeakMap<AuditStore, Map<string, ChainQueue>>();

/**
 * Appends one entry to an agency's chain and resolves once it is stored. Appends to one chain from this
 * process are written together (group commit): while one batch is being stored the next ones queue, and the
 * queue goes as one ordered insert of linked entries. Concurrent appends then cost one head lookup, one
 * insert and one head update per batch instead of each racing the others for the same position (measured in
 * bench/filing-cost.ts: the race cost 7 ms of web and 7 ms of database CPU per filing at 8 at once).
 */
export function appendAuditEntry(agencyId: string, input: AuditEntryInput, store: AuditStore = auditStore()): Promise<AuditEntry> {
  let chains = queues.get(store);
  if (!chains) {
    chains = new Map();
    queues.set(store, chains);
  }
  let queue = chains.get(agencyId);
  if (!queue) {
    queue = { waiting: [], writing: false };
    chains.set(agencyId, queue);
  }
  const entry = new Promise<AuditEntry>((resolve, reject) => queue.waiting.push({ input, resolve, reject }));
  if (!queue.writing) void writeQueued(agencyId, queue, chains, store);
  return entry;
}

async function writeQueued(agencyId: string, queue: ChainQueue, chains: Map<string, ChainQueue>, store: AuditStore) {
  queue.writing = true;
  // The first batch is collected at the end of this turn of the event loop, as group-commit.server.ts collects
  // its batches: the answer to one grouped write releases several requests in one turn, and each then appends
  // its entry. Sent at the first append, those went as a lone insert and then the rest.
  await endOfTurn();
  while (queue.waiting.length > 0) {
    const batch = queue.waiting.splice(0, MAX_BATCH);
    try {
      const entries = await appendBatch(agencyId, batch.map((w) => w.input), store);
      batch.forEach((waiting, i) => waiting.resolve(entries[i]));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
  queue.writing = false;
  chains.delete(agencyId);
}

/**
 * Appends `inputs` in order without ever forking the chain. Start right after the entry this process last
 * wrote (no read first), or else from the head hint walked forward; insert the entries linked from there. When another writer (another process)
 * holds a position, walk forward to the end of what it wrote and link the rest after it. Each position is a
 * unique insert, so exactly one entry holds it and it links to the entry that held the position before it.
 */
async function appendBatch(agencyId: string, inputs: AuditEntryInput[], store: AuditStore): Promise<AuditEntry[]> {
  const chains = memories.get(store) ?? new Map<string, ChainMemory>();
  memories.set(store, chains);
  const memory = chains.get(agencyId) ?? { headSeq: 0 };
  chains.set(agencyId, memory);
  // Optimistically after the entry this process last wrote, without reading it back first: usually nobody else
  // appended since. If someone did, the next position is taken (each position is a unique insert), and the
  // loop below walks to the real end and links after it.
  let previous: { seq: number; hash: string } | null = memory.written ?? null;
  if (!previous) {
    const head = await store.findHead(agencyId);
    memory.headSeq = head?.seq ?? 0;
    const end = await walkToEnd(agencyId, store, undefined, head);
    previous = end ? { seq: end.seq, hash: end.hash } : null;
  }
  const stored: AuditEntry[] = [];
  while (stored.length < inputs.length) {
    const entries: AuditEntry[] = [];
    for (const input of inputs.slice(stored.length)) {
      const entry = chainEntry(agencyId, entries.at(-1) ?? previous, input);
      entries.push(entry);
    }
    const count = await store.insertEntries(entries);
    stored.push(...entries.slice(0, count));
    if (count > 0) previous = entries[count - 1];
    if (count === entries.length) break;
    // Another writer holds the next position: link after the end of what it (and any other) wrote.
    const head = await store.findHead(agencyId);
    memory.headSeq = Math.max(memory.headSeq, head?.seq ?? 0);
    const taken = await walkToEnd(agencyId, store, previous ?? undefined, head);
    // Taken and then gone would mean someone deletes entries: do not build on a hole.
    if (!taken || taken.seq < entries[count].seq) throw new Error(`audit chain ${agencyId}: position #${entries[count].seq} was taken but cannot be read`);
    previous = { seq: taken.seq, hash: taken.hash };
  }
  const last = stored.at(-1)!;
  memory.written = { seq: last.seq, hash: last.hash };
  if (memory.headSeq === 0 || last.seq - memory.headSeq >= HEAD_RAISE_INTERVAL) {
    await store.raiseHead(agencyId, { seq: last.seq, hash: last.hash, at: last.at });
    memory.headSeq = last.seq;
  }
  return stored;
}

/** The chain's real last entry: the head hint, then `_id` lookups forward past whatever it lags. */
export async function lastAuditEntry(agencyId: string, store: AuditStore = auditStore()): Promise<StoredAuditEntry | null> {
  return walkToEnd(agencyId, store, undefined, await store.findHead(agencyId));
}

/**
 * From `start` (an entry this process wrote, if it is still there as written) or else the head hint, `_id`
 * lookups forward to the last entry.
 */
async function walkToEnd(agencyId: string, store: AuditStore, start: { seq: number; hash: string } | undefined, head: { seq: number } | null): Promise<StoredAuditEntry | null> {
  let last: StoredAuditEntry | null = null;
  if (start && start.seq > (head?.seq ?? 0)) {
    const entry = await store.findEntry(agencyId, start.seq);
    if (entry?.hash === start.hash) last = entry;
  }
  if (!last) last = await store.findEntry(agencyId, head && head.seq > 0 ? head.seq : 1);
  for (let next = last ? await store.findEntry(agencyId, last.seq + 1) : null; next; next = await store.findEntry(agencyId, next.seq + 1)) last = next;
  return last;
}
