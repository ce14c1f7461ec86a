/** The robustness API handlers on a real pool and store, and the sweep API's overfitting figures. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, type ParamsOut } from "../../common/api/index.ts";
import type { CallContext } from "../api/handlers.ts";
import { silentLogger } from "../log.ts";
import { strategyHandlers } from "../services/strategy.ts";
import { Store } from "../store/index.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { robustnessHandlers } from "./service.ts";

let dir = "";
let pool: WorkerPool;
let store: Store;
const SOURCE = fs.readFileSync(path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts"), "utf8");

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-robustness-api-"));
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < 600; i++) {
    const c = 100 + 5 * Math.sin(i / 15) + 2 * Math.sin(i / 4);
    rows.push(`${Date.UTC(2024, 0, 1) + i * 60_000},${c},${c + 0.5},${c - 0.5},${c},10`);
  }
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
const run = (): ParamsOut<"strategy.backtest"> => ({
  source: SOURCE,
  filename: "sma.ts",
  data: { file: path.join(dir, "bars.csv") },
  series: true,
  orders: true,
  cash: 10_000,
  commission: 0.001,
  slippageBps: 0,
  typecheck: false,
  save: false,
});

describe("robustness API handlers", () => {
  const handlers = () => robustnessHandlers({ pool, store, workers: 1 });

  it("walks forward with fold progress, and refuses too few bars as bad_request", async () => {
    const c = ctx();
    const wf = await handlers()["robustness.walkforward"]({ ...run(), grid: { fast: [3, 8], slow: [20, 30] }, folds: 3, inSampleRatio: 2, anchored: false, objective: "sharpe", warmupBars: 0 }, c);
    expect(wf.folds).toHaveLength(3);
    expect(wf.folds.every((f) => f.params !== null)).toBe(true);
    expect(wf.stitched.equity).toHaveLength(360);
    expect(c.seen.at(-1)).toBe(12);
    expect(c.seen).toContain(8);
    const tooFew = { ...run(), grid: { fast: [3] }, folds: 400, inSampleRatio: 3, anchored: false, objective: "sharpe" as const, warmupBars: 0 };
    const err = await Promise.resolve(handlers()["robustness.walkforward"](tooFew, ctx())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/needs at least 806 bars \(got 600\)/);
  });

  it("a walk-forward is cancelled through the call's signal", async () => {
    const abort = new AbortController();
    const c: CallContext = { signal: abort.signal, progress: (p) => p.done >= 2 && abort.abort(), clientId: "t" };
    const err = await Promise.resolve(
      handlers()["robustness.walkforward"]({ ...run(), grid: { fast: [3, 5, 8, 13], slow: [20, 30, 40] }, folds: 3, inSampleRatio: 2, anchored: false, objective: "sharpe", warmupBars: 0 }, c),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("cancelled");
  });

  it("runs a seeded Monte Carlo with a fan", async () => {
    const mc = await handlers()["robustness.montecarlo"]({ ...run(), method: "bootstrap", runs: 200, mcSeed: 3 }, ctx());
    expect(mc).toMatchObject({ method: "bootstrap", runs: 200, seed: 3 });
    expect(mc.fan).toHaveLength(50);
    expect(mc.fan.at(-1)!.p5).toBeLessThanOrEqual(mc.fan.at(-1)!.p95);
    expect(await handlers()["robustness.montecarlo"]({ ...run(), method: "bootstrap", runs: 200, mcSeed: 3 }, ctx())).toEqual(mc);
  });

  it("a sweep through the API reports trials, DSR, PBO and counts holdout looks", async () => {
    const sweep = () => strategyHandlers({ pool, store, workers: 1 })["strategy.sweep"]({ ...run(), grid: { fast: [3, 5, 8] }, holdout: 0.3 }, ctx());
    const first = await sweep();
    expect(first).toMatchObject({ trials: 3, holdoutLooks: 1 });
    expect(first.dsr).not.toBeNull();
    expect(first.pbo).not.toBeNull();
    expect(first.rows[0]).not.toHaveProperty("stats");
    expect((await sweep()).holdoutLooks).toBe(2);
  });
});
