/**
 * The in-memory search index of the public registry: a projection of the permit store answering Thai word
 * search (tokens from `searchTokens`) and the structured filters for a few million permits in one process.
 * Pure: no I/O, no Node-only APIs; app/services/registry.server.ts keeps it in step with the store.
 *
 * Why not a plain MiniSearch instance: measured at 1,000,000 generated permits (bench/registry.ts data),
 * the process with MiniSearch held 2.8 GB of heap (a Map per term and field, an object per hit) and took 0.9 s for a
 * permit number and 1.2-2 s for a common word such as "ร้าน", because it scores every posting into a
 * new object before combining terms. So the vocabulary is MiniSearch's radix tree (`SearchableMap`: its
 * prefix and fuzzy lookups), and everything per permit is typed arrays indexed by a small integer slot:
 * - postings: per term one Int32Array of `slot << 6 | fieldMask` (4 bytes per word of a permit);
 * - filter columns: agency, type, province, district (codes of small dictionaries), stored status,
 *   validUntil and issuedOn (yyyymmdd), so a filter is a few array reads;
 * - field lengths for BM25 scoring;
 * - entries keep only the public fields, sharing repeated values (agency/type names, conditions, dates,
 *   place names, detail labels) between permits.
 * A permit whose words change moves to a new slot; the old slot is dead (skipped) until a compaction
 * drops dead postings, like MiniSearch's discard + vacuum. A status change only rewrites columns.
 */
import SearchableMap from "minisearch/SearchableMap";
import { effectiveStatus } from "~/core/permits/permit-rules";
import type { EffectiveStatus, PermitAddress, PermitDetail, PermitStatus, PublicPermit } from "~/core/permits/types";
import type { LocalizedText } from "~/core/text";
import type { RegistryQuery } from "./registry-query";
import { normaliseForSearch, searchTokens } from "./thai-tokens";

/** What the registry holds of a permit: its public, printed fields only. */
export type RegistryEntry = PublicPermit;
export type RegistryItem = RegistryEntry & { effectiveStatus: EffectiveStatus };
export type RegistrySearchResult = { items: RegistryItem[]; total: number; page: number; pageSize: number };

const FIELDS = ["number", "holderName", "businessName", "activity", "typeName", "address"] as const;
type Field = (typeof FIELDS)[number];
/** A hit in the number or a name matters more than one in the type name that thousands of permits share. */
const FIELD_BOOST = [3, 2, 2, 1, 0.5, 0.8];
const MASK_BITS = 6;
const MASK = (1 << MASK_BITS) - 1;
/** `slot << 6` must stay a positive int32. */
const MAX_SLOTS = 1 << (31 - MASK_BITS);

