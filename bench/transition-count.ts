/**
 * Counts the database commands one transition sends, per command and collection, split into the request
 * (fireCaseEvent until it answers) and the effects that follow (the in-process runner), for ACCEPT (a notice
 * only) and APPROVE (a signed letter + a notice), at concurrency 1 and 8 (the bench's path). Deterministic at 1;
 * at 8 the counts depend on how many writes meet in one group commit. Needs no build.
 *
 *   npx tsx bench/transition-count.ts            (BENCH_COUNT cases per row, 16 by default)
 *
 * Counted through the driver's command monitoring. "write" marks commands that take the engine's write lock.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { commandKey, connectCountingCommands } from "./lib/command-count";
import { runPool } from "./lib/measure";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { approver, citizen, HEALTH_HAZARD_SLUG, officer } from "../test/support/journeys";

const COUNT = Number(process.env.BENCH_COUNT ?? 16);
const WRITES = new Set(["insert", "update", "delete", "findAndModify"]);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-transition-count-"));
const db = await startFerretDb({ port: await freePort(), dataDir, log: () => {} });
const uri = `${db.uri}borikan_transition_count`;
process.env.MONGODB_URI = uri;
try {
  const counter = await connectCountingCommands(uri, (event) => {
    const key = commandKey(event);
    if (key === "find permits") return null; // the registry's background polling
    return `${WRITES.has(event.commandName) ? "W " : "  "}${key}`;
  });
  await seedDemo({ log: () => undefined });
  const [applicant, staff, boss] = [await citizen(), await officer(), await approver()];
  const fileCases = async (n: number, from: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await submitApplication(applicant, HEALTH_HAZARD_SLUG, await healthHazardApplication({}, from + i), "web")).id);
    return ids;
  };
  // Warm up (first service read, first PDF thread).
  const warm = await fileCases(2, 100);
  for (const id of warm) {
    await fireCaseEvent(staff, id, { type: "ACCEPT" });
    await fireCaseEvent(staff, id, { type: "RECORD_INSPECTION", comment: "ผ่าน" });
    await fireCaseEvent(boss, id, { type: "APPROVE" });
    await settleCaseEffects(id);
  }
  const print = (title: string, map: Map<string, number>) => {
    const rows = [...map.entries()].sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((s, [, n]) => s + n, 0);
    const writes = rows.filter(([k]) => k.startsWith("W")).reduce((s, [, n]) => s + n, 0);
    console.log(`${title}: ${(total / COUNT).toFixed(2)} commands, ${(writes / COUNT).toFixed(2)} writes per transition`);
    for (const [key, n] of rows) console.log(`  ${(n / COUNT).toFixed(2).padStart(6)}  ${key}`);
  };
  let base = 1000;
  for (const concurrency of [1, 8]) {
    // Two sets of cases: one with the runner held (the request alone), one on the real path (request + effects).
    const held = await fileCases(COUNT, base);
    const real = await fileCases(COUNT, base + COUNT);
    base += 2 * COUNT;
    for (const [event, actor, before] of [
      ["ACCEPT", staff, []],
      ["APPROVE", boss, [["RECORD_INSPECTION", staff]]],
    ] as const) {
      for (const [prior, who] of before) for (const id of [...held, ...real]) await fireCaseEvent(who, id, { type: prior, comment: "ผ่าน" });
      await Promise.all([...held, ...real].map((id) => settleCaseEffects(id)));
      counter.counts = new Map();
      counter.counting = true;
      process.env.BORIKAN_HOLD_EFFECTS = "1";
      // BENCH_PROFILE=file.cpuprofile: a CPU profile of this thread during ACCEPT at 8, runner held.
      const profile = process.env.BENCH_PROFILE && event === "ACCEPT" && concurrency === 8;
      const profiler = profile ? new (await import("node:inspector/promises")).Session() : null;
      if (profiler) {
        profiler.connect();
        await profiler.post("Profiler.enable");
        await profiler.post("Profiler.start");
      }
      await runPool(COUNT, concurrency, async (i) => {
        await fireCaseEvent(actor, held[i]!, { type: event });
      });
      if (profiler) writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify((await profiler.post("Profiler.stop")).profile));
      delete process.env.BORIKAN_HOLD_EFFECTS;
      const request = counter.counts;
      counter.counts = new Map();
      await runPool(COUNT, concurrency, async (i) => {
        await fireCaseEvent(actor, real[i]!, { type: event });
      });
      await Promise.all(real.map((id) => settleCaseEffects(id)));
      const total = counter.counts;
      counter.counting = false;
      print(`${event} at concurrency ${concurrency}, request alone (runner held)`, request);
      print(`${event} at concurrency ${concurrency}, request + its effects (real path)`, total);
      await Promise.all(held.map((id) => settleCaseEffects(id)));
    }
  }
  console.log(`load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
} finally {
  await disconnectDb().catch(() => undefined);
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
