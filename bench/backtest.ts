/**
 * Backtest benchmark: SMA(10/30) crossover (the template) on 1M synthetic 1-minute bars.
 * - end to end: compile + send the bars to a worker + sandbox run + metrics back;
 * - engine only: the bar loop inside the sandbox (bars/s);
 * - the same engine loop as plain JS in this process, outside any sandbox (the peer), and the
 *   sandbox's overhead relative to it;
 * - a 100-combination sweep on 100k bars with one worker and with one worker per core: first on
 *   fresh workers, then again (warm sandboxes), with the CPU the workers used (cores busy, and per
 *   combination: a figure that the machine's other load disturbs less than the wall time);
 * - the vectorised numpy reference on the same bars and the engine's rate against it;
 * - the whole `workstation backtest --json` process on a 1M-bar CSV, cold / repeated / with a core
 *   running, against backtrader's 44 s (`backtest-cli.ts`; skip with BENCH_NO_CLI=1).
 * Figures, not a test: run with `npm run bench:backtest`.
 */
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { Session } from "node:inspector/promises";
import { Worker } from "node:worker_threads";
import { syntheticBars } from "./synthetic-bars.ts";
import { DEFAULT_CAPS, definitionOf, runBacktest } from "../common/strategy/engine/backtest.ts";
import "../common/strategy/engine/sandbox-entry.ts";
import type { BacktestConfig } from "../common/strategy/results.ts";
import { silentLogger } from "../core/log.ts";
import { backtestOnPool, prepareStrategy, resolveLimits } from "../core/strategy/runner.ts";
import { runSweep } from "../core/strategy/sweep-runner.ts";
import { WORKER_EXEC_ARGV, WORKER_V8_FLAGS, defaultWorkerEntry } from "../core/workers/entry.ts";
import { WorkerPool } from "../core/workers/pool.ts";
import { cliRows, numpyRow, type BenchRow } from "./backtest-cli.ts";

// The plain-JS peer runs under the workers' V8 flags, so the two rows compare the same compiler.
for (const flag of WORKER_V8_FLAGS) v8.setFlagsFromString(flag);

const SOURCE = fs.readFileSync(fileURLToPath(new URL("../resources/templates/sma-crossover.ts", import.meta.url)), "utf8");
const CONFIG: BacktestConfig = { cash: 1_000_000, commission: 0.001, slippageBps: 0 };
const LIMITS = resolveLimits({ memoryMb: 1024, timeoutMs: 600_000 });


function best<T>(runs: number, f: () => T): { ms: number; value: T } {
  let ms = Number.POSITIVE_INFINITY;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, value };
}

async function bestAsync<T>(runs: number, f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let ms = Number.POSITIVE_INFINITY;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = await f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, value };
}

/** Time for `threads` threads each spinning through the same fixed CPU-bound loop at once. */
async function spin(threads: number): Promise<number> {
  const code = "let x = 0; for (let i = 0; i < 3e8; i++) x = (x + i * 7) % 1000003; require('node:worker_threads').parentPort.postMessage(x);";
  const t0 = performance.now();
  await Promise.all(Array.from({ length: threads }, () => new Promise((resolve, reject) => new Worker(code, { eval: true }).once("message", resolve).once("error", reject))));
  return performance.now() - t0;
}

/** CPU time (user + system, every thread) of these processes so far, from /proc (0 where unreadable). */
function workersCpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not Linux, or the process is gone: counted as 0
    }
  }
  return ticks * 10;
}

/** Bytes allocated by `f` (V8's sampling heap profiler, every 1 KiB, objects since collected included). */
async function allocatedBytes(f: () => void): Promise<number> {
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.startSampling", { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  f();
  const { profile } = await session.post("HeapProfiler.stopSampling");
  session.disconnect();
  type Node = { selfSize: number; children: Node[] };
  const total = (n: Node): number => n.children.reduce((sum, c) => sum + total(c), n.selfSize);
  return total(profile.head as Node);
}

/** The workers' CPU during a sweep: cores busy, and CPU time per combination (every thread of the workers). */
const busy = (run: { cores: number; cpuPerCombo: number }) => `${run.cores.toFixed(2)} cores busy, ${run.cpuPerCombo.toFixed(1)} ms CPU/combination`;

const rate = (bars: number, ms: number) => `${((bars / ms) * 1000 / 1e6).toFixed(2)}M bars/s`;

