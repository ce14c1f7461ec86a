import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, type ParamsOut } from "../../common/api/index.ts";
import type { CallContext } from "../api/handlers.ts";
import { silentLogger } from "../log.ts";
import { Store } from "../store/index.ts";
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
    expect(runs[0]).toMatchObject({ id: res.runId, kind: "backtest", strategyName: "api", status: "done" });
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
});
