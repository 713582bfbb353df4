// Main's inbox search as it stood before decision 025 (app/models/case-search.server.ts searchCaseIds,
// app/models/case.server.ts listInboxAmong), kept for bench/inbox-search-cost.ts to time side by side.
import mongoose, { Types } from "mongoose";
import { searchTokens } from "~/core/registry/thai-tokens";
import { CaseModel, type InboxFilter, type InboxRow } from "~/models/case.server";
import "~/models/case-search.server";

type CaseSearchTerm = { _id: string };
const CaseSearchTermModel = () => mongoose.model<CaseSearchTerm>("CaseSearchTerm");
const SEPARATOR = "|";
const AFTER_EVERY_WORD = "\uffff";

/**
 * Ids of the agency's cases matching every word of the query (each word as a prefix), newest first, at most
 * `limit`; `capped` when a word matched more cases than were read.
 */
export async function searchCaseIdsBefore(agencyId: string, query: string, limit = 500): Promise<{ ids: string[]; capped: boolean }> {
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
    })
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
export function termsOfBefore(agencyId: string, word: string, n: number, below?: string): Promise<CaseSearchTerm[]> {
  const from = [agencyId, word].join(SEPARATOR);
  return CaseSearchTermModel()
    .find({ _id: { $gte: from, $lt: below ?? from + AFTER_EVERY_WORD } })
    .sort({ _id: -1 })
    .limit(n)
    .lean<CaseSearchTerm[]>();
}

/** The first `n` terms of a word prefix, as one read of `n` returns them; continues after a first page already read. */
async function readTerms(agencyId: string, word: string, n: number, firstPage?: FirstPage): Promise<CaseSearchTerm[]> {
  if (!firstPage) return termsOfBefore(agencyId, word, n);
  const { terms, complete } = firstPage;
  if (complete || terms.length >= n) return terms.slice(0, n);
  return [...terms, ...(await termsOfBefore(agencyId, word, n - terms.length, terms.at(-1)!._id))];
}

/**
 * A one-word search whose prefix matches ONE word of the agency (the common case: a name, a number): its terms
 * come in case order (newest first), so the newest `limit` cases are its first `limit` terms and `limit + 1` of
 * them say whether there are more — instead of reading `limit × 4` terms (decision 022). When the prefix matches
 * several words (or a term holds no case id) it returns the page it read, and the caller reads on from there.
 */
async function newestOfOneWord(agencyId: string, word: string, limit: number): Promise<{ ids: string[]; capped: boolean } | FirstPage> {
  const terms = await termsOfBefore(agencyId, word, limit + 1);
  const complete = terms.length <= limit;
  const wordOf = (t: CaseSearchTerm) => t._id.slice(agencyId.length + 1, t._id.lastIndexOf(SEPARATOR));
  const idOf = (t: CaseSearchTerm) => t._id.slice(t._id.lastIndexOf(SEPARATOR) + 1);
  const only = terms[0] ? wordOf(terms[0]) : "";
  const oneWord = terms.every((t) => wordOf(t) === only && Types.ObjectId.isValid(idOf(t)));
  if (oneWord && complete) return { ids: terms.map(idOf), capped: false };
  // A full page of one word: the first term is the highest, so another word of the prefix sorts below this word's terms.
  if (oneWord && (await termsOfBefore(agencyId, word, 1, [agencyId, only, ""].join(SEPARATOR))).length === 0) {
    return { ids: terms.slice(0, limit).map(idOf), capped: true };
  }
  return { terms, complete };
}

/**
 * The inbox narrowed to cases a search found (`ids`, from searchCaseIds): read by `_id`, the one look-up both
 * engines answer from an index whatever else the filter says; the filter and the inbox's order are applied here.
 * (The inbox's own query with `_id` among the ids was tried: on the embedded engine it walks every case of the
 * filter's index range to test `_id`, 1.8 s at 100,000 cases against 0.4 s this way — decision 022.)
 */
export async function listInboxAmongBefore(
  ids: string[],
  filter: InboxFilter,
  page = 1,
  pageSize = 50,
  now = new Date()
): Promise<{ rows: InboxRow[]; total: number }> {
  const valid = ids.filter((id) => Types.ObjectId.isValid(id));
  if (valid.length === 0) return { rows: [], total: 0 };
  const found = await CaseModel.find({
    _id: { $in: valid.map((id) => new Types.ObjectId(id)) },
  })
    .select(`trackingNumber serviceSlug serviceVersionId stateValue status summary receipt sla updatedAt outcome agencyId`)
    .lean<(InboxRow & { agencyId: string })[]>();
  const status = filter.status === "done" ? "done" : "active";
  const matching = found.filter(
    (c) =>
      c.agencyId === filter.agencyId &&
      c.status === status &&
      (!filter.serviceSlug || c.serviceSlug === filter.serviceSlug) &&
      (!filter.stateValue || c.stateValue === filter.stateValue) &&
      (filter.status !== "overdue" || (!c.sla.paused && !!c.sla.stateDueAt && new Date(c.sla.stateDueAt) < now))
  );
  // INBOX_ORDER: no due date first, then oldest due, then by id.
  const due = (c: InboxRow) => (c.sla.stateDueAt ? new Date(c.sla.stateDueAt).getTime() : -Infinity);
  matching.sort((a, b) => due(a) - due(b) || (String(a._id) < String(b._id) ? -1 : 1));
  const rows = matching.slice((page - 1) * pageSize, page * pageSize).map(({ agencyId: _agency, ...row }) => row);
  return { rows, total: matching.length };
}
