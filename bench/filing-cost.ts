/**
 * Where a filing's (or with BENCH_MODE=search, a registry search's) time goes: CPU seconds per filing in the web process and in the database process, and the
 * filing rate, for one or more builds side by side on one FerretDB (rounds alternate the builds).
 *
 *   BENCH_SYSTEMS="baseline=/tmp/borikan-baseline,current=." npx tsx bench/filing-cost.ts
 *
 * BENCH_NODE_ARGS passes options to the servers' node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 * BENCH_CEILING=1 adds the bare-driver ceiling (bench/ceilings/bare-filing-server.ts, on its own seeded database) to
 * the alternation, with its ratio; BENCH_CONCURRENCY may list several (`8,32`); BENCH_KEEP_ALIVE=1 reuses
 * connections as an API client (and bench/run.ts) does instead of one connection per filing.
 * Each entry is name=directory of a built app (`npx remix build` already run there). Used to find which part
 * of the filing path costs what (docs/decisions and bench/results/security.md).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { DEMO_API_KEY, seedDemo } from "~/services/seed-demo.server";
import { healthHazardApplication } from "../test/support/factories";
import { sessionOf } from "../test/support/tus-client";
import { BENCH_KEY_SECRET, startBenchServer, stopChild } from "./server-process";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FILINGS = Number(process.env.BENCH_FILINGS ?? 150);
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? "8").split(",").map(Number);
const CEILING = process.env.BENCH_CEILING === "1";
const KEEP_ALIVE = process.env.BENCH_KEEP_ALIVE === "1";
const SLUG = "sukjai-health-hazard-licence";
/** BENCH_MODE=search measures registry searches (API) instead of filings. */
const SEARCH = process.env.BENCH_MODE === "search";
/** BENCH_MODE=events measures case events through the API (ACCEPT on cases a citizen filed just before, untimed). */
const EVENTS = process.env.BENCH_MODE === "events";
const SEARCH_TERMS = ["ร้าน", "สุขใจ", "อาหาร", "นนทบุรี", "เสริมสวย", "SKJ"];
const ENV: Record<string, string> = {
  RATE_LIMIT_REGISTRY_SEARCH: "1000000/minute",
  RATE_LIMIT_FILINGS_PER_API_KEY: "1000000/minute",
  RATE_LIMIT_FILINGS_PER_APPLICANT: "1000000/minute",
};

const log = (...args: unknown[]) => console.error(`[filing-cost ${new Date().toISOString().slice(11, 19)}]`, ...args);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** User + system CPU seconds of a process so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Figures = { rates: number[]; webMs: number[]; dbMs: number[] };
type System = { name: string; dir: string; base?: string; server?: ChildProcess; ceiling?: boolean; by: Map<number, Figures>; errors: string[] };

