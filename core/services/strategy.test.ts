import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, type ParamsOut } from "../../common/api/index.ts";
import type { CallContext } from "../api/handlers.ts";
import { silentLogger } from "../log.ts";
import { Store } from "../store/index.ts";
import { importFiles } from "../store/import.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { strategyHandlers } from "./strategy.ts";

let dir: string;
let pool: WorkerPool;
let store: Store;
const SOURCE = 'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: { size: 1 }, onBar(bar, ctx) { if (ctx.barIndex === 1) ctx.buy(ctx.params.size); if (ctx.barIndex === 5) ctx.close(); } });\n';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-strategy-api-"));
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < 20; i++) rows.push(`${Date.UTC(2024, 0, 1) + i * 60_000},${100 + i},${101 + i},${99 + i},${100.5 + i},10`);
  fs.writeFileSync(path.join(dir, "bars.csv"), rows.join("\n"));
  pool = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
  store = new Store(path.join(dir, "data"));
});
afterAll(async () => {
  await pool.shutdown();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ctx = (): CallContext & { seen: number[] } => {
  const seen: number[] = [];
  return { signal: new AbortController().signal, progress: (p) => seen.push(p.done), clientId: "t", seen };
};
const run = (extra: Partial<ParamsOut<"strategy.backtest">> = {}): ParamsOut<"strategy.backtest"> => ({
  source: SOURCE,
  filename: "api.ts",
  data: { file: path.join(dir, "bars.csv") },
  cash: 10_000,
  commission: 0,
  slippageBps: 0,
  typecheck: true,
  save: true,
  series: true,
  orders: true,
  ...extra,
});

describe("strategy API handlers", () => {
  const handlers = () => strategyHandlers({ pool, store, workers: 1 });

  it("backtests a file, returns the run and saves it", async () => {
    const res = await handlers()["strategy.backtest"](run(), ctx());
    expect(res.bars).toBe(20);
    expect(res.trades).toEqual([expect.objectContaining({ entryPrice: 102, exitPrice: 106, pnl: 4 })]);
    expect(res.equity).toHaveLength(20);
    expect(res.runId).toBeTypeOf("number");
    const runs = await handlers()["strategy.runs"]({ limit: 10 }, ctx());
    expect(runs[0]).toMatchObject({ id: res.runId, kind: "backtest", strategyName: "api", status: "done", totalReturn: res.metrics.totalReturn });
    const saved = await handlers()["strategy.run"]({ id: res.runId! }, ctx());
    expect(saved.result).toMatchObject({ finalEquity: res.finalEquity, metrics: res.metrics, trades: res.trades, orders: res.orders });
    expect(res.orders.length).toBeGreaterThan(0);
    expect(saved.result?.equityCurve).toEqual({ time: res.time, equity: res.equity });
    const missing = await (async () => handlers()["strategy.run"]({ id: 99_999 }, ctx()))().catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: "not_found", message: "no saved run #99999" });
  });

  it("leaves out the equity and time series, and the orders, when asked (the CLI prints none); the saved run keeps them", async () => {
    const full = await handlers()["strategy.backtest"](run({ save: false }), ctx());
    const res = await handlers()["strategy.backtest"](run({ series: false, orders: false }), ctx());
    expect(res.bars).toBe(20);
    expect([res.equity, res.time, res.orders]).toEqual([[], [], []]);
    expect(res.trades).toEqual([expect.objectContaining({ entryPrice: 102, exitPrice: 106, pnl: 4 })]);
    const saved = await handlers()["strategy.run"]({ id: res.runId! }, ctx());
    expect(saved.result).toMatchObject({ trades: full.trades, orders: full.orders, equityCurve: { time: full.time, equity: full.equity } });
  });

  it("sends the trades as their JSON text when asked (the CLI prints it as it is)", async () => {
    const full = await handlers()["strategy.backtest"](run({ save: false }), ctx());
    const res = await handlers()["strategy.backtest"](run({ series: false, orders: false, tradesText: true }), ctx());
    expect(res.trades).toEqual([]);
    expect(res.tradesJson).toBe(JSON.stringify(full.trades));
    expect(full.tradesJson).toBeUndefined();
    const saved = await handlers()["strategy.run"]({ id: res.runId! }, ctx());
    expect(saved.result).toMatchObject({ trades: full.trades, orders: full.orders });
  });

  it("reports compile errors as bad_request with diagnostics", async () => {
    const err = await Promise.resolve(handlers()["strategy.backtest"](run({ source: "export default defineStrategy(" }), ctx())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).details).toMatchObject({ kind: "compile", diagnostics: [expect.objectContaining({ file: "api.ts", line: 1 })] });
    const check = await handlers()["strategy.check"]({ source: SOURCE.replace("ctx.params.size", '"x"'), filename: "c.ts" }, ctx());
    expect(check.diagnostics[0]).toMatchObject({ file: "c.ts", line: 2 });
  });

  it("sweeps with progress events", async () => {
    const c = ctx();
    const res = await handlers()["strategy.sweep"]({ ...run(), grid: { size: [1, 2, 3] }, holdout: 0 }, c);
    expect(res.rows.map((r) => r.ok && r.finalEquity)).toEqual([10_004, 10_008, 10_012]);
    expect(c.seen.at(-1)).toBe(3);
  });

  it("backtests store bars through the warm hand-off: the same facts when nothing changed, the new bars after an import", async () => {
    const csv = (name: string, from: number, count: number): string => {
      const rows = ["time,open,high,low,close,volume"];
      for (let i = from; i < from + count; i++) rows.push(`${Date.UTC(2024, 0, 1) + i * 60_000},${100 + i},${101 + i},${99 + i},${100.5 + i},10`);
      fs.writeFileSync(path.join(dir, name), rows.join("\n"));
      return path.join(dir, name);
    };
    const db = await store.market();
    await importFiles(db, { files: [csv("s1.csv", 0, 20)], symbol: "WARM/USD" });
    const byStore = run({ data: { symbol: "WARM/USD", venue: "local", timeframe: "1m" } });
    const first = await handlers()["strategy.backtest"](byStore, ctx());
    const second = await handlers()["strategy.backtest"](byStore, ctx());
    expect(first.bars).toBe(20);
    expect(second).toMatchObject({ bars: 20, finalEquity: first.finalEquity, time: first.time });
    await importFiles(db, { files: [csv("s2.csv", 20, 5)], symbol: "WARM/USD" });
    const third = await handlers()["strategy.backtest"](byStore, ctx());
    expect(third.bars).toBe(25);
    expect(third.time.at(-1)).toBe(Date.UTC(2024, 0, 1) + 24 * 60_000);
    const saved = store.app().db.prepare("SELECT data_source FROM backtest_runs WHERE id IN (?, ?, ?) ORDER BY id DESC").all(third.runId, second.runId, first.runId) as { data_source: string }[];
    const hashes = saved.map((r) => (JSON.parse(r.data_source) as { facts: { hash: string; bars: number } }).facts);
    expect(hashes[1]).toEqual(hashes[2]);
    expect(hashes[0]!.bars).toBe(25);
    expect(hashes[0]!.hash).not.toBe(hashes[1]!.hash);
    const sweep = await handlers()["strategy.sweep"]({ ...byStore, grid: { size: [1, 2] }, holdout: 0 }, ctx());
    expect(sweep.rows.map((r) => r.ok)).toEqual([true, true]);
  });
});
