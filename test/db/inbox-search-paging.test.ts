// The inbox search's one-word shortcut (decision 022) answers exactly as reading `limit × 4` terms per word did:
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

/** The reading before decision 022: `limit × 4` terms per word, intersected, newest first. */
async function reference(agencyId: string, query: string, limit: number) {
  const terms = mongoose.connection.collection<{ _id: string }>("casesearchterms");
  const words = [...new Set(searchTokens(query))].filter((w) => !w.includes("|")).slice(0, 5);
  if (words.length === 0) return { ids: [], capped: false };
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
    const queries = [...prefixes, "zzz", "PG-00007", "pg-0001", ...WORDS.flatMap((w, i) => [`${w} ${WORDS[(i + 3) % WORDS.length]}`])];
    let shortcut = 0;
    let capped = 0;
    for (const limit of [1, 3, 10, 60, 500]) {
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
