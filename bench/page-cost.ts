/**
 * Where a rendered page's time goes (ADR 022): seeds the demo plus `--cases N` cases of the demo agency, then, in
 * this process and through Remix's request handler as bench/lib/ssr-child.ts does, for the apply page (as the
 * demo citizen) and the inbox (as the demo officer): the database commands one request sends (per command and
 * collection), the request's p50 against plain `renderToString` of the same tree, and with `--profile` the CPU
 * self time of the timed requests by package. Needs a build of this worktree (`npx remix build`).
 *
 *   NODE_ENV=production SESSION_SECRET=bench-secret-0123456789 KEY_ENCRYPTION_SECRET=bench-key-secret-0123456789 BORIKAN_DEMO=1 \
 *     npx tsx bench/page-cost.ts --cases 1000 --runs 60 [--profile [rendering]] [--path /inbox?q=...]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { freePort, startFerretDb } from "../scripts/ferretdb.mjs";
import { getCase } from "~/models/case.server";
import { findUserByEmail } from "~/models/user.server";
import { seedDemo } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { disconnectDb } from "~/utils/db.server";
import { healthHazardApplication } from "../test/support/factories";
import { citizen, HEALTH_HAZARD_SLUG } from "../test/support/journeys";
import { sessionCookieOf } from "../test/support/sessions";
import { insertCases, stepsOf } from "./lib/data-path";
import { connectCountingCommands } from "./lib/command-count";
import { log, ms, type Stats, timeRuns } from "./lib/measure";
import { replayingLoaders } from "./lib/replay-loaders";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const CASES = Number(option("--cases", "1000"));
const RUNS = Number(option("--runs", "60"));
// `--profile` profiles the whole requests, `--profile rendering` those with the data already read.
const PROFILE = args.includes("--profile") ? (option("--profile", "request") === "rendering" ? "rendering" : "request") : null;
const ONLY = option("--path", "");
if (process.env.NODE_ENV !== "production") log("NODE_ENV is not production: React's development build makes every render slower");

const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };

const dataDir = mkdtempSync(path.join(os.tmpdir(), "borikan-page-cost-"));
const database = await startFerretDb({ port: await freePort(), dataDir, log: () => undefined });
const uri = `${database.uri}borikan_page_cost`;
process.env.MONGODB_URI = uri;
try {
  const counter = await connectCountingCommands(uri);
  const { counts } = counter;
  await seedDemo({ log: () => undefined });
  const me = (await findUserByEmail("citizen@demo.borikan.local"))!;
  const filed = await submitApplication(await citizen(), HEALTH_HAZARD_SLUG, await healthHazardApplication({}, 1), "web");
  await insertCases({ template: (await getCase(filed.id))!, n: CASES, agencies: ["sukjai"], steps: await stepsOf("sukjai"), applicant: { id: String(me._id), name: me.name, cases: 49 }, prefix: "BK-P", seed: 1 });
  log(`seeded ${CASES} cases; load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  let captured: { context: unknown; url: string } | undefined;
  const original = build.entry.module.default;
  const replaying = replayingLoaders(build);
  const handle = createRequestHandler(
    { ...replaying.build, entry: { module: { ...build.entry.module, default: (request, status, headers, context, load) => ((captured = { context, url: request.url }), original(request, status, headers, context, load)) } } },
    "production",
  );
  // As server.js does: each request in its own configuration-stamp scope (one stamp read per request).
  const { configStampScope } = build.entry.module as unknown as { configStampScope: () => (req: unknown, res: { once(e: "close", l: () => void): unknown }, next: () => void) => void };
  const inScope = <T,>(work: () => Promise<T>) => new Promise<T>((resolve, reject) => configStampScope()(null, { once: () => undefined }, () => void work().then(resolve, reject)));
  // The registry index loads in the background when the build is imported: wait until it stops reading permits.
  counter.counting = true;
  for (let quiet = 0, last = -1; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 500));
    const n = counts.get("find permits") ?? 0;
    quiet = n === last ? quiet + 1 : 0;
    last = n;
  }
  counter.counting = false;
  const pages = [
    ["apply page", `/services/${HEALTH_HAZARD_SLUG}/apply`, "citizen@demo.borikan.local"],
    ["inbox page", "/inbox", "officer@sukjai.demo.borikan.local"],
  ] as const;
  const chosen = ONLY ? [["page", ONLY, ONLY.startsWith("/inbox") ? "officer@sukjai.demo.borikan.local" : "citizen@demo.borikan.local"] as const] : pages;
  for (const [name, url, email] of chosen) {
    const cookie = await sessionCookieOf(email);
    const request = () => inScope(async () => {
      const res = await handle(new Request(`http://localhost${url}`, { headers: { Cookie: cookie } }), { cspNonce: "bench" });
      // Bytes, as a server writes them to its socket (decoding them to text is the client's work, not rendering).
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    });
    captured = undefined;
    for (let i = 0; i < 5; i++) await request();
    const tree = captured!;
    counts.clear();
    counter.counting = true;
    const COUNTED = 20;
    for (let i = 0; i < COUNTED; i++) await request();
    counter.counting = false;
    const perRequest = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n / COUNTED}`);
    const total = [...counts.values()].reduce((a, b) => a + b, 0) / COUNTED;
    console.log(`${name} (${url}): ${total} commands per request: ${perRequest.join(", ") || "none"}`);

    const dbPid = (database as unknown as { process: { pid: number } }).process.pid;
    const cpu0 = { node: process.cpuUsage(), db: cpuMs(dbPid) };
    const remix = PROFILE === "request" ? await profiled(() => timeRuns(RUNS, request)) : await timeRuns(RUNS, request);
    const remixCpu = { node: cpuOf(process.cpuUsage(cpu0.node)) / (remix.n + 1), db: (cpuMs(dbPid) - cpu0.db) / (remix.n + 1) };
    const cpu1 = process.cpuUsage();
    const plain = await timeRuns(RUNS, async () => void renderToString(createElement(RemixServer, { context: tree.context as never, url: tree.url, nonce: "bench" })));
    const plainCpu = cpuOf(process.cpuUsage(cpu1)) / (plain.n + 1);
    console.log(`  request p50 ${ms(remix.p50)} p95 ${ms(remix.p95)}; renderToString p50 ${ms(plain.p50)}; ratio ${(plain.p50 / remix.p50).toFixed(2)}`);
    replaying.record();
    await request();
    replaying.replay();
    const cpu2 = process.cpuUsage();
    const dataRead = PROFILE === "rendering" ? await profiled(() => timeRuns(RUNS, request)) : await timeRuns(RUNS, request);
    const dataReadCpu = cpuOf(process.cpuUsage(cpu2)) / (dataRead.n + 1);
    replaying.passThrough();
    console.log(`  with the data already read: p50 ${ms(dataRead.p50)} p95 ${ms(dataRead.p95)}; ratio ${(plain.p50 / dataRead.p50).toFixed(2)}; CPU ${ms(dataReadCpu)}`);
    console.log(`  CPU per request: web ${ms(remixCpu.node)} + engine ${ms(remixCpu.db)}${PROFILE === "request" ? " (profiled)" : ""}; renderToString ${ms(plainCpu)}; CPU ratio ${(plainCpu / (remixCpu.node + remixCpu.db)).toFixed(2)}`);
  }
  log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  await disconnectDb();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);

/** Runs `timed` under V8's sampling profiler and prints self time per request by package and by function. */
async function profiled(timed: () => Promise<Stats>): Promise<Stats> {
  const profiler = new (await import("node:inspector/promises")).Session();
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
  const result = await timed();
  const { profile } = (await profiler.post("Profiler.stop")) as { profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } };
  profiler.disconnect();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes as (Node & { children?: number[] })[]) for (const c of n.children ?? []) parent.set(c, n.id);
  // A native frame (no script) is charged to the nearest caller with one, so "dispatch" says whose it is.
  const owner = (id: number): Node => {
    let n = byId.get(id)!;
    const special = /^\((garbage collector|idle|program|root)\)$/.test(n.callFrame.functionName);
    while (!special && !n.callFrame.url && parent.has(n.id)) n = byId.get(parent.get(n.id)!)!;
    return n.callFrame.url || special ? n : byId.get(id)!;
  };
  const buckets = new Map<string, number>();
  const fns = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = owner(id);
    const url = n.callFrame.url;
    const bucket = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (/\/build\//.test(url) ? "app (build)" : url ? "other js" : n.callFrame.functionName || "(native)");
    const t = (profile.timeDeltas[i] ?? 0) / 1000 / (result.n + 1);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + t);
    const key = `${n.callFrame.functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(/^.*\/(build|app)\//, "$1/")}:${n.callFrame.lineNumber}`;
    fns.set(key, (fns.get(key) ?? 0) + t);
  });
  console.log(`  self time per request by package (ms): ${[...buckets].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, t]) => `${k} ${t.toFixed(2)}`).join(", ")}`);
  for (const [key, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${t.toFixed(2).padStart(7)}  ${key}`);
  return result;
}

