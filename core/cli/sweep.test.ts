/**
 * `workstation sweep --json`: the rows keep their shape and the overfitting statistics sit beside
 * them (`trials`, `dsr`, `pbo`, `holdoutLooks`); every look at a holdout is recorded and counted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./main.ts";

const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
let dir = "";

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-sweep-"));
  const rows = ["time,open,high,low,close,volume"];
  for (let i = 0; i < 800; i++) {
    const c = 100 + 5 * Math.sin(i / 15) + 2 * Math.sin(i / 4);
    rows.push(`${Date.UTC(2024, 0, 1) + i * 60_000},${c},${c + 0.5},${c - 0.5},${c},10`);
  }
  fs.writeFileSync(path.join(dir, "bars.csv"), rows.join("\n"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function sweep(...args: string[]): Promise<{ code: number; json: Record<string, unknown>; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const argv = ["sweep", TEMPLATE, "--data", path.join(dir, "bars.csv"), "--skip-typecheck", "--workers", "1", "--json", ...args, "--data-dir", path.join(dir, "data")];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, json: JSON.parse(out[0] ?? "{}") as Record<string, unknown>, err };
}

describe("workstation sweep --json", () => {
  it("adds trials, dsr, pbo and holdoutLooks beside unchanged rows", async () => {
    const { code, json } = await sweep("--grid", '{"fast":[3,5,8],"slow":[20,30]}', "--no-save");
    expect(code).toBe(0);
    expect(Object.keys(json)).toEqual(["rows", "trials", "dsr", "pbo", "holdoutLooks"]);
    const rows = json.rows as Record<string, unknown>[];
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(Object.keys(r)).toEqual(["index", "params", "ok", "finalEquity", "metrics", "outOfSample"]);
    expect(json.trials).toBe(6);
    expect(json.dsr as number).toBeGreaterThanOrEqual(0);
    expect(json.dsr as number).toBeLessThanOrEqual(1);
    expect(json.pbo as number).toBeGreaterThanOrEqual(0);
    expect(json.pbo as number).toBeLessThanOrEqual(1);
    expect(json.holdoutLooks).toBe(0);
  }, 60_000);

  it("records every look at a strategy version's holdout and warns from the second", async () => {
    const grid = ["--grid", '{"fast":[3,5]}', "--holdout", "0.3"];
    const first = await sweep(...grid);
    expect(first.json.holdoutLooks).toBe(1);
    expect(first.err.join("\n")).not.toContain("looked at");
    const second = await sweep(...grid, "--no-save");
    expect(second.json.holdoutLooks).toBe(2);
    expect(second.err.join("\n")).toContain("holdout has now been looked at 2 times");
    const other = await sweep("--grid", '{"fast":[3,5]}', "--holdout", "0.3", "--from", String(Date.UTC(2024, 0, 1)), "--to", String(Date.UTC(2024, 0, 1, 5)));
    expect(other.json.holdoutLooks).toBe(1);
  }, 60_000);
});
