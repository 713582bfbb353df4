// The inbox search's one-word shortcut (decision 022) and its paged reading of several words (decision 025) answer exactly as reading `limit × 4` terms per word did:
// generated cases whose names share prefixes ("สม", "สมชาย", "ab", "abc"…), every prefix and pair of words as a
// query, small limits so the caps are reached, compared with the reading it replaces, written out here.
import mongoose, { Types } from "mongoose";
import { beforeAll, describe, expect, it } from "vitest";
import { searchTokens } from "~/core/registry/thai-tokens";
import { indexCaseForSearch, searchCaseIds, type SearchableCase } from "~/models/case-search.server";
import { seededRandom } from "../../scripts/seeded-random";
import { withTestDatabase } from "../support/db";

withTestDatabase({ seed: false });

const A = "agency-paging-a";
const B = "agency-paging-b";
const WORDS = ["สม", "สมชาย", "สมศรี", "สมใจ", "ใจดี", "ab", "abc", "abd", "abcd", "b", "cafe", "x1", "x12"];

/** The reading before decision 022: `limit × 4` terms per word, intersected, newest first (a whole tracking number aside). */
async function reference(agencyId: string, query: string, limit: number) {
  const terms = mongoose.connection.collection<{ _id: string }>("casesearchterms");
  const words = [...new Set(searchTokens(query))].filter((w) => !w.includes("|")).slice(0, 5);
  if (words.length === 0) return { ids: [], capped: false };
  // Since decision 025 a whole tracking number is looked up as the one word it is also indexed as.
  const whole = query.trim().toLowerCase();
  if (words.length > 1 && !/\s|\|/.test(whole)) {
    const exact = await terms.find({ _id: { $gte: `${agencyId}|${whole}|`, $lt: `${agencyId}|${whole}|\uffff` } }).sort({ _id: -1 }).toArray();
    const ids = exact.map((t) => t._id.slice(t._id.lastIndexOf("|") + 1));
    if (ids.length > 0) return { ids: ids.slice(0, limit), capped: ids.length > limit };
  }
  let capped = false;
  const perWord = await Promise.all(
    words.map(async (word) => {
      const from = `${agencyId}|${word}`;
      const found = await terms.find({ _id: { $gte: from, $lt: `${from}\uffff` } }).sort({ _id: -1 }).limit(limit * 4).toArray();
      if (found.length === limit * 4) capped = true;
      return new Set(found.map((t) => t._id.slice(t._id.lastIndexOf("|") + 1)));
    }),
  );
  const [first, ...rest] = perWord;
  const ids = [...first!].filter((id) => rest.every((set) => set.has(id)) && Types.ObjectId.isValid(id));
  ids.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  if (ids.length > limit) capped = true;
  return { ids: ids.slice(0, limit), capped };
}

beforeAll(async () => {
  const rnd = seededRandom(31);
  const word = () => WORDS[Math.floor(rnd() * rnd() * WORDS.length)]!;
  const cases: SearchableCase[] = Array.from({ length: 400 }, (_, i) => ({
    _id: new Types.ObjectId(),
    agencyId: rnd() < 0.8 ? A : B,
    trackingNumber: `PG-${String(i).padStart(5, "0")}`,
    summary: { applicantName: `${word()} ${word()}`, subject: rnd() < 0.5 ? word() : "" },
  }));
  await indexCaseForSearch(cases);
}, 120_000);

describe("inbox search, one word and several", () => {
  it("answers as reading limit × 4 terms per word did, for every prefix, pair and cap", async () => {
    const prefixes = [...new Set(WORDS.flatMap((w) => [...w].map((_, i) => w.slice(0, i + 1))))];
    // Words that are the prefix of no other word: their pairs and triples take the paged reading (decision 025).
    const single = ["ใจดี", "b", "cafe", "abd", "สมศรี", "x12", "abcd"];
    const singlePairs = single.flatMap((w, i) => single.slice(i + 1).flatMap((v, j) => [`${w} ${v}`, `${w} ${v} ${single[(i + j + 3) % single.length]}`]));
    const queries = [...prefixes, "zzz", "PG-00007", "pg-0001", ...WORDS.flatMap((w, i) => [`${w} ${WORDS[(i + 3) % WORDS.length]}`]), ...singlePairs];
    let shortcut = 0;
    let capped = 0;
    for (const limit of [1, 2, 3, 5, 10, 25, 60, 500]) {
      for (const q of queries) {
        const got = await searchCaseIds(A, q, limit);
        expect({ q, limit, ...got }).toEqual({ q, limit, ...(await reference(A, q, limit)) });
        if (got.capped) capped++;
        if (got.ids.length === limit && !q.includes(" ")) shortcut++;
      }
    }
    // The generator reaches capped answers, full pages and empty ones.
    expect(capped).toBeGreaterThan(20);
    expect(shortcut).toBeGreaterThan(20);
  }, 240_000);
});

describe("inbox search, several common words (the paged reading, decision 025)", () => {
  const C = "agency-paging-c";
  beforeAll(async () => {
    // Words found together in most names (as "ผู้ยื่น" in the bench's), one in half of them, a rare one, one in the
    // newest 60 cases only (all of which also hold "พิเศษ"), and a few terms whose case id is not an ObjectId (they
    // sort above every ObjectId and count in the caps only).
    const rnd = seededRandom(47);
    const cases = Array.from({ length: 300 }, (_, i): SearchableCase => ({
      _id: i % 37 === 5 ? `zz-not-an-id-${String(i).padStart(3, "0")}` : new Types.ObjectId(),
      agencyId: C,
      trackingNumber: `PC-${String(i).padStart(5, "0")}`,
      summary: {
        applicantName: [rnd() < 0.9 ? "ผู้ยื่น" : "คนอื่น", rnd() < 0.5 ? "ทดสอบ" : "", rnd() < 0.08 ? "หายาก" : "", i >= 240 ? "ใหม่ พิเศษ" : rnd() < 0.4 ? "พิเศษ" : ""].join(" "),
        subject: rnd() < 0.7 ? "ร้านค้า" : "",
      },
    }));
    await indexCaseForSearch(cases);
  }, 120_000);

  it("answers as reading limit × 4 terms per word did, whether it stops early or reads on", async () => {
    const queries = ["ผู้ยื่น", "ผู้ยื่น ทดสอบ", "ยื่น ร้านค้า", "ผู้ยื่น ร้านค้า ทดสอบ", "ทดสอบ หายาก", "ผู้ยื่น หายาก", "ร้านค้า หายาก", "ใหม่ พิเศษ", "พิเศษ ทดสอบ ใหม่", "ยื่น คนอื่น", "ผู้ยื่น pc"];
    let capped = 0;
    let full = 0;
    for (const q of queries) {
      // Limits around the number of matches too: one match more than the limit is what makes an answer capped.
      const all = (await reference(C, q, 10_000)).ids.length;
      for (const limit of new Set([1, 2, 3, 4, 5, 6, 7, 10, 13, 16, 25, 40, 60, 75, 100, 500, Math.max(1, all - 1), Math.max(1, all), all + 1])) {
        const got = await searchCaseIds(C, q, limit);
        expect({ q, limit, ...got }).toEqual({ q, limit, ...(await reference(C, q, limit)) });
        if (got.capped) capped++;
        if (got.ids.length === limit) full++;
      }
    }
    expect(capped).toBeGreaterThan(30);
    expect(full).toBeGreaterThan(30);
  }, 240_000);
});
