/** `workstation sensitivity`: costs at 0–3× with a break-even cost a plain backtest confirms; warm-up dependence detected. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured, type CliRun } from "./testing.ts";

const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
const T0 = Date.UTC(2024, 0, 1);
let dir = "";
let csv = "";

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-sensitivity-"));
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < 1200; i++) {
    const c = 100 + 5 * Math.sin(i / 15) + 2 * Math.sin(i / 4);
    rows.push(`${T0 + i * 60_000},${c},${c + 0.5},${c - 0.5},${c},10`);
  }
  csv = path.join(dir, "bars.csv");
  fs.writeFileSync(csv, rows.join("\n"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<CliRun> {
  return runCliCaptured([...args, "--data", csv, "--skip-typecheck", "--no-save", "--json", "--data-dir", path.join(dir, "data")]);
}

interface Row { multiplier?: number; warmupBars?: number; finalEquity: number; metrics: { totalReturn: number; trades: number } }

describe("workstation sensitivity", () => {
  it("runs 0x-3x costs and finds a break-even cost that a plain backtest confirms", async () => {
    const from = String(T0 + 200 * 60_000);
    const { code, out } = await cli("sensitivity", TEMPLATE, "--costs", "--from", from, "--commission", "0.0002", "--slippage-bps", "1");
    expect(code).toBe(0);
    const { costs } = JSON.parse(out[0]!) as { costs: { rows: Row[]; breakEvenCost: number } };
    expect(costs.rows.map((r) => r.multiplier)).toEqual([0, 1, 2, 3]);
    const returns = costs.rows.map((r) => r.metrics.totalReturn);
    for (let i = 1; i < 4; i++) expect(returns[i]!).toBeLessThan(returns[i - 1]!);
    const plain = await cli("backtest", TEMPLATE, "--from", from, "--commission", "0.0002", "--slippage-bps", "1");
    expect((JSON.parse(plain.out[0]!) as { finalEquity: number }).finalEquity).toBe(costs.rows[1]!.finalEquity);
    expect(costs.breakEvenCost).toBeGreaterThan(0);
    const at = async (rate: number) => (JSON.parse((await cli("backtest", TEMPLATE, "--from", from, "--commission", String(rate))).out[0]!) as { metrics: { totalReturn: number } }).metrics.totalReturn;
    expect(await at(costs.breakEvenCost * 0.98)).toBeGreaterThan(0);
    expect(await at(costs.breakEvenCost * 1.02)).toBeLessThan(0);
  }, 120_000);

  it("tells a strategy whose state depends on where the data starts from one whose state does not", async () => {
    const memoryless = path.join(dir, "memoryless.ts");
    fs.writeFileSync(
      memoryless,
      'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar, ctx) { if (bar.close > 101 && ctx.position.size === 0) ctx.buy(1); if (bar.close < 99 && ctx.position.size > 0) ctx.close(); } });\n',
    );
    const flat = JSON.parse((await cli("sensitivity", memoryless, "--warmup")).out[0]!) as { warmup: { rows: Row[]; differs: boolean } };
    expect(flat.warmup.rows.map((r) => r.warmupBars)).toEqual([0, 100, 500]);
    expect(flat.warmup.differs).toBe(false);
    const stateful = path.join(dir, "stateful.ts");
    fs.writeFileSync(
      stateful,
      'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, setup: () => ({ seen: 0 }), onBar(bar, ctx, s) { s.seen++; if (s.seen === 150) ctx.buy(1); } });\n',
    );
    const dep = JSON.parse((await cli("sensitivity", stateful, "--warmup")).out[0]!) as { warmup: { rows: Row[]; differs: boolean } };
    expect(dep.warmup.differs).toBe(true);
    expect(dep.warmup.rows.map((r) => r.metrics.trades)).toEqual([1, 1, 0]);
  }, 60_000);
});
