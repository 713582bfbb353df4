// What every bench needs: percentiles, a timed loop with a budget, a concurrent pool, process CPU, the machine.
import { readFileSync } from "node:fs";
import os from "node:os";

export const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

export type Stats = { n: number; p50: number; p95: number; max: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN };
}

/** Runs `fn` `runs` times one after another (after one warm-up run), or until `budgetMs` is spent. */
export async function timeRuns(runs: number, fn: (i: number) => Promise<unknown>, budgetMs = 120_000): Promise<Stats> {
  await fn(-1);
  const samples: number[] = [];
  const end = Date.now() + budgetMs;
  for (let i = 0; i < runs && Date.now() < end; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return stats(samples);
}

/**
 * Times `a` and `b` in turns (a then b, then b then a, …; one warm-up of each), so that a busy spell on a shared
 * machine falls on both alike and their ratio is not skewed by when each block ran.
 */
export async function timeAlternated(runs: number, a: () => Promise<unknown>, b: () => Promise<unknown>, budgetMs = 240_000): Promise<[Stats, Stats]> {
  await a();
  await b();
  const samples: [number[], number[]] = [[], []];
  const end = Date.now() + budgetMs;
  const time = async (fn: () => Promise<unknown>, into: number[]) => {
    const start = performance.now();
    await fn();
    into.push(performance.now() - start);
  };
  for (let i = 0; i < runs && Date.now() < end; i++) {
    if (i % 2 === 0) {
      await time(a, samples[0]);
      await time(b, samples[1]);
    } else {
      await time(b, samples[1]);
      await time(a, samples[0]);
    }
  }
  return [stats(samples[0]), stats(samples[1])];
}

/** `n` tasks at `concurrency`: throughput per second and latency. */
export async function runPool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<Stats & { perSecond: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const start = performance.now();
        await task(i);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...stats(latencies), perSecond: n / seconds, seconds, latencies };
}

/** CPU time (user + system) a process has used so far, in ms (Linux). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiBOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(" ");
}

export function machine(): [string, string][] {
  const cpus = os.cpus();
  return [
    ["Node", process.version],
    ["CPUs", `${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}`],
    ["Memory", `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ["Platform", `${os.platform()} ${os.release()} ${os.arch()}`],
    ["Database", "FerretDB v1.24.2 (patched), SQLite backend (embedded), fresh temp dir"],
  ];
}

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : "n/a");