async function main() {
  const systems: System[] = (process.env.BENCH_SYSTEMS ?? "current=.").split(",").map((entry) => {
    const [name, dir] = entry.split("=");
    return { name, dir: path.resolve(dir), by: new Map(), errors: [] };
  });
  if (CEILING && !SEARCH && !EVENTS) systems.push({ name: "ceiling", dir: "", ceiling: true, by: new Map(), errors: [] });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-filing-cost-"));
  const ferret = await startFerretDb({ port: await freePort(), dataDir, log });
  const dbPid = ferret.process.pid!;
  try {
    process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
    for (const [i, system] of systems.entries()) {
      const uri = `${ferret.uri}cost_${i}`;
      process.env.MONGODB_URI = uri;
      await connectDb(uri);
      await seedDemo({ log: () => {} });
      await disconnectDb();
      if (system.ceiling) {
        const port = await freePort();
        system.server = spawn(process.execPath, ["--import", "tsx", "bench/ceilings/bare-filing-server.ts"], {
          env: { ...process.env, MONGODB_URI: uri, SERVICE_SLUG: SLUG, PORT: String(port) },
          stdio: ["ignore", "pipe", "inherit"],
        });
        await new Promise<void>((resolve, reject) => {
          system.server!.stdout!.on("data", (chunk: Buffer) => String(chunk).includes("ready") && resolve());
          system.server!.once("exit", (code) => reject(new Error(`ceiling server exited (${code})`)));
        });
        system.base = `http://127.0.0.1:${port}`;
        continue;
      }
      const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean);
      const started = await startBenchServer({ serverDir: system.dir, mongoUri: uri, env: ENV, nodeArgs });
      system.base = started.base;
      system.server = started.server;
    }
    let n = 300_000;
    const connection: Record<string, string> = KEEP_ALIVE ? {} : { Connection: "close" };
    for (let round = 0; round < ROUNDS; round++) {
      for (const CONCURRENCY of CONCURRENCIES)
        for (const system of round % 2 === 0 ? systems : [...systems].reverse()) {
          const figures = system.by.get(CONCURRENCY) ?? { rates: [], webMs: [], dbMs: [] };
          system.by.set(CONCURRENCY, figures);
          const payloads = await Promise.all(Array.from({ length: FILINGS }, async () => JSON.stringify({ data: await healthHazardApplication({}, n++) })));
          // Events: the cases are filed first by a citizen (an officer may not act on a case its own key filed).
          const caseIds = EVENTS ? await fileAsCitizen(system, payloads) : [];
          const web0 = cpuSeconds(system.server!.pid!);
          const db0 = cpuSeconds(dbPid);
          let next = 0;
          const start = performance.now();
          await Promise.all(
            Array.from({ length: CONCURRENCY }, async () => {
              while (next < FILINGS) {
                const i = next++;
                const res = EVENTS
                  ? await fetch(`${system.base}/api/v1/applications/${caseIds[i]}/events`, {
                      method: "POST",
                      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json", ...connection },
                      body: '{"type":"ACCEPT","rev":1}',
                    })
                  : SEARCH
                  ? await fetch(`${system.base}/api/v1/registry/permits?q=${encodeURIComponent(SEARCH_TERMS[i % SEARCH_TERMS.length])}&page=${1 + (i % 3)}`, {
                      headers: connection,
                    })
                  : await fetch(system.ceiling ? `${system.base}/` : `${system.base}/api/v1/services/${SLUG}/applications`, {
                      method: "POST",
                      headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json", ...connection },
                      body: payloads[i],
                    });
                const text = await res.text();
                if (res.status !== (SEARCH || EVENTS ? 200 : 201) && system.errors.length < 3) system.errors.push(`${res.status} ${text.slice(0, 200)}`);
              }
            })
          );
          const seconds = (performance.now() - start) / 1000;
          figures.rates.push(FILINGS / seconds);
          figures.webMs.push(((cpuSeconds(system.server!.pid!) - web0) * 1000) / FILINGS);
          figures.dbMs.push(((cpuSeconds(dbPid) - db0) * 1000) / FILINGS);
          log(
            `round ${round + 1} c=${CONCURRENCY} ${system.name}: ${figures.rates.at(-1)!.toFixed(1)}/s, web ${figures.webMs
              .at(-1)!
              .toFixed(1)} ms, db ${figures.dbMs.at(-1)!.toFixed(1)} ms CPU per filing (load ${os.loadavg()[0]!.toFixed(2)})`
          );
        }
    }
    const ceiling = systems.find((s) => s.ceiling);
    console.log(
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}; medians of ${ROUNDS} rounds of ${FILINGS}${KEEP_ALIVE ? ", keep-alive" : ", a connection per filing"}`
    );
    console.log("| system | concurrency | filings/s | web CPU ms/filing | database CPU ms/filing | ratio to ceiling |\n|---|---|---|---|---|---|");
    for (const c of CONCURRENCIES) {
      for (const s of systems) {
        const f = s.by.get(c)!;
        const ratio = ceiling && !s.ceiling ? (median(f.rates) / median(ceiling.by.get(c)!.rates)).toFixed(2) : "—";
        console.log(`| ${s.name} | ${c} | ${median(f.rates).toFixed(1)} | ${median(f.webMs).toFixed(2)} | ${median(f.dbMs).toFixed(2)} | ${ratio} |`);
      }
    }
    for (const s of systems) for (const e of s.errors) console.log(`- ${s.name}: ${e}`);
  } finally {
    for (const s of systems) await stopChild(s.server);
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const citizenSessions = new Map<System, Record<string, string>>();

/** Files each payload through the API as the demo citizen (8 at once) and returns the new cases' ids. */
async function fileAsCitizen(system: System, payloads: string[]): Promise<string[]> {
  let session = citizenSessions.get(system);
  if (!session) citizenSessions.set(system, (session = await sessionOf(system.base!, "citizen@demo.borikan.local")));
  const ids: string[] = new Array<string>(payloads.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < payloads.length) {
        const i = next++;
        const res = await fetch(`${system.base}/api/v1/services/${SLUG}/applications`, {
          method: "POST",
          headers: { ...session, "Content-Type": "application/json" },
          body: payloads[i],
        });
        if (res.status !== 201) throw new Error(`filing as the citizen: ${res.status} ${await res.text()}`);
        ids[i] = ((await res.json()) as { id: string }).id;
      }
    }),
  );
  return ids;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
