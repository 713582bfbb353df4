/**
 * The engine's cost of the projected listings alone (ADR 023): seeds as bench/page-cost.ts does (the demo, `--cases N`
 * clones of a really filed case in the demo agency, one citizen with 49 cases), then times, one kind after the other
 * and each `--runs` times, the inbox page's `find` (listInbox: 50 rows, INBOX_FIELDS, index-backed sort), the same
 * `find` without projection and with `_id` only, and "my requests" (listCasesOfApplicant). Prints the engine's CPU per
 * call (from /proc) and the p50. Compare engines by running it with FERRETDB_BIN set to each binary, alternated.
 *
 *   KEY_ENCRYPTION_SECRET=bench-key-secret-0123456789 BORIKAN_DEMO=1 npx tsx bench/projection-cost.ts --cases 10000 --runs 60
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import {
  CaseModel,
  getCase,
  INBOX_ORDER,
  inboxQuery,
  listCasesOfApplicant,
} from "~/models/case.server";
import { findUserByEmail } from "~/models/user.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { citizen, HEALTH_HAZARD_SLUG } from "../test/support/journeys";
import { insertCases, stepsOf } from "./lib/data-path";
import { log, ms, timeRuns } from "./lib/measure";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  args.includes(name) ? args[args.indexOf(name) + 1]! : fallback;
const CASES = Number(option("--cases", "10000"));
const RUNS = Number(option("--runs", "60"));
const INBOX_FIELDS =
  "trackingNumber serviceSlug serviceVersionId stateValue status summary receipt sla updatedAt outcome";

const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
    .split(") ")[1]!
    .split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-projection-cost-"));
const database = await startFerretDb({
  port: await freePort(),
  dataDir,
  log: () => undefined,
});
const uri = `${database.uri}borikan_projection_cost`;
process.env.MONGODB_URI = uri;
try {
  await connectDb(uri);
  await seedDemo({ log: () => undefined });
  const me = (await findUserByEmail("citizen@demo.borikan.local"))!;
  const filed = await submitApplication(
    await citizen(),
    HEALTH_HAZARD_SLUG,
    await healthHazardApplication({}, 1),
    "web"
  );
  await insertCases({
    template: (await getCase(filed.id))!,
    n: CASES,
    agencies: ["sukjai"],
    steps: await stepsOf("sukjai"),
    applicant: { id: String(me._id), name: me.name, cases: 49 },
    prefix: "BK-P",
    seed: 1,
  });
  const engine = (database as unknown as { process: { pid: number } }).process
    .pid;
  log(
    `seeded ${CASES} cases; engine ${
      process.env.FERRETDB_BIN ?? "(this tree's patches)"
    }; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`
  );

  const query = inboxQuery({ agencyId: "sukjai" }, new Date());
  const inboxFind = (select?: string) => () => {
    const find = CaseModel.find(query).sort(INBOX_ORDER).limit(50);
    return (select === undefined ? find : find.select(select)).lean();
  };
  const kinds: [string, () => Promise<unknown>][] = [
    ["inbox find (INBOX_FIELDS)", inboxFind(INBOX_FIELDS)],
    ["inbox find (no projection)", inboxFind()],
    ["inbox find (_id only)", inboxFind("_id")],
    ["my requests (49 cases)", () => listCasesOfApplicant(String(me._id))],
  ];
  for (const [name, run] of kinds) {
    for (let i = 0; i < 5; i++) await run();
    const cpu0 = cpuMs(engine);
    const timed = await timeRuns(RUNS, run);
    const perCall = (cpuMs(engine) - cpu0) / (timed.n + 1);
    console.log(
      `${name}: engine CPU ${ms(perCall)} per call; p50 ${ms(
        timed.p50
      )} p95 ${ms(timed.p95)}`
    );
  }
  log(
    `load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`
  );
} finally {
  await disconnectDb();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
