/**
 * The web process's CPU for the parts of an API filing that decision 038 changed, each before and after, alternated
 * in one process (client CPU from process.cpuUsage, so other load on the machine moves it less than a whole filing):
 * the workflow's start, the holidays file's path, the CSP nonce, and the sequence hint's raise (mongoose's
 * updateOne against the driver's, on an embedded FerretDB).
 *   npx tsx bench/filing-web-parts.ts
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { initialTransition, type AnyStateMachine } from "xstate";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { buildMachine, startWorkflow } from "~/core/workflow/runner";
import { workingCalendarFile } from "~/core/calendar/working-calendar.server";
import type { WorkflowConfig } from "~/core/workflow/types";
import { newCspNonce } from "~/utils/web-security.server";
import workflow from "../workflows/health-hazard-licence.workflow.json";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** µs of CPU per call of each variant, medians of ROUNDS alternated rounds of n calls. */
async function compare(name: string, n: number, variants: Record<string, () => unknown | Promise<unknown>>) {
  const by: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const [variant, run] of Object.entries(variants)) {
      const start = cpuMicros();
      for (let i = 0; i < n; i++) await run();
      // The first round warms up (JIT, caches) and is not counted.
      if (round > 0) by[variant]!.push((cpuMicros() - start) / n);
    }
  }
  console.log(`| ${name} | ${Object.values(by).map((xs) => median(xs).toFixed(2)).join(" | ")} |`);
}

// Before: the start computed on every filing.
function startBefore(config: WorkflowConfig, data: Record<string, unknown>) {
  const machine: AnyStateMachine = buildMachine(config);
  const [snapshot] = initialTransition(machine, { data });
  const persisted = machine.getPersistedSnapshot(snapshot as never) as Record<string, unknown>;
  return JSON.parse(JSON.stringify({ ...persisted, context: {} })) as unknown;
}
const calendarFileBefore = () => path.resolve(process.env.BORIKAN_HOLIDAYS_FILE || path.join(process.cwd(), "config", "holidays.json"));

console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; CPU µs per call, medians of ${ROUNDS} rounds`);
console.log("| part | before | after |\n|---|---|---|");
const config = workflow as unknown as WorkflowConfig;
const data = { applicant: { fullName: "สมชาย ใจดี" }, business: { areaSqm: 48 } };
await compare("workflow start", 5000, { before: () => startBefore(config, data), after: () => startWorkflow(config, data) });
await compare("holidays file path", 50_000, { before: calendarFileBefore, after: workingCalendarFile });
await compare("CSP nonce", 50_000, { before: () => randomBytes(16).toString("base64"), after: newCspNonce });

const ferret = await startFerretDb({ port: await freePort(), dataDir: mkdtempSync(path.join(os.tmpdir(), "filing-web-parts-")), log: () => {} });
try {
  await mongoose.connect(ferret.uri + "parts");
  const Counter = mongoose.model("Counter", new mongoose.Schema({ _id: String, seq: { type: Number, required: true } }, { versionKey: false }));
  let seq = 0;
  await compare("sequence hint raise", 400, {
    before: () => Counter.updateOne({ _id: "bench" }, { $max: { seq: ++seq } }, { upsert: true }),
    after: () => Counter.collection.updateOne({ _id: "bench" as never }, { $max: { seq: ++seq } }, { upsert: true }),
  });
} finally {
  await mongoose.disconnect();
  ferret.process.kill();
}
console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
process.exit(0);
