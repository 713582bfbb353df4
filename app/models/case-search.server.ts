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

/** A case's terms, the whole tracking number's last (the new-case sweep checks that one: casesMissingSearchWords). */
export function caseSearchTermIds(c: SearchableCase): string[] {
  const words = new Set(searchTokens(`${c.trackingNumber} ${c.summary.applicantName} ${c.summary.subject}`));
  // The whole tracking number too, so a pasted number matches as one word.
  const whole = c.trackingNumber.toLowerCase();
  words.delete(whole);
  return [...words, whole].filter((w) => !w.includes(SEPARATOR)).map((word) => termId(c, word));
}

const termId = (c: Pick<SearchableCase, "_id" | "agencyId">, word: string) => [c.agencyId, word, String(c._id)].join(SEPARATOR);
const wholeNumberTermId = (c: Pick<SearchableCase, "_id" | "agencyId" | "trackingNumber">) => termId(c, c.trackingNumber.toLowerCase());

const insertTerms = insertGrouped<CaseSearchTerm>(() => CaseSearchTermModel.collection as unknown as Collection<CaseSearchTerm>);

/**
 * Indexes a case's words; safe to repeat (a term already there is kept). Grouped with the words of the other
 * cases this process is filing at the moment (one unordered insert: see group-commit.server.ts).
 */
export async function indexCaseForSearch(cases: SearchableCase[]): Promise<void> {
  const failures = await insertTerms(cases.flatMap(caseSearchTermIds).map((_id) => ({ _id })));
  // Terms indexed before (a repeated run) are duplicates: everything else was inserted.
  const failure = failures.find((f) => f.code !== 11000);
  if (failure) throw failure.error;
}

/**
 * Of these cases, the ids of those whose words are not all stored (the new-case sweep). A case's terms go in one
 * insert with the whole tracking number's term last (caseSearchTermIds), and both engines store an insert's documents in the
 * order given on one server (FerretDB one batch after another; MongoDB parallelises an unordered insert only across
 * shards): with that last term present, the case's other terms are too. One `_id $in` read of one term per case
 * (reading every term of every case cost ~0.75 ms of database CPU per case on the embedded engine; decision 032).
 */
export async function casesMissingSearchWords(cases: Pick<SearchableCase, "_id" | "agencyId" | "trackingNumber">[]): Promise<Set<string>> {
  if (cases.length === 0) return new Set();
  const last = new Map(cases.map((c) => [wholeNumberTermId(c), String(c._id)]));
  const present = await CaseSearchTermModel.find({ _id: { $in: [...last.keys()] } }).select("_id").lean<CaseSearchTerm[]>();
  for (const term of present) last.delete(term._id);
  return new Set(last.values());
}

/** Forgets a case's words (its personal data was removed); the tracking number stays findable. */
export async function unindexCaseForSearch(c: SearchableCase): Promise<void> {
  const keep = new Set(caseSearchTermIds({ ...c, summary: { applicantName: "", subject: "" } }));
  const drop = caseSearchTermIds(c).filter((id) => !keep.has(id));
  if (drop.length > 0) await CaseSearchTermModel.deleteMany({ _id: { $in: drop } });
}

/**
 * Ids of the agency's cases matching every word of the query (each word as a prefix), newest first, at most
 * `limit`; `capped` when a word matched more cases than were read.
 *
 * The answer is that of reading the first `limit × 4` terms of each word and intersecting them (decision 013);
 * when every word's prefix matches one word, it is reached reading far fewer (decisions 022 and 025).
 */
export async function searchCaseIds(agencyId: string, query: string, limit = 500): Promise<{ ids: string[]; capped: boolean }> {
  const words = [...new Set(searchTokens(query))].filter((w) => !w.includes(SEPARATOR)).slice(0, 5);
  if (words.length === 0) return { ids: [], capped: false };
  // A whole tracking number is a word of its own (caseSearchTermIds): one exact look-up. Read as its words ("bk", "a",
  // "0005000"), it was found only among the newest `limit × 4` cases holding "bk" and "a" (decision 025).
  const whole = query.trim().toLowerCase();
  if (words.length > 1 && !/\s|\|/.test(whole)) {
    const exact = await termsOf(agencyId, whole + SEPARATOR, limit + 1);
    const ids = exact.map(caseIdOf).filter((id) => Types.ObjectId.isValid(id));
    if (ids.length > 0) return { ids: ids.slice(0, limit), capped: ids.length > limit };
  }
  if (words.length === 1) {
    const alone = await newestOfOneWord(agencyId, words[0]!, limit);
    if ("ids" in alone) return alone;
    return intersect(agencyId, words, limit, [alone]);
  }
  const pages = await Promise.all(words.map((word) => firstPageOf(agencyId, word, limit + 1)));
  if (pages.every((p) => p.oneWord)) return intersectInPages(agencyId, pages as OneWordPage[], limit);
  return intersect(agencyId, words, limit, pages);
}

