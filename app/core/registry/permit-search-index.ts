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
 * - postings: per term, those packed at the last compaction (sorted by slot, each a varint of
 *   `slotDelta << 6 | fieldMask`: 1-3 bytes instead of 4; three quarters of the image was postings), then
 *   those added since in an Int32Array of `slot << 6 | fieldMask`;
 * - filter columns: agency, type, province, district (codes of small dictionaries), stored status,
 *   validUntil and issuedOn (yyyymmdd), so a filter is a few array reads;
 * - field lengths for BM25 scoring;
 * - per slot only the permit number and two 53-bit hashes (of its words, of its public content): the
 *   displayed fields are read from the store by `_id` for the page shown (registry.server.ts), so the
 *   index of 1,000,000 permits fits in a small part of a web process's memory;
 * - `toSnapshot`/`fromSnapshot`: the whole index as one binary image (typed arrays as they are, plus a
 *   JSON header), so a process loads it in seconds instead of re-reading the store.
 * A permit whose words change moves to a new slot; the old slot is dead (skipped) until a compaction
 * drops dead postings, like MiniSearch's discard + vacuum. A status change only rewrites columns.
 */
import SearchableMap from "minisearch/SearchableMap";
import type { EffectiveStatus, PermitAddress, PermitDetail, PermitStatus, PublicPermit } from "~/core/permits/types";
import type { LocalizedText } from "~/core/text";
import type { RegistryQuery } from "./registry-query";
import { normaliseForSearch, searchTokens } from "./thai-tokens";

/** What the registry holds of a permit: its public, printed fields only. */
export type RegistryEntry = PublicPermit;
export type RegistryItem = RegistryEntry & { effectiveStatus: EffectiveStatus };
export type RegistrySearchResult = { items: RegistryItem[]; total: number; page: number; pageSize: number };
/** What the index answers: the numbers of one page (or of every match), in result order. */
export type RegistryHits = { numbers: string[]; total: number; page: number; pageSize: number };

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

/**
 * cyrb53 (a public-domain 53-bit string hash): equal words or content give equal hashes; two different
 * ones collide with a probability of about 2^-53, so the index can compare hashes instead of keeping entries.
 */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** 32 bits of cyrb53 (kept per slot in a Uint32Array: 4 bytes instead of 8 at a million permits). */
function wordsHash(entry: RegistryEntry): number {
  return hash53(FIELDS.map((field) => fieldText(entry, field)).join("\u0001")) >>> 0;
}

/** The public content of a permit in a fixed shape, so a stored permit and an index entry compare equal. */
export function publicSignature(permit: PublicPermit): string {
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

/**
 * The hash of a permit's public content (32 bits of cyrb53): what a reader compares to tell whether a write has
 * landed. Two different contents of one permit collide with a probability of 2^-32 per change.
 */
export function publicHash(permit: PublicPermit): number {
  return hash53(publicSignature(permit)) >>> 0;
}

/** yyyy-mm-dd → yyyymmdd as a number (0 when malformed), which orders like the ISO string. */
function dayNumber(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? Number(match[1]) * 10_000 + Number(match[2]) * 100 + Number(match[3]) : 0;
}

/** Values → small integer codes (0 is "none"), for the filter columns. */
class Dictionary {
  private readonly codes = new Map<string, number>();
  constructor(values: readonly string[] = []) {
    for (const value of values) this.code(value);
  }
  /** The values in code order (code = position + 1). */
  values(): string[] {
    return [...this.codes.keys()];
  }
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

const SNAPSHOT_MAGIC = [0x42, 0x52, 0x49, 0x58]; // "BRIX"
/**
 * The image's layout. 1: 32-bit codes, 53-bit hashes in f64, no number order. 2: 16-bit codes (32 when a
 * dictionary outgrows them), 32-bit hashes, slots sorted by number (`byNumber`). 3: postings packed (varint
 * slot deltas). An image of another
 * version is refused; registry.server.ts then rebuilds and publishes one of this version.
 */
export const SNAPSHOT_VERSION = 3;
/** The layout version written in an image (0 when the bytes are not an image). */
/** The length of the JSON header of an image that starts with `bytes` (its first 12 at least); throws when not one of this version. */
function headerLength(bytes: Uint8Array): number {
  if (bytes.length < 12 || SNAPSHOT_MAGIC.some((byte, i) => bytes[i] !== byte)) throw new Error("PermitSearchIndex: not a snapshot");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(4, true) !== SNAPSHOT_VERSION) throw new Error("PermitSearchIndex: snapshot of another version");
  return view.getUint32(8, true);
}
export function snapshotVersionOf(image: Uint8Array): number {
  if (image.length < 12 || SNAPSHOT_MAGIC.some((byte, i) => image[i] !== byte)) return 0;
  return new DataView(image.buffer, image.byteOffset, image.byteLength).getUint32(4, true);
}
const ARRAY_TYPES = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, u32: Uint32Array, f64: Float64Array } as const;
type Column = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
/** A filter column's codes: 16 bits until a dictionary has more than 65,535 values. */
type Codes = Uint16Array | Int32Array;
type SnapshotSection = { name: string; kind: keyof typeof ARRAY_TYPES; offset: number; length: number };
type SnapshotHeader = {
  slots: number;
  terms: string[];
  numbers: (string | null)[];
  fieldTotals: number[];
  agencies: string[];
  types: string[];
  provinces: string[];
  districts: string[];
  sections: SnapshotSection[];
};
const align8 = (n: number) => Math.ceil(n / 8) * 8;
const kindOf = (array: Column): SnapshotSection["kind"] =>
  array instanceof Uint8Array
    ? "u8"
    : array instanceof Uint16Array
      ? "u16"
      : array instanceof Int32Array
        ? "i32"
        : array instanceof Uint32Array
          ? "u32"
          : "f64";

