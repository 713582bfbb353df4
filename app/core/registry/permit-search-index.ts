/**
 * The in-memory search index of the public registry: a projection of the permit store that answers
 * word search in Thai (MiniSearch over `searchTokens`) and the structured filters, for up to a few
 * million permits in one process. Pure: no I/O, no Node-only APIs; the service keeps it in step with the
 * store (app/services/registry.server.ts).
 *
 * Layout, chosen for memory at a million permits:
 * - every permit gets a small integer slot; MiniSearch indexes `{ id: slot }` and stores no fields;
 * - the filter fields live in typed-array columns by slot (agency, type, province, district as codes
 *   of small dictionaries; status; validUntil and issuedOn as yyyymmdd numbers), so a filter is a few
 *   array reads, never a callback over stored objects;
 * - entries keep only the public fields, with the repeated values (agency and type names, conditions,
 *   dates, place names, detail labels) shared between permits.
 */
import MiniSearch, { type Query, type SearchResult } from "minisearch";
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
/** A hit in the holder's or business name matters more than one in the (shared) type name. */
const BOOST: Record<Field, number> = { number: 3, holderName: 2, businessName: 2, activity: 1, typeName: 0.5, address: 0.8 };

const STATUS_CODES: Record<PermitStatus, number> = { valid: 1, suspended: 2, revoked: 3, renewed: 4 };
/** Prefix search needs two characters: one Thai or Latin letter would expand to a large part of the vocabulary. */
const MIN_PREFIX = 2;
/** Trailing Thai tokens of the last word that may be one unfinished word split by the segmenter. */
const MAX_JOINED_TOKENS = 4;
/** An equal-score run longer than this is put in order by one pass over the global order instead of a sort. */
const LARGE_TIE = 5_000;

type Doc = { id: number; entry: RegistryEntry };

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