// BM25+ as MiniSearch scores it (k 1.2, b 0.7, d 0.5), with term frequency 1: permit fields are short.
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** Weights of a prefix or fuzzy expansion against an exact match (MiniSearch's defaults). */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** Prefix search needs two characters: one Thai or Latin letter would expand to a large part of the vocabulary. */
const MIN_PREFIX = 2;
/** Trailing Thai tokens of the last word that may be one unfinished word split by the segmenter. */
const MAX_JOINED_TOKENS = 4;
/** Words of a query beyond this are ignored (a 200-character query has fewer). */
const MAX_QUERY_TERMS = 32;
/** Above this many hits, only the top of the ranking is ordered (a heap), not every hit. */
const FULL_SORT_LIMIT = 2_000;
/** Marks a slot ruled out by the filters while scanning a query's first term. */
const REJECTED = 255;

const STATUS_CODES: Record<PermitStatus, number> = { valid: 1, suspended: 2, revoked: 3, renewed: 4 };

function fieldText(entry: RegistryEntry, field: Field): string {
  switch (field) {
    case "typeName":
      return `${entry.typeName.th} ${entry.typeName.en}`;
    case "address":
      return entry.address.text;
    default:
      return entry[field];
  }
}

/** How an entry's values are copied: plainly, or shared between the entries of an index. */
type Copier = {
  str(value: string): string;
  text(value: LocalizedText | undefined): LocalizedText;
  detail(detail: PermitDetail): PermitDetail;
  conditions(list: LocalizedText[]): LocalizedText[];
};

const PLAIN: Copier = {
  str: (value) => value,
  text: (value) => ({ th: value?.th ?? "", en: value?.en ?? "" }),
  detail: (d) => ({ key: d.key ?? "", label: PLAIN.text(d.label), value: d.value ?? "" }),
  conditions: (list) => list.map(PLAIN.text),
};

/** The public fields of a permit, field by field, so caseId, signature, history… never get in. */
function entryOf(p: PublicPermit, copy: Copier): RegistryEntry {
  const string = (value: string | undefined | null) => (typeof value === "string" ? copy.str(value) : "");
  const address: PermitAddress = { text: p.address?.text ?? "" };
  for (const key of ["province", "district", "subdistrict", "postcode"] as const) {
    const value = p.address?.[key];
    if (typeof value === "string" && value) address[key] = copy.str(value);
  }
  const entry: RegistryEntry = {
    number: p.number,
    agencyId: string(p.agencyId),
    agencyName: copy.text(p.agencyName),
    typeCode: string(p.typeCode),
    typeName: copy.text(p.typeName),
    holderName: p.holderName ?? "",
    businessName: p.businessName ?? "",
    activity: string(p.activity),
    address,
    details: (p.details ?? []).map(copy.detail),
    conditions: copy.conditions(p.conditions ?? []),
    issuedOn: string(p.issuedOn),
    validFrom: string(p.validFrom),
    validUntil: string(p.validUntil),
    status: p.status,
    displayRequired: p.displayRequired === true,
    source: p.source,
  };
  if (typeof p.statusReason === "string") entry.statusReason = copy.str(p.statusReason);
  if (typeof p.statusChangedAt === "string") entry.statusChangedAt = p.statusChangedAt;
  if (typeof p.renews === "string") entry.renews = p.renews;
  if (p.holderEntity?.juristicId) entry.holderEntity = { kind: "juristic", juristicId: p.holderEntity.juristicId, declared: true };
  if (typeof p.renewedBy === "string") entry.renewedBy = p.renewedBy;
  return entry;
}

/** A permit's public fields only (a stored permit also has caseId, signature, history…), as a plain copy. */
export function toRegistryEntry(permit: PublicPermit): RegistryEntry {
  return entryOf(permit, PLAIN);
}

function sameWords(a: RegistryEntry, b: RegistryEntry): boolean {
  return FIELDS.every((field) => fieldText(a, field) === fieldText(b, field));
}

/** yyyy-mm-dd → yyyymmdd as a number (0 when malformed), which orders like the ISO string. */
function dayNumber(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? Number(match[1]) * 10_000 + Number(match[2]) * 100 + Number(match[3]) : 0;
}

/** Values → small integer codes (0 is "none"), for the filter columns. */
class Dictionary {
  private readonly codes = new Map<string, number>();
  code(value: string | undefined): number {
    if (!value) return 0;
    let code = this.codes.get(value);
    if (code === undefined) this.codes.set(value, (code = this.codes.size + 1));
    return code;
  }
  /** The code of a value, or -1 when no permit ever had it (so nothing can match). */
  find(value: string): number {
    return this.codes.get(value) ?? -1;
  }
}

/** Shares equal strings and objects between entries; stops growing at `limit` (then values stay unshared). */
class Pool<T> {
  private readonly values = new Map<string, T>();
  constructor(private readonly limit: number) {}
  get(key: string, make: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      value = make();
      if (this.values.size < this.limit) this.values.set(key, value);
    }
    return value;
  }
}

/** One word of the query: the vocabulary terms it matches, each with its weight (1 exact, less for prefix/fuzzy). */
type Leaf = { terms: number[]; weights: number[]; size: number };
/** Every leaf must match: the words before the last, and one reading of the last word. */
type Plan = Leaf[];

export class PermitSearchIndex {
  // Vocabulary: term → id, and the same ids in a radix tree for prefix and fuzzy lookups.
  private readonly termIds = new Map<string, number>();
  private readonly vocabulary = new SearchableMap<number>();
  private postings: Int32Array[] = [];
  private postingCounts = new Int32Array(1024);