const EMPTY = new Int32Array(0);

/** Sets a code, widening a 16-bit column to 32 bits the first time a code does not fit. */
function setCode(column: Codes, slot: number, code: number): Codes {
  if (code > 0xffff && column instanceof Uint16Array) column = Int32Array.from(column);
  column[slot] = code;
  return column;
}

/** The filter columns a filter-only listing can read by group instead of scanning every slot. */
type GroupedColumn = "agency" | "province" | "district" | "status";
/** Group of code c: `slots[offsets[c]..offsets[c + 1])`, in listing order. */
type Grouping = { orderVersion: number; columnVersion: number; offsets: Int32Array; slots: Int32Array };

/**
 * A term's live postings grouped by score class (the fields it is in and their lengths: all a one-term score
 * depends on besides the collection's averages), each class in listing order. Valid while the listing order
 * is (every change of a slot's words or presence goes through it).
 */
type Impacts = { orderVersion: number; masks: number[]; lengths: number[][]; offsets: Int32Array; slots: Int32Array };
/** Kept for this many terms at most (the most recently used). */
const IMPACT_TERMS = 8;

/** One word of the query: the vocabulary terms it matches, each with its weight (1 exact, less for prefix/fuzzy). */
type Leaf = { terms: number[]; weights: number[]; size: number };
/** Every leaf must match: the words before the last, and one reading of the last word. */
type Plan = Leaf[];

export class PermitSearchIndex {
  // Vocabulary: term → id, and the same ids in a radix tree for prefix and fuzzy lookups.
  private readonly termIds = new Map<string, number>();
  private readonly vocabulary = new SearchableMap<number>();
  /** Per term the postings added since the last compaction (`slot << 6 | mask`). */
  private postings: Int32Array[] = [];
  /** Per term all its postings: packed + added since. */
  private postingCounts = new Int32Array(1024);
  /** The packed postings of terms [0, packedTerms): term `id`'s are bytes packedOffsets[id]..[id + 1], packedCounts[id] of them. */
  private packed = new Uint8Array(0);
  private packedOffsets = new Int32Array(1);
  private packedCounts = new Int32Array(0);
  private packedTerms = 0;
  /** A term's postings decoded for a query (reused). */
  private scratch = new Int32Array(1024);

