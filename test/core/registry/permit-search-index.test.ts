import { describe, expect, it } from "vitest";
import { formatAddress } from "~/core/permits/permit-rules";
import type { StoredPermit } from "~/core/permits/types";
import { PermitSearchIndex, publicHash, toRegistryEntry } from "~/core/registry/permit-search-index";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { PERMIT_TYPES, permitFixture } from "../../support/permits";

const TODAY = "2026-11-25";
const query = (q: Partial<RegistryQuery> = {}): RegistryQuery => ({ q: "", page: 1, pageSize: 20, ...q });
const numbersOf = (index: PermitSearchIndex, q: Partial<RegistryQuery>, today = TODAY) => index.search(query(q), today).numbers;

function indexOf(...permits: StoredPermit[]): PermitSearchIndex {
  const index = new PermitSearchIndex();
  index.upsert(permits);
  return index;
}

const somchai = permitFixture({ number: "SKJ-HH-2569-00012" });
const foodShop = permitFixture({
  number: "SKJ-FD-2569-00003",
  typeCode: "FD",
  typeName: PERMIT_TYPES.FD.name,
  holderName: "นางสาววิไลวรรณ ศรีสุข",
  businessName: "ครัวคุณวิไล",
  activity: PERMIT_TYPES.FD.activities[0],
  issuedOn: "2026-03-02",
  validFrom: "2026-03-02",
  validUntil: "2027-03-01",
});
const hazardActivity = permitFixture({
  number: "TTG-FD-2568-00040",
  agencyId: "thungthong",
  agencyName: { th: "องค์การบริหารส่วนตำบลทุ่งทอง", en: "Thung Thong SAO" },
  typeCode: "FD",
  typeName: PERMIT_TYPES.FD.name,
  holderName: "นายมานะ ขยัน",
  businessName: "โกดังทุ่งทอง",
  activity: "กิจการที่เป็นอันตรายต่อสุขภาพ",
  address: formatAddress({ line: "5 หมู่ 2", subdistrict: "โคกกรวด", district: "เมืองนครราชสีมา", province: "นครราชสีมา", postcode: "30280" }),
  issuedOn: "2025-06-10",
  validFrom: "2025-06-10",
  validUntil: "2026-06-09",
});