  private readonly slotOf = new Map<string, number>();
  private entries: (RegistryEntry | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** Slots whose permit moved or went: still in postings until `maybeCompact` drops them. */
  private deadSlots: number[] = [];
  private capacity = 0;
  private live = new Uint8Array(0);
  private agency = new Int32Array(0);
  private type = new Int32Array(0);
  private province = new Int32Array(0);
  private district = new Int32Array(0);
  private status = new Uint8Array(0);
  private validUntil = new Int32Array(0);
  private issuedOn = new Int32Array(0);
  private fieldLengths = FIELDS.map(() => new Uint8Array(0));
  private readonly fieldTotals = FIELDS.map(() => 0);
  // Query scratch, one per slot, left zeroed between queries.
  private hits = new Uint8Array(0);
  private scores = new Float64Array(0);
  private best = new Float64Array(0);

  private readonly agencies = new Dictionary();
  private readonly types = new Dictionary();
  private readonly provinces = new Dictionary();
  private readonly districts = new Dictionary();
  /** Live slots by (issuedOn desc, number asc); slots in `unordered` are out of place until `ordered()`. */
  private order = new Int32Array(0);
  private orderLength = 0;
  private unordered = new Set<number>();

  private readonly strings = new Pool<string>(200_000);
  private readonly texts = new Pool<LocalizedText>(10_000);
  private readonly conditionLists = new Pool<LocalizedText[]>(10_000);
  private readonly detailItems = new Pool<PermitDetail>(100_000);

  get size(): number {
    return this.slotOf.size;
  }

  /** Puts the listing order in place now (after a build) rather than on the first filter-only search. */
  prepare(): void {
    this.ordered();
  }

  get(number: string): RegistryEntry | undefined {
    const slot = this.slotOf.get(number);
    return slot === undefined ? undefined : this.entries[slot];
  }

  /** Adds permits, or replaces the entry of a number already held. Fields beyond PublicPermit are dropped. */
  upsert(permits: readonly PublicPermit[]): void {
    for (const permit of permits) {
      if (typeof permit?.number !== "string" || !permit.number) continue;
      const entry = this.toEntry(permit);
      const existing = this.slotOf.get(entry.number);
      if (existing !== undefined && sameWords(this.entries[existing]!, entry)) {
        // The usual update (a status change) leaves the words alone: only the columns change.
        if (this.entries[existing]!.issuedOn !== entry.issuedOn) this.unordered.add(existing);
        this.setColumns(existing, entry);
        continue;
      }
      if (existing !== undefined) this.kill(existing);
      const slot = this.freeSlots.pop() ?? this.grow();
      this.slotOf.set(entry.number, slot);
      this.setColumns(slot, entry);
      this.indexWords(slot, entry);
      this.unordered.add(slot);
    }
    this.maybeCompact();
  }

  remove(numbers: readonly string[]): void {
    for (const number of numbers) {
      const slot = this.slotOf.get(number);
      if (slot === undefined) continue;
      this.slotOf.delete(number);
      this.kill(slot);
    }
    this.maybeCompact();
  }

  /** One page of permits matching `query`; `today` (ISO yyyy-mm-dd, Bangkok) decides which valid ones expired. */
  search(query: RegistryQuery, today: string): RegistrySearchResult {
    const { page, pageSize } = query;
    const start = (page - 1) * pageSize;
    const { slots, total } = this.ranked(query, today, start, start + pageSize);
    return { items: slots.map((slot) => this.item(this.entries[slot]!, today)), total, page, pageSize };
  }

  /**
   * Every permit matching `query` (page and pageSize ignored), in result order, ranked once: for exports.
   * The entries are a snapshot: later upserts do not change them.
   */
  searchAll(query: RegistryQuery, today: string): RegistryEntry[] {
    return this.ranked(query, today, 0, Infinity).slots.map((slot) => this.entries[slot]!);
  }

  /** An entry with its status as the public sees it on `today`. */
  item(entry: RegistryEntry, today: string): RegistryItem {
    return { ...entry, effectiveStatus: effectiveStatus(entry, today) };
  }

  /** Slots of results [start, end) and the number of results. */
  private ranked(query: RegistryQuery, today: string, start: number, end: number): { slots: number[]; total: number } {
    const accepts = this.filter(query, dayNumber(today));
    if (accepts === false) return { slots: [], total: 0 };
    const text = query.q.trim();
    const plan = text ? this.plan(text) : undefined;
    if (plan === undefined) return this.listInOrder(accepts, start, end);

    // A query that is a permit number puts that permit first, whatever its score.
    const exact = this.findNumber(text);
    const first = exact !== undefined && (accepts === true || accepts(exact)) ? exact : undefined;
    const matched = plan.length === 0 ? [] : this.match(plan, accepts === true ? undefined : accepts);
    try {
      let total = matched.length;
      let rest = matched;
      if (first !== undefined) {
        rest = matched.filter((slot) => slot !== first);
        if (rest.length === matched.length) total += 1;
      }
      if (start >= total) return { slots: [], total };
      const ranked = this.rank(rest, first === undefined ? end : end - 1);
      const all = first === undefined ? ranked : [first, ...ranked];
      return { slots: all.slice(start, end), total };
    } finally {
      for (const slot of matched) this.best[slot] = 0;
    }
  }

  // --- Entries, slots and columns ----------------------------------------------------------------------

  private grow(): number {
    const slot = this.entries.length;
    if (slot >= MAX_SLOTS) throw new Error(`PermitSearchIndex: more than ${MAX_SLOTS} slots`);
    this.entries.push(undefined);
    if (slot >= this.capacity) {
      const capacity = Math.max(1024, this.capacity * 2);
      const int32 = (old: Int32Array) => {
        const next = new Int32Array(capacity);
        next.set(old);
        return next;
      };
      const uint8 = (old: Uint8Array) => {
        const next = new Uint8Array(capacity);
        next.set(old);
        return next;
      };
      this.live = uint8(this.live);
      this.agency = int32(this.agency);
      this.type = int32(this.type);
      this.province = int32(this.province);
      this.district = int32(this.district);
      this.status = uint8(this.status);
      this.validUntil = int32(this.validUntil);
      this.issuedOn = int32(this.issuedOn);
      this.fieldLengths = this.fieldLengths.map(uint8);
      this.hits = new Uint8Array(capacity);
      this.scores = new Float64Array(capacity);
      this.best = new Float64Array(capacity);
      this.capacity = capacity;
    }
    return slot;
  }

  private setColumns(slot: number, entry: RegistryEntry): void {
    this.entries[slot] = entry;
    this.live[slot] = 1;
    this.agency[slot] = this.agencies.code(entry.agencyId);
    this.type[slot] = this.types.code(entry.typeCode);
    this.province[slot] = this.provinces.code(entry.address.province);
    this.district[slot] = this.districts.code(entry.address.district);
    this.status[slot] = STATUS_CODES[entry.status] ?? 0;
    this.validUntil[slot] = dayNumber(entry.validUntil);
    this.issuedOn[slot] = dayNumber(entry.issuedOn);
  }

  private kill(slot: number): void {
    this.entries[slot] = undefined;
    this.live[slot] = 0;
    for (let f = 0; f < FIELDS.length; f++) this.fieldTotals[f] -= this.fieldLengths[f][slot];
    this.unordered.add(slot);
    this.deadSlots.push(slot);
  }

  private indexWords(slot: number, entry: RegistryEntry): void {
    const masks = new Map<string, number>();
    for (let f = 0; f < FIELDS.length; f++) {
      const tokens = searchTokens(fieldText(entry, FIELDS[f]));
      const length = Math.min(255, tokens.length);
      this.fieldLengths[f][slot] = length;
      this.fieldTotals[f] += length;
      for (const token of tokens) masks.set(token, (masks.get(token) ?? 0) | (1 << f));
    }
    for (const [term, mask] of masks) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.termIds.size;
        this.termIds.set(term, id);
        this.vocabulary.set(term, id);
        if (id >= this.postingCounts.length) {
          const counts = new Int32Array(this.postingCounts.length * 2);
          counts.set(this.postingCounts);
          this.postingCounts = counts;
        }
        this.postings.push(new Int32Array(2));
      }
      let list = this.postings[id];
      const count = this.postingCounts[id];
      if (count === list.length) {
        const bigger = new Int32Array(count * 2);
        bigger.set(list);
        this.postings[id] = list = bigger;
      }
      list[count] = (slot << MASK_BITS) | mask;
      this.postingCounts[id] = count + 1;
    }
  }

  /** Drops dead slots from every posting list once they are a tenth of the index, and frees them. */
  private maybeCompact(): void {
    const dead = this.deadSlots.length;
    if (dead < 1_000 || dead < this.slotOf.size / 10) return;
    for (let id = 0; id < this.postings.length; id++) {
      const list = this.postings[id];
      const count = this.postingCounts[id];
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const value = list[i];
        if (this.live[value >>> MASK_BITS]) list[kept++] = value;
      }
      this.postingCounts[id] = kept;
      if (kept < list.length / 4 && list.length > 8) this.postings[id] = list.slice(0, Math.max(2, kept * 2));
    }
    // A loop, not push(...dead): a spread of 100,000 arguments overflows the stack.
    for (const slot of this.deadSlots) this.freeSlots.push(slot);
    this.deadSlots = [];
  }

  /** The entry of a permit with repeated values shared with other entries. */
  private toEntry(p: PublicPermit): RegistryEntry {
    const str = (value: string) => this.strings.get(value, () => value);
    const text = (value: LocalizedText | undefined): LocalizedText => {
      const th = value?.th ?? "";
      const en = value?.en ?? "";
      return this.texts.get(`${th}\u0000${en}`, () => Object.freeze({ th: str(th), en: str(en) }));
    };
    return entryOf(p, {
      str,
      text,
      detail: (d) =>
        this.detailItems.get(`${d.key}\u0000${d.label?.th}\u0000${d.label?.en}\u0000${d.value}`, () =>
          Object.freeze({ key: str(d.key ?? ""), label: text(d.label), value: str(d.value ?? "") }),
        ),
      conditions: (list) => this.conditionLists.get(list.map((c) => `${c?.th}\u0000${c?.en}`).join("\u0001"), () => Object.freeze(list.map(text)) as LocalizedText[]),
    });
  }

  private findNumber(text: string): number | undefined {
    return this.slotOf.get(text) ?? this.slotOf.get(text.toUpperCase()) ?? this.slotOf.get(text.toLowerCase());
  }

  // --- Filters and order -------------------------------------------------------------------------------

  /** true: no filter; false: nothing can match; else a test of one slot. */
  private filter(query: RegistryQuery, today: number): true | false | ((slot: number) => boolean) {
    const code = (dictionary: Dictionary, value: string | undefined) => (value === undefined ? 0 : dictionary.find(value));
    const agency = code(this.agencies, query.agency);
    const type = code(this.types, query.type);
    const province = code(this.provinces, query.province);
    const district = code(this.districts, query.district);
    if (agency < 0 || type < 0 || province < 0 || district < 0) return false;
    const stored = query.status === undefined ? 0 : query.status === "expired" ? STATUS_CODES.valid : STATUS_CODES[query.status];
    // "valid" and "expired" are both stored as valid; the last day tells them apart.
    const dated = query.status === "valid" ? 1 : query.status === "expired" ? 2 : 0;
    if (!agency && !type && !province && !district && !stored) return true;
    const { agency: agencies, type: types, province: provinces, district: districts, status: statuses, validUntil: until } = this;
    return (slot) =>
      (!agency || agencies[slot] === agency) &&
      (!type || types[slot] === type) &&
      (!province || provinces[slot] === province) &&
      (!district || districts[slot] === district) &&
      (!stored || statuses[slot] === stored) &&
      (dated === 0 || (dated === 1 ? until[slot] >= today : until[slot] < today));
  }

  /** Listing order: newest issue date first, then by number. */
  private compareSlots = (a: number, b: number): number => {
    const byDate = this.issuedOn[b] - this.issuedOn[a];
    if (byDate !== 0) return byDate;
    const x = this.entries[a]!.number;
    const y = this.entries[b]!.number;
    return x < y ? -1 : x > y ? 1 : 0;
  };

  /** Live slots in listing order, merging in the slots changed since the last call. */
  private ordered(): Int32Array {
    if (this.unordered.size > 0) {
      const moved = new Uint8Array(this.capacity);
      for (const slot of this.unordered) moved[slot] = 1;
      const fresh = this.sortSlots([...this.unordered].filter((slot) => this.live[slot] === 1));
      const next = new Int32Array(this.slotOf.size);
      let n = 0;
      let f = 0;
      for (let i = 0; i < this.orderLength; i++) {
        const slot = this.order[i];
        if (moved[slot]) continue;
        while (f < fresh.length && this.compareSlots(fresh[f], slot) < 0) next[n++] = fresh[f++];
        next[n++] = slot;
      }
      while (f < fresh.length) next[n++] = fresh[f++];
      this.order = next;
      this.orderLength = n;
      this.unordered = new Set();
    }
    return this.order.subarray(0, this.orderLength);
  }

  /**
   * `slots` in listing order. Many at once (a build) are first sorted by date as packed numbers, which is
   * native and fast, and only the permits of one day are compared by number: 1 s instead of 2.2 s at 1M.
   */
  private sortSlots(slots: number[]): number[] {
    if (slots.length < 10_000) return slots.sort(this.compareSlots);
    const keys = new Float64Array(slots.length);
    for (let i = 0; i < slots.length; i++) keys[i] = (99_999_999 - this.issuedOn[slots[i]]) * MAX_SLOTS + slots[i];
    keys.sort();
    const sorted = Array.from(keys, (key) => key % MAX_SLOTS);
    for (let i = 0; i < sorted.length; ) {
      let j = i + 1;
      while (j < sorted.length && this.issuedOn[sorted[j]] === this.issuedOn[sorted[i]]) j++;
      if (j - i > 1) {
        const day = sorted.slice(i, j).sort(this.compareSlots);
        for (let k = 0; k < day.length; k++) sorted[i + k] = day[k];
      }
      i = j;
    }
    return sorted;
  }

  private listInOrder(accepts: true | ((slot: number) => boolean), start: number, end: number): { slots: number[]; total: number } {
    const order = this.ordered();
    if (accepts === true) {
      return { slots: Array.from(order.subarray(Math.min(start, order.length), Math.min(end, order.length))), total: order.length };
    }
    const slots: number[] = [];
    let total = 0;
    for (let i = 0; i < order.length; i++) {
      const slot = order[i];
      if (!accepts(slot)) continue;
      if (total >= start && total < end) slots.push(slot);
      total++;
    }
    return { slots, total };
  }

  // --- Word search ---------------------------------------------------------------------------------------

  /**
   * The words of `text` as leaves: every word must match; the last one may be unfinished (prefix).
   * undefined when `text` has no words (a filter-only listing); [] when some word matches nothing.
   */
  private plan(text: string): Plan[] | undefined {
    const chunks = normaliseForSearch(text).split(/\s+/).filter(Boolean);
    const before = chunks.slice(0, -1).flatMap((chunk) => searchTokens(chunk));
    const last = chunks.length ? searchTokens(chunks[chunks.length - 1]) : [];
    if (before.length + last.length === 0) return undefined;
    const required = before.slice(0, MAX_QUERY_TERMS).map((term) => this.leaf(term, false));
    if (required.some((leaf) => leaf.terms.length === 0)) return [];

    // The segmenter splits an unfinished Thai word oddly ("เมืองนนท" → เมือง, น, นท), so the last few
    // Thai tokens are also tried joined back into one prefix; each reading that can match is kept.
    const plans: Plan[] = [];
    const isThai = (token: string) => /^[\u0E00-\u0E7F]+$/.test(token);
    const words = last.slice(-Math.max(1, MAX_QUERY_TERMS - required.length));
    if (words.length === 0) return [required];
    for (let j = words.length - 1; j >= 0 && j >= words.length - MAX_JOINED_TOKENS; j--) {
      const tail = words.slice(j);
      if (j < words.length - 1 && !tail.every(isThai)) break;
      const joined = tail.join("");
      const reading = [...words.slice(0, j).map((term) => this.leaf(term, false)), this.leaf(joined, joined.length >= MIN_PREFIX)];
      if (reading.every((leaf) => leaf.terms.length > 0)) plans.push([...required, ...reading]);
    }
    return plans;
  }

  /** The vocabulary terms one query word matches: itself, its completions (prefix), near spellings (fuzzy). */
  private leaf(word: string, prefix: boolean): Leaf {
    const weightOf = new Map<number, number>();
    const offer = (id: number, weight: number) => {
      if ((weightOf.get(id) ?? 0) < weight && this.postingCounts[id] > 0) weightOf.set(id, weight);
    };
    const exact = this.termIds.get(word);
    if (exact !== undefined) offer(exact, 1);
    if (prefix) {
      for (const [term, id] of this.vocabulary.atPrefix(word)) {
        const distance = term.length - word.length;
        if (distance > 0) offer(id, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
      }
    }
    // Typos in Latin names are forgiven; in Thai one edit makes another word altogether.
    if (/^\p{Script=Latin}{5,}$/u.test(word)) {
      for (const [term, [id, distance]] of this.vocabulary.fuzzyGet(word, Math.round(word.length * 0.2))) {
        if (distance > 0) offer(id, (FUZZY_WEIGHT * term.length) / (term.length + distance));
      }
    }
    const terms = [...weightOf.keys()];
    return { terms, weights: terms.map((id) => weightOf.get(id)!), size: terms.reduce((sum, id) => sum + this.postingCounts[id], 0) };
  }

  /** Slots matching every leaf of at least one plan (and the filter), with their best score in `best`. */
  private match(plans: Plan[], accepts: ((slot: number) => boolean) | undefined): number[] {
    const matched: number[] = [];
    const live = this.slotOf.size || 1;
    // BM25+ length normalisation, tabulated per field for the 256 possible field lengths.
    const norms = FIELDS.map((_, f) => {
      const average = this.fieldTotals[f] / live || 1;
      return Float64Array.from({ length: 256 }, (_, length) =>
        FIELD_BOOST[f] * (BM25.d + (BM25.k + 1) / (1 + BM25.k * (1 - BM25.b + (BM25.b * length) / average))),
      );
    });
    const { hits, scores, best, live: alive, fieldLengths } = this;
    for (const plan of plans) {
      const leaves = [...plan].sort((a, b) => a.size - b.size);
      const touched: number[] = [];
      for (let l = 0; l < leaves.length; l++) {
        const { terms, weights } = leaves[l];
        for (let t = 0; t < terms.length; t++) {
          const id = terms[t];
          const list = this.postings[id];
          const count = this.postingCounts[id];
          // Dead postings still count here until compaction; the floor keeps every hit's score positive.
          const weight = weights[t] * Math.max(0.01, Math.log(1 + (live - count + 0.5) / (count + 0.5)));
          for (let p = 0; p < count; p++) {
            const value = list[p];
            const slot = value >>> MASK_BITS;
            const seen = hits[slot];
            if (l === 0) {
              if (seen === 0) {
                touched.push(slot);
                if (!alive[slot] || (accepts && !accepts(slot))) {
                  hits[slot] = REJECTED;
                  continue;
                }
                hits[slot] = 1;
              } else if (seen !== 1) continue;
            } else if (seen === l) hits[slot] = l + 1;
            else if (seen !== l + 1) continue;
            let mask = value & MASK;
            let score = 0;
            for (let f = 0; mask !== 0; f++, mask >>>= 1) if (mask & 1) score += norms[f][fieldLengths[f][slot]];
            scores[slot] += weight * score;
          }
        }
      }
      const all = leaves.length;
      for (const slot of touched) {
        if (hits[slot] === all) {
          if (best[slot] === 0) matched.push(slot);
          if (scores[slot] > best[slot]) best[slot] = scores[slot];
        }
        hits[slot] = 0;
        scores[slot] = 0;
      }
    }
    return matched;
  }

  /** Score first, then listing order. */
  private better = (a: number, b: number): boolean => {
    const diff = this.best[a] - this.best[b];
    return diff !== 0 ? diff > 0 : this.compareSlots(a, b) < 0;
  };

  /** The best `count` of `slots` in ranking order (a bounded heap when there are many). */
  private rank(slots: number[], count: number): number[] {
    const byRank = (a: number, b: number) => this.best[b] - this.best[a] || this.compareSlots(a, b);
    if (count <= 0) return [];
    if (slots.length <= FULL_SORT_LIMIT || count >= slots.length) return [...slots].sort(byRank).slice(0, count);
    // Min-heap (worst on top) of the best `count` seen so far.
    const heap: number[] = [];
    const worse = (i: number, j: number) => this.better(heap[j], heap[i]);
    const down = (from: number) => {
      for (let i = from; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(l, m)) m = l;
        if (r < heap.length && worse(r, m)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    };
    for (const slot of slots) {
      if (heap.length < count) {
        heap.push(slot);
        for (let i = heap.length - 1; i > 0; ) {
          const parent = (i - 1) >> 1;
          if (!worse(i, parent)) break;
          [heap[i], heap[parent]] = [heap[parent], heap[i]];
          i = parent;
        }
      } else if (this.better(slot, heap[0])) {
        heap[0] = slot;
        down(0);
      }
    }
    return heap.sort(byRank);
  }
}
