import { Types } from "mongoose";
import { caseClockIdsAmong, insertNewCaseClock } from "~/models/case-clock.server";
import { casesMissingSearchWords, indexCaseForSearch } from "~/models/case-search.server";
import { getNewCaseRefs, listCaseKeysByIdRange, type NewCaseRef } from "~/models/case.server";
import { getServiceVersion } from "~/models/service.server";
import { getSweepCheckpoint, setSweepCheckpoint } from "~/models/sweep-checkpoint.server";
import { clockRowOf } from "./track-case-clock.server";

const SWEEP = "new-case-read-models";
/** A filing under way is given this long to write its case's words and clock row itself before the sweep looks. */
export const NEW_CASE_GRACE_MS = 2 * 60_000;
/** With no checkpoint yet (the first run), the cases filed this long before the grace period are looked at. */
const FIRST_LOOK_BACK_MS = 60 * 60_000;
const PAGE_SIZE = 200;

export type NewCaseRepair = { cases: number; words: number; clocks: number };

/**
 * Keeps a new case's read models in step with the case (decision 032). A filing writes the case, its search words
 * and its clock row in one turn, so a crash (or a failed write) can leave a stored case without some of its words or
 * without its row: unfindable in the inbox search, unseen by the notice sweep. The worker runs this on every sweep:
 * it reads the keys of the cases filed since its checkpoint (an `_id` range: a case's `_id` is chosen when its filing
 * starts) up to `graceMs` ago, finds those missing words or a row (one `_id $in` read each), and writes them from
 * the case. Safe to run twice or in two processes at once (terms and first rows are inserts of fixed `_id`s; a row
 * that exists is left). The checkpoint moves only past cases that are repaired, so a failed run is retried.
 * Resolves to the cases looked at and the cases whose words / rows it wrote.
 */
export async function repairNewCaseReadModels(options: { now?: Date; graceMs?: number; pageSize?: number } = {}): Promise<NewCaseRepair> {
  const now = options.now ?? new Date();
  const until = now.getTime() - (options.graceMs ?? NEW_CASE_GRACE_MS);
  const before = Types.ObjectId.createFromTime(Math.floor(until / 1000));
  const saved = await getSweepCheckpoint(SWEEP);
  let after = saved ? new Types.ObjectId(saved) : Types.ObjectId.createFromTime(Math.floor((until - FIRST_LOOK_BACK_MS) / 1000));
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const done: NewCaseRepair = { cases: 0, words: 0, clocks: 0 };
  for (;;) {
    const page = await listCaseKeysByIdRange(after, before, pageSize);
    if (page.length === 0) break;
    const [noWords, clocked] = await Promise.all([casesMissingSearchWords(page), caseClockIdsAmong(page.map((c) => String(c._id)))]);
    const broken = page.filter((c) => noWords.has(String(c._id)) || !clocked.has(String(c._id)));
    const refs = await getNewCaseRefs(broken.map((c) => c._id));
    const unindexed = refs.filter((c) => noWords.has(String(c._id)));
    // All of a case's terms (those stored already are kept); a case whose personal data is gone keeps only the words
    // of its tracking number (unindexCaseForSearch).
    await indexCaseForSearch(unindexed.map((c) => (c.personalDataRemovedAt ? { ...c, summary: { applicantName: "", subject: "" } } : c)));
    done.cases += page.length;
    done.words += unindexed.length;
    done.clocks += await insertMissingClocks(refs.filter((c) => !clocked.has(String(c._id))), now);
    after = page.at(-1)!._id;
    await setSweepCheckpoint(SWEEP, after.toHexString(), now);
    if (page.length < pageSize) break;
  }
  return done;
}

async function insertMissingClocks(cases: NewCaseRef[], now: Date): Promise<number> {
  let inserted = 0;
  for (const c of cases) {
    const service = await getServiceVersion(c.serviceVersionId);
    // A case of a version that is gone has no clock to keep (the notice sweep parks such rows too).
    if (!service) continue;
    // As the filing would have written it; the notice sweep counts the notices sent from case_notices.
    const row = clockRowOf(c, service.definition.manifest.statutoryDays, { sent: { count: 0, lastAt: null }, decisionNotifiedAt: null }, now);
    if (await insertNewCaseClock(row)) inserted++;
  }
  return inserted;
}
