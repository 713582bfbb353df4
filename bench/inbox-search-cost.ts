/**
 * The inbox's widest search ("a word in every name", capped at 500) listed two ways, alternated in one run on the
 * same data: `before` reads the found cases whole by `_id` and filters, orders and pages them in Node (as until
 * decision 022), `after` is listInboxAmong (the inbox's query with `_id` among them). Prints wall p50/p95 and the
 * engine's and this process's CPU per search, and checks both answer the same.
 *
 *   npx tsx bench/inbox-search-cost.ts --cases 10000 --runs 30
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Types } from "mongoose";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { CaseModel, getCase, listInboxAmong, type InboxFilter, type InboxRow } from "~/models/case.server";
import { searchCaseIds } from "~/models/case-search.server";
import { findUserByEmail } from "~/models/user.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { citizen, HEALTH_HAZARD_SLUG } from "../test/support/journeys";
import { insertCases, OTHER_AGENCIES, stepsOf } from "./lib/data-path";
import { log, ms, stats } from "./lib/measure";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const CASES = Number(option("--cases", "10000"));
const RUNS = Number(option("--runs", "30"));
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** The listing as it was before decision 022. */
async function before(ids: string[], filter: InboxFilter, page = 1, pageSize = 50, now = new Date()) {
  if (ids.length === 0) return { rows: [], total: 0 };
  const found = await CaseModel.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } })
    .select("trackingNumber serviceSlug serviceVersionId stateValue status summary receipt sla updatedAt outcome agencyId")
    .lean<(InboxRow & { agencyId: string })[]>();
  const status = filter.status === "done" ? "done" : "active";
  const matching = found.filter(
    (c) =>
      c.agencyId === filter.agencyId &&
      c.status === status &&
      (!filter.serviceSlug || c.serviceSlug === filter.serviceSlug) &&
      (!filter.stateValue || c.stateValue === filter.stateValue) &&
      (filter.status !== "overdue" || (!c.sla.paused && !!c.sla.stateDueAt && new Date(c.sla.stateDueAt) < now)),
  );
  const due = (c: InboxRow) => (c.sla.stateDueAt ? new Date(c.sla.stateDueAt).getTime() : -Infinity);
  matching.sort((a, b) => due(a) - due(b) || (String(a._id) < String(b._id) ? -1 : 1));
  const rows = matching.slice((page - 1) * pageSize, page * pageSize).map(({ agencyId: _agency, ...row }) => row);
  return { rows, total: matching.length };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-search-cost-"));
const database = await startFerretDb({ port: await freePort(), dataDir, log: () => undefined });
const dbPid = (database as unknown as { process: { pid: number } }).process.pid;
try {
  process.env.MONGODB_URI = `${database.uri}borikan_search_cost`;
  await connectDb(process.env.MONGODB_URI);
  await seedDemo({ log: () => undefined });
  const me = (await findUserByEmail("citizen@demo.borikan.local"))!;
  const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "web");
  const template = (await getCase(filed.id))!;
  await insertCases({ template, n: CASES, agencies: ["sukjai"], steps: await stepsOf("sukjai"), applicant: { id: String(me._id), name: me.name, cases: 49 }, prefix: "BK-A", seed: 1 });
  await insertCases({ template, n: CASES, agencies: OTHER_AGENCIES, steps: await stepsOf("sukjai"), prefix: "BK-O", seed: 2 });
  log(`seeded ${2 * CASES} cases; load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const filter: InboxFilter = { agencyId: "sukjai", status: "active" };
  // Whether the word index's reads are pushed down whole (they are not when a term's text orders unlike MongoDB's).
  const from = "sukjai|ผู้ยื่น";
  const explain = await CaseModel.db.db!.command({ explain: { find: "casesearchterms", filter: { _id: { $gte: from, $lt: `${from}\uffff` } }, sort: { _id: -1 }, limit: 501 } });
  log(`word index read: filter/sort/limit pushed down ${explain.filterPushdown}/${explain.sortPushdown}/${explain.limitPushdown}`);
  // "words": the word index alone (what both ways share).
  const ways = { words: async () => ({ rows: [] as InboxRow[], total: 0 }), before, after: listInboxAmong } as const;
  const samples = { words: [] as number[], before: [] as number[], after: [] as number[] };
  const cpu = { words: { node: 0, db: 0 }, before: { node: 0, db: 0 }, after: { node: 0, db: 0 } };
  let answers: Record<string, string> = {};
  for (let i = -1; i < RUNS; i++) {
    for (const name of (i % 2 ? ["words", "before", "after"] : ["after", "before", "words"]) as (keyof typeof ways)[]) {
      const [n0, d0, t0] = [process.cpuUsage(), cpuMs(dbPid), performance.now()];
      const { ids } = await searchCaseIds("sukjai", "ผู้ยื่น");
      const { rows, total } = await ways[name](ids, filter, 1, 50);
      const t = performance.now() - t0;
      if (i < 0 && name !== "words") {
        answers[name] = JSON.stringify({ total, rows: rows.map((r) => String(r._id)) });
        continue;
      }
      if (i < 0) continue;
      samples[name].push(t);
      const u = process.cpuUsage(n0);
      cpu[name].node += (u.user + u.system) / 1000 / RUNS;
      cpu[name].db += (cpuMs(dbPid) - d0) / RUNS;
    }
  }
  if (answers.before !== answers.after) throw new Error(`different answers:\n${answers.before}\n${answers.after}`);
  for (const name of ["words", "before", "after"] as const) {
    const s = stats(samples[name]);
    console.log(`${name}: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}; CPU per search: node ${ms(cpu[name].node)}, engine ${ms(cpu[name].db)}`);
  }
  answers = {};
  log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  await disconnectDb();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
