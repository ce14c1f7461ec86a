/** `backtestOnFile` with `thinCurve`: the worker sends the saved run's thinned curve, the same one the caller would thin from the per-bar equity. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BarColumns } from "../../common/market/bars.ts";
import { thinEquityCurve } from "../../common/strategy/equity-curve.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { withBarsFile } from "./bars-handoff.ts";
import { backtestOnFile, prepareStrategy, resolveLimits } from "./runner.ts";

const SOURCE = fs.readFileSync(path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts"), "utf8");
let pool: WorkerPool;

/** `n` minute bars of a wave with noise, 4-decimal closes. */
function waveBars(n: number): BarColumns {
  const time = new Float64Array(n);
  const close = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    time[i] = 1_700_000_000_000 + i * 60_000;
    close[i] = Math.round((100 + 5 * Math.sin(i / 40) + ((i * 7919) % 13) * 0.05) * 1e4) / 1e4;
  }
  return { symbol: "WAVE", time, open: close, high: close, low: close, close, volume: new Float64Array(n).fill(1) };
}

beforeAll(() => {
  pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
});
afterAll(async () => {
  await pool.shutdown();
});

describe("backtestOnFile with thinCurve", () => {
  it("gives the curve thinned from the per-bar equity, the same records and metrics, and no per-bar arrays", async () => {
    const strategy = await prepareStrategy(SOURCE, "sma.ts", { typecheck: false });
    const bars = waveBars(20_000);
    const config = { cash: 100_000, commission: 0.001, slippageBps: 0 };
    const [full, thin] = await withBarsFile(bars, async (ref) => [
      await backtestOnFile(pool, strategy, ref, config, resolveLimits()),
      await backtestOnFile(pool, strategy, ref, config, resolveLimits(), { thinCurve: true }),
    ]);
    expect(full.equity.length).toBe(20_000);
    expect(full.trades.length).toBeGreaterThan(10);
    expect(full.equityCurve).toBeNull();
    expect(thin.equityCurve).toEqual(thinEquityCurve(bars.time, full.equity));
    expect([thin.equity.length, thin.exposure.length]).toEqual([0, 0]);
    expect([thin.trades, thin.orders, thin.metrics, thin.finalEquity]).toEqual([full.trades, full.orders, full.metrics, full.finalEquity]);
  });
});
