/**
 * Screener benchmark, on a seeded synthetic universe in a temporary data directory:
 * - a column screen of the built-in set (last, change %, ATR %, relative volume, SMA distance, RSI,
 *   volume, technical rating) over 1,000 symbols × 1,000 1h bars (target < 1 s);
 * - a tail refresh after a bar close (one new bar per symbol; target < 200 ms);
 * - a strategy screen (the SMA crossover template) over 500 symbols × 10,000 bars on the local
 *   worker pool, in bars/s, against the single-symbol backtest rate on the same pool.
 * Figures, not a test: run with `npm run bench:screen`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { screenParams } from "../common/api/screener.ts";
import { DEFAULT_COLUMNS, parseColumns } from "../common/screener/columns.ts";
import { silentLogger } from "../core/log.ts";
import { ColumnScreen } from "../core/screener/column-screen.ts";
import { runScreen } from "../core/screener/screen.ts";
import { runStrategyScreen } from "../core/screener/strategy-screen.ts";
import { generateSynthetic } from "../core/screener/synthetic.ts";
import { saveUniverse } from "../core/screener/universes.ts";
import { leaseBars } from "../core/store/bars-cache.ts";
import { Store } from "../core/store/index.ts";
import { backtestOnFile, prepareStrategy, resolveLimits } from "../core/strategy/runner.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../core/workers/entry.ts";
import { WorkerPool } from "../core/workers/pool.ts";

const SOURCE = fs.readFileSync(fileURLToPath(new URL("../resources/templates/sma-crossover.ts", import.meta.url)), "utf8");
const END = 1_700_000_000_000 - (1_700_000_000_000 % 3_600_000);
const rows: [string, string, string][] = [];

/** Wall time, and this process's CPU time (user + system, all its threads, DuckDB's included): less noisy on a busy machine. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await work();
  const cpu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

async function columnScreens(store: Store): Promise<void> {
  const members = await store.withMarket((db) => generateSynthetic(db, { symbols: 1000, bars: 1000, timeframe: "1h", seed: 1, end: END }));
  saveUniverse(store.app().db, "bench", "bench", members, true);
  const req = screenParams.parse({ universe: "bench", timeframe: "1h", columns: DEFAULT_COLUMNS, sort: "rating" });
  const deps = { app: () => store.app().db, market: () => store.market() };
  await runScreen(req, deps);
  const full = await timed(() => runScreen(req, deps));
  rows.push(["column screen, 1,000 × 1,000 1h bars (built-in set)", `${full.ms.toFixed(0)} ms`, `target < 1000 ms; CPU ${full.cpuMs.toFixed(0)} ms`]);
  const screen = new ColumnScreen({ members, timeframe: "1h", columns: parseColumns(DEFAULT_COLUMNS) });
  const db = await store.market();
  await screen.run(db);
  await db.conn.run(`INSERT INTO bars SELECT venue, symbol, tf_ms, ts + 3600000, close, high, low, close * 1.001, volume FROM bars WHERE venue = 'synthetic' AND ts = ${END}`);
  const tail = await timed(() => screen.refresh(db));
  rows.push([`tail refresh on bar close (${tail.value.barsFed} new bars)`, `${tail.ms.toFixed(0)} ms`, `target < 200 ms; CPU ${tail.cpuMs.toFixed(0)} ms`]);
}

async function strategyScreen(store: Store): Promise<void> {
  const symbols = 500;
  const bars = 10_000;
  const members = await store.withMarket((db) => generateSynthetic(db, { symbols, bars, timeframe: "1h", seed: 2, venue: "bench10k", end: END }));
  const workers = os.availableParallelism();
  const pool = new WorkerPool({ size: workers, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  try {
    const strategy = await prepareStrategy(SOURCE, "sma-crossover.ts", { typecheck: false });
    const lease = await leaseBars(await store.market(), { symbol: members[0]!.symbol, venue: "bench10k", timeframe: "1h" });
    const limits = resolveLimits({ memoryMb: 512, timeoutMs: 600_000 });
    const config = { cash: 100_000, commission: 0.001, slippageBps: 0 };
    await backtestOnFile(pool, strategy, lease.ref, config, limits);
    const single = await timed(() => backtestOnFile(pool, strategy, lease.ref, config, limits));
    lease.release();
    const singleRate = bars / (single.ms / 1000);
    rows.push(["single-symbol backtest, 10,000 bars (one worker)", `${single.ms.toFixed(0)} ms`, `${(singleRate / 1e6).toFixed(2)} M bars/s`]);
    const req = screenParams.parse({ universe: "bench10k", timeframe: "1h", strategy: { source: SOURCE, filename: "sma-crossover.ts" } });
    const run = await timed(() => runStrategyScreen(pool, store, members, req, { concurrency: workers, typecheck: false }));
    const failed = run.value.rows.filter((r) => r.error !== undefined).length;
    const rate = (symbols * bars) / (run.ms / 1000);
    rows.push([`strategy screen, ${symbols} × ${bars} bars (${workers} workers${failed ? `, ${failed} failed` : ""})`, `${(run.ms / 1000).toFixed(1)} s`, `${(rate / 1e6).toFixed(2)} M bars/s = ${(rate / singleRate).toFixed(2)} × single`]);
  } finally {
    await pool.shutdown();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-screen-"));
const store = new Store(dir);
try {
  await columnScreens(store);
  await strategyScreen(store);
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`${"what".padEnd(width)}  ${"time".padStart(9)}  figure / target`);
for (const [what, time, figure] of rows) console.log(`${what.padEnd(width)}  ${time.padStart(9)}  ${figure}`);
console.log(`(${os.availableParallelism()} cores; ${os.cpus()[0]?.model ?? "unknown CPU"}; load average ${os.loadavg()[0]!.toFixed(1)}: figures on a shared machine are noisy)`);
