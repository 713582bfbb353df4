/**
 * Counts the database commands one filing (and one transition of it) sends, per command and collection, for builds side by side:
 * a loopback proxy between each server and FerretDB reads the wire protocol's command names.
 *   BENCH_SYSTEMS="baseline=/tmp/borikan-baseline,current=." npx tsx bench/wire-count.ts
 * With BENCH_WIRE_CONCURRENCY=8 (say) it also counts filings sent that many at once (what group commit saves),
 * printed as a third section per system.
 */
import net from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { DEMO_API_KEY, seedDemo } from "~/services/seed-demo.server";
import { healthHazardApplication } from "../test/support/factories";
import { sessionCookieOf } from "../test/support/sessions";
import { BENCH_KEY_SECRET, startBenchServer, stopChild } from "./server-process";

const FILINGS = 20;
const CONCURRENCY = Number(process.env.BENCH_WIRE_CONCURRENCY ?? 0);
const CONCURRENT_FILINGS = 80;
const SLUG = "sukjai-health-hazard-licence";

function commandOf(msg: Buffer): string {
  if (msg.readInt32LE(12) !== 2013) return `op${msg.readInt32LE(12)}`;
  const at = 21; // header 16 + flags 4 + section kind 1
  const type = msg[at + 4];
  const end = msg.indexOf(0, at + 5);
  const name = msg.toString("utf8", at + 5, end);
  if (type === 2) return `${name} ${msg.toString("utf8", end + 5, msg.indexOf(0, end + 5))}`;
  return name;
}

async function proxy(target: number, counts: Map<string, number>) {
  const port = await freePort();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    let pending = Buffer.alloc(0);
    client.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const len = pending.readInt32LE(0);
        const key = commandOf(pending.subarray(0, len));
        counts.set(key, (counts.get(key) ?? 0) + 1);
        pending = pending.subarray(len);
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => {});
    upstream.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return { port, server };
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-wire-"));
  const ferretPort = await freePort();
  const ferret = await startFerretDb({ port: ferretPort, dataDir, log: () => {} });
  process.env.KEY_ENCRYPTION_SECRET = BENCH_KEY_SECRET;
  try {
    let n = 500_000;
    for (const [i, entry] of (process.env.BENCH_SYSTEMS ?? "current=.").split(",").entries()) {
      const [name, dir] = entry.split("=");
      const db = `wire_${i}`;
      process.env.MONGODB_URI = `${ferret.uri}${db}`;
      await connectDb(process.env.MONGODB_URI);
      await seedDemo({ log: () => {} });
      // The filer (the API key) may not act on its own case: the officer moves it, signed in.
      const officerCookie = await sessionCookieOf("officer@sukjai.demo.borikan.local");
      await disconnectDb();
      const counts = new Map<string, number>();
      const p = await proxy(ferretPort, counts);
      const started = await startBenchServer({ serverDir: path.resolve(dir), mongoUri: `mongodb://127.0.0.1:${p.port}/${db}`, env: { RATE_LIMIT_FILINGS_PER_API_KEY: "1000000/minute" } });
      // warm up, then count
      for (let k = 0; k < 3; k++) await file(started.base, n++);
      counts.clear();
      const filed: string[] = [];
      for (let k = 0; k < FILINGS; k++) filed.push(await file(started.base, n++));
      const perFiling = new Map(counts);
      counts.clear();
      for (const id of filed) await accept(started.base, id, officerCookie);
      const perTransition = new Map(counts);
      const sections: [string, Map<string, number>, number][] = [
        ["filing", perFiling, FILINGS],
        ["transition (ACCEPT through the API)", perTransition, FILINGS],
      ];
      if (CONCURRENCY > 0) {
        counts.clear();
        let next = 0;
        const first = n;
        n += CONCURRENT_FILINGS;
        await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
          while (next < CONCURRENT_FILINGS) await file(started.base, first + next++);
        }));
        sections.push([`filing, ${CONCURRENCY} at once`, new Map(counts), CONCURRENT_FILINGS]);
      }
      await stopChild(started.server);
      p.server.close();
      for (const [what, tally, per] of sections) {
        console.log(`\n## ${name}: commands per ${what}`);
        const rows = [...tally].filter(([k]) => !/^(hello|isMaster|ismaster|ping|endSessions)/.test(k)).sort((a, b) => b[1] - a[1]);
        for (const [k, c] of rows) console.log(`${(c / per).toFixed(2).padStart(6)}  ${k}`);
        console.log(`${(rows.reduce((s, [, c]) => s + c, 0) / per).toFixed(2).padStart(6)}  total`);
      }
    }
  } finally {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function file(base: string, n: number) {
  const res = await fetch(`${base}/api/v1/services/${SLUG}/applications`, {
    method: "POST",
    headers: { Authorization: `Bearer ${DEMO_API_KEY}`, "Content-Type": "application/json", Connection: "close" },
    body: JSON.stringify({ data: await healthHazardApplication({}, n) }),
  });
  if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function accept(base: string, id: string, cookie: string) {
  const res = await fetch(`${base}/api/v1/applications/${id}/events`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: base, "Content-Type": "application/json", Connection: "close" },
    body: JSON.stringify({ type: "ACCEPT" }),
  });
  if (res.status !== 200) throw new Error(`ACCEPT: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
