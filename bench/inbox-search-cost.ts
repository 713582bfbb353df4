/**
 * Where the inbox's widest search goes, stage by stage, and the old search (main's, copied into
 * bench/lib/inbox-search-before.ts) against the current one, alternated in one process on the same data; fails
 * when the two answer differently (ids, order, total, capped). Engine CPU is FerretDB's (/proc), Node's this
 * process's, both per search.
 *
 *   npx tsx bench/inbox-search-cost.ts [--size 10000] [--runs 20] [--data DIR]
 *
 * `--data DIR` keeps the seeded database in DIR and reuses it on the next run (seeding 20,000 cases takes minutes).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { CaseModel, getCase, listInboxAmong, type InboxFilter } from "~/models/case.server";
import { searchCaseIds } from "~/models/case-search.server";
import { findUserByEmail } from "~/models/user.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { citizen, HEALTH_HAZARD_SLUG } from "../test/support/journeys";
import { insertCases, OTHER_AGENCIES, stepsOf } from "./lib/data-path";
import { listInboxAmongBefore, searchCaseIdsBefore, termsOfBefore } from "./lib/inbox-search-before";
import { cpuMsOf, loadAverage, log, ms, stats } from "./lib/measure";
import { BENCH_KEY_SECRET } from "./server-process";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const SIZE = Number(option("--size") ?? 10_000);
const RUNS = Number(option("--runs") ?? 20);
const KEEP = option("--data");
const AGENCY = "sukjai";
const CITIZEN = "citizen@demo.borikan.local";
const FILTER: InboxFilter = { agencyId: AGENCY, status: "active" };

async function main() {
  const dataDir = KEEP ? path.resolve(KEEP) : mkdtempSync(path.join(os.tmpdir(), "borikan-search-"));
  const seeded = KEEP !== undefined && existsSync(path.join(dataDir, "db"));
  const database = await startFerretDb({
    port: await freePort(),
    dataDir,
    log,
  });
  const uri = `${database.uri}borikan_bench`;
  process.env.MONGODB_URI = uri;
  process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
  const enginePid = database.process.pid!;
  try {
    await connectDb(uri);
    if (!seeded) {
      await seedDemo({ log: () => undefined });
      const me = (await findUserByEmail(CITIZEN))!;
      const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "web");
      const template = (await getCase(filed.id))!;
      const steps = await stepsOf(AGENCY);
      const started = performance.now();
      await insertCases({
        template,
        n: SIZE,
        agencies: [AGENCY],
        steps,
        applicant: { id: String(me._id), name: me.name, cases: 49 },
        prefix: "BK-A",
        seed: 1,
      });
      await insertCases({
        template,
        n: SIZE,
        agencies: OTHER_AGENCIES,
        steps,
        prefix: "BK-O",
        seed: 2,
      });
      log(`seeded ${2 * SIZE} cases in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    log(`${await CaseModel.estimatedDocumentCount()} cases; load ${loadAverage()}`);

    // The third field: whether the two must answer alike (a whole tracking number is now found: decision 025).
    const queries: [string, string, boolean][] = [
      ["a word in every name", "ผู้ยื่น", true],
      ["a tracking number", `BK-A-${String(Math.floor(SIZE / 2)).padStart(7, "0")}`, false],
      ["a word in one case's name", `${Math.floor(SIZE / 3)}`, true],
    ];
    // Stages of the old search, each alone: what the 353 ms are made of.
    const before = (await searchCaseIdsBefore(AGENCY, "ผู้ยื่น")).ids;
    const stages: [string, () => Promise<unknown>][] = [
      ["terms of ผู้ (2,000)", () => termsOfBefore(AGENCY, "ผู้", 2000)],
      ["terms of ยื่น (2,000)", () => termsOfBefore(AGENCY, "ยื่น", 2000)],
      [
        "found cases by _id $in, inbox fields (500)",
        () =>
          CaseModel.find({ _id: { $in: before } })
            .select("trackingNumber serviceSlug serviceVersionId stateValue status summary receipt sla updatedAt outcome agencyId")
            .lean(),
      ],
      ["found cases by _id $in, the filter's fields (500)", () => CaseModel.find({ _id: { $in: before } }).select("agencyId status serviceSlug stateValue sla.paused sla.stateDueAt").lean()],
      [
        "found cases by _id $in, _id only (500)",
        () =>
          CaseModel.find({ _id: { $in: before } })
            .select("_id")
            .lean(),
      ],
      [
        "found cases by _id $in, inbox fields (50)",
        () =>
          CaseModel.find({ _id: { $in: before.slice(0, 50) } })
            .select("trackingNumber serviceSlug serviceVersionId stateValue status summary receipt sla updatedAt outcome agencyId")
            .lean(),
      ],
    ];
    const systems: [string, (q: string) => Promise<unknown>][] = [
      ["before", async (q) => listInboxAmongBefore((await searchCaseIdsBefore(AGENCY, q)).ids, FILTER, 1, 50)],
      ["after", async (q) => listInboxAmong((await searchCaseIds(AGENCY, q)).ids, FILTER, 1, 50)],
    ];
    const out: string[] = [];
    const time = async (entries: [string, () => Promise<unknown>][]) => {
      const samples = entries.map(() => ({
        wall: [] as number[],
        node: 0,
        engine: 0,
      }));
      for (let i = 0; i < 2; i++) for (const [, fn] of entries) await fn(); // warm-up
      for (let r = 0; r < RUNS; r++) {
        // Alternated: each run times every entry once, in turn.
        for (const [k, [, fn]] of entries.entries()) {
          const e0 = cpuMsOf(enginePid);
          const n0 = process.cpuUsage();
          const t0 = performance.now();
          await fn();
          samples[k]!.wall.push(performance.now() - t0);
          const n1 = process.cpuUsage(n0);
          samples[k]!.node += (n1.user + n1.system) / 1000;
          samples[k]!.engine += cpuMsOf(enginePid) - e0;
        }
      }
      for (const [k, [name]] of entries.entries()) {
        const s = stats(samples[k]!.wall);
        out.push(`| ${name} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(samples[k]!.engine / RUNS)} | ${ms(samples[k]!.node / RUNS)} |`);
      }
    };
    out.push(
      `size ${SIZE} (+${SIZE} elsewhere), ${RUNS} runs, load at start ${loadAverage()}`,
      "",
      "| stage / system | p50 | p95 | engine CPU | Node CPU |",
      "|---|---|---|---|---|"
    );
    await time(stages);
    for (const [name, q, same] of queries) {
      // Same answers first: ids, order, capped, and the listed page and total.
      const [a, b] = [await searchCaseIdsBefore(AGENCY, q), await searchCaseIds(AGENCY, q)];
      const [la, lb] = [await listInboxAmongBefore(a.ids, FILTER, 1, 50), await listInboxAmong(b.ids, FILTER, 1, 50)];
      if (same && (JSON.stringify(a) !== JSON.stringify(b) || JSON.stringify(la) !== JSON.stringify(lb)))
        throw new Error(`${name}: the two searches answer differently`);
      const found = (x: typeof a, l: typeof la) => `${x.ids.length} found, capped ${x.capped}, ${l.total} listed`;
      await time(systems.map(([sys, fn], k) => [`${name}: ${sys} (${k === 0 ? found(a, la) : found(b, lb)})`, () => fn(q)]));
    }
    out.push("", `load at end ${loadAverage()}`);
    console.log(out.join("\n"));
  } finally {
    await disconnectDb().catch(() => undefined);
    await database.stop().catch(() => undefined);
    if (!KEEP) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