function indexedText(entry: RegistryEntry): string {
  return FIELDS.map((f) => fieldText(entry, f)).join("\u0000");
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

/** Ties are broken the way an unranked listing is ordered: newest issue date first, then by number. */
function compareNumbers(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class TermIndex extends MiniSearch<Doc> {
  hasTerm(term: string): boolean {
    return this._index.has(term);
  }
  hasPrefix(prefix: string): boolean {
    for (const key of this._index.atPrefix(prefix).keys()) return key !== undefined;
    return false;
  }
}

type Leaf = { queries: [string]; prefix: boolean; fuzzy: number | false; combineWith: "AND" };

export class PermitSearchIndex {
  private readonly terms: TermIndex;
  private readonly slotOf = new Map<string, number>();
  private entries: (RegistryEntry | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private capacity = 0;
  private agency = new Int32Array(0);
  private type = new Int32Array(0);
  private province = new Int32Array(0);
  private district = new Int32Array(0);
  private status = new Uint8Array(0);
  private validUntil = new Int32Array(0);
  private issuedOn = new Int32Array(0);
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

  constructor() {
    this.terms = new TermIndex({
      fields: [...FIELDS],
      idField: "id",
      storeFields: [],
      extractField: (doc: Doc, field: string) => (field === "id" ? doc.id : fieldText(doc.entry, field as Field)),
      tokenize: searchTokens,
      // Tokens come out of searchTokens normalised and in lower case already.
      processTerm: (term: string) => term,
      searchOptions: { combineWith: "AND", boost: BOOST, tokenize: (term: string) => [term], processTerm: (term: string) => term },
    });
  }

  get size(): number {
    return this.slotOf.size;
  }

  get(number: string): RegistryEntry | undefined {
    const slot = this.slotOf.get(number);
    return slot === undefined ? undefined : this.entries[slot];
  }

  /** Adds permits, or replaces the entry of a number already held. Extra (non-public) fields are dropped. */
  upsert(permits: readonly PublicPermit[]): void {
    for (const permit of permits) {
      const entry = this.toEntry(permit);
      const existing = this.slotOf.get(entry.number);
      if (existing !== undefined) {
        const old = this.entries[existing]!;
        // A status change (the usual update) leaves the words alone: only the columns change.
        if (indexedText(old) !== indexedText(entry)) this.terms.replace({ id: existing, entry });
        if (old.issuedOn !== entry.issuedOn) this.unordered.add(existing);
        this.setColumns(existing, entry);
      } else {
        const slot = this.freeSlots.pop() ?? this.grow();
        this.slotOf.set(entry.number, slot);
        this.setColumns(slot, entry);
        this.terms.add({ id: slot, entry });
        this.unordered.add(slot);
      }
    }
  }

  remove(numbers: readonly string[]): void {
    for (const number of numbers) {
      const slot = this.slotOf.get(number);
      if (slot === undefined) continue;
      this.terms.discard(slot);
      this.slotOf.delete(number);
      this.entries[slot] = undefined;
      this.agency[slot] = -1;
      this.unordered.add(slot);
      this.freeSlots.push(slot);
    }
  }

  /** One page of permits matching `query`, as of `today` (ISO yyyy-mm-dd, Bangkok) for the expired status. */
  search(query: RegistryQuery, today: string): RegistrySearchResult {
    const { page, pageSize } = query;
    const start = (page - 1) * pageSize;
    const end = start + pageSize;
    const result = (slots: number[], total: number): RegistrySearchResult => ({
      items: slots.map((slot) => {
        const entry = this.entries[slot]!;
        return { ...entry, effectiveStatus: effectiveStatus(entry, today) };
      }),
      total,
      page,
      pageSize,
    });

    const accepts = this.filter(query, dayNumber(today));
    if (accepts === false) return result([], 0);
    const text = query.q.trim();
    const tree = text ? this.parse(text) : undefined;
    if (tree === undefined) {
      const { slots, total } = this.listInOrder(accepts, start, end);
      return result(slots, total);
    }

    // A query that is a permit number puts that permit first, whatever its score.
    const exact = this.findNumber(text);
    const first = exact !== undefined && (accepts === true || accepts(exact)) ? exact : undefined;
    const hits =
      tree === null
        ? []
        : this.terms.search(tree, accepts === true ? {} : { boostDocument: (id: number) => (accepts(id) ? 1 : 0) });
    let total = hits.length;
    let ranked = hits;
    if (first !== undefined) {
      const at = hits.findIndex((hit) => hit.id === first);
      if (at >= 0) ranked = [...hits.slice(0, at), ...hits.slice(at + 1)];
      else total += 1;
    }
    const headCount = first === undefined ? 0 : 1;
    const slots = this.rankedSlots(ranked, Math.max(0, start - headCount), Math.max(0, end - headCount));
    const pageSlots = first === undefined ? slots : start === 0 ? [first, ...slots].slice(0, pageSize) : slots;
    return result(pageSlots, total);
  }

  // --- Entries and columns ---------------------------------------------------------------------------

  private grow(): number {
    const slot = this.entries.length;
    this.entries.push(undefined);
    if (slot >= this.capacity) {
      const capacity = Math.max(1024, this.capacity * 2);
      const widen = <A extends Int32Array | Uint8Array>(old: A, make: (n: number) => A): A => {
        const next = make(capacity);
        next.set(old);
        return next;
      };
      this.agency = widen(this.agency, (n) => new Int32Array(n));
      this.type = widen(this.type, (n) => new Int32Array(n));
      this.province = widen(this.province, (n) => new Int32Array(n));
      this.district = widen(this.district, (n) => new Int32Array(n));
      this.status = widen(this.status, (n) => new Uint8Array(n));
      this.validUntil = widen(this.validUntil, (n) => new Int32Array(n));
      this.issuedOn = widen(this.issuedOn, (n) => new Int32Array(n));
      this.capacity = capacity;
    }
    return slot;
  }

  private setColumns(slot: number, entry: RegistryEntry): void {
    this.entries[slot] = entry;
    this.agency[slot] = this.agencies.code(entry.agencyId);
    this.type[slot] = this.types.code(entry.typeCode);
    this.province[slot] = this.provinces.code(entry.address.province);
    this.district[slot] = this.districts.code(entry.address.district);
    this.status[slot] = STATUS_CODES[entry.status] ?? 0;
    this.validUntil[slot] = dayNumber(entry.validUntil);
    this.issuedOn[slot] = dayNumber(entry.issuedOn);
  }

  /** The public fields of a permit, field by field (so caseId, signature, history… never get in). */
  private toEntry(p: PublicPermit): RegistryEntry {
    const str = (value: string | undefined | null): string => this.strings.get(value ?? "", () => value ?? "");
    const text = (value: LocalizedText | undefined): LocalizedText => {
      const th = value?.th ?? "";
      const en = value?.en ?? "";
      return this.texts.get(`${th}\u0000${en}`, () => Object.freeze({ th: str(th), en: str(en) }));
    };
    const address: PermitAddress = { text: p.address?.text ?? "" };
    for (const key of ["province", "district", "subdistrict", "postcode"] as const) {
      const value = p.address?.[key];
      if (typeof value === "string" && value) address[key] = str(value);
    }
    const details = (p.details ?? []).map((d) =>
      this.detailItems.get(`${d.key}\u0000${d.label?.th}\u0000${d.label?.en}\u0000${d.value}`, () =>
        Object.freeze({ key: str(d.key), label: text(d.label), value: str(d.value) }),
      ),
    );
    const conditionList = p.conditions ?? [];
    const conditions = this.conditionLists.get(conditionList.map((c) => `${c.th}\u0000${c.en}`).join("\u0001"), () =>
      Object.freeze(conditionList.map(text)) as LocalizedText[],
    );
    const entry: RegistryEntry = {
      number: p.number,
      agencyId: str(p.agencyId),
      agencyName: text(p.agencyName),
      typeCode: str(p.typeCode),
      typeName: text(p.typeName),
      holderName: p.holderName ?? "",
      businessName: p.businessName ?? "",
      activity: str(p.activity),
      address,
      details,
      conditions,
      issuedOn: str(p.issuedOn),
      validFrom: str(p.validFrom),
      validUntil: str(p.validUntil),
      status: p.status,
      displayRequired: p.displayRequired === true,
      source: p.source,
    };
    if (typeof p.statusReason === "string") entry.statusReason = str(p.statusReason);
    if (typeof p.statusChangedAt === "string") entry.statusChangedAt = p.statusChangedAt;
    if (typeof p.renews === "string") entry.renews = p.renews;
    if (typeof p.renewedBy === "string") entry.renewedBy = p.renewedBy;
    return entry;
  }

  private findNumber(text: string): number | undefined {
    return this.slotOf.get(text) ?? this.slotOf.get(text.toUpperCase()) ?? this.slotOf.get(text.toLowerCase());
  }

  // --- Filters and order -----------------------------------------------------------------------------

  /** true: no filter; false: nothing can match; else a test of one slot. */
  private filter(query: RegistryQuery, today: number): true | false | ((slot: number) => boolean) {
    const code = (dictionary: Dictionary, value: string | undefined) => (value === undefined ? 0 : dictionary.find(value));
    const agency = code(this.agencies, query.agency);
    const type = code(this.types, query.type);
    const province = code(this.provinces, query.province);
    const district = code(this.districts, query.district);
    if (agency < 0 || type < 0 || province < 0 || district < 0) return false;
    const stored = query.status === undefined ? 0 : query.status === "expired" ? STATUS_CODES.valid : STATUS_CODES[query.status];
    // For "valid" and "expired" the stored status is "valid" and the last day decides.
    const dated = query.status === "valid" ? 1 : query.status === "expired" ? 2 : 0;
    if (!agency && !type && !province && !district && !stored) return true;
    const [agencies, types, provinces, districts, statuses, until] = [this.agency, this.type, this.province, this.district, this.status, this.validUntil];
    return (slot) =>
      (!agency || agencies[slot] === agency) &&
      (!type || types[slot] === type) &&
      (!province || provinces[slot] === province) &&
      (!district || districts[slot] === district) &&
      (!stored || statuses[slot] === stored) &&
      (dated === 0 || (dated === 1 ? until[slot] >= today : until[slot] < today));
  }

  private compareSlots = (a: number, b: number): number =>
    this.issuedOn[b] - this.issuedOn[a] || compareNumbers(this.entries[a]!.number, this.entries[b]!.number);

  /** Live slots in listing order, merging in the slots changed since the last call. */
  private ordered(): Int32Array {
    if (this.unordered.size > 0) {
      const moved = new Uint8Array(this.capacity);
      for (const slot of this.unordered) moved[slot] = 1;
      const fresh = [...this.unordered].filter((slot) => this.entries[slot] !== undefined).sort(this.compareSlots);
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

  private listInOrder(accepts: true | ((slot: number) => boolean), start: number, end: number): { slots: number[]; total: number } {
    const order = this.ordered();
    if (accepts === true) return { slots: Array.from(order.subarray(Math.min(start, order.length), Math.min(end, order.length))), total: order.length };
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

  /**
   * Slots of `hits[start, end)` once ties are broken. MiniSearch returns hits by score (stable sort);
   * runs of equal score are put in listing order up to `end` only, so a deep page never sorts everything.
   */
  private rankedSlots(hits: SearchResult[], start: number, end: number): number[] {
    const slots: number[] = [];
    for (let i = 0; i < hits.length && i < end; ) {
      let j = i + 1;
      while (j < hits.length && hits[j].score === hits[i].score) j++;
      let run: number[];
      if (j - i === 1) run = [hits[i].id as number];
      else if (j - i <= LARGE_TIE) run = hits.slice(i, j).map((h) => h.id as number).sort(this.compareSlots);
      else {
        const inRun = new Uint8Array(this.capacity);
        for (let k = i; k < j; k++) inRun[hits[k].id as number] = 1;
        run = [];
        const need = end - i;
        for (const slot of this.ordered()) {
          if (inRun[slot]) run.push(slot);
          if (run.length >= need) break;
        }
      }
      for (let k = 0; k < run.length && i + k < end; k++) if (i + k >= start) slots.push(run[k]);
      i = j;
    }
    return slots;
  }

  // --- Query text ------------------------------------------------------------------------------------

  /**
   * The MiniSearch query for the words of `text`: every word must match (AND); the last word may be
   * unfinished (prefix). undefined when `text` has no words (a filter-only listing); null when some word
   * cannot match anything.
   */
  private parse(text: string): Query | null | undefined {
    const chunks = normaliseForSearch(text).split(/\s+/).filter(Boolean);
    const exact = chunks.slice(0, -1).flatMap((chunk) => searchTokens(chunk));
    const last = chunks.length ? searchTokens(chunks[chunks.length - 1]) : [];
    if (exact.length + last.length === 0) return undefined;
    const leaf = (term: string, prefix: boolean): Leaf => ({
      queries: [term],
      prefix,
      // Typos in Latin names are forgiven; in Thai an edit distance of one is another word altogether.
      fuzzy: /^\p{Script=Latin}{5,}$/u.test(term) ? 0.2 : false,
      combineWith: "AND",
    });
    const matchable = (l: Leaf) => l.fuzzy !== false || (l.prefix ? this.terms.hasPrefix(l.queries[0]) : this.terms.hasTerm(l.queries[0]));
    const required = exact.map((term) => leaf(term, false));
    if (!required.every(matchable)) return null;

    // The segmenter splits an unfinished Thai word oddly ("เมืองนนท" → เมือง, น, นท), so the last few
    // Thai tokens are also tried joined back into one prefix; any reading that can match is kept.
    const readings: Leaf[][] = [];
    const isThai = (token: string) => /^[\u0E00-\u0E7F]+$/.test(token);
    for (let j = last.length - 1; j >= 0 && j >= last.length - MAX_JOINED_TOKENS; j--) {
      const tail = last.slice(j);
      if (j < last.length - 1 && !tail.every(isThai)) break;
      const prefix = tail.join("");
      const reading = [...last.slice(0, j).map((t) => leaf(t, false)), leaf(prefix, prefix.length >= MIN_PREFIX)];
      if (reading.every(matchable)) readings.push(reading);
    }
    if (last.length > 0 && readings.length === 0) return null;
    const and = (queries: Query[]): Query => (queries.length === 1 ? queries[0] : { combineWith: "AND", queries });
    const alternatives = readings.map((reading) => and(reading));
    const lastWord = alternatives.length === 0 ? [] : alternatives.length === 1 ? [alternatives[0]] : [{ combineWith: "OR", queries: alternatives }];
    return and([...required, ...lastWord]);
  }
}
