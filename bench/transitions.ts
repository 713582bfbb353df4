/**
 * Issue 12: how fast a case transition answers, with and without documents, against a raw revision-guarded
 * findOneAndUpdate of the same case documents, on the embedded database (FerretDB v1 on SQLite).
 *
 *   npx tsx bench/transitions.ts            (BENCH_CASES=30 BENCH_CONCURRENCY=4)
 *
 * Service level (no HTTP): the transition is `fireCaseEvent`, which now returns once the case and its pending
 * effects are written; its effects are produced by the in-process runner meanwhile (so they compete for the
 * CPU, as in a web process). Writes bench/results/transitions.md.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { runPool } from "./lib/measure";
import { CaseModel } from "~/models/case.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { approver, citizen, HEALTH_HAZARD_SLUG, officer } from "../test/support/journeys";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CASES = Number(process.env.BENCH_CASES ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const loadAtStart = loadavg();
const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const pool = runPool;

const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-bench-transitions-"));
const db = await startFerretDb({ port: await freePort(), dataDir });
const uri = `${db.uri}borikan_bench_transitions`;
process.env.MONGODB_URI = uri;
const rows: string[] = [];
let raw = 0;
try {
  await connectDb(uri);
  await seedDemo({ log: () => undefined });
  const [applicant, staff, boss] = [await citizen(), await officer(), await approver()];
  log(`filing ${CASES * 4} applications…`);
  const filed: string[] = [];
  for (let i = 0; i < CASES * 4; i++) filed.push((await submitApplication(applicant, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 500 + i), "web")).id);

  // Raw: the write a transition cannot do without — one revision-guarded update of the case document.
  const rawRun = await pool(CASES, CONCURRENCY, async (i) => {
    const doc = await CaseModel.findById(filed[i]).select("rev").lean<{ rev: number }>();
    const updated = await CaseModel.findOneAndUpdate({ _id: filed[i], rev: doc!.rev }, { $set: { updatedAt: new Date() }, $inc: { rev: 1 } }, { returnDocument: "after" }).lean();
    if (!updated) throw new Error("raw update lost");
  });
  raw = rawRun.perSecond;
  rows.push(`| raw: read rev + findOneAndUpdate({ _id, rev }) | ${CASES} | ${raw.toFixed(1)}/s | ${ms(rawRun.p50)} | ${ms(rawRun.p95)} | 100 % |`);

  // ACCEPT queues only an e-mail notice (none is sent: no SMTP_URL): "without documents".
  const accept = await pool(CASES, CONCURRENCY, async (i) => {
    await fireCaseEvent(staff, filed[CASES + i]!, { type: "ACCEPT" });
  });
  rows.push(`| ACCEPT (notice only), answer | ${CASES} | ${accept.perSecond.toFixed(1)}/s | ${ms(accept.p50)} | ${ms(accept.p95)} | ${((100 * accept.perSecond) / raw).toFixed(0)} % |`);
  for (let i = 0; i < CASES; i++) await fireCaseEvent(staff, filed[CASES + i]!, { type: "RECORD_INSPECTION", comment: "ผ่าน" });
  await Promise.all(filed.slice(CASES).map((id) => settleCaseEffects(id)));

  // APPROVE issues a signed approval letter (PDF rendered, signed, stored) and a notice: "with documents".
  const started = performance.now();
  const approve = await pool(CASES, CONCURRENCY, async (i) => {
    await fireCaseEvent(boss, filed[CASES + i]!, { type: "APPROVE" });
  });
  rows.push(`| APPROVE (letter + notice), answer | ${CASES} | ${approve.perSecond.toFixed(1)}/s | ${ms(approve.p50)} | ${ms(approve.p95)} | ${((100 * approve.perSecond) / raw).toFixed(0)} % |`);
  await Promise.all(filed.slice(CASES).map((id) => settleCaseEffects(id)));
  const allLettersS = (performance.now() - started) / 1000;
  rows.push(`| APPROVE: until every letter exists (runner, 2 cases at once) | ${CASES} | ${(CASES / allLettersS).toFixed(1)} letters/s | | | |`);

  // The transition alone: the runner held (test gate), so no PDF work competes for the two cores.
  const held = filed.slice(2 * CASES);
  process.env.BORIKAN_HOLD_EFFECTS = "1";
  const heldAccept = await pool(CASES, CONCURRENCY, async (i) => {
    await fireCaseEvent(staff, held[i]!, { type: "ACCEPT" });
  });
  rows.push(`| ACCEPT, runner held (the transition alone) | ${CASES} | ${heldAccept.perSecond.toFixed(1)}/s | ${ms(heldAccept.p50)} | ${ms(heldAccept.p95)} | ${((100 * heldAccept.perSecond) / raw).toFixed(0)} % |`);
  for (let i = 0; i < CASES; i++) await fireCaseEvent(staff, held[i]!, { type: "RECORD_INSPECTION", comment: "ผ่าน" });
  const heldApprove = await pool(CASES, CONCURRENCY, async (i) => {
    await fireCaseEvent(boss, held[i]!, { type: "APPROVE" });
  });
  rows.push(`| APPROVE, runner held (the transition alone) | ${CASES} | ${heldApprove.perSecond.toFixed(1)}/s | ${ms(heldApprove.p50)} | ${ms(heldApprove.p95)} | ${((100 * heldApprove.perSecond) / raw).toFixed(0)} % |`);
  delete process.env.BORIKAN_HOLD_EFFECTS;
  await Promise.all(held.map((id) => settleCaseEffects(id)));

  // For comparison, the behaviour before ADR 010: the request waits for its documents.
  const inline = filed.slice(3 * CASES);
  for (let i = 0; i < CASES; i++) {
    await fireCaseEvent(staff, inline[i]!, { type: "ACCEPT" });
    await fireCaseEvent(staff, inline[i]!, { type: "RECORD_INSPECTION", comment: "ผ่าน" });
  }
  await Promise.all(inline.map((id) => settleCaseEffects(id)));
  const inRequest = await pool(CASES, CONCURRENCY, async (i) => {
    await fireCaseEvent(boss, inline[i]!, { type: "APPROVE" });
    await settleCaseEffects(inline[i]!);
  });
  rows.push(`| APPROVE, answer after its documents (as before ADR 010) | ${CASES} | ${inRequest.perSecond.toFixed(1)}/s | ${ms(inRequest.p50)} | ${ms(inRequest.p95)} | ${((100 * inRequest.perSecond) / raw).toFixed(0)} % |`);
} finally {
  await disconnectDb().catch(() => undefined);
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const report = [
  `# Transitions with and without documents (${new Date().toISOString().slice(0, 10)})`,
  "",
  `Embedded FerretDB v1.24.2 (SQLite), ${os.cpus().length} cores, Node ${process.version}, concurrency ${CONCURRENCY}. \`npx tsx bench/transitions.ts\`.`,
  "The transition answers once the case and its pending effects are written (ADR 010); the letters are made meanwhile",
  `(PDF_WORKERS=${process.env.PDF_WORKERS ?? 1}: in worker threads). Load average (1/5/15 min) at start / end: ${loadAtStart} / ${loadavg()}.`,
  "",
  "| what | n | throughput | p50 | p95 | of raw |",
  "|---|---|---|---|---|---|",
  ...rows,
  "",
].join("\n");
// The previous runs stay below, for comparison.
const resultsFile = path.join(ROOT, "bench/results/transitions.md");
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, "utf8") : "";
writeFileSync(resultsFile, previous ? `${report}\n${previous}` : report);
console.log(report);