describe("PermitSearchIndex: words", () => {
  const index = indexOf(somchai, foodShop, hazardActivity);

  it("finds a Thai word inside the type name or the activity, and not elsewhere", () => {
    expect(numbersOf(index, { q: "อันตราย" }).sort()).toEqual([somchai.number, hazardActivity.number].sort());
    expect(numbersOf(index, { q: "สุขภาพ" })).not.toContain(foodShop.number);
  });

  it("finds words of the holder's and the business's name", () => {
    expect(numbersOf(index, { q: "สมชาย" })).toEqual([somchai.number]);
    expect(numbersOf(index, { q: "ใจดี" })).toEqual([somchai.number]);
    expect(numbersOf(index, { q: "วิไลวรรณ" })).toEqual([foodShop.number]);
    expect(numbersOf(index, { q: "การช่าง" })).toEqual([somchai.number]);
    expect(numbersOf(index, { q: "โกดัง" })).toEqual([hazardActivity.number]);
  });

  it("finds address words", () => {
    expect(numbersOf(index, { q: "นครราชสีมา" })).toEqual([hazardActivity.number]);
    expect(numbersOf(index, { q: "รัตนาธิเบศร์" }).sort()).toEqual([somchai.number, foodShop.number].sort());
  });

  it("needs every word to match", () => {
    expect(numbersOf(index, { q: "สมชาย ใจดี" })).toEqual([somchai.number]);
    expect(numbersOf(index, { q: "สมชาย ขยัน" })).toEqual([]);
    expect(numbersOf(index, { q: "อันตราย ทุ่งทอง" })).toEqual([hazardActivity.number]);
    expect(numbersOf(index, { q: "ไม่มีคำนี้ สมชาย" })).toEqual([]);
  });

  it("completes the last word, even an unfinished Thai word the segmenter splits", () => {
    expect(numbersOf(index, { q: "สมช" })).toEqual([somchai.number]);
    expect(numbersOf(index, { q: "นายสมช" })).toEqual([somchai.number]);
    expect(numbersOf(index, { q: "เมืองนนท" }).sort()).toEqual([somchai.number, foodShop.number].sort());
    // Only the last word is a prefix.
    expect(numbersOf(index, { q: "สมช ใจดี" })).toEqual([]);
  });

  it("forgives a typo in a long Latin word but not in Thai", () => {
    const latin = indexOf(permitFixture({ number: "SKJ-FD-2569-00100", businessName: "Golden Smile Cafe" }), somchai);
    expect(numbersOf(latin, { q: "goldan" })).toEqual(["SKJ-FD-2569-00100"]);
    expect(numbersOf(latin, { q: "สมชัย" })).toEqual([]);
  });

  it("gives a filter-only listing for a query without words", () => {
    expect(index.search(query({ q: " - " }), TODAY).total).toBe(3);
  });

  it("makes a registry entry of the public fields only", () => {
    const stored = permitFixture({ number: "SKJ-HH-2569-00077", caseId: "case-1", effectId: "effect-1", serviceSlug: "sukjai-hh" });
    const entry = toRegistryEntry(stored);
    for (const key of ["caseId", "effectId", "serviceSlug", "signature", "history", "rev", "createdAt", "updatedAt"]) expect(entry).not.toHaveProperty(key);
    expect(entry).toMatchObject({ number: "SKJ-HH-2569-00077", holderName: stored.holderName, details: stored.details });
  });
});

describe("PermitSearchIndex: permit numbers", () => {
  const near = permitFixture({ number: "SKJ-HH-2569-000120", holderName: "นายสมชาย ใจดี" });
  const mention = permitFixture({
    number: "SKJ-HH-2569-00500",
    businessName: "SKJ HH 2569 00012 SKJ HH 2569 00012",
    holderName: "นายชัยวัฒน์ SKJ HH 2569 00012",
  });
  const index = indexOf(near, mention, somchai, foodShop);

  it("puts the permit with exactly that number first, in any letter case", () => {
    for (const q of ["SKJ-HH-2569-00012", "skj-hh-2569-00012", "Skj-Hh-2569-00012"]) {
      const numbers = numbersOf(index, { q });
      expect(numbers[0]).toBe(somchai.number);
      expect(numbers).toContain(mention.number);
      expect(numbers).toContain(near.number);
      expect(numbers).toHaveLength(3);
    }
  });

  it("finds numbers by their parts", () => {
    expect(numbersOf(index, { q: "2569-00003" })).toEqual([foodShop.number]);
    expect(numbersOf(index, { q: "fd" })).toEqual([foodShop.number]);
  });

  it("leaves no score behind: after number queries, later searches answer as on a fresh index", () => {
    // The query's slots live in scratch reused by every search (ADR 027); the exact number is taken out of
    // it in place, and its score must still be cleared, or the next search that matches it leaves it out.
    const used = indexOf(near, mention, somchai, foodShop);
    numbersOf(used, { q: somchai.number });
    numbersOf(used, { q: somchai.number.toLowerCase(), page: 2, pageSize: 1 });
    const fresh = indexOf(near, mention, somchai, foodShop);
    for (const q of ["ใจดี", "สมชาย", "skj hh", "2569", somchai.number, ""]) {
      expect(used.search(query({ q }), TODAY)).toEqual(fresh.search(query({ q }), TODAY));
    }
  });

  it("still applies the filters to the exact number", () => {
    expect(numbersOf(index, { q: somchai.number, status: "revoked" })).toEqual([]);
    expect(numbersOf(index, { q: somchai.number, agency: "sukjai" })[0]).toBe(somchai.number);
  });
});

