/**
 * The combinations of a sweep share one warm sandbox per worker: nothing one run does may reach
 * the next. These tests try every channel a strategy has (global object, engine prototypes,
 * intrinsics, module state, Math.random, realm state such as RegExp's legacy statics and
 * Error.stackTraceLimit) and require identical results to a run on its own.
 */
import { afterEach, describe, expect, it } from "vitest";
import { allocateBars } from "../../common/market/bars.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { backtestOnPool, prepareStrategy, resolveLimits } from "./runner.ts";
import { runSweep } from "./sweep-runner.ts";

const N = 400;
const bars = allocateBars("SYN", N);
for (let i = 0; i < N; i++) {
  const c = 100 + 10 * Math.sin(i / 15);
  bars.time[i] = i * 60_000;
  bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = c;
}
const CONFIG = { cash: 100_000, commission: 0.001, slippageBps: 0, seed: 7 };
const LIMITS = resolveLimits({ timeoutMs: 20_000 });

/** With `poison` 1 the strategy tries to leave state behind; every result depends on such state. */
const POISONER = `import { defineStrategy } from "workstation";
let calls = 0;
const attempts = (ta) => [
  () => { globalThis.leak = 1000; },
  () => { Object.getPrototypeOf(ta.sma(2)).update = () => 0; },
  () => { Object.getPrototypeOf(Object.getPrototypeOf(ta.sma(2))).update = () => 0; },
  () => { Math.random = () => 0.5; },
  () => { Array.prototype.push = () => 0; },
  () => { ta.sma = () => null; },
  () => { Object.getPrototypeOf(ta.macd(2, 3, 2).signal).update = () => 0; },
  () => { Error.stackTraceLimit = 0; },
  () => { RegExp.input = "leak"; },
];
export default defineStrategy({
  params: { poison: 0 },
  setup: ({ params, ta }) => {
    const blocked = [];
    if (params.poison === 1) for (const a of attempts(ta)) { try { a(); blocked.push(false); } catch { blocked.push(true); } }
    return { sma: ta.sma(5), draw: Math.random(), blocked };
  },
  onBar(bar, ctx, s) {
    calls++;
    const v = s.sma.update(bar.close);
    if (ctx.barIndex === 0) ctx.log("blocked", s.blocked.join(","));
    if (ctx.barIndex === 20) ctx.buy(calls + (globalThis.leak ?? 0) + Math.floor(s.draw * 100) + (v === 0 ? 500 : 0));
    if (ctx.barIndex === 300) ctx.close();
  },
});
`;

let pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.map((p) => p.shutdown()));
  pools = [];
});

async function freshPool(): Promise<WorkerPool> {
  const pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  pools.push(pool);
  await pool.warmUp();
  return pool;
}

describe("runs sharing a sweep sandbox", () => {
  it("cannot leave state behind: every escape is blocked and later combinations equal runs on their own", async () => {
    const strategy = await prepareStrategy(POISONER, "poison.ts", { typecheck: false });
    const poisoned = await backtestOnPool(await freshPool(), strategy, bars, { ...CONFIG, params: { poison: 1 } }, LIMITS);
    expect(poisoned.logs).toEqual(["blocked true,true,true,true,true,true,true,true,true"]);

    const alone = await backtestOnPool(await freshPool(), strategy, bars, { ...CONFIG, params: { poison: 0 } }, LIMITS);
    expect(alone.trades[0]!.size).toBeGreaterThan(21);
    expect(alone.trades[0]!.size).toBeLessThan(121);

    const rows = await runSweep(await freshPool(), strategy, bars, CONFIG, LIMITS, { grid: { poison: [1, 0, 1, 0] }, holdout: 0, concurrency: 1 });
    expect(rows.every((r) => r.ok)).toBe(true);
    for (const row of rows) {
      if (!row.ok) continue;
      expect(row.finalEquity).toBe(row.params.poison === 0 ? alone.finalEquity : poisoned.finalEquity);
    }
  });

  it("cannot pass a regular expression's last match to the next combination (RegExp legacy statics)", async () => {
    const matcher = `import { defineStrategy } from "workstation";
export default defineStrategy({
  params: { poison: 0 },
  setup: ({ params }) => {
    if (params.poison === 1) /(\\d+)/.exec("size 40");
    return {};
  },
  onBar(bar, ctx) {
    const R = RegExp;
    if (ctx.barIndex === 20) ctx.buy(1 + Number(R.$1 || 0) + String(R.lastMatch ?? "").length + String(R.input ?? "").length + String(R["$_"] ?? "").length);
    if (ctx.barIndex === 300) ctx.close();
  },
});
`;
    const strategy = await prepareStrategy(matcher, "matcher.ts", { typecheck: false });
    const alone = await backtestOnPool(await freshPool(), strategy, bars, { ...CONFIG, params: { poison: 0 } }, LIMITS);
    expect(alone.trades[0]!.size).toBe(1);
    const rows = await runSweep(await freshPool(), strategy, bars, CONFIG, LIMITS, { grid: { poison: [1, 0, 1, 0] }, holdout: 0, concurrency: 1 });
    for (const row of rows) {
      expect(row.ok).toBe(true);
      if (row.ok && row.params.poison === 0) expect(row.finalEquity).toBe(alone.finalEquity);
    }
  });

  it("hands strategies only objects whose prototypes are frozen", async () => {
    const walker = `import { defineStrategy } from "workstation";
const unfrozen = new Set();
const seen = new Set();
function walk(o, depth) {
  if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o) || depth > 4) return;
  seen.add(o);
  for (let p = Object.getPrototypeOf(o); p !== null; p = Object.getPrototypeOf(p)) {
    if (!Object.isFrozen(p)) unfrozen.add(p.constructor?.name ?? "?");
  }
  if (ArrayBuffer.isView(o)) return;
  for (const k of Reflect.ownKeys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, k);
    if (d && "value" in d) walk(d.value, depth + 1);
  }
}
export default defineStrategy({
  params: {},
  setup: (arg) => {
    const { ta } = arg;
    walk(arg, 0);
    for (const ind of [ta.sma(2), ta.ema(2), ta.rsi(2), ta.atr(2), ta.bbands(2), ta.macd(2, 3, 2), ta.stdev(2), ta.highest(2), ta.lowest(2)]) walk(ind, 0);
    return {};
  },
  onBar(bar, ctx) {
    walk(bar, 0); walk(ctx, 0); walk(ctx.position, 0); walk(ctx.openOrders, 0);
    if (ctx.barIndex === 5) ctx.buy(1, { type: "limit", price: 1 });
    if (ctx.barIndex === 10) ctx.buy(1);
    if (ctx.barIndex === 20) ctx.close();
    if (ctx.barIndex === ${N - 1}) ctx.log("unfrozen:", [...unfrozen].join(","));
  },
  onFill(fill) { walk(fill, 0); },
  onTrade(trade) { walk(trade, 0); },
});
`;
    const strategy = await prepareStrategy(walker, "walker.ts", { typecheck: false });
    const result = await backtestOnPool(await freshPool(), strategy, bars, CONFIG, LIMITS);
    expect(result.trades.length).toBe(1);
    expect(result.logs).toEqual(["unfrozen: "]);
  });
});
