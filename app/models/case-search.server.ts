import type { Collection } from "mongodb";
import mongoose, { Schema, Types } from "mongoose";
import { searchTokens } from "~/core/registry/thai-tokens";
import { insertGrouped } from "./group-commit.server";

/**
 * The inbox's search: one tiny document per (agency, word, case), its `_id` "agency|word|caseId". A word
 * prefix is then a range of `_id`, which both engines answer from the `_id` index (the embedded one pushes
 * `_id` ranges down), instead of a regular expression over every case of the agency.
 */
type CaseSearchTerm = { _id: string };
const CaseSearchTermModel =
  (mongoose.models.CaseSearchTerm as mongoose.Model<CaseSearchTerm>) ??
  mongoose.model<CaseSearchTerm>("CaseSearchTerm", new Schema<CaseSearchTerm>({ _id: String }, { versionKey: false }));

const SEPARATOR = "|";
// Above every character a word can hold (words are letters and digits of the Basic Multilingual Plane).
const AFTER_EVERY_WORD = "\uffff";

/** What a case is found by: its tracking number, the applicant's name and the subject (e.g. the business). */
export type SearchableCase = { _id: Types.ObjectId | string; agencyId: string; trackingNumber: string; summary: { applicantName: string; subject: string } };

function termIds(c: SearchableCase): string[] {
  const words = new Set(searchTokens(`${c.trackingNumber} ${c.summary.applicantName} ${c.summary.subject}`));
  // The whole tracking number too, so a pasted number matches as one word.
  words.add(c.trackingNumber.toLowerCase());
  return [...words].filter((w) => !w.includes(SEPARATOR)).map((word) => [c.agencyId, word, String(c._id)].join(SEPARATOR));
}

const insertTerms = insertGrouped<CaseSearchTerm>(() => CaseSearchTermModel.collection as unknown as Collection<CaseSearchTerm>);

/**
 * Indexes a case's words; safe to repeat (a term already there is kept). Grouped with the words of the other
 * cases this process is filing at the moment (one unordered insert: see group-commit.server.ts).
 */
export async function indexCaseForSearch(cases: SearchableCase[]): Promise<void> {
  const failures = await insertTerms(cases.flatMap(termIds).map((_id) => ({ _id })));
  // Terms indexed before (a repeated run) are duplicates: everything else was inserted.
  const failure = failures.find((f) => f.code !== 11000);
  if (failure) throw failure.error;
}

/** Forgets a case's words (its personal data was removed); the tracking number stays findable. */
export async function unindexCaseForSearch(c: SearchableCase): Promise<void> {
  const keep = new Set(termIds({ ...c, summary: { applicantName: "", subject: "" } }));
  const drop = termIds(c).filter((id) => !keep.has(id));
  if (drop.length > 0) await CaseSearchTermModel.deleteMany({ _id: { $in: drop } });
}

/**
 * Ids of the agency's cases matching every word of the query (each word as a prefix), newest first, at most
 * `limit`; `capped` when a word matched more cases than were read.
 */
export async function searchCaseIds(agencyId: string, query: string, limit = 500): Promise<{ ids: string[]; capped: boolean }> {
  const words = [...new Set(searchTokens(query))].filter((w) => !w.includes(SEPARATOR)).slice(0, 5);
  if (words.length === 0) return { ids: [], capped: false };
  let firstPage: FirstPage | undefined;
  if (words.length === 1) {
    const alone = await newestOfOneWord(agencyId, words[0]!, limit);
    if ("ids" in alone) return alone;
    firstPage = alone;
  }
  let capped = false;
  const perWord = await Promise.all(
    words.map(async (word) => {
      const found = await readTerms(agencyId, word, limit * 4, firstPage);
      if (found.length === limit * 4) capped = true;
      return new Set(found.map((t) => t._id.slice(t._id.lastIndexOf(SEPARATOR) + 1)));
    }),
  );
  const [first, ...rest] = perWord;
  const ids = [...first!].filter((id) => rest.every((set) => set.has(id)) && Types.ObjectId.isValid(id));
  // Newest case first (ObjectIds grow with time).
  ids.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  if (ids.length > limit) capped = true;
  return { ids: ids.slice(0, limit), capped };
}

/** The first terms of a word prefix, highest `_id` first; `complete` when they are all there are. */
type FirstPage = { terms: CaseSearchTerm[]; complete: boolean };

/** Up to `n` terms of a word prefix, highest `_id` first, below `below` when given. */
function termsOf(agencyId: string, word: string, n: number, below?: string): Promise<CaseSearchTerm[]> {
  const from = [agencyId, word].join(SEPARATOR);
  return CaseSearchTermModel.find({ _id: { $gte: from, $lt: below ?? from + AFTER_EVERY_WORD } })
    .sort({ _id: -1 })
    .limit(n)
    .lean<CaseSearchTerm[]>();
}

/** The first `n` terms of a word prefix, as one read of `n` returns them; continues after a first page already read. */
async function readTerms(agencyId: string, word: string, n: number, firstPage?: FirstPage): Promise<CaseSearchTerm[]> {
  if (!firstPage) return termsOf(agencyId, word, n);
  const { terms, complete } = firstPage;
  if (complete || terms.length >= n) return terms.slice(0, n);
  return [...terms, ...(await termsOf(agencyId, word, n - terms.length, terms.at(-1)!._id))];
}

/**
 * A one-word search whose prefix matches ONE word of the agency (the common case: a name, a number): its terms
 * come in case order (newest first), so the newest `limit` cases are its first `limit` terms and `limit + 1` of
 * them say whether there are more — instead of reading `limit × 4` terms (decision 022). When the prefix matches
 * several words (or a term holds no case id) it returns the page it read, and the caller reads on from there.
 */
async function newestOfOneWord(agencyId: string, word: string, limit: number): Promise<{ ids: string[]; capped: boolean } | FirstPage> {
  const terms = await termsOf(agencyId, word, limit + 1);
  const complete = terms.length <= limit;
  const wordOf = (t: CaseSearchTerm) => t._id.slice(agencyId.length + 1, t._id.lastIndexOf(SEPARATOR));
  const idOf = (t: CaseSearchTerm) => t._id.slice(t._id.lastIndexOf(SEPARATOR) + 1);
  const only = terms[0] ? wordOf(terms[0]) : "";
  const oneWord = terms.every((t) => wordOf(t) === only && Types.ObjectId.isValid(idOf(t)));
  if (oneWord && complete) return { ids: terms.map(idOf), capped: false };
  // A full page of one word: the first term is the highest, so another word of the prefix sorts below this word's terms.
  if (oneWord && (await termsOf(agencyId, word, 1, [agencyId, only, ""].join(SEPARATOR))).length === 0) {
    return { ids: terms.slice(0, limit).map(idOf), capped: true };
  }
  return { terms, complete };
}