describe("PermitSearchIndex: filters", () => {
  const expiredByDate = permitFixture({ number: "SKJ-HH-2568-00001", issuedOn: "2025-01-15", validFrom: "2025-01-15", validUntil: "2026-01-14" });
  const suspended = permitFixture({ number: "SKJ-HH-2569-00002", status: "suspended", statusReason: "ไม่ปฏิบัติตามเงื่อนไข" });
  const revoked = permitFixture({ number: "SKJ-HH-2569-00003", status: "revoked" });
  const renewed = permitFixture({ number: "SKJ-HH-2568-00004", status: "renewed", validUntil: "2025-12-31" });
  const index = indexOf(somchai, foodShop, hazardActivity, expiredByDate, suspended, revoked, renewed);
  const all = (q: Partial<RegistryQuery>, today = TODAY) => numbersOf(index, { ...q, pageSize: 100 }, today).sort();

  it("filters by agency, permit type, province and district", () => {
    expect(all({ agency: "thungthong" })).toEqual([hazardActivity.number]);
    expect(all({ agency: "nowhere" })).toEqual([]);
    expect(all({ type: "FD" })).toEqual([foodShop.number, hazardActivity.number].sort());
    expect(all({ province: "นครราชสีมา" })).toEqual([hazardActivity.number]);
    expect(all({ district: "เมืองนนทบุรี" })).toHaveLength(6);
    expect(all({ province: "นนทบุรี", type: "FD" })).toEqual([foodShop.number]);
    expect(all({ province: "ภูเก็ต" })).toEqual([]);
  });

  it("filters by the effective status: a valid permit past its last day is expired", () => {
    expect(all({ status: "expired" })).toEqual([expiredByDate.number, hazardActivity.number].sort());
    expect(all({ status: "valid" })).toEqual([somchai.number, foodShop.number].sort());
    expect(all({ status: "suspended" })).toEqual([suspended.number]);
    expect(all({ status: "revoked" })).toEqual([revoked.number]);
    // Renewed stays renewed whatever its dates.
    expect(all({ status: "renewed" })).toEqual([renewed.number]);
    expect(all({ status: "valid" })).not.toContain(expiredByDate.number);
  });

  it("counts the last valid day as valid", () => {
    expect(all({ status: "valid" }, "2026-01-14")).toContain(expiredByDate.number);
    expect(all({ status: "expired" }, "2026-01-15")).toContain(expiredByDate.number);
  });

  it("combines words and filters", () => {
    expect(all({ q: "อันตราย", status: "expired" })).toEqual([expiredByDate.number, hazardActivity.number].sort());
    expect(all({ q: "อันตราย", province: "นนทบุรี", status: "suspended" })).toEqual([suspended.number]);
  });
});

