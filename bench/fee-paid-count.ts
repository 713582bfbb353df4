/**
 * Counts the database commands one FEE_PAID sends (the transition, then its effects: recordPayment with its
 * signed receipt and PDF, issuePermit with its number, signed permit and stored PDF, the notice), per command
 * and collection, and the CPU per permit of this process and of FerretDB. Deterministic counts; needs no build.
 *
 *   npx tsx bench/fee-paid-count.ts            (BENCH_COUNT cases, 10 by default, one after another)
 *
 * Counted through the driver's command monitoring, so nothing sits between the process and the database.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import mongoose from "mongoose";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { seedDemo } from "~/services/seed-demo.server";
import { disconnectDb } from "~/utils/db.server";
import { caseAwaitingFee, officer } from "../test/support/journeys";
import { connectCountingCommands } from "./lib/command-count";

const COUNT = Number(process.env.BENCH_COUNT ?? 10);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-fee-paid-"));
const db = await startFerretDb({ port: await freePort(), dataDir, log: () => {} });
const uri = `${db.uri}borikan_fee_paid`;
process.env.MONGODB_URI = uri;
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
try {
  const counter = await connectCountingCommands(uri);
  const { counts } = counter;
  await seedDemo({ log: () => undefined });
  const ids: string[] = [];
  for (let i = 0; i < COUNT + 2; i++) ids.push(await caseAwaitingFee(1000 + i));
  const staff = await officer();
  // Two to warm up (first signing key, first PDF thread, first service read).
  for (const id of ids.slice(0, 2)) {
    await fireCaseEvent(staff, id, { type: "FEE_PAID" });
    await settleCaseEffects(id);
  }
  const dbPid = (db as unknown as { process: { pid: number } }).process.pid;
  const before = { node: cpuMs(process.pid), db: cpuMs(dbPid) };
  // BENCH_PROFILE=file.cpuprofile: a CPU profile of this thread while the counted cases run.
  const profiler = process.env.BENCH_PROFILE ? new (await import("node:inspector/promises")).Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  counter.counting = true;
  for (const id of ids.slice(2)) {
    await fireCaseEvent(staff, id, { type: "FEE_PAID" });
    await settleCaseEffects(id);
  }
  counter.counting = false;
  if (profiler) {
    const { profile } = await profiler.post("Profiler.stop");
    writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
  }
  const cpu = { node: (cpuMs(process.pid) - before.node) / COUNT, db: (cpuMs(dbPid) - before.db) / COUNT };
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((s, [, n]) => s + n, 0);
  console.log(`FEE_PAID (transition + receipt + permit + notice), ${COUNT} cases one at a time:`);
  for (const [key, n] of rows) if (!key.startsWith("find permits") || n / COUNT >= 1) console.log(`  ${(n / COUNT).toFixed(1).padStart(5)}  ${key}`);
  console.log(`  ${(total / COUNT).toFixed(1).padStart(5)}  in all`);
  const files = await mongoose.connection.db!.collection<{ _id: string; bytes: number }>("storedfiles").find({}, { projection: { bytes: 1 } }).toArray();
  const kinds = new Map<string, number[]>();
  for (const f of files) kinds.set(f._id.split("/")[0]!, [...(kinds.get(f._id.split("/")[0]!) ?? []), f.bytes]);
  for (const [kind, sizes] of kinds) console.log(`  stored ${kind} PDFs: ${sizes.length}, ${(sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024).toFixed(0)} KiB on average`);
  console.log(`CPU per FEE_PAID: Node ${cpu.node.toFixed(0)} ms (PDF thread included), FerretDB ${cpu.db.toFixed(0)} ms; load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
} finally {
  await disconnectDb().catch(() => undefined);
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
