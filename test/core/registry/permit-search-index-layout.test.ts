/**
 * The index's compact layout (number lookup by bisection of a sorted slot array + the slots added since,
 * 16-bit codes, 32-bit hashes) checked against a straightforward reference over generated permits, through
 * a history of imports, status changes, rewritten words, removals, re-additions, compactions and image
 * round trips. The reference is a plain Map of entries and brute-force scans; ranked pages are compared
 * with an index built afresh from the same permits (scores depend on the whole collection only).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { StoredPermit } from "~/core/permits/types";
import { PermitSearchIndex, publicHash, SNAPSHOT_VERSION, snapshotVersionOf } from "~/core/registry/permit-search-index";
import type { RegistryQuery } from "~/core/registry/registry-query";
import { searchTokens } from "~/core/registry/thai-tokens";
import { loadThaiAddressBook } from "~/core/thai/address";
import { createPermitGenerator, type PermitGenerator } from "../../support/permits";
import { seededRandom } from "../../../scripts/seeded-random";

const TODAY = "2026-11-25";
const query = (q: Partial<RegistryQuery> = {}): RegistryQuery => ({ q: "", page: 1, pageSize: 20, ...q });
const STATUSES = ["valid", "suspended", "revoked", "renewed"] as const;

/** The reference: the live permits by number, and every number ever held. */
class Reference {
  readonly permits = new Map<string, StoredPermit>();
  readonly ever = new Set<string>();
  upsert(list: StoredPermit[]) {
    for (const p of list) {
      this.permits.set(p.number, p);
      this.ever.add(p.number);
    }
  }
  remove(numbers: string[]) {
    for (const n of numbers) this.permits.delete(n);
  }
  /** Filter-only listing: every filter, then newest issue date first and by number. */
  list(q: RegistryQuery): { numbers: string[]; total: number } {
    const matches = [...this.permits.values()]
      .filter((p) => this.accepts(p, q))
      .sort((a, b) => (a.issuedOn !== b.issuedOn ? (a.issuedOn < b.issuedOn ? 1 : -1) : a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
    const start = (q.page - 1) * q.pageSize;
    return { numbers: matches.slice(start, start + q.pageSize).map((p) => p.number), total: matches.length };
  }
  accepts(p: StoredPermit, q: RegistryQuery): boolean {
    if (q.agency !== undefined && p.agencyId !== q.agency) return false;
    if (q.type !== undefined && p.typeCode !== q.type) return false;
    if (q.province !== undefined && p.address.province !== q.province) return false;
    if (q.district !== undefined && p.address.district !== q.district) return false;
    if (q.status === "valid") return p.status === "valid" && p.validUntil >= TODAY;
    if (q.status === "expired") return p.status === "valid" && p.validUntil < TODAY;
    if (q.status !== undefined) return p.status === q.status;
    return true;
  }
  /** The numbers a one-token Thai query matches: a word of the permit starting with it (the last word is a prefix). */
  prefixMatches(token: string, q: RegistryQuery): Set<string> {
    const out = new Set<string>();
    for (const p of this.permits.values()) {
      if (!this.accepts(p, q)) continue;
      const text = [p.number, p.holderName, p.businessName, p.activity, `${p.typeName.th} ${p.typeName.en}`, p.address.text].join(" ");
      if (searchTokens(text).some((t) => t.startsWith(token))) out.add(p.number);
    }
    return out;
  }
}

describe("PermitSearchIndex: compact layout against a reference", () => {
  let generator: PermitGenerator;
  beforeAll(async () => {
    generator = createPermitGenerator(await loadThaiAddressBook(), { seed: 7 });
  });

  it("answers like the reference through imports, changes, removals, compactions and images", { timeout: 180_000 }, () => {
    const random = seededRandom(12);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const reference = new Reference();
    let index = new PermitSearchIndex();
    const first = Array.from({ length: 2_500 }, () => generator.next());
    index.upsert(first);
    reference.upsert(first);

    const live = () => [...reference.permits.values()];
    const removed: StoredPermit[] = [];
    const tokens = [...new Set(first.slice(0, 300).flatMap((p) => searchTokens(`${p.holderName} ${p.businessName}`)))].filter(
      (t) => /^[\u0E00-\u0E7F]{2,}$/.test(t),
    );

    const check = (label: string) => {
      expect(index.size, label).toBe(reference.permits.size);
      for (const number of reference.ever) {
        const permit = reference.permits.get(number);
        expect(index.has(number), `${label}: has ${number}`).toBe(permit !== undefined);
        expect(index.publicHashOf(number), `${label}: hash of ${number}`).toBe(permit ? publicHash(permit) : undefined);
      }
      const sample = live();
      const filters: Partial<RegistryQuery>[] = [
        {},
        { agency: pick(sample).agencyId },
        { province: pick(sample).address.province, status: "valid" },
        { district: pick(sample).address.district },
        { type: pick(sample).typeCode, status: "expired" },
        { agency: pick(sample).agencyId, status: pick(STATUSES) },
        { agency: "no-such-agency" },
        // Filter-only listings read the smallest group (agency, province, district, stored status) in listing order.
        { status: pick(STATUSES) },
        { status: "expired" },
        { district: pick(sample).address.district, status: "valid" },
        { agency: pick(sample).agencyId, province: pick(sample).address.province },
        { agency: pick(sample).agencyId, type: pick(sample).typeCode, status: "expired" },
        { province: "no-such-province", status: "valid" },
      ];
      for (const filter of filters) {
        for (const page of [1, 2, 7]) {
          const q = query({ ...filter, page, pageSize: 25 });
          const got = index.search(q, TODAY);
          const want = reference.list(q);
          expect({ numbers: got.numbers, total: got.total }, `${label}: ${JSON.stringify(q)}`).toEqual(want);
        }
      }
      for (let i = 0; i < 12; i++) {
        const token = pick(tokens);
        const filter = i % 3 === 0 ? { province: pick(sample).address.province } : i % 3 === 1 ? { status: "suspended" as const } : {};
        const q = query({ q: token, ...filter });
        const all = index.searchAll(q, TODAY);
        expect(new Set(all), `${label}: "${token}" ${JSON.stringify(filter)}`).toEqual(reference.prefixMatches(token, q));
        expect(all.length).toBe(index.search(q, TODAY).total);
      }
      // One-term queries read by score class (impactMinimum lowered) answer as the full scan and ranking does,
      // on every page, through changes (dead postings, moved slots) since the classes were grouped.
      for (const q of [
        query({ q: "ร้าน" }),
        query({ q: "ร้าน", page: 3, pageSize: 7 }),
        query({ q: "ร้าน", page: 40, pageSize: 25 }),
        query({ q: pick(tokens), page: 2, pageSize: 5 }),
        query({ q: pick(tokens) }),
        query({ q: pick(tokens), page: 1_000 }),
      ]) {
        PermitSearchIndex.impactMinimum = Infinity;
        const scanned = index.search(q, TODAY);
        const scannedAll = index.searchAll(q, TODAY);
        PermitSearchIndex.impactMinimum = 1;
        try {
          expect(index.search(q, TODAY), `${label}: by score class ${JSON.stringify(q)}`).toEqual(scanned);
          expect(index.searchAll(q, TODAY), `${label}: all by score class ${JSON.stringify(q)}`).toEqual(scannedAll);
        } finally {
          PermitSearchIndex.impactMinimum = 20_000;
        }
      }
      // A permit number puts that permit first; a removed one is not found.
      const target = pick(sample);
      expect(index.search(query({ q: target.number }), TODAY).numbers[0]).toBe(target.number);
      expect(index.search(query({ q: target.number.toLowerCase() }), TODAY).numbers[0]).toBe(target.number);
      if (removed.length) {
        const gone = pick(removed).number;
        if (!reference.permits.has(gone)) expect(index.search(query({ q: gone }), TODAY).numbers).not.toContain(gone);
      }
    };
    /** Ranked pages equal an index built afresh from the same permits (after compaction, as scores count dead postings). */
    const checkRanking = (label: string) => {
      const fresh = new PermitSearchIndex();
      fresh.upsert(live());
      const queries = [
        ...tokens.slice(0, 15).map((t) => query({ q: t })),
        query({ q: `${tokens[3]} ${tokens[4]}` }),
        query({ q: tokens[5], page: 3, pageSize: 10 }),
        query({ q: "ร้าน", page: 4 }),
        query({ q: "ร้าน", status: "valid", pageSize: 100 }),
        query({ q: pick(live()).number }),
      ];
      for (const q of queries) expect(index.search(q, TODAY), `${label}: ${JSON.stringify(q)}`).toEqual(fresh.search(q, TODAY));
    };

    check("built");
    checkRanking("built");

    // Through an image: the numbers' order comes from the image.
    index = PermitSearchIndex.fromSnapshot(index.toSnapshot());
    check("loaded");

    for (let round = 0; round < 4; round++) {
      const current = live();
      // Status changes (columns only), rewritten words (new slots, dead ones), removals, re-additions, imports.
      const statusChanged = Array.from({ length: 40 }, () => ({ ...pick(current), status: pick(STATUSES), statusReason: `r${round}` }));
      const rewritten = Array.from({ length: round === 2 ? 1_200 : 60 }, () => ({ ...pick(current), holderName: `นายทดสอบ รอบที่${round} ${Math.floor(random() * 1e6)}` }));
      const gone = Array.from({ length: 50 }, () => pick(current));
      const back = removed.splice(0, 20).map((p) => ({ ...p, businessName: `${p.businessName} ใหม่` }));
      const imported = Array.from({ length: 150 }, () => generator.next());
      // Moved to another agency, province and district with the same words: only columns change (the groups too).
      const moved = Array.from({ length: 30 }, () => {
        const to = pick(current);
        return { ...pick(current), agencyId: to.agencyId, address: { ...to.address, text: "" }, statusReason: `m${round}` };
      }).map((p) => ({ ...p, address: { ...p.address, text: reference.permits.get(p.number)!.address.text } }));
      for (const batch of [statusChanged, moved, rewritten]) {
        index.upsert(batch);
        reference.upsert(batch);
        // A listing between the batches builds groups that the next batch makes stale.
        const q = query({ agency: pick(batch).agencyId, status: pick(STATUSES), pageSize: 10 });
        expect(index.search(q, TODAY), `round ${round}: ${JSON.stringify(q)}`).toMatchObject(reference.list(q));
        const r = query({ status: pick(STATUSES), district: pick(batch).address.district, page: 2, pageSize: 10 });
        expect(index.search(r, TODAY), `round ${round}: ${JSON.stringify(r)}`).toMatchObject(reference.list(r));
        // Every listing a changed permit now belongs to, in full (a stale group would miss it or keep it elsewhere).
        for (const p of batch.slice(0, 8)) {
          const now = reference.permits.get(p.number)!;
          const status = now.status === "valid" && now.validUntil < TODAY ? ("expired" as const) : now.status;
          for (const filter of [{ agency: now.agencyId }, { province: now.address.province }, { district: now.address.district }, { status }]) {
            const all = query({ ...filter, pageSize: 1_000_000 });
            expect(index.searchAll(all, TODAY), `round ${round}: ${p.number} in ${JSON.stringify(filter)}`).toEqual(reference.list(all).numbers);
          }
        }
      }
      index.remove(gone.map((p) => p.number));
      reference.remove(gone.map((p) => p.number));
      removed.push(...gone.filter((p) => !reference.permits.has(p.number)));
      index.upsert([...back, ...imported]);
      reference.upsert([...back, ...imported]);
      check(`round ${round}`);
      if (round === 1) {
        index = PermitSearchIndex.fromSnapshot(index.toSnapshot());
        check(`round ${round}, loaded`);
        checkRanking(`round ${round}, loaded`);
      }
    }
    index.toSnapshot();
    checkRanking("compacted");
  });

  it("widens a filter column past 65,535 codes and keeps answering", { timeout: 180_000 }, () => {
    const index = new PermitSearchIndex();
    const base = generator.next();
    const list = Array.from({ length: 66_000 }, (_, i) => ({ ...base, number: `WIDE-${String(i).padStart(6, "0")}`, agencyId: `agency-${i}` }));
    index.upsert(list);
    const last = list[list.length - 1];
    expect(index.search(query({ agency: last.agencyId }), TODAY).numbers).toEqual([last.number]);
    const loaded = PermitSearchIndex.fromSnapshot(index.toSnapshot());
    expect(loaded.search(query({ agency: last.agencyId }), TODAY).numbers).toEqual([last.number]);
    expect(loaded.search(query({ agency: list[5].agencyId }), TODAY).numbers).toEqual([list[5].number]);
  });

  it("refuses an image of the previous layout (version 1), naming its version", () => {
    const image = new PermitSearchIndex().toSnapshot();
    expect(snapshotVersionOf(image)).toBe(SNAPSHOT_VERSION);
    const old = image.slice();
    new DataView(old.buffer).setUint32(4, 1, true);
    expect(snapshotVersionOf(old)).toBe(1);
    expect(() => PermitSearchIndex.fromSnapshot(old)).toThrow(/another version/);
    expect(snapshotVersionOf(new TextEncoder().encode("not a snapshot at all"))).toBe(0);
  });
});