async function main(): Promise<void> {
  const bars = syntheticBars(1_000_000);
  const strategy = await prepareStrategy(SOURCE, "sma-crossover.ts", { typecheck: false });
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger(), spareSandbox: true });
  await pool.warmUp();
  await backtestOnPool(pool, strategy, bars, CONFIG, LIMITS); // warm the worker's engine bundle
  let engineMs = Number.POSITIVE_INFINITY;
  const e2e = await bestAsync(3, async () => {
    // A user's idle time between two runs: the worker's spare sandbox (warmed engine) is ready.
    await pool.call("strategy.spareReady", {});
    const result = await backtestOnPool(pool, await prepareStrategy(SOURCE, "sma-crossover.ts", { typecheck: false }), bars, CONFIG, LIMITS);
    engineMs = Math.min(engineMs, result.engineMs);
    return result;
  });
  await pool.shutdown();

  const mod = new Function(`${strategy.code}\nreturn __strategyModule;`)() as { default: unknown };
  // The peer writes into arrays allocated once, as the sandbox run writes into a reused shared buffer.
  const out = { equity: new Float64Array(bars.time.length), exposure: new Uint8Array(bars.time.length) };
  const plain = best(3, () => runBacktest(definitionOf(mod.default), bars, CONFIG, DEFAULT_CAPS, { out }));
  const perBar = (await allocatedBytes(() => runBacktest(definitionOf(mod.default), bars, CONFIG, DEFAULT_CAPS, { out }))) / bars.time.length;

  const sweepBars = syntheticBars(100_000);
  const grid = { fast: [3, 5, 8, 10, 13, 15, 20, 25, 30, 40], slow: [30, 40, 50, 60, 80, 100, 120, 150, 200, 250] };
  /** A sweep on fresh workers, then the same sweep again (warm sandboxes), with the workers' CPU time. */
  const sweepWith = async (workers: number) => {
    const p = new WorkerPool({ size: workers, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    await p.warmUp();
    const timed = async () => {
      const cpu0 = workersCpuMs(p.status().pids);
      const t0 = performance.now();
      const rows = await runSweep(p, strategy, sweepBars, CONFIG, LIMITS, { grid, holdout: 0.3, concurrency: workers });
      const ms = performance.now() - t0;
      const cpuMs = workersCpuMs(p.status().pids) - cpu0;
      return { ms, cores: cpuMs / ms, cpuPerCombo: cpuMs / rows.length, failed: rows.filter((r) => !r.ok).length };
    };
    const cold = await timed();
    const warm = await timed();
    await p.shutdown();
    return { cold, warm, failed: cold.failed + warm.failed };
  };
  const cores = os.availableParallelism();
  const spinOne = await spin(1);
  const spinAll = await spin(cores);
  const one = await sweepWith(1);
  const all = await sweepWith(cores);

  const numpy = numpyRow(bars, engineMs);
  const cli = process.env.BENCH_NO_CLI === "1" ? [] : await cliRows();
  const rows: BenchRow[] = [
    ["1M bars end to end (compile + IPC + sandbox + metrics)", `${e2e.ms.toFixed(0)} ms`, rate(1e6, e2e.ms)],
    ["1M bars engine only, in the sandbox (spare ready)", `${engineMs.toFixed(0)} ms`, rate(1e6, engineMs)],
    ["1M bars same engine as plain JS, no sandbox (peer)", `${plain.ms.toFixed(0)} ms`, rate(1e6, plain.ms)],
    ["bytes allocated per bar, plain JS run (sampled; orders and trades included)", `${perBar.toFixed(1)} B`, "a machine-independent figure"],
    numpy,
    ["sandbox overhead vs plain JS", `${(((engineMs / plain.ms) - 1) * 100).toFixed(1)} %`, `ratio ${(engineMs / plain.ms).toFixed(2)}`],
    [`sweep 100 combos x 100k bars, 1 worker, fresh workers`, `${one.cold.ms.toFixed(0)} ms`, `${rate(1e7, one.cold.ms)}, ${busy(one.cold)}`],
    [`sweep 100 combos x 100k bars, ${cores} workers, fresh workers`, `${all.cold.ms.toFixed(0)} ms`, `speed-up ${(one.cold.ms / all.cold.ms).toFixed(2)}x, ${busy(all.cold)}`],
    [`sweep again (warm sandboxes), 1 worker`, `${one.warm.ms.toFixed(0)} ms`, `${rate(1e7, one.warm.ms)}, ${busy(one.warm)}`],
    [`sweep again (warm sandboxes), ${cores} workers`, `${all.warm.ms.toFixed(0)} ms`, `speed-up ${(one.warm.ms / all.warm.ms).toFixed(2)}x, ${busy(all.warm)}`],
    [`machine ceiling: ${cores} CPU-bound threads vs 1 (same work each)`, `${spinAll.toFixed(0)} ms`, `speed-up ${((spinOne * cores) / spinAll).toFixed(2)}x`],
    ...cli,
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${"case".padEnd(w)}  ${"time".padStart(9)}  rate`);
  for (const [name, t, r] of rows) console.log(`${name.padEnd(w)}  ${t.padStart(9)}  ${r}`);
  console.log(`trades in the 1M-bar run: ${e2e.value.trades.length}; same trades outside the sandbox: ${JSON.stringify(plain.value.trades) === JSON.stringify(e2e.value.trades)}`);
  if (one.failed + all.failed > 0) console.log(`failed sweep combinations: ${one.failed + all.failed}`);
}

await main();