describe("PermitSearchIndex: order and pages", () => {
  // 45 permits with the same words, issued on 9 days, 5 a day.
  const permits = Array.from({ length: 45 }, (_, i) =>
    permitFixture({
      number: `SKJ-FD-2569-${String(100 + ((i * 7) % 45)).padStart(5, "0")}`,
      typeCode: "FD",
      businessName: "ร้านอาหารตามสั่ง",
      issuedOn: `2026-0${1 + (i % 9)}-10`,
      validFrom: `2026-0${1 + (i % 9)}-10`,
    }),
  );
  const index = indexOf(...permits);
  const expected = [...permits].sort((a, b) => (a.issuedOn !== b.issuedOn ? (a.issuedOn < b.issuedOn ? 1 : -1) : a.number < b.number ? -1 : 1)).map((p) => p.number);

  it("lists newest issue date first, then by number, across pages", () => {
    const pages = [1, 2, 3].map((page) => index.search(query({ page }), TODAY));
    expect(pages.map((p) => p.total)).toEqual([45, 45, 45]);
    expect(pages.map((p) => p.numbers.length)).toEqual([20, 20, 5]);
    expect(pages.flatMap((p) => p.numbers)).toEqual(expected);
    expect(index.search(query({ page: 4 }), TODAY)).toMatchObject({ numbers: [], total: 45, page: 4, pageSize: 20 });
  });

  it("breaks equal scores the same way, so pages of a word search neither repeat nor skip", () => {
    const pages = [1, 2, 3].map((page) => numbersOf(index, { q: "ตามสั่ง", page }));
    expect(pages.flat()).toEqual(expected);
    expect(numbersOf(index, { q: "ตามสั่ง", page: 2 })).toEqual(pages[1]);
  });

  it("gives every match at once, in page order, for exports", () => {
    const pages = [1, 2, 3].flatMap((page) => numbersOf(index, { q: "ตามสั่ง", page }));
    expect(index.searchAll(query({ q: "ตามสั่ง", page: 2, pageSize: 5 }), TODAY)).toEqual(pages);
    expect(index.searchAll(query(), TODAY)).toEqual(expected);
    expect(index.search(query({ q: "ตามสั่ง", page: 9 }), TODAY)).toMatchObject({ numbers: [], total: 45 });
  });

  it("ranks a better match first", () => {
    const named = permitFixture({ number: "SKJ-FD-2569-00999", holderName: "นายตามสั่ง อร่อยดี", businessName: "ร้านอาหารตามสั่ง" });
    const withNamed = indexOf(...permits, named);
    expect(numbersOf(withNamed, { q: "ตามสั่ง" })[0]).toBe(named.number);
  });

  it("orders thousands of equal hits the same way as a full sort", () => {
    const many = Array.from({ length: 2_600 }, (_, i) =>
      permitFixture({ number: `SKJ-HH-2569-${String(i).padStart(5, "0")}`, issuedOn: `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, "0")}` }),
    );
    const big = indexOf(...many);
    const order = [...many].sort((a, b) => (a.issuedOn !== b.issuedOn ? (a.issuedOn < b.issuedOn ? 1 : -1) : a.number < b.number ? -1 : 1)).map((p) => p.number);
    expect(numbersOf(big, { q: "ใจดี", page: 1, pageSize: 100 })).toEqual(order.slice(0, 100));
    expect(numbersOf(big, { q: "ใจดี", page: 26, pageSize: 100 })).toEqual(order.slice(2_500, 2_600));
    expect(big.search(query({ q: "ใจดี" }), TODAY).total).toBe(2_600);
  });
});

