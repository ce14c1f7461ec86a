/**
 * `workstation walkforward` end to end: each fold's out-of-sample result equals a plain
 * `backtest` of its params over its window, its params equal the best row of a plain `sweep` over
 * its in-sample window, the JSON shape, bad input (exit 2), and a fold without a valid combination.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured, type CliRun } from "./testing.ts";

const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
const T0 = Date.UTC(2024, 0, 1);
const N = 1000;
let dir = "";
let csv = "";

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-walkforward-"));
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < N; i++) {
    const c = 100 + 5 * Math.sin(i / 15) + 2 * Math.sin(i / 4) + i * 0.004;
    rows.push(`${T0 + i * 60_000},${c},${c + 0.5},${c - 0.5},${c},10`);
  }
  csv = path.join(dir, "bars.csv");
  fs.writeFileSync(csv, rows.join("\n"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<CliRun> {
  return runCliCaptured([...args, "--data-dir", path.join(dir, "data")]);
}

const BASE = (): string[] => ["--data", csv, "--skip-typecheck", "--no-save", "--commission", "0.001"];
const RUN = (): string[] => [...BASE(), "--workers", "1"];
const GRID = '{"slow":[20,30],"fast":[3,8]}';

interface FoldJson {
  inSample: { from: number; to: number };
  outOfSample: { from: number; to: number; trades: unknown[]; metrics: Record<string, unknown> | null; finalEquity: number | null };
  params: Record<string, unknown> | null;
  inSampleMetrics: Record<string, unknown> | null;
  efficiency: number | null;
  error?: string;
}

describe("workstation walkforward", () => {
  it("runs each fold's best in-sample params out of sample exactly as a plain sweep and backtest would", async () => {
    const { code, out, err } = await cli("walkforward", TEMPLATE, ...RUN(), "--grid", GRID, "--folds", "3", "--in-sample-ratio", "2", "--objective", "sharpe", "--json");
    expect(err.filter((l) => !l.startsWith("["))).toEqual([]);
    expect(code).toBe(0);
    const json = JSON.parse(out[0]!) as { folds: FoldJson[]; stitched: Record<string, unknown>; efficiency: number | null; stability: unknown };
    expect(Object.keys(json)).toEqual(["folds", "stitched", "efficiency", "stability"]);
    expect(Object.keys(json.stitched)).toEqual(["finalEquity", "metrics"]);
    expect(json.folds).toHaveLength(3);
    expect(json.folds.map((f) => [f.outOfSample.from, f.outOfSample.to])).toEqual([
      [T0 + 400 * 60_000, T0 + 600 * 60_000], [T0 + 600 * 60_000, T0 + 800 * 60_000], [T0 + 800 * 60_000, T0 + 1000 * 60_000],
    ]);
    let stitched = 100_000;
    for (const fold of json.folds) {
      expect(Object.keys(fold)).toEqual(["inSample", "outOfSample", "params", "inSampleMetrics", "efficiency"]);
      expect(Object.keys(fold.outOfSample)).toEqual(["from", "to", "trades", "metrics", "finalEquity"]);
      expect(Object.keys(fold.params!)).toEqual(["slow", "fast"]);
      const range = (w: { from: number; to: number }) => ["--from", String(w.from), "--to", String(w.to)];
      const sweep = await cli("sweep", TEMPLATE, ...RUN(), "--grid", GRID, ...range(fold.inSample), "--sort", "sharpe", "--json");
      const rows = (JSON.parse(sweep.out[0]!) as { rows: { params: unknown; metrics: unknown }[] }).rows;
      expect(fold.params).toEqual(rows[0]!.params);
      expect(fold.inSampleMetrics).toEqual(rows[0]!.metrics);
      const plain = await cli("backtest", TEMPLATE, ...BASE(), ...range(fold.outOfSample), "--params", JSON.stringify(fold.params), "--json");
      const bt = JSON.parse(plain.out[0]!) as { trades: unknown[]; metrics: unknown; finalEquity: number };
      expect(fold.outOfSample.trades).toEqual(bt.trades);
      expect(fold.outOfSample.metrics).toEqual(bt.metrics);
      expect(fold.outOfSample.finalEquity).toBe(bt.finalEquity);
      stitched *= bt.finalEquity / 100_000;
    }
    expect(json.stitched.finalEquity as number).toBeCloseTo(stitched, 6);
  }, 120_000);

  it("with --warmup-bars feeds earlier bars but reports only the window", async () => {
    const { code, out } = await cli("walkforward", TEMPLATE, ...RUN(), "--grid", GRID, "--folds", "2", "--warmup-bars", "50", "--json");
    expect(code).toBe(0);
    const json = JSON.parse(out[0]!) as { folds: FoldJson[] };
    for (const f of json.folds) {
      for (const t of f.outOfSample.trades as { entryTime: number }[]) expect(t.entryTime).toBeGreaterThanOrEqual(f.outOfSample.from);
      expect(f.outOfSample.metrics!.trades).toBe(f.outOfSample.trades.length);
    }
  }, 60_000);

  it("reports a fold whose in-sample sweep has no valid combination and goes on", async () => {
    const file = path.join(dir, "early-boom.ts");
    const cutoff = T0 + 100 * 60_000;
    fs.writeFileSync(
      file,
      `import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: { size: 1 }, onBar(bar, ctx) { if (ctx.barIndex === 0 && bar.time < ${cutoff}) throw new Error("boom"); if (ctx.barIndex === 5) ctx.buy(ctx.params.size); } });\n`,
    );
    const { code, out, err } = await cli("walkforward", file, ...RUN(), "--grid", '{"size":[1,2]}', "--folds", "3", "--in-sample-ratio", "2", "--json");
    expect(code).toBe(0);
    const folds = (JSON.parse(out[0]!) as { folds: FoldJson[] }).folds;
    expect(folds[0]!.params).toBeNull();
    expect(folds[0]!.error).toMatch(/no valid combination.*boom/);
    expect(folds[1]!.params).not.toBeNull();
    expect(folds[2]!.outOfSample.finalEquity).not.toBeNull();
    expect(err.join("\n")).toContain("1 of 3 folds have no out-of-sample result");
  }, 60_000);

  it("reports a fold whose out-of-sample run fails and goes on", async () => {
    const file = path.join(dir, "late-boom.ts");
    fs.writeFileSync(
      file,
      `import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: { size: 1 }, onBar(bar, ctx) { if (bar.time >= ${T0 + 650 * 60_000} && bar.time < ${T0 + 700 * 60_000}) throw new Error("late boom"); } });\n`,
    );
    const { code, out } = await cli("walkforward", file, ...RUN(), "--grid", '{"size":[1]}', "--folds", "3", "--in-sample-ratio", "2", "--anchored", "--json");
    expect(code).toBe(0);
    const folds = (JSON.parse(out[0]!) as { folds: FoldJson[] }).folds;
    expect(folds[0]!.error).toBeUndefined();
    expect(folds[1]!.params).toEqual({ size: 1 });
    expect(folds[1]!.error).toMatch(/out-of-sample run failed.*late boom/);
    expect(folds[2]!.error).toMatch(/no valid combination/);
  }, 60_000);

  it("refuses too few bars (naming the minimum), an empty grid and an unknown objective with one line, exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--folds", "600"], /needs at least 1206 bars \(got 1000\)/],
      [["--folds", "3", "--grid", "{}"], /grid is empty/],
      [["--folds", "3", "--objective", "luck"], /--objective must be one of totalReturn, sharpe, sortino, cagr, profitFactor/],
      [[], /--folds N is required/],
    ];
    for (const [extra, message] of cases) {
      const args = extra.includes("--grid") ? extra : [...extra, "--grid", GRID];
      const { code, out, err } = await cli("walkforward", TEMPLATE, ...RUN(), ...args);
      expect(code).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
    }
  });
});