  /**
   * Number → slot without a Map of a million strings: `byNumber` holds slots sorted by their number (searched
   * by bisection; from the image, or rebuilt at a compaction), `added` the slots given a number since (and
   * only those). A dead slot keeps its number (and its place in `byNumber`) until the compaction frees it.
   */
  private byNumber = new Int32Array(0);
  private readonly added = new Map<string, number>();
  private liveCount = 0;
  /** The permit number of each slot (undefined: a free slot; a dead one keeps it until compaction). */
  private numbers: (string | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** Slots whose permit moved or went: still in postings until `maybeCompact` drops them. */
  private deadSlots: number[] = [];
  private capacity = 0;
  private live = new Uint8Array(0);
  private agency: Codes = new Uint16Array(0);
  private type: Codes = new Uint16Array(0);
  private province: Codes = new Uint16Array(0);
  private district: Codes = new Uint16Array(0);
  private status = new Uint8Array(0);
  private validUntil = new Int32Array(0);
  private issuedOn = new Int32Array(0);
  private fieldLengths: Uint8Array[] = FIELDS.map(() => new Uint8Array(0));
  private fieldTotals = FIELDS.map(() => 0);
  private wordHashes = new Uint32Array(0);
  private publicHashes = new Uint32Array(0);
  // Query scratch, one per slot, left zeroed between queries.
  private hits = new Uint8Array(0);
  private scores = new Float64Array(0);
  private best = new Float64Array(0);
  /**
   * The slots one query touched and matched, reused by every query: as JS arrays grown by push they were
   * megabytes of large-object garbage per search at 1,000,000 permits, which piled up in the old generation
   * between major GCs (RSS 550 MiB against 370 live; ADR 027). Allocated at `capacity` (zero pages cost no
   * RSS until a query writes them).
   */
  private touchedSlots = new Int32Array(0);
  private matchedSlots = new Int32Array(0);

  private agencies = new Dictionary();
  private types = new Dictionary();
  private provinces = new Dictionary();
  private districts = new Dictionary();
  /** Live slots by (issuedOn desc, number asc); slots in `unordered` are out of place until `ordered()`. */
  private order = new Int32Array(0);
  private orderLength = 0;
  private unordered = new Set<number>();
  /**
   * Bumped whenever the listing order changes (`orderVersion`) or a grouped column's code of a slot changes
   * (`columnVersions`): a grouping built at other versions is stale and rebuilt on its next use.
   */
  private orderVersion = 0;
  private readonly columnVersions: Record<GroupedColumn, number> = { agency: 0, province: 0, district: 0, status: 0 };
  private readonly impacts = new Map<number, Impacts>();
  /** One-term queries of terms with at least this many postings read them by score class (tests lower it). */
  static impactMinimum = 20_000;
  /** Live slots grouped by one column's code, each group in listing order (built lazily from `order`). */
  private readonly groupings = new Map<GroupedColumn, Grouping>();

  get size(): number {
    return this.liveCount;
  }

  /** Puts the listing order in place now (after a build) rather than on the first filter-only search. */
  prepare(): void {
    this.ordered();
  }

  /**
   * The whole index as one binary image: "BRIX", a format version, the length of a JSON header (vocabulary,
   * dictionaries, slot numbers, field totals, section table), the header, then each typed array 8-byte
   * aligned. Dead postings are dropped first, so the image holds live slots and free ones only.
   */
  toSnapshot(): Uint8Array {
    this.maybeCompact(true);
    const order = this.ordered();
    const slots = this.numbers.length;
    const terms = [...this.termIds.keys()];
    const arrays: [string, Column][] = [
      ["live", this.live.subarray(0, slots)],
      ["agency", this.agency.subarray(0, slots)],
      ["type", this.type.subarray(0, slots)],
      ["province", this.province.subarray(0, slots)],
      ["district", this.district.subarray(0, slots)],
      ["status", this.status.subarray(0, slots)],
      ["validUntil", this.validUntil.subarray(0, slots)],
      ["issuedOn", this.issuedOn.subarray(0, slots)],
      ...this.fieldLengths.map((lengths, f): [string, Uint8Array] => [`length.${FIELDS[f]}`, lengths.subarray(0, slots)]),
      ["wordHashes", this.wordHashes.subarray(0, slots)],
      ["publicHashes", this.publicHashes.subarray(0, slots)],
      ["order", order],
      ["byNumber", this.byNumber],
      ["packedOffsets", this.packedOffsets],
      ["packedCounts", this.packedCounts],
      ["packed", this.packed],
    ];
    const sections: SnapshotSection[] = [];
    let at = 0;
    for (const [name, array] of arrays) {
      sections.push({ name, kind: kindOf(array), offset: at, length: array.length });
      at = align8(at + array.byteLength);
    }
    const header: SnapshotHeader = {
      slots,
      terms,
      numbers: this.numbers.map((n) => n ?? null),
      fieldTotals: this.fieldTotals,
      agencies: this.agencies.values(),
      types: this.types.values(),
      provinces: this.provinces.values(),
      districts: this.districts.values(),
      sections,
    };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const start = align8(12 + json.length);
    const image = new Uint8Array(start + at);
    const view = new DataView(image.buffer);
    image.set(SNAPSHOT_MAGIC, 0);
    view.setUint32(4, SNAPSHOT_VERSION, true);
    view.setUint32(8, json.length, true);
    image.set(json, 12);
    for (let i = 0; i < arrays.length; i++) {
      const array = arrays[i][1];
      image.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), start + sections[i].offset);
    }
    return image;
  }

  /** An index from `toSnapshot`'s image; the typed arrays are views into `image` where it is aligned (no copy). */
  static fromSnapshot(image: Uint8Array): PermitSearchIndex {
    const length = headerLength(image);
    const header = JSON.parse(new TextDecoder().decode(image.subarray(12, 12 + length))) as SnapshotHeader;
    const start = align8(12 + length);
    return PermitSearchIndex.fromSections(header, (section) => {
      const Type = ARRAY_TYPES[section.kind];
      const byteOffset = image.byteOffset + start + section.offset;
      if (byteOffset % Type.BYTES_PER_ELEMENT === 0) return new Type(image.buffer as ArrayBuffer, byteOffset, section.length);
      return new Type(image.slice(start + section.offset, start + section.offset + section.length * Type.BYTES_PER_ELEMENT).buffer);
    });
  }

  /**
   * An index from an image of `bytes` bytes received piece by piece, in order (`write`, then `finish`): each
   * section is copied into an array of its own as it arrives, so neither the whole image nor its JSON header
   * stays in memory. With `fromSnapshot`'s views, the one image buffer (135 MiB at 1,000,000 permits) lived as
   * long as any view into it, carrying the parsed header (19 MiB) and every column the first new permit
   * copies into bigger arrays (36 MiB): ADR 027.
   */
  static snapshotReader(bytes: number): { write(piece: Uint8Array): void; finish(): PermitSearchIndex } {
    const prefix = new Uint8Array(12);
    // The header is decoded as it comes, not gathered into one buffer first: freeing a buffer of 19 MiB made
    // glibc raise its mmap threshold to that size, so every array allocated later (the columns grown for new
    // permits, the query scratch) came from the fragmented heap, memset and resident (ADR 027).
    const decoder = new TextDecoder();
    const json: string[] = [];
    let headerEnd = 0;
    let header: SnapshotHeader | undefined;
    let start = 0;
    const targets: { section: SnapshotSection; from: number; bytes: Uint8Array; array: Column }[] = [];
    let next = 0;
    let at = 0;
    const parse = () => {
      json.push(decoder.decode());
      header = JSON.parse(json.join("")) as SnapshotHeader;
      json.length = 0;
      for (const section of [...header.sections].sort((a, b) => a.offset - b.offset)) {
        const array = new ARRAY_TYPES[section.kind](section.length);
        targets.push({ section, from: start + section.offset, bytes: new Uint8Array(array.buffer), array });
      }
    };
    return {
      write(piece) {
        if (at + piece.length > bytes) throw new Error("PermitSearchIndex: snapshot longer than announced");
        for (let p = 0; p < piece.length; ) {
          if (at < 12) {
            const n = Math.min(12 - at, piece.length - p);
            prefix.set(piece.subarray(p, p + n), at);
            at += n;
            p += n;
            if (at === 12) {
              const length = headerLength(prefix);
              headerEnd = 12 + length;
              start = align8(headerEnd);
              if (length === 0) parse();
            }
          } else if (!header) {
            const n = Math.min(headerEnd - at, piece.length - p);
            json.push(decoder.decode(piece.subarray(p, p + n), { stream: true }));
            at += n;
            p += n;
            if (at === headerEnd) parse();
          } else {
            // Alignment padding before a section (or after the last) is skipped.
            while (next < targets.length && at >= targets[next].from + targets[next].bytes.length) next++;
            const target = targets[next];
            const n =
              target === undefined
                ? piece.length - p
                : Math.min((at < target.from ? target.from : target.from + target.bytes.length) - at, piece.length - p);
            if (target !== undefined && at >= target.from) target.bytes.set(piece.subarray(p, p + n), at - target.from);
            at += n;
            p += n;
          }
        }
      },
      finish() {
        if (!header || at !== bytes || targets.some((t) => t.from + t.bytes.length > bytes)) throw new Error("PermitSearchIndex: snapshot cut short");
        const arrays = new Map(targets.map((t) => [t.section, t.array]));
        return PermitSearchIndex.fromSections(header, (section) => arrays.get(section)!);
      },
    };
  }

  private static fromSections(header: SnapshotHeader, arrayOf: (section: SnapshotSection) => Column): PermitSearchIndex {
    const read = <T extends Column>(name: string): T => {
      const section = header.sections.find((s) => s.name === name);
      if (!section) throw new Error(`PermitSearchIndex: snapshot without ${name}`);
      return arrayOf(section) as T;
    };
    const index = new PermitSearchIndex();
    const slots = header.slots;
    index.capacity = slots;
    index.numbers = header.numbers.map((n) => n ?? undefined);
    for (let slot = 0; slot < slots; slot++) {
      if (index.numbers[slot] === undefined) index.freeSlots.push(slot);
      else index.liveCount++;
    }
    index.byNumber = read("byNumber");
    index.live = read("live");
    index.agency = read("agency");
    index.type = read("type");
    index.province = read("province");
    index.district = read("district");
    index.status = read("status");
    index.validUntil = read("validUntil");
    index.issuedOn = read("issuedOn");
    index.fieldLengths = FIELDS.map((field) => read<Uint8Array>(`length.${field}`));
    index.wordHashes = read("wordHashes");
    index.publicHashes = read("publicHashes");
    index.order = read("order");
    index.orderLength = index.order.length;
    index.fieldTotals = header.fieldTotals;
    index.agencies = new Dictionary(header.agencies);
    index.types = new Dictionary(header.types);
    index.provinces = new Dictionary(header.provinces);
    index.districts = new Dictionary(header.districts);
    index.packedOffsets = read("packedOffsets");
    index.packedCounts = read("packedCounts");
    index.packed = read("packed");
    index.packedTerms = index.packedCounts.length;
    if (index.packedTerms !== header.terms.length) throw new Error("PermitSearchIndex: snapshot with postings of another vocabulary");
    index.postingCounts = new Int32Array(Math.max(1024, header.terms.length));
    for (let id = 0; id < header.terms.length; id++) {
      const term = header.terms[id];
      index.termIds.set(term, id);
      index.vocabulary.set(term, id);
      index.postings.push(EMPTY);
      index.postingCounts[id] = index.packedCounts[id];
    }
    index.hits = new Uint8Array(slots);
    index.scores = new Float64Array(slots);
    index.best = new Float64Array(slots);
    return index;
  }

  has(number: string): boolean {
    return this.slotOf(number) !== undefined;
  }

  /** The live slot of `number`: a slot given it since the last compaction, else bisection of `byNumber`. */
  private slotOf(number: string): number | undefined {
    const added = this.added.get(number);
    if (added !== undefined) return added;
    const { byNumber, numbers } = this;
    let lo = 0;
    let hi = byNumber.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (numbers[byNumber[mid]]! < number) lo = mid + 1;
      else hi = mid;
    }
    if (lo === byNumber.length) return undefined;
    const slot = byNumber[lo];
    return numbers[slot] === number && this.live[slot] === 1 ? slot : undefined;
  }

  /** The hash of the public content held for `number` (see `publicHash`), undefined when not held. */
  publicHashOf(number: string): number | undefined {
    const slot = this.slotOf(number);
    return slot === undefined ? undefined : this.publicHashes[slot];
  }

  /** Adds permits, or replaces the entry of a number already held. Fields beyond PublicPermit are dropped. */
  upsert(permits: readonly PublicPermit[]): void {
    for (const permit of permits) {
      if (typeof permit?.number !== "string" || !permit.number) continue;
      const entry = toRegistryEntry(permit);
      const words = wordsHash(entry);
      const existing = this.slotOf(entry.number);
      if (existing !== undefined && this.wordHashes[existing] === words) {
        // The usual update (a status change) leaves the words alone: only the columns change.
        if (this.issuedOn[existing] !== dayNumber(entry.issuedOn)) this.unordered.add(existing);
        this.setColumns(existing, entry);
        continue;
      }
      if (existing !== undefined) this.kill(existing);
      const slot = this.freeSlots.pop() ?? this.grow();
      this.added.set(entry.number, slot);
      this.liveCount++;
      this.setColumns(slot, entry);
      this.wordHashes[slot] = words;
      this.indexWords(slot, entry);
      this.unordered.add(slot);
    }
    this.maybeCompact();
  }

  remove(numbers: readonly string[]): void {
    for (const number of numbers) {
      const slot = this.slotOf(number);
      if (slot === undefined) continue;
      this.kill(slot);
    }
    this.maybeCompact();
  }

  /** One page of permits matching `query`; `today` (ISO yyyy-mm-dd, Bangkok) decides which valid ones expired. */
  search(query: RegistryQuery, today: string): RegistryHits {
    const { page, pageSize } = query;
    const start = (page - 1) * pageSize;
    const { slots, total } = this.ranked(query, today, start, start + pageSize);
    return { numbers: slots.map((slot) => this.numbers[slot]!), total, page, pageSize };
  }

  /** The numbers of every permit matching `query` (page and pageSize ignored), in result order, ranked once: for exports. */
  searchAll(query: RegistryQuery, today: string): string[] {
    return this.ranked(query, today, 0, Infinity).slots.map((slot) => this.numbers[slot]!);
  }

  /** Slots of results [start, end) and the number of results. */
  private ranked(query: RegistryQuery, today: string, start: number, end: number): { slots: number[]; total: number } {
    const accepts = this.filter(query, dayNumber(today));
    if (accepts === false) return { slots: [], total: 0 };
    const text = query.q.trim();
    const plan = text ? this.plan(text) : undefined;
    if (plan === undefined) return this.listInOrder(accepts, start, end, query);

    // A query that is a permit number puts that permit first, whatever its score.
    const exact = this.findNumber(text);
    const first = exact !== undefined && (accepts === true || accepts(exact)) ? exact : undefined;
    if (first === undefined && accepts === true && plan.length === 1 && plan[0].length === 1 && plan[0][0].terms.length === 1) {
      const fast = this.byImpact(plan[0][0], start, end);
      if (fast) return fast;
    }
    // A view of this index's scratch (`matchedSlots`), valid until the next search.
    let rest = plan.length === 0 ? EMPTY : this.match(plan, accepts === true ? undefined : accepts);
    try {
      let total = rest.length;
      if (first !== undefined) {
        // Taken out in place: the scratch is ours, and a copy would be garbage of up to 4 MB per search.
        let kept = 0;
        for (let i = 0; i < rest.length; i++) if (rest[i] !== first) rest[kept++] = rest[i];
        if (kept === rest.length) total += 1;
        rest = rest.subarray(0, kept);
      }
      if (start >= total) return { slots: [], total };
      const ranked = this.rank(rest, first === undefined ? end : end - 1);
      const all = first === undefined ? ranked : [first, ...ranked];
      return { slots: all.slice(start, end), total };
    } finally {
      const { best } = this;
      for (let i = 0; i < rest.length; i++) best[rest[i]] = 0;
      if (first !== undefined) best[first] = 0;
    }
  }

  // --- Entries, slots and columns ----------------------------------------------------------------------

  private grow(): number {
    const slot = this.numbers.length;
    if (slot >= MAX_SLOTS) throw new Error(`PermitSearchIndex: more than ${MAX_SLOTS} slots`);
    this.numbers.push(undefined);
    if (slot >= this.capacity) {
      // An eighth more, not twice: a process loaded from a snapshot of 1,000,000 grows on the first new permit,
      // and doubling gave every column, the query scratch and the score arrays a second million slots (ADR 027).
      const capacity = Math.max(1024, this.capacity + (this.capacity >> 3));
      const int32 = (old: Int32Array) => {
        const next = new Int32Array(capacity);
        next.set(old);
        return next;
      };
      const codes = (old: Codes): Codes => {
        const next = old instanceof Uint16Array ? new Uint16Array(capacity) : new Int32Array(capacity);
        next.set(old);
        return next;
      };
      const uint32 = (old: Uint32Array) => {
        const next = new Uint32Array(capacity);
        next.set(old);
        return next;
      };
      const uint8 = (old: Uint8Array) => {
        const next = new Uint8Array(capacity);
        next.set(old);
        return next;
      };
      this.live = uint8(this.live);
      this.agency = codes(this.agency);
      this.type = codes(this.type);
      this.province = codes(this.province);
      this.district = codes(this.district);
      this.status = uint8(this.status);
      this.validUntil = int32(this.validUntil);
      this.issuedOn = int32(this.issuedOn);
      this.fieldLengths = this.fieldLengths.map(uint8);
      this.wordHashes = uint32(this.wordHashes);
      this.publicHashes = uint32(this.publicHashes);
      this.hits = new Uint8Array(capacity);
      this.scores = new Float64Array(capacity);
      this.best = new Float64Array(capacity);
      this.capacity = capacity;
    }
    return slot;
  }

  private setColumns(slot: number, entry: RegistryEntry): void {
    const agency = this.agencies.code(entry.agencyId);
    const province = this.provinces.code(entry.address.province);
    const district = this.districts.code(entry.address.district);
    const status = STATUS_CODES[entry.status] ?? 0;
    // A new slot is also in `unordered`, which bumps the order's version when it is merged.
    const versions = this.columnVersions;
    if (this.agency[slot] !== agency) versions.agency++;
    if (this.province[slot] !== province) versions.province++;
    if (this.district[slot] !== district) versions.district++;
    if (this.status[slot] !== status) versions.status++;
    this.numbers[slot] = entry.number;
    this.publicHashes[slot] = publicHash(entry);
    this.live[slot] = 1;
    this.agency = setCode(this.agency, slot, agency);
    this.type = setCode(this.type, slot, this.types.code(entry.typeCode));
    this.province = setCode(this.province, slot, province);
    this.district = setCode(this.district, slot, district);
    this.status[slot] = status;
    this.validUntil[slot] = dayNumber(entry.validUntil);
    this.issuedOn[slot] = dayNumber(entry.issuedOn);
  }

  private kill(slot: number): void {
    // The number stays until the compaction frees the slot: `byNumber` may still point here.
    this.added.delete(this.numbers[slot]!);
    this.liveCount--;
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
        this.postings.push(EMPTY);
      }
      let list = this.postings[id];
      const count = this.postingCounts[id] - this.packedCount(id);
      if (count === list.length) {
        const bigger = new Int32Array(Math.max(2, count * 2));
        bigger.set(list);
        this.postings[id] = list = bigger;
      }
      list[count] = (slot << MASK_BITS) | mask;
      this.postingCounts[id]++;
    }
  }

  /** Drops dead slots from every posting list once they are a tenth of the index, and frees them. */
  private maybeCompact(force = false): void {
    const dead = this.deadSlots.length;
    if (!force && (dead < 1_000 || dead < this.liveCount / 10)) {
      if (this.added.size > Math.max(10_000, this.liveCount / 8)) this.mergeNumbers();
      return;
    }
    this.pack();
    this.mergeNumbers();
    // A loop, not push(...dead): a spread of 100,000 arguments overflows the stack.
    for (const slot of this.deadSlots) {
      this.numbers[slot] = undefined;
      this.freeSlots.push(slot);
    }
    this.deadSlots = [];
  }

  private packedCount(id: number): number {
    return id < this.packedTerms ? this.packedCounts[id] : 0;
  }

  /** Term `id`'s postings (the first `postingCounts[id]`): its added list as is, or decoded into the scratch (valid until the next call). */
  private listOf(id: number): Int32Array {
    const base = this.packedCount(id);
    const total = this.postingCounts[id];
    if (base === 0) return this.postings[id];
    if (this.scratch.length < total) this.scratch = new Int32Array(Math.max(total, this.scratch.length * 2));
    const { scratch, packed } = this;
    const end = this.packedOffsets[id + 1];
    let slot = 0;
    let n = 0;
    for (let p = this.packedOffsets[id]; p < end; ) {
      let byte = packed[p++];
      let value = byte & 0x7f;
      for (let shift = 7; byte & 0x80; shift += 7) {
        byte = packed[p++];
        value |= (byte & 0x7f) << shift;
      }
      slot += value >>> MASK_BITS;
      scratch[n++] = (slot << MASK_BITS) | (value & MASK);
    }
    if (total > base) scratch.set(this.postings[id].subarray(0, total - base), base);
    return scratch;
  }

  /** Every term's live postings packed (sorted by slot, varint deltas); the added lists empty. */
  private pack(): void {
    const terms = this.postings.length;
    const offsets = new Int32Array(terms + 1);
    const counts = new Int32Array(terms);
    let added = 0;
    for (let id = 0; id < terms; id++) added += this.postingCounts[id] - this.packedCount(id);
    // About 2 bytes a posting; grown when a term needs more.
    let out = new Uint8Array(Math.max(1024, this.packed.length + 2 * added));
    let at = 0;
    for (let id = 0; id < terms; id++) {
      const list = this.listOf(id);
      const count = this.postingCounts[id];
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const value = list[i];
        if (this.live[value >>> MASK_BITS]) list[kept++] = value;
      }
      // Slots are in the high bits, so the numeric order is the slots' order (each slot once per term).
      const sorted = list.subarray(0, kept).sort();
      if (out.length - at < 5 * kept) {
        const bigger = new Uint8Array(Math.max(out.length * 2, at + 5 * kept));
        bigger.set(out.subarray(0, at));
        out = bigger;
      }
      let previous = 0;
      for (let i = 0; i < kept; i++) {
        const slot = sorted[i] >>> MASK_BITS;
        let value = ((slot - previous) << MASK_BITS) | (sorted[i] & MASK);
        previous = slot;
        while (value > 0x7f) {
          out[at++] = (value & 0x7f) | 0x80;
          value >>>= 7;
        }
        out[at++] = value;
      }
      offsets[id + 1] = at;
      counts[id] = kept;
      this.postings[id] = EMPTY;
      this.postingCounts[id] = kept;
    }
    this.packed = out.slice(0, at);
    this.packedOffsets = offsets;
    this.packedCounts = counts;
    this.packedTerms = terms;
  }

  /** `byNumber` := its live slots merged with the slots `added` since, in number order; `added` empties. */
  private mergeNumbers(): void {
    const { numbers, live, byNumber } = this;
    const fresh = [...this.added.values()].sort((a, b) => (numbers[a]! < numbers[b]! ? -1 : numbers[a]! > numbers[b]! ? 1 : 0));
    const next = new Int32Array(this.liveCount);
    let n = 0;
    let f = 0;
    for (let i = 0; i < byNumber.length; i++) {
      const slot = byNumber[i];
      if (!live[slot]) continue;
      while (f < fresh.length && numbers[fresh[f]]! < numbers[slot]!) next[n++] = fresh[f++];
      next[n++] = slot;
    }
    while (f < fresh.length) next[n++] = fresh[f++];
    if (n !== next.length) throw new Error(`PermitSearchIndex: ${n} numbers for ${next.length} live slots`);
    this.byNumber = next;
    this.added.clear();
  }

  private findNumber(text: string): number | undefined {
    return this.slotOf(text) ?? this.slotOf(text.toUpperCase()) ?? this.slotOf(text.toLowerCase());
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
    const x = this.numbers[a]!;
    const y = this.numbers[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  };

  /** Live slots in listing order, merging in the slots changed since the last call. */
  private ordered(): Int32Array {
    if (this.unordered.size > 0) {
      const moved = new Uint8Array(this.capacity);
      for (const slot of this.unordered) moved[slot] = 1;
      const fresh = this.sortSlots([...this.unordered].filter((slot) => this.live[slot] === 1));
      const next = new Int32Array(this.liveCount);
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
      this.orderVersion++;
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

  /**
   * The slots of `column`'s code `code` in listing order: a subarray of a grouping of every live slot by that
   * column (a counting sort of the listing order: one pass, rebuilt after a change when next needed).
   */
  private group(column: GroupedColumn, code: number): Int32Array {
    const order = this.ordered();
    let grouping = this.groupings.get(column);
    const columnVersion = this.columnVersions[column];
    if (!grouping || grouping.orderVersion !== this.orderVersion || grouping.columnVersion !== columnVersion) {
      const codes = this[column];
      let max = 0;
      for (let i = 0; i < order.length; i++) if (codes[order[i]] > max) max = codes[order[i]];
      const offsets = new Int32Array(max + 2);
      for (let i = 0; i < order.length; i++) offsets[codes[order[i]] + 1]++;
      for (let c = 1; c < offsets.length; c++) offsets[c] += offsets[c - 1];
      const at = offsets.slice(0, max + 1);
      // Reuses the previous grouping's array when it has the size (no 4 MB allocation per rebuild at 1M).
      const slots = grouping?.slots.length === order.length ? grouping.slots : new Int32Array(order.length);
      for (let i = 0; i < order.length; i++) slots[at[codes[order[i]]]++] = order[i];
      grouping = { orderVersion: this.orderVersion, columnVersion, offsets, slots };
      this.groupings.set(column, grouping);
    }
    if (code + 1 >= grouping.offsets.length) return EMPTY;
    return grouping.slots.subarray(grouping.offsets[code], grouping.offsets[code + 1]);
  }

  /** The smallest group that holds every match of the filter (undefined: no grouped column filtered). */
  private candidates(query: RegistryQuery): Int32Array | undefined {
    let best: Int32Array | undefined;
    const consider = (column: GroupedColumn, code: number) => {
      if (code <= 0) return;
      const slots = this.group(column, code);
      if (!best || slots.length < best.length) best = slots;
    };
    if (query.agency !== undefined) consider("agency", this.agencies.find(query.agency));
    if (query.province !== undefined) consider("province", this.provinces.find(query.province));
    if (query.district !== undefined) consider("district", this.districts.find(query.district));
    if (query.status !== undefined) consider("status", query.status === "expired" ? STATUS_CODES.valid : STATUS_CODES[query.status]);
    return best;
  }

  private listInOrder(
    accepts: true | ((slot: number) => boolean),
    start: number,
    end: number,
    query: RegistryQuery,
  ): { slots: number[]; total: number } {
    if (accepts === true) {
      const order = this.ordered();
      return { slots: Array.from(order.subarray(Math.min(start, order.length), Math.min(end, order.length))), total: order.length };
    }
    // Every match is in the group of each filtered value, in listing order: the smallest group is scanned.
    const order = this.candidates(query) ?? this.ordered();
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

  /**
   * Results [start, end) of a one-term query without filters, read class by class in descending score (ties in
   * listing order), stopping at `end`: the same answer as `match` + `rank` without scoring every posting.
   * undefined when the term is small (scanning is cheap) or cannot be grouped.
   */
  private byImpact(leaf: Leaf, start: number, end: number): { slots: number[]; total: number } | undefined {
    const id = leaf.terms[0];
    const count = this.postingCounts[id];
    if (count < PermitSearchIndex.impactMinimum) return undefined;
    const impacts = this.impactsOf(id);
    if (!impacts) return undefined;
    const total = impacts.slots.length;
    if (start >= total) return { slots: [], total };
    const norms = this.norms();
    const live = this.liveCount || 1;
    // As `match` computes it, operation for operation, so equal classes give bit-equal scores.
    const weight = leaf.weights[0] * Math.max(0.01, Math.log(1 + (live - count + 0.5) / (count + 0.5)));
    const scores = impacts.masks.map((mask, c) => {
      let score = 0;
      for (let f = 0, m = mask; m !== 0; f++, m >>>= 1) if (m & 1) score += norms[f][impacts.lengths[c][f]];
      return 0 + weight * score;
    });
    const classes = scores.map((_, c) => c).sort((a, b) => scores[b] - scores[a]);
    const { offsets } = impacts;
    const out: number[] = [];
    let at = 0;
    for (let i = 0; i < classes.length && at < end; ) {
      // A run of classes with equal scores: their slots merge in listing order.
      let j = i + 1;
      while (j < classes.length && scores[classes[j]] === scores[classes[i]]) j++;
      let size = 0;
      for (let k = i; k < j; k++) size += offsets[classes[k] + 1] - offsets[classes[k]];
      if (at + size > start) {
        const run =
          j - i === 1
            ? impacts.slots.subarray(offsets[classes[i]], offsets[classes[i] + 1])
            : Int32Array.from(classes.slice(i, j).flatMap((c) => Array.from(impacts.slots.subarray(offsets[c], offsets[c + 1])))).sort(this.compareSlots);
        for (let k = Math.max(0, start - at); k < size && at + k < end; k++) out.push(run[k]);
      }
      at += size;
      i = j;
    }
    return { slots: out, total };
  }

  /** Term `id`'s score classes, grouped again after the listing order changed (one pass over it). */
  private impactsOf(id: number): Impacts | undefined {
    const order = this.ordered();
    const cached = this.impacts.get(id);
    if (cached && cached.orderVersion === this.orderVersion) return cached;
    this.impacts.delete(id);
    const list = this.listOf(id);
    const count = this.postingCounts[id];
    const { live, fieldLengths } = this;
    const classOf = new Int32Array(this.capacity).fill(-1);
    const keys = new Map<number, number>();
    const masks: number[] = [];
    const lengths: number[][] = [];
    const sizes: number[] = [];
    for (let p = 0; p < count; p++) {
      const value = list[p];
      const slot = value >>> MASK_BITS;
      if (!live[slot]) continue;
      const mask = value & MASK;
      // mask + 8 bits per field it is in: exact in a double for up to 5 fields.
      let key = mask;
      let scale = 1 << MASK_BITS;
      for (let f = 0, m = mask; m !== 0; f++, m >>>= 1) {
        if (!(m & 1)) continue;
        if (scale > 2 ** 45) return undefined;
        key += fieldLengths[f][slot] * scale;
        scale *= 256;
      }
      let c = keys.get(key);
      if (c === undefined) {
        keys.set(key, (c = masks.length));
        masks.push(mask);
        lengths.push(FIELDS.map((_, f) => fieldLengths[f][slot]));
        sizes.push(0);
      }
      classOf[slot] = c;
      sizes[c]++;
    }
    const offsets = new Int32Array(masks.length + 1);
    for (let c = 0; c < masks.length; c++) offsets[c + 1] = offsets[c] + sizes[c];
    const next = offsets.slice(0, masks.length);
    const slots = new Int32Array(offsets[masks.length]);
    for (let i = 0; i < order.length; i++) {
      const c = classOf[order[i]];
      if (c >= 0) slots[next[c]++] = order[i];
    }
    const impacts: Impacts = { orderVersion: this.orderVersion, masks, lengths, offsets, slots };
    if (this.impacts.size >= IMPACT_TERMS) this.impacts.delete(this.impacts.keys().next().value!);
    this.impacts.set(id, impacts);
    return impacts;
  }

  /** BM25+ length normalisation, tabulated per field for the 256 possible field lengths. */
  private norms(): Float64Array[] {
    const live = this.liveCount || 1;
    return FIELDS.map((_, f) => {
      const average = this.fieldTotals[f] / live || 1;
      return Float64Array.from({ length: 256 }, (_, length) =>
        FIELD_BOOST[f] * (BM25.d + (BM25.k + 1) / (1 + BM25.k * (1 - BM25.b + (BM25.b * length) / average))),
      );
    });
  }

  /** Slots matching every leaf of at least one plan (and the filter), with their best score in `best`. */
  private match(plans: Plan[], accepts: ((slot: number) => boolean) | undefined): Int32Array {
    // A slot is touched at most once per plan and matched at most once per query (its best score turns positive).
    if (this.touchedSlots.length < this.capacity) {
      this.touchedSlots = new Int32Array(this.capacity);
      this.matchedSlots = new Int32Array(this.capacity);
    }
    const { touchedSlots: touched, matchedSlots: matched } = this;
    let matches = 0;
    const live = this.liveCount || 1;
    const norms = this.norms();
    const { hits, scores, best, live: alive, fieldLengths } = this;
    for (const plan of plans) {
      const leaves = [...plan].sort((a, b) => a.size - b.size);
      let touches = 0;
      for (let l = 0; l < leaves.length; l++) {
        const { terms, weights } = leaves[l];
        for (let t = 0; t < terms.length; t++) {
          const id = terms[t];
          const list = this.listOf(id);
          const count = this.postingCounts[id];
          // Dead postings still count here until compaction; the floor keeps every hit's score positive.
          const weight = weights[t] * Math.max(0.01, Math.log(1 + (live - count + 0.5) / (count + 0.5)));
          for (let p = 0; p < count; p++) {
            const value = list[p];
            const slot = value >>> MASK_BITS;
            const seen = hits[slot];
            if (l === 0) {
              if (seen === 0) {
                touched[touches++] = slot;
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
      for (let i = 0; i < touches; i++) {
        const slot = touched[i];
        if (hits[slot] === all) {
          if (best[slot] === 0) matched[matches++] = slot;
          if (scores[slot] > best[slot]) best[slot] = scores[slot];
        }
        hits[slot] = 0;
        scores[slot] = 0;
      }
    }
    return matched.subarray(0, matches);
  }

  /** Score first, then listing order. */
  private better = (a: number, b: number): boolean => {
    const diff = this.best[a] - this.best[b];
    return diff !== 0 ? diff > 0 : this.compareSlots(a, b) < 0;
  };

  /** The best `count` of `slots` in ranking order (a bounded heap when there are many). */
  private rank(slots: Int32Array, count: number): number[] {
    const byRank = (a: number, b: number) => this.best[b] - this.best[a] || this.compareSlots(a, b);
    if (count <= 0) return [];
    if (slots.length <= FULL_SORT_LIMIT || count >= slots.length) return Array.from(slots).sort(byRank).slice(0, count);
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
    // Indexed, not for…of: an iterator result per slot was another ~150 MiB of garbage per 200 searches.
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s];
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
