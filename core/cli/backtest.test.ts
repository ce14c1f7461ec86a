import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORCL_DAILY, sharedDataFile } from "../datafiles/shared-data.ts";
import { runCliCaptured, type CliRun } from "./testing.ts";

const ORCL = sharedDataFile(ORCL_DAILY);
const TEMPLATE = path.resolve(import.meta.dirname, "../../resources/templates/sma-crossover.ts");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-backtest-"));
  const rows = ["Date,Open,High,Low,Close,Adj Close,Volume"];
  for (let i = 0; i < 60; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const c = 100 + 10 * Math.sin(i / 5);
    rows.push(`${day},${c},${c + 1},${c - 1},${c},${c / 2},1000`);
  }
  fs.writeFileSync(path.join(dir, "daily.csv"), rows.join("\n"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<CliRun> {
  return runCliCaptured(["backtest", ...args, "--data-dir", path.join(dir, "data")]);
}

function strategyFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("workstation backtest", () => {
  it("prints exactly the documented --json shape, using Close (not Adj Close)", async () => {
    const file = strategyFile("buy.ts", 'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: { size: 2 }, onBar(bar, ctx) { if (ctx.barIndex === 0) ctx.buy(ctx.params.size); } });\n');
    const { code, out } = await cli(file, "--data", path.join(dir, "daily.csv"), "--json", "--commission", "0.001", "--params", '{"size":3}');
    expect(code).toBe(0);
    const json = JSON.parse(out[0]!) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["bars", "trades", "finalEquity", "cash", "metrics"]);
    expect(json.bars).toBe(60);
    const trades = json.trades as Record<string, unknown>[];
    expect(Object.keys(trades[0]!)).toEqual(["entryTime", "entryPrice", "exitTime", "exitPrice", "size", "side", "pnl", "fees"]);
    expect(trades[0]).toMatchObject({ entryTime: Date.UTC(2020, 0, 2), size: 3, side: "long", exitTime: null });
    expect(trades[0]!.entryPrice).toBeCloseTo(100 + 10 * Math.sin(1 / 5), 9);
    expect(Object.keys(json.metrics as object).sort()).toEqual(
      ["buyAndHoldReturn", "cagr", "exposure", "maxDrawdown", "maxDrawdownDuration", "profitFactor", "sharpe", "sortino", "totalReturn", "trades", "winRate"].sort(),
    );
  });

  it("compile errors go to stderr with line:column and exit 1", async () => {
    const file = strategyFile("bad.ts", 'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {},\n  onBar(bar, ctx) { const x: string = bar.close; }\n});\n');
    const { code, err, out } = await cli(file, "--data", path.join(dir, "daily.csv"));
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join("\n")).toMatch(/bad\.ts:3:27: error: Type 'number' is not assignable to type 'string'/);
    const syntax = strategyFile("syntax.ts", "import { defineStrategy } from \"workstation\";\nexport default defineStrategy({ params: {} onBar() {} });\n");
    const r2 = await cli(syntax, "--data", path.join(dir, "daily.csv"));
    expect(r2.code).toBe(1);
    expect(r2.err[0]).toMatch(/^syntax\.ts:2:44: error: /);
  });

  it("a strategy that throws reports its own line:column and exits 1", async () => {
    const file = strategyFile(
      "throws.ts",
      'import { defineStrategy } from "workstation";\n\ntype S = { n: number };\nexport default defineStrategy({\n  params: {},\n  onBar(bar, ctx) {\n    if (ctx.barIndex === 7) throw new Error("bad bar " + bar.close.toFixed(0));\n  },\n});\n',
    );
    const { code, err } = await cli(file, "--data", path.join(dir, "daily.csv"));
    expect(code).toBe(1);
    expect(err[0]).toMatch(/throws\.ts:7:35: Error: bad bar \d+ \(in onBar, bar #7 at 2020-01-08T00:00:00\.000Z\)/);
  });

  it("prints the log lines written before the strategy threw, then the error", async () => {
    const file = strategyFile(
      "logs-then-throws.ts",
      'import { defineStrategy } from "workstation";\nexport default defineStrategy({ params: {}, onBar(bar, ctx) {\n  ctx.log("bar", ctx.barIndex);\n  if (ctx.barIndex === 2) throw new Error("boom");\n} });\n',
    );
    const { code, err } = await cli(file, "--data", path.join(dir, "daily.csv"), "--skip-typecheck", "--no-save");
    expect(code).toBe(1);
    expect(err.slice(0, 4)).toEqual(["log: bar 0", "log: bar 1", "log: bar 2", expect.stringMatching(/^strategy error: .*Error: boom \(in onBar, bar #2/)]);
  });

  it.runIf(ORCL.present)(`runs the SMA template over the real ORCL daily file (Yahoo layout; needs ${ORCL_DAILY} in $WORKSTATION_SHARED_DATA or ../shared/data)`, async () => {
    const { code, out } = await cli(TEMPLATE, "--data", ORCL.file, "--json");
    expect(code).toBe(0);
    const json = JSON.parse(out[0]!) as { bars: number; trades: { entryPrice: number }[]; metrics: { trades: number } };
    expect(json.bars).toBe(5036);
    expect(json.metrics.trades).toBe(json.trades.length);
    // 1995-01-23 open is 2.216049 in the file (Close column prices, not Adj Close).
    expect(json.trades[0]!.entryPrice).toBe(2.216049);
  });

  it("a repeated run is served from the caches with the same output; a corrupt cache entry costs one warning line", async () => {
    const data = path.join(dir, "daily.csv");
    const first = await cli(TEMPLATE, "--data", data, "--json", "--no-save");
    const cacheDir = path.join(dir, "data", "cache");
    const entries = fs.readdirSync(path.join(cacheDir, "file-bars")).filter((n) => n.endsWith(".json"));
    const entry = entries.find((n) => fs.readFileSync(path.join(cacheDir, "file-bars", n), "utf8").includes(JSON.stringify(data)))!;
    expect(entry).toBeDefined();
    expect(fs.readdirSync(path.join(cacheDir, "strategies")).length).toBeGreaterThan(0);
    const again = await cli(TEMPLATE, "--data", data, "--json", "--no-save");
    expect(again).toEqual({ code: 0, out: first.out, err: [] });
    fs.writeFileSync(path.join(cacheDir, "file-bars", entry), "{ truncated");
    const afterDamage = await cli(TEMPLATE, "--data", data, "--json", "--no-save");
    expect(afterDamage.out).toEqual(first.out);
    expect(afterDamage.err).toEqual([expect.stringMatching(/^warning: bars cache of daily\.csv not used: .*corrupt or truncated.*; reading the file afresh$/)]);
  });

  it("a source nested too deeply is refused in one line naming the limit and line:column, exit 1", async () => {
    const file = strategyFile("nested.ts", `export default ${"[".repeat(300_000)}${"]".repeat(300_000)}`);
    const { code, err, out } = await cli(file, "--data", path.join(dir, "daily.csv"));
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(["nested.ts:1:272: error: brackets, braces and parentheses nest more than 256 levels deep (the limit)"]);
  });

  it("runs as a process: a source that kills esbuild's service prints one line on stderr, not a Go stack", () => {
    const file = strategyFile("prefix.ts", `export default ${"!".repeat(300_000)}1;`);
    const main = path.resolve(import.meta.dirname, "main.ts");
    const r = spawnSync(process.execPath, [main, "backtest", file, "--data", path.join(dir, "daily.csv"), "--no-save", "--data-dir", path.join(dir, "data")], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("prefix.ts:1:1: error: esbuild crashed compiling this strategy (most likely nesting too deep); simplify it\n");
  });
});