describe("PermitSearchIndex: updates", () => {
  it("replaces the entry of a number: old words no longer match", () => {
    const index = indexOf(somchai, foodShop);
    index.upsert([{ ...somchai, holderName: "นายประเสริฐ มั่นคง", businessName: "ร้านประเสริฐยนต์" }]);
    expect(index.size).toBe(2);
    expect(numbersOf(index, { q: "สมชาย" })).toEqual([]);
    expect(numbersOf(index, { q: "ประเสริฐ" })).toEqual([somchai.number]);
    expect(index.publicHashOf(somchai.number)).toBe(publicHash({ ...somchai, holderName: "นายประเสริฐ มั่นคง", businessName: "ร้านประเสริฐยนต์" }));
    expect(index.search(query(), TODAY).total).toBe(2);
  });

  it("applies a status change without touching the words", () => {
    const index = indexOf(somchai, foodShop);
    index.upsert([{ ...somchai, status: "suspended", statusReason: "ร้องเรียนเรื่องเสียง" }]);
    expect(numbersOf(index, { status: "suspended" })).toEqual([somchai.number]);
    expect(numbersOf(index, { status: "valid" })).toEqual([foodShop.number]);
    expect(numbersOf(index, { q: "สมชาย" })).toEqual([somchai.number]);
    expect(index.publicHashOf(somchai.number)).toBe(publicHash({ ...somchai, status: "suspended", statusReason: "ร้องเรียนเรื่องเสียง" }));
    expect(index.publicHashOf(somchai.number)).not.toBe(publicHash(somchai));
  });

  it("keeps one entry when the same permits are upserted again", () => {
    const index = indexOf(somchai, foodShop);
    index.upsert([somchai, foodShop, somchai]);
    expect(index.size).toBe(2);
    expect(index.search(query({ q: "สมชาย" }), TODAY).total).toBe(1);
  });

  it("removes permits", () => {
    const index = indexOf(somchai, foodShop, hazardActivity);
    index.remove([somchai.number, "NOT-A-NUMBER"]);
    expect(index.size).toBe(2);
    expect(index.has(somchai.number)).toBe(false);
    expect(index.publicHashOf(somchai.number)).toBeUndefined();
    expect(numbersOf(index, { q: "สมชาย" })).toEqual([]);
    expect(numbersOf(index, { q: somchai.number })).toEqual([]);
    expect(index.search(query(), TODAY).total).toBe(2);
    index.upsert([somchai]);
    expect(numbersOf(index, { q: "สมชาย" })).toEqual([somchai.number]);
  });

  it("stays correct across the compaction of many rewritten permits", () => {
    const permits = Array.from({ length: 3_000 }, (_, i) => permitFixture({ number: `SKJ-HH-2569-${String(i).padStart(5, "0")}`, businessName: "ร้านค้า" }));
    const index = indexOf(...permits);
    // Rewrite a third of them (compaction runs past a tenth), then remove some and add new ones in the freed slots.
    index.upsert(permits.slice(0, 1_000).map((p) => ({ ...p, holderName: "นายวีระ กล้าหาญ" })));
    index.remove(permits.slice(2_900).map((p) => p.number));
    index.upsert(Array.from({ length: 50 }, (_, i) => permitFixture({ number: `SKJ-HH-2569-9${String(i).padStart(4, "0")}`, holderName: "นางสาวนภา ใจดี", businessName: "ร้านค้า" })));
    expect(index.size).toBe(2_950);
    expect(index.search(query({ q: "สมชาย" }), TODAY).total).toBe(1_900);
    expect(index.search(query({ q: "กล้าหาญ" }), TODAY).total).toBe(1_000);
    expect(index.search(query({ q: "นภา" }), TODAY).total).toBe(50);
    expect(index.search(query({ q: "ใจดี" }), TODAY).total).toBe(1_950);
    expect(index.search(query(), TODAY).total).toBe(2_950);
  });
});

