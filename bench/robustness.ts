/**
 * Robustness benchmark: a walk-forward of a 100-combination grid (SMA crossover template), 8
 * rolling folds at in-sample ratio 3, on 1M synthetic 1-minute bars, against a plain sweep of the
 * same grid on the same bars, both on a local pool of one worker per core. Prints time and bars/s
 * (bar-runs: bars × combinations processed). Figures, not a test: `npm run bench:robustness`.
 */
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { syntheticBars } from "./synthetic-bars.ts";
import { walkForwardWindows } from "../common/robustness/walkforward.ts";
import type { BacktestConfig } from "../common/strategy/results.ts";
import { silentLogger } from "../core/log.ts";
import { runWalkForward } from "../core/robustness/walkforward.ts";
import { prepareStrategy, resolveLimits } from "../core/strategy/runner.ts";
import { runSweep } from "../core/strategy/sweep-runner.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../core/workers/entry.ts";
import { WorkerPool } from "../core/workers/pool.ts";

const SOURCE = fs.readFileSync(fileURLToPath(new URL("../resources/templates/sma-crossover.ts", import.meta.url)), "utf8");
const CONFIG: BacktestConfig = { cash: 1_000_000, commission: 0.001, slippageBps: 0 };
const LIMITS = resolveLimits({ memoryMb: 1024, timeoutMs: 600_000 });
const GRID = { fast: [3, 5, 8, 10, 13, 15, 20, 25, 30, 40], slow: [30, 40, 50, 60, 80, 100, 120, 150, 200, 250] };
const N = 1_000_000;
const FOLDS = 8;


const rate = (barRuns: number, ms: number) => `${((barRuns / ms) * 1000 / 1e6).toFixed(1)}M bar-runs/s`;

async function main(): Promise<void> {
  const bars = syntheticBars(N);
  const workers = os.availableParallelism();
  const strategy = await prepareStrategy(SOURCE, "sma-crossover.ts", { typecheck: false });
  const pool = new WorkerPool({ size: workers, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  await pool.warmUp();
  const combos = GRID.fast.length * GRID.slow.length;
  try {
    let t0 = performance.now();
    await runSweep(pool, strategy, bars, CONFIG, LIMITS, { grid: GRID, holdout: 0, concurrency: workers });
    const sweepMs = performance.now() - t0;
    const opts = { grid: GRID, folds: FOLDS, inSampleRatio: 3, anchored: false, objective: "sharpe" as const, warmupBars: 0, concurrency: workers };
    const windows = walkForwardWindows(N, opts);
    const wfBarRuns = windows.reduce((a, w) => a + (w.inSample.to - w.inSample.from) * combos + (w.outOfSample.to - w.outOfSample.from), 0);
    t0 = performance.now();
    const wf = await runWalkForward(pool, strategy, bars, CONFIG, LIMITS, opts);
    const wfMs = performance.now() - t0;
    console.log(`bars ${N}, grid ${combos} combinations, ${workers} workers`);
    console.log(`plain sweep:  ${(sweepMs / 1000).toFixed(1)} s, ${rate(N * combos, sweepMs)}`);
    console.log(`walk-forward: ${(wfMs / 1000).toFixed(1)} s, ${rate(wfBarRuns, wfMs)} (${FOLDS} folds, ${(wfBarRuns / (N * combos)).toFixed(2)}x the sweep's bar-runs), ${(wfMs / sweepMs).toFixed(2)}x the sweep's time`);
    console.log(`stitched OOS return ${((wf.stitched.metrics.totalReturn ?? Number.NaN) * 100).toFixed(2)}%, efficiency ${wf.efficiency?.toFixed(2) ?? "n/a"}, params changed ${wf.stability.changes}/${wf.stability.comparisons}`);
  } finally {
    await pool.shutdown();
  }
}

await main();
