/** `workstation montecarlo`: saved run ids and strategy files, the exact JSON shape, seeded reproducibility, bad input exit 2. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured, type CliRun } from "./testing.ts";

const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
let dir = "";
let csv = "";

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-montecarlo-"));
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < 1500; i++) {
    const c = 100 + 5 * Math.sin(i / 15) + 2 * Math.sin(i / 4) + 3 * Math.sin(i / 97);
    rows.push(`${Date.UTC(2024, 0, 1) + i * 3_600_000},${c},${c + 0.5},${c - 0.5},${c},10`);
  }
  csv = path.join(dir, "bars.csv");
  fs.writeFileSync(csv, rows.join("\n"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<CliRun> {
  return runCliCaptured([...args, "--data-dir", path.join(dir, "data")]);
}

describe("workstation montecarlo", () => {
  it("simulates a saved run by id: exact shape, same seed same answer, another seed another", async () => {
    expect((await cli("backtest", TEMPLATE, "--data", csv, "--skip-typecheck", "--commission", "0.001", "--slippage-bps", "5")).code).toBe(0);
    const db = new Database(path.join(dir, "data", "app.sqlite"), { readonly: true });
    const id = (db.prepare("SELECT max(id) AS id FROM backtest_runs").get() as { id: number }).id;
    db.close();
    for (const method of ["shuffle", "skip", "bootstrap", "costs"]) {
      const a = await cli("montecarlo", String(id), "--method", method, "--runs", "300", "--seed", "7", "--json");
      expect(a.code).toBe(0);
      const json = JSON.parse(a.out[0]!) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(["method", "runs", "seed", "finalEquity", "maxDrawdown", "cagr"]);
      expect(json).toMatchObject({ method, runs: 300, seed: 7 });
      expect(Object.keys(json.finalEquity as object)).toEqual(["p5", "p50", "p95"]);
      expect((await cli("montecarlo", String(id), "--method", method, "--runs", "300", "--seed", "7", "--json")).out).toEqual(a.out);
      const other = JSON.parse((await cli("montecarlo", String(id), "--method", method, "--runs", "300", "--seed", "8", "--json")).out[0]!) as Record<string, unknown>;
      expect({ ...other, seed: 7 }).not.toEqual(json);
    }
  }, 60_000);

  it("backtests a strategy file first and bootstraps its per-bar returns", async () => {
    const args = ["montecarlo", TEMPLATE, "--data", csv, "--skip-typecheck", "--method", "bootstrap", "--runs", "200", "--json"];
    const a = await cli(...args);
    expect(a.code).toBe(0);
    const json = JSON.parse(a.out[0]!) as { finalEquity: { p5: number; p95: number } };
    expect(json.finalEquity.p5).toBeLessThan(json.finalEquity.p95);
    expect((await cli(...args)).out).toEqual(a.out);
  }, 60_000);

  it("refuses an unknown method or run id with one line, exit 2", async () => {
    for (const [args, message] of [
      [["12", "--method", "luck"], /--method must be one of shuffle, skip, bootstrap, costs/],
      [["999", "--method", "shuffle"], /no saved run with id 999/],
    ] as const) {
      const { code, out, err } = await cli("montecarlo", ...args);
      expect(code).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
    }
  });
});