/** The reading of decision 013: the first `limit × 4` terms of each word (after the pages already read), intersected. */
async function intersect(agencyId: string, words: string[], limit: number, firstPages: (FirstPage | undefined)[]): Promise<{ ids: string[]; capped: boolean }> {
  let capped = false;
  const perWord = await Promise.all(
    words.map(async (word, i) => {
      const found = await readTerms(agencyId, word, limit * 4, firstPages[i]);
      if (found.length === limit * 4) capped = true;
      return new Set(found.map(caseIdOf));
    }),
  );
  return newestOf(perWord, limit, capped);
}

/** The newest `limit` ids found in every set (valid case ids only); `capped` too when there were more. */
function newestOf(perWord: Set<string>[], limit: number, capped: boolean): { ids: string[]; capped: boolean } {
  const [first, ...rest] = perWord;
  const ids = [...first!].filter((id) => rest.every((set) => set.has(id)) && Types.ObjectId.isValid(id));
  // Newest case first (ObjectIds grow with time).
  ids.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  if (ids.length > limit) capped = true;
  return { ids: ids.slice(0, limit), capped };
}

const caseIdOf = (t: CaseSearchTerm) => t._id.slice(t._id.lastIndexOf(SEPARATOR) + 1);
const wordOf = (agencyId: string, t: CaseSearchTerm) => t._id.slice(agencyId.length + 1, t._id.lastIndexOf(SEPARATOR));

/** A word prefix's first page, and whether the prefix matches one word only (its terms then come in case order). */
type OneWordPage = FirstPage & { oneWord: true; word: string };
async function firstPageOf(agencyId: string, prefix: string, n: number): Promise<OneWordPage | (FirstPage & { oneWord: false })> {
  const terms = await termsOf(agencyId, prefix, n);
  const complete = terms.length < n;
  const word = terms[0] ? wordOf(agencyId, terms[0]) : "";
  if (!terms.every((t) => wordOf(agencyId, t) === word)) return { terms, complete, oneWord: false };
  // The first term is the highest, so another word of the prefix would sort below this word's terms.
  if (!complete && (await termsOf(agencyId, prefix, 1, [agencyId, word, ""].join(SEPARATOR))).length > 0) return { terms, complete, oneWord: false };
  return { terms, complete, oneWord: true, word };
}

/**
 * `intersect`'s answer when each prefix matches one word, read in pages from the newest case down (a word's terms
 * then come in case order): once `limit + 1` cases are read in every word, the newest `limit` of them are the
 * answer, capped — instead of `limit × 4` terms of each word. A word is finished when all its terms, or its first
 * `limit × 4`, are read; when all are, the sets are `intersect`'s own.
 */
async function intersectInPages(agencyId: string, pages: OneWordPage[], limit: number): Promise<{ ids: string[]; capped: boolean }> {
  const cap = limit * 4;
  const words = pages.map((p) => {
    const ids = p.terms.slice(0, cap).map(caseIdOf);
    return { word: p.word, ids, set: new Set(ids), done: p.complete || ids.length >= cap };
  });
  for (;;) {
    const open = words.filter((w) => !w.done);
    if (open.length === 0) return newestOf(words.map((w) => w.set), limit, words.some((w) => w.ids.length >= cap));
    // A case read in every word is above every term not read yet, so no unread case comes before it.
    const [fewest, ...rest] = [...words].sort((a, b) => a.ids.length - b.ids.length);
    let known = 0;
    for (const id of fewest!.ids) if (Types.ObjectId.isValid(id) && rest.every((w) => w.set.has(id))) known++;
    if (known > limit) return newestOf(words.map((w) => w.set), limit, true);
    // Read on the open word read least far down; its pages grow as it is read on, up to the cap.
    const next = open.reduce((a, b) => (a.ids.at(-1)! >= b.ids.at(-1)! ? a : b));
    const n = Math.min(Math.max(limit + 1, next.ids.length), cap - next.ids.length);
    const more = (await termsOf(agencyId, next.word, n, [agencyId, next.word, next.ids.at(-1)!].join(SEPARATOR))).map(caseIdOf);
    for (const id of more) next.set.add(id);
    next.ids.push(...more);
    next.done = more.length < n || next.ids.length >= cap;
  }
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