describe("PermitSearchIndex: snapshots", () => {
  const many = Array.from({ length: 1_500 }, (_, i) =>
    permitFixture({
      number: `SKJ-HH-2569-${String(i).padStart(5, "0")}`,
      holderName: i % 3 === 0 ? "นางสาวนภา ใจดี" : "นายสมชาย ใจดี",
      businessName: i % 2 === 0 ? "ร้านค้า" : "ร้านอาหารตามสั่ง",
      issuedOn: `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, "0")}`,
      status: i % 7 === 0 ? "suspended" : "valid",
    }),
  );
  const queries: Partial<RegistryQuery>[] = [
    {},
    { q: "ใจดี", page: 3, pageSize: 50 },
    { q: "นภา" },
    { q: "ตามส" },
    { q: "SKJ-HH-2569-00042" },
    { status: "suspended", page: 2 },
    { q: "ร้าน", agency: "sukjai", status: "valid", pageSize: 100 },
  ];
  const answers = (index: PermitSearchIndex) => queries.map((q) => index.search(query(q), TODAY));

  function withHistory(): PermitSearchIndex {
    const index = indexOf(...many);
    // Rewritten words, removals and status changes: dead slots, free slots and moved columns in the image.
    index.upsert(many.slice(0, 200).map((p) => ({ ...p, holderName: "นายวีระ กล้าหาญ" })));
    index.remove(many.slice(1_400).map((p) => p.number));
    index.upsert(many.slice(300, 310).map((p) => ({ ...p, status: "revoked" as const })));
    return index;
  }

  it("answers every query the same after a round trip through its image", () => {
    const original = withHistory();
    const loaded = PermitSearchIndex.fromSnapshot(original.toSnapshot());
    expect(loaded.size).toBe(original.size);
    expect(answers(loaded)).toEqual(answers(original));
    expect(loaded.publicHashOf(many[5].number)).toBe(original.publicHashOf(many[5].number));
  });

  it("keeps taking updates after loading, like the index it was taken from", () => {
    const original = withHistory();
    const loaded = PermitSearchIndex.fromSnapshot(original.toSnapshot());
    const changes = (index: PermitSearchIndex) => {
      index.upsert([{ ...many[500], holderName: "นายใหม่ ล่าสุด" }, { ...many[501], status: "suspended" }]);
      index.upsert(Array.from({ length: 120 }, (_, i) => permitFixture({ number: `NEW-HH-2569-${String(i).padStart(5, "0")}`, holderName: "นางใหม่ มาแล้ว" })));
      index.remove([many[502].number]);
    };
    changes(original);
    changes(loaded);
    expect(answers(loaded)).toEqual(answers(original));
    expect(loaded.search(query({ q: "ใหม่" }), TODAY).total).toBe(121);
    expect(loaded.search(query({ q: many[502].number }), TODAY).numbers).not.toContain(many[502].number);
  });

  it("loads from an image that is not 8-byte aligned in its buffer", () => {
    const image = withHistory().toSnapshot();
    const shifted = new Uint8Array(image.length + 3);
    shifted.set(image, 3);
    expect(answers(PermitSearchIndex.fromSnapshot(shifted.subarray(3)))).toEqual(answers(withHistory()));
  });

  it("refuses bytes that are not a snapshot", () => {
    expect(() => PermitSearchIndex.fromSnapshot(new TextEncoder().encode("not a snapshot at all"))).toThrow(/not a snapshot/);
  });

  /** The image fed to `snapshotReader` in pieces of `size` bytes (the last one shorter). */
  function readInPieces(image: Uint8Array, size: number, bytes = image.length): PermitSearchIndex {
    const reader = PermitSearchIndex.snapshotReader(bytes);
    for (let at = 0; at < image.length; at += size) reader.write(image.subarray(at, Math.min(image.length, at + size)));
    return reader.finish();
  }

  it("loads the same index from its image read piece by piece, whatever the pieces' size, and keeps taking updates", () => {
    const original = withHistory();
    const image = original.toSnapshot();
    // 1 and 7 bytes: pieces that split the prefix, the header, the padding and every section.
    for (const size of [1, 7, 4096, image.length]) expect(answers(readInPieces(image, size))).toEqual(answers(original));
    const loaded = readInPieces(image, 65_536);
    expect(loaded.size).toBe(original.size);
    expect(loaded.publicHashOf(many[5].number)).toBe(original.publicHashOf(many[5].number));
    for (const index of [original, loaded]) {
      index.upsert([{ ...many[500], holderName: "นายใหม่ ล่าสุด" }, ...Array.from({ length: 40 }, (_, i) => permitFixture({ number: `NEW-HH-2569-${String(i).padStart(5, "0")}` }))]);
    }
    expect(answers(loaded)).toEqual(answers(original));
  });

  it("refuses a piecewise image that is cut short, longer than announced or of another version", () => {
    const image = withHistory().toSnapshot();
    expect(() => readInPieces(image.subarray(0, image.length - 1), 4096, image.length)).toThrow(/cut short/);
    expect(() => readInPieces(image, 4096, image.length - 1)).toThrow(/longer than announced/);
    const other = image.slice();
    new DataView(other.buffer).setUint32(4, 1, true);
    expect(() => readInPieces(other, 4096)).toThrow(/another version/);
    expect(() => readInPieces(new TextEncoder().encode("not a snapshot at all"), 5)).toThrow(/not a snapshot/);
  });
});
