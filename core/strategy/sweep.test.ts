import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { allocateBars } from "../../common/market/bars.ts";
import { expandGrid } from "../../common/strategy/sweep.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { prepareStrategy, resolveLimits } from "./runner.ts";
import { holdoutSplit, runSweep } from "./sweep-runner.ts";

const SOURCE = fs.readFileSync(path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts"), "utf8");
const N = 3000;
const bars = allocateBars("SYN", N);
for (let i = 0; i < N; i++) {
  const c = 100 + 20 * Math.sin(i / 40) + 5 * Math.sin(i / 7);
  bars.time[i] = i * 60_000;
  bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = c;
}
const CONFIG = { cash: 100_000, commission: 0.001, slippageBps: 0 };
let pool: WorkerPool | null = null;
afterEach(async () => {
  await pool?.shutdown();
  pool = null;
});

describe("sweeps", () => {
  it("expands a grid, first key slowest", () => {
    expect(expandGrid({ a: [1, 2], b: [3, 4] })).toEqual([{ a: 1, b: 3 }, { a: 1, b: 4 }, { a: 2, b: 3 }, { a: 2, b: 4 }]);
    expect(holdoutSplit(100, 0.3)).toBe(70);
    expect(holdoutSplit(100, 0)).toBe(0);
  });

  it("completes when a worker is killed mid-sweep, reports failing combinations, and gives out-of-sample results", async () => {
    pool = new WorkerPool({ size: 2, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    await pool.warmUp();
    const strategy = await prepareStrategy(SOURCE, "sma.ts", { typecheck: false });
    const grid = { fast: [3, 5, 8, 13], slow: [20, 40, "oops"] };
    let killed = 0;
    const rows = await runSweep(pool, strategy, bars, CONFIG, resolveLimits({ timeoutMs: 20_000 }), {
      grid,
      holdout: 0.3,
      concurrency: 2,
      onProgress: (done) => {
        if (done >= 1 && killed === 0) {
          killed = pool!.status().pids[0]!;
          process.kill(killed, "SIGKILL");
        }
      },
    });
    expect(killed).toBeGreaterThan(0);
    expect(pool.status().restarts).toBeGreaterThanOrEqual(1);
    expect(rows.map((r) => r.index)).toEqual([...Array(12).keys()]);
    const failed = rows.filter((r) => !r.ok);
    expect(failed.map((r) => r.params.slow)).toEqual(["oops", "oops", "oops", "oops"]);
    for (const r of rows) if (r.ok) expect(r.outOfSample).not.toBeNull();
  });

  it("is cancellable", async () => {
    pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    const strategy = await prepareStrategy(SOURCE, "sma.ts", { typecheck: false });
    const ctrl = new AbortController();
    const run = runSweep(pool, strategy, bars, CONFIG, resolveLimits(), {
      grid: { fast: [2, 3, 4, 5, 6, 7, 8, 9], slow: [20, 30, 40, 50] },
      holdout: 0,
      concurrency: 1,
      signal: ctrl.signal,
      onProgress: () => ctrl.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: "cancelled" });
  });

  it("in-sample metrics of a holdout sweep equal a run on the in-sample bars alone (no look-ahead)", async () => {
    pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    const strategy = await prepareStrategy(SOURCE, "sma.ts", { typecheck: false });
    const split = holdoutSplit(N, 0.3);
    const [withHoldout] = await runSweep(pool, strategy, bars, CONFIG, resolveLimits(), { grid: { fast: [5], slow: [20] }, holdout: 0.3, concurrency: 1 });
    const head = { symbol: "SYN", time: bars.time.slice(0, split), open: bars.open.slice(0, split), high: bars.high.slice(0, split), low: bars.low.slice(0, split), close: bars.close.slice(0, split), volume: bars.volume.slice(0, split) };
    const [alone] = await runSweep(pool, strategy, head, CONFIG, resolveLimits(), { grid: { fast: [5], slow: [20] }, holdout: 0, concurrency: 1 });
    expect(withHoldout!.ok && alone!.ok).toBe(true);
    if (withHoldout!.ok && alone!.ok) {
      expect(withHoldout!.finalEquity).toBe(alone!.finalEquity);
      expect(withHoldout!.metrics.totalReturn).toBe(alone!.metrics.totalReturn);
    }
  });
});
